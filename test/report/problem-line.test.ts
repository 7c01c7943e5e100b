import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PROBLEM_CSV_HEADER, ProblemBytes, problemCsv, problemJson, problemText, type ProblemRecord } from '../../src/report/problem-line.js';
import { sanitize } from '../../src/text/sanitize.js';

const record: ProblemRecord = {
  time: '2026-11-22T06:25:01.000Z',
  mta: 'postfix',
  host: 'mx1',
  direction: 'inbound',
  cause: 'user-unknown',
  hint: 'virtual_alias_maps',
  rule: 'postfix.virtual-alias-unknown',
  recipient: 'bob@example.com',
  sender: 'alice@sender.test',
  client: '192.0.2.10',
  smtpCode: 550,
  enhancedStatus: '5.1.1',
  text: 'Recipient address rejected: User unknown in virtual alias table',
};

const hostile: ProblemRecord = {
  ...record,
  recipient: 'x\u001b]0;pwned\u0007@example.com',
  text: 'evil\u001b[2J\r\nline two =cmd|calc',
  client: null,
  smtpCode: null,
  enhancedStatus: null,
  time: null,
  host: 'mx\u001b[31m2\u202e',
};

/** What problemJson() stands for: JSON.stringify of the record with every string sanitised. */
function referenceJson(r: ProblemRecord): string {
  const o: Record<string, string | number | null> = {};
  for (const [k, v] of Object.entries(r)) o[k] = typeof v === 'string' ? sanitize(v) : v;
  return JSON.stringify(o) + '\n';
}

describe('follow mode output lines', () => {
  test('NDJSON: the fields in order, one line', () => {
    expect(problemJson(record)).toBe(
      '{"time":"2026-11-22T06:25:01.000Z","mta":"postfix","host":"mx1","direction":"inbound","cause":"user-unknown",' +
        '"hint":"virtual_alias_maps","rule":"postfix.virtual-alias-unknown",' +
        '"recipient":"bob@example.com","sender":"alice@sender.test","client":"192.0.2.10","smtpCode":550,' +
        '"enhancedStatus":"5.1.1","text":"Recipient address rejected: User unknown in virtual alias table"}\n',
    );
  });

  test('NDJSON: control sequences from the log are gone, nulls stay null', () => {
    const line = problemJson(hostile);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]|\\u00/);
    expect(JSON.parse(line)).toMatchObject({ recipient: 'x@example.com', host: 'mx2', client: null, smtpCode: null, time: null });
  });

  test('NDJSON: the same line as JSON.stringify of the sanitised record, for any text', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('', '"', '\\', '\u2028', '\u001b[2J', '=1+1'));
    const orNull = fc.option(text, { nil: null });
    const code = fc.option(fc.oneof(fc.integer({ min: 0, max: 999 }), fc.constantFrom(Number.NaN, -0, 1e21)), { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          time: orNull,
          mta: text,
          host: orNull,
          direction: text,
          cause: text,
          hint: text,
          rule: text,
          recipient: orNull,
          sender: orNull,
          client: orNull,
          smtpCode: code,
          enhancedStatus: orNull,
          text,
        }),
        (r) => {
          expect(problemJson(r)).toBe(referenceJson(r));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('held bytes: the UTF-8 of the lines appended, across takes and growth', () => {
    // Long values make the buffer grow past its first size within one line.
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('"', '\ud800x', 'é'.repeat(40_000), 'a'.repeat(70_000)));
    const step = fc.oneof(
      fc.record({ json: fc.tuple(fc.option(text, { nil: null }), text).map(([recipient, t]): ProblemRecord => ({ ...record, recipient, text: t })) }),
      fc.record({ line: text }),
      fc.constant({ take: true }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        const held = new ProblemBytes();
        const taken: Buffer[] = [];
        let want = '';
        for (const s of steps) {
          if ('json' in s) {
            held.json(s.json);
            want += referenceJson(s.json);
          } else if ('line' in s) {
            held.text(s.line);
            want += s.line;
          } else {
            taken.push(held.take());
          }
        }
        taken.push(held.take());
        expect(held.length).toBe(0);
        expect(Buffer.concat(taken).equals(Buffer.from(want, 'utf8'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test('held bytes: one long line does not leave a long buffer behind', () => {
    const held = new ProblemBytes();
    held.text('a'.repeat(1_000_000));
    expect(held.take()).toHaveLength(1_000_000);
    held.text('x\n');
    const next = held.take();
    expect(next.toString()).toBe('x\n');
    expect(next.buffer.byteLength).toBeLessThan(200_000);
    problemJson({ ...record, text: 'b'.repeat(1_000_000) });
    expect(problemJson(record)).toBe(referenceJson(record));
  });

  test('plain: one sanitised line', () => {
    expect(problemText(record)).toBe(
      '2026-11-22T06:25:01.000Z mx1 postfix inbound user-unknown virtual_alias_maps 550 5.1.1 to=<bob@example.com> ' +
        'from=<alice@sender.test> client=192.0.2.10 rule=postfix.virtual-alias-unknown: ' +
        'Recipient address rejected: User unknown in virtual alias table\n',
    );
    const h = problemText(hostile);
    expect(h.split('\n')).toHaveLength(2);
    expect(h).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(h).toBe(
      '- mx2 postfix inbound user-unknown virtual_alias_maps - to=<x@example.com> from=<alice@sender.test> client=- ' +
        'rule=postfix.virtual-alias-unknown: evil  line two =cmd|calc\n',
    );
    expect(problemText({ ...record, host: null })).toMatch(/^\S+ - postfix inbound /);
  });

  test('CSV: header and rows read back; formula cells neutralised', () => {
    const rows = parse(PROBLEM_CSV_HEADER + problemCsv(record) + problemCsv({ ...hostile, text: '=HYPERLINK("x")' }), {
      columns: true,
    }) as Array<Record<string, string>>;
    expect(rows[0]).toMatchObject({
      mta: 'postfix',
      host: 'mx1',
      rule: 'postfix.virtual-alias-unknown',
      recipient: 'bob@example.com',
      smtpCode: '550',
      enhancedStatus: '5.1.1',
    });
    expect(rows[1]!.text).toBe('\'=HYPERLINK("x")');
  });
});
