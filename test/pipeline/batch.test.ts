/**
 * The reader thread's batches (src/pipeline/batch.ts): what BatchWriter writes, BatchReader reads
 * back, entry by entry and field by field, for every kind of entry; ASCII and UTF-8 batches,
 * batches that outgrow their first buffers, and the writer starting afresh after take(); and
 * where FrontLines ends a batch.
 */
import { describe, expect, test } from 'vitest';
import { BatchReader, BatchWriter, Entry, type Batch } from '../../src/pipeline/batch.js';
import { hash52 } from '../../src/aggregate/counters.js';
import { extraOf, type FastLogParser, type SentSpans, type StateUpdate } from '../../parsers/types.js';
import { parserByName } from '../../parsers/index.js';
import { BATCH_BYTES, BATCH_LINES, FrontLines } from '../../src/pipeline/front-reader.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

/** Every entry of a batch, as plain objects with the fields of its kind. */
function readAll(b: Batch): unknown[] {
  const r = new BatchReader(b);
  const out: unknown[] = [];
  for (let guard = 0; r.next(); guard++) {
    if (guard > 1_000_000) throw new Error('BatchReader.next() never ended');
    switch (r.kind) {
      case Entry.SENT: {
        const queueId = r.queueId();
        const to = r.to();
        const plain = r.toPlain;
        out.push({ kind: 'sent', no: r.no, time: r.time, queueId, to, origTo: r.origTo(), delay: r.delay, here: r.here, offset: r.offset, plain, ...(plain >= 0 ? { hash: r.toHash } : {}) });
        break;
      }
      case Entry.UPDATE: {
        const key = r.key();
        out.push({ kind: 'update', no: r.no, time: r.time, update: r.updateKind, key, field: r.field(), extra: r.extra(), offset: r.offset });
        break;
      }
      case Entry.OVERSIZED:
        out.push({ kind: 'oversized', no: r.no, head: r.cut(), offset: r.offset });
        break;
      case Entry.LINE: {
        const text = r.text();
        out.push({ kind: 'line', no: r.no, time: r.time, text, host: r.host(text), program: r.program(text), bodyAt: r.bodyAt, offset: r.offset });
        break;
      }
      case Entry.ROUTED:
        out.push({ kind: 'routed', no: r.no, text: r.text(), offset: r.offset });
        break;
      case Entry.THREW:
        out.push({ kind: 'threw', no: r.no, text: r.text(), offset: r.offset });
        break;
      default:
        throw new Error(`unknown kind ${String(r.kind)}`);
    }
  }
  return out;
}

const CLASSIC = 'Nov 22 06:25:03 mx1 postfix/smtpd[12]: connect from a[192.0.2.1]';
const SENT_LINE = 'Nov 22 06:25:04 mx1 postfix/smtp[13]: 3F2A1B4C5D: to=<bob@example.com>, orig_to=<b@example.com>, relay=x, delay=1.25, status=sent';

describe('batches from the reader thread', () => {
  test('every kind of entry reads back as written, in order, with the ignored lines counted', () => {
    const w = new BatchWriter();
    const line = bytes(`xx${CLASSIC}`);
    // A line with its envelope's ranges (offsets into the line's text).
    w.line(false);
    w.parse(1, w.time('2026-11-22T06:25:03'), { hostAt: 16, hostEnd: 19, programAt: 20, programEnd: 33 }, null, null, 39, line, 2, line.length, true, 100);
    // Ignored lines are only counted, per reason, with the first line of each.
    w.line(false);
    w.ignored('session', 2);
    w.line(false);
    w.ignored('session', 3);
    w.line(false);
    w.ignored('tls', 4);
    // A rarer envelope: host and program as strings; an empty host is null.
    const rare = bytes('<22>1 2026-11-22T06:25:05Z - postfix/qmgr 14 - - 3F2A1B4C5D: removed');
    w.line(false);
    w.parse(5, w.time('2026-11-22T06:25:05'), null, null, 'postfix/qmgr', 44, rare, 0, rare.length, true, 200);
    // A sent delivery: queue id, recipient, original recipient, delay, delivered on this machine.
    const sentLine = bytes(SENT_LINE);
    const t = SENT_LINE;
    const spans: SentSpans = {
      queueAt: t.indexOf('3F2A'), queueEnd: t.indexOf(': to='), toAt: t.indexOf('bob@'), toEnd: t.indexOf('>, orig'),
      origAt: t.indexOf('<b@example') + 1, origEnd: t.indexOf('>, relay'), delay: 1.25, here: true,
    };
    w.line(false);
    w.sent(6, w.time('2026-11-22T06:25:04'), spans, sentLine, 0);
    // NOQUEUE (no queue id bytes), no orig_to, no delay, no time.
    w.line(false);
    w.sent(7, -1, { queueAt: 0, queueEnd: -1, toAt: 4, toEnd: 7, origAt: -1, origEnd: -1, delay: -1, here: false }, bytes('to=<abc>'), 0);
    // A state update: key and field, from an offset in a bigger buffer.
    const upd = bytes('....3F2A1B4C5D: client=a[192.0.2.1]:25');
    const u: StateUpdate = { kind: 2, keyAt: 0, keyEnd: 10, fieldAt: 19, fieldEnd: 34, extraAt: -1, extraEnd: -1 };
    w.line(false);
    w.update(8, w.time('2026-11-22T06:25:04'), u, upd, 4);
    w.line(true);
    w.oversized(9, 'head…');
    const other = bytes('Nov 22 06:25:06 mx1 exim[1]: x');
    w.line(false);
    w.routed(10, other, 0, other.length, true, 300);
    w.line(false);
    w.threw(11, other, 0, 5, true, 400);
    // A line without an envelope.
    w.line(false);
    w.parse(12, -1, null, null, null, -1, bytes('removed'), 0, 7, true, -1);
    // A state update with a second field (an Exim arrival's text after the sender).
    const arr = bytes('1xVDrw-000000004ov-00Cf <= a@x.test H=(h) [192.0.2.9] S=12');
    w.line(false);
    w.update(13, w.time('2026-11-22T06:25:07'), { kind: 2, keyAt: 0, keyEnd: 23, fieldAt: 27, fieldEnd: 35, extraAt: 36, extraEnd: 58 }, arr, 0);
    // Further spans, one of them empty, come after the second field, each after a newline
    // (an Exchange RECEIVE row's cells), as extraOf() gives them from the text.
    const row = '2026-11-22T10:00:00.000Z,192.0.2.44,mail.x.test,,RECEIVE,101,<m@x>,,a@x.test,<a@x.test>';
    const cells = (i: number) => {
      const at = row.split(',').slice(0, i).join(',').length + (i > 0 ? 1 : 0);
      return [at, at + row.split(',')[i]!.length];
    };
    const receive: StateUpdate = {
      kind: 1, keyAt: cells(5)[0]!, keyEnd: cells(5)[1]!, fieldAt: cells(6)[0]!, fieldEnd: cells(6)[1]!, extraAt: cells(1)[0]!, extraEnd: cells(1)[1]!,
      more: 4, moreAt: Int32Array.from([2, 3, 8, 9].map((i) => cells(i)[0]!)), moreEnd: Int32Array.from([2, 3, 8, 9].map((i) => cells(i)[1]!)),
    };
    expect(extraOf(row, receive)).toBe('192.0.2.44\nmail.x.test\n\na@x.test\n<a@x.test>');
    w.line(false);
    w.update(14, w.time('2026-11-22T10:00:00.000Z'), receive, bytes(row), 0);

    const taken = w.take(1234)!;
    const b = taken.batch;
    expect(b).toMatchObject({ type: 'batch', first: 1, lines: 14, invalidUtf8: 1, bytesRead: 1234, ascii: true, cut: ['head…'] });
    expect(b.ignored).toEqual([['session', 2, 2], ['tls', 1, 4]]);
    expect(taken.transfer).toHaveLength(3);
    expect(readAll(b)).toEqual([
      { kind: 'line', no: 1, time: '2026-11-22T06:25:03', text: CLASSIC, host: 'mx1', program: 'postfix/smtpd', bodyAt: 39, offset: 100 },
      { kind: 'line', no: 5, time: '2026-11-22T06:25:05', text: rare.toString(), host: null, program: 'postfix/qmgr', bodyAt: 44, offset: 200 },
      { kind: 'sent', no: 6, time: '2026-11-22T06:25:04', queueId: '3F2A1B4C5D', to: 'bob@example.com', origTo: 'b@example.com', delay: 1.25, here: true, offset: -1, plain: 4, hash: hash52('bob@example.com') },
      { kind: 'sent', no: 7, time: null, queueId: null, to: 'abc', origTo: null, delay: null, here: false, offset: -1, plain: 0, hash: hash52('abc') },
      { kind: 'update', no: 8, time: '2026-11-22T06:25:04', update: 2, key: '3F2A1B4C5D', field: 'a[192.0.2.1]:25', extra: null, offset: -1 },
      { kind: 'oversized', no: 9, head: 'head…', offset: -1 },
      { kind: 'routed', no: 10, text: 'Nov 22 06:25:06 mx1 exim[1]: x', offset: 300 },
      { kind: 'threw', no: 11, text: 'Nov 2', offset: 400 },
      { kind: 'line', no: 12, time: null, text: 'removed', host: null, program: null, bodyAt: -1, offset: -1 },
      { kind: 'update', no: 13, time: '2026-11-22T06:25:07', update: 2, key: '1xVDrw-000000004ov-00Cf', field: 'a@x.test', extra: 'H=(h) [192.0.2.9] S=12', offset: -1 },
      { kind: 'update', no: 14, time: '2026-11-22T10:00:00.000Z', update: 1, key: '101', field: '<m@x>', extra: extraOf(row, receive), offset: -1 },
    ]);
  });

  test('a UTF-8 line makes the batch non-ASCII and reads back whole', () => {
    const w = new BatchWriter();
    const text = 'Nov 22 06:25:03 mx1 postfix/smtpd[12]: NOQUEUE: reject: RCPT from x: 550 5.1.1 <jürgen@example.de>: unknown';
    const raw = bytes(text);
    w.line(false);
    w.parse(1, w.time('t'), { hostAt: 16, hostEnd: 19, programAt: 20, programEnd: 33 }, null, null, 39, raw, 0, raw.length, false, 0);
    const b = w.take(0)!.batch;
    expect(b.ascii).toBe(false);
    expect(readAll(b)).toEqual([{ kind: 'line', no: 1, time: 't', text, host: 'mx1', program: 'postfix/smtpd', bodyAt: 39, offset: 0 }]);
  });

  test('the writer grows past its first buffers and starts afresh after take()', () => {
    const w = new BatchWriter();
    expect(w.take(0)).toBeNull();
    const n = 5000;
    const long = bytes('x'.repeat(500));
    for (let i = 1; i <= n; i++) {
      w.line(false);
      if (i % 2 === 0) w.ignored('blank', i);
      else w.parse(i, w.time(`t${i % 7}`), null, 'h', 'p', 0, long, 0, 100 + (i % 400), true, i);
    }
    const first = w.take(1)!.batch;
    expect(first.lines).toBe(n);
    const read = readAll(first) as Array<{ no: number; text: string; time: string }>;
    expect(read).toHaveLength(n / 2);
    read.forEach((e, j) => {
      const i = 2 * j + 1;
      expect(e).toMatchObject({ no: i, time: `t${i % 7}`, host: 'h', program: 'p', offset: i });
      expect(e.text.length).toBe(100 + (i % 400));
    });
    w.line(false);
    w.threw(n + 1, long, 0, 3, true, -1);
    const second = w.take(2)!.batch;
    expect(second).toMatchObject({ first: n + 1, lines: 1, ignored: [], strings: [] });
    expect(readAll(second)).toEqual([{ kind: 'threw', no: n + 1, text: 'xxx', offset: -1 }]);
  });
});

describe('a sent delivery\'s recipient: plain (no capitals) with its hash, or left to the analysis', () => {
  const sentOf = (to: string) => {
    const w = new BatchWriter();
    const line = bytes(`to=<${to}>`);
    w.line(false);
    w.sent(1, -1, { queueAt: 0, queueEnd: -1, toAt: 4, toEnd: 4 + to.length, origAt: -1, origEnd: -1, delay: -1, here: false }, line, 0);
    return readAll(w.take(0)!.batch)[0];
  };
  test.each([
    ['a.b@c.example.org', 4],
    ['postmaster', 0],
    ['odd@', 4],
    ['x@y@z.test', 4],
  ])('%s: 1 + where its last @ is', (to, plain) => {
    expect(sentOf(to)).toMatchObject({ to, plain, hash: hash52(to) });
  });
  test.each(['Bob@example.com', 'bob@Example.COM', 'A'])('%s: has capitals, the analysis reads it itself', (to) => {
    const e = sentOf(to) as { plain: number; hash?: number };
    expect(e.plain).toBe(-1);
    expect(e.hash).toBeUndefined();
  });
});

describe('FrontLines ends a batch by lines, and by bytes for long lines passed on whole', () => {
  const postfix = parserByName('postfix') as FastLogParser;
  /** The lines after which FrontLines asked for its batch to be taken, `text` given `lines` times. */
  const ends = (text: string, lines: number): number[] => {
    const at: number[] = [];
    let no = 0;
    const f = new FrontLines(postfix, { reference: new Date('2026-11-22T12:00:00Z') }, true, BATCH_LINES, () => {
      at.push(no);
      f.take(0);
    });
    const line = bytes(text);
    for (no = 1; no <= lines; no++) f.line(no, line, 0, line.length, true, -1);
    return at;
  };
  // Both are passed on whole (parse), never settled by the front.
  const short = 'Nov 22 06:25:00 mx1 postfix/smtpd[4242]: odd';
  const long = `Nov 22 06:25:00 mx1 postfix/smtpd[4242]: NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 550 5.7.1 <a@example.com>: ${'x'.repeat(3000)}; from=<s@r.test> to=<a@example.com> proto=ESMTP helo=<r.test>`;

  test('short lines: every BATCH_LINES lines', () => {
    expect(ends(short, 3 * BATCH_LINES)).toEqual([BATCH_LINES, 2 * BATCH_LINES, 3 * BATCH_LINES]);
  });

  test('3 KB lines: at the first multiple of 512 lines past BATCH_BYTES, and still at every BATCH_LINES', () => {
    const got = ends(long, BATCH_LINES + 512);
    expect(got.length).toBeGreaterThan(10);
    for (const n of got) expect(n % 512).toBe(0);
    expect(got).toContain(BATCH_LINES);
    // Each batch: past BATCH_BYTES by less than 512 lines' bytes.
    for (let i = 1; i < got.length; i++) expect((got[i]! - got[i - 1]!) * long.length).toBeLessThan(BATCH_BYTES + 512 * long.length);
  });
});
