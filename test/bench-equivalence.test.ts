/**
 * The two-thread pipeline gives what the one-thread pipeline gives, to the byte: the same JSON
 * report, the same --unrecognised lines in the same order, the same progress calls, the same
 * problem events in the same order. On generated Postfix logs (rotated, gzip, RFC 3339, across
 * New Year, with hostile lines added), forced and detected formats, and a non-Postfix file.
 *
 * The reader thread starts from the compiled module only (npm test builds first), so the
 * pipeline is imported from dist/. No timing is measured here: speed is `npm run bench`.
 */
import { appendFileSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { assertFreshDist } from './helpers/dist.js';
import { generateExchange } from '../bench/gen/exchange.js';
import { generateExim } from '../bench/gen/exim.js';
import { generatePostfix } from '../bench/gen/postfix.js';
import { renderJson } from '../src/report/json.js';
import { recipientDomain } from '../src/aggregate/event-fields.js';

// dist/ older than its sources fails here instead of testing yesterday's build (see helpers/dist.ts).
beforeAll(assertFreshDist);

type Pipeline = typeof import('../src/pipeline.js');
let pipeline: Pipeline;
let dir: string;
const NOW = new Date('2027-01-03T12:00:00Z');

const lines = (it: Iterable<string>) => [...it].join('\n') + '\n';

beforeAll(async () => {
  pipeline = (await import('../dist/src/pipeline.js' as string)) as Pipeline;
  dir = mkdtempSync(join(tmpdir(), 'mld-equiv-'));
});

interface Run {
  json: string;
  unrecognised: string[];
  progress: string[];
  problems: string[];
  readByThread: string[];
  readByFront: string[];
}

type Extra = { mta?: 'postfix' | 'exchange'; year?: number; sentOn?: 'reader' | 'main'; front?: boolean; stdin?: Readable };

async function run(inputs: string[], threads: number, extra: Extra = {}): Promise<Run> {
  const out: Run = { json: '', unrecognised: [], progress: [], problems: [], readByThread: [], readByFront: [] };
  const r = await pipeline.analyse(inputs, {
    now: NOW,
    threads,
    ...extra,
    onUnrecognised: (file, no, line) => out.unrecognised.push(`${file}:${no}: ${line}`),
    onProgress: (p) => out.progress.push(`${p.index} ${p.file.lines} ${p.file.unrecognised} ${p.done} ${p.analysis.stats.linesRecognised}`),
    // The finding handed on is the event's: `!` marks one whose key does not end in recipientDomain(ev).
    onProblem: (ev, c, finding) => {
      const domain = recipientDomain(ev);
      const own = finding.endsWith(domain === null ? '\0n' : `\0d${domain}`) && finding.startsWith(`${ev.mta}\0`);
      out.problems.push(`${ev.origin.line} ${c.rule} ${c.verify} ${JSON.stringify(finding)}${own ? '' : '!'}`);
    },
  });
  out.json = renderJson(r.aggregator.snapshot(r.stats));
  out.readByThread = r.readByThread ?? [];
  out.readByFront = r.readByFront ?? [];
  return out;
}

/** `got` gave what `want` gave: the report, --unrecognised lines, progress calls, problem events. */
function expectSameRun(got: Run, want: Run): void {
  expect(got.json).toBe(want.json);
  expect(got.unrecognised).toEqual(want.unrecognised);
  expect(got.progress).toEqual(want.progress);
  expect(got.problems).toEqual(want.problems);
}

/**
 * Every line read as text on one thread, the front on one thread, and two threads with sent
 * deliveries reduced by either thread, give the same.
 */
async function same(inputs: string[], extra: Extra = {}): Promise<Run> {
  const one = await run(inputs, 1, { ...extra, front: false });
  expect(one.readByThread).toEqual([]);
  expect(one.readByFront).toEqual([]);
  const here = await run(inputs, 1, extra);
  expect(here.readByThread).toEqual([]);
  expect(here.readByFront).toEqual(inputs);
  expectSameRun(here, one);
  let two: Run | null = null;
  for (const sentOn of ['reader', 'main'] as const) {
    two = await run(inputs, 2, { ...extra, sentOn });
    expectSameRun(two, one);
  }
  expect(one.problems.filter((p) => p.endsWith('!'))).toEqual([]);
  return two!;
}

describe('one thread and two threads give the same results', () => {
  test('rotated generated Postfix logs (gzip, then plain) with hostile lines: correlation crosses the files', async () => {
    const all = lines(generatePostfix({ seed: 5, messages: 3000, start: new Date('2026-11-22T00:00:00+01:00'), format: 'classic', mix: 'realistic' }));
    const cut = all.indexOf('\n', Math.floor(all.length / 2)) + 1;
    const older = join(dir, 'mail.log.1.gz');
    const newer = join(dir, 'mail.log');
    writeFileSync(older, gzipSync(all.slice(0, cut)));
    writeFileSync(newer, all.slice(cut));
    const reject =
      'Nov 22 23:59:58 mx1 postfix/smtpd[9]: NOQUEUE: reject: RCPT from c.example.net[192.0.2.10]: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual alias table; from=<a@example.net> to=<nobody@example.org> proto=ESMTP helo=<c.example.net>';
    appendFileSync(
      newer,
      Buffer.concat([
        Buffer.from(`${reject}\r\n`),
        Buffer.from(reject.replace('a@example.net', 'a\xff\xfe@example.net') + '\n', 'latin1'),
        Buffer.from('Nov 22 23:59:58 mx1 postfix/smtpd[9]: ' + 'x'.repeat(pipeline.MAX_PARSE_CHARS + 10) + '\n'),
        Buffer.from('Nov 22 23:59:59 mx1 postfix/smtpd[9]: something Postfix never says\n\n'),
        Buffer.from('3F2A1B4C5D: to=<bob@example.org>, relay=local, delay=1, dsn=5.1.1, status=bounced (unknown user: "bob")\n'),
        Buffer.from('\0\0\0 junk \x01\x02\n'),
        Buffer.from('Nov 22 23:59:59 mx1 dovecot: imap-login: Login: user=<x@example.org>\n'),
        // RFC 5424 with a nil host, and a Postfix test driver line: envelopes that are not substrings
        Buffer.from(`<22>1 2026-11-22T23:59:59.000Z - postfix/smtpd 9 - - ${reject.slice(reject.indexOf('NOQUEUE'))}\n`),
        Buffer.from(`./smtpd_check: <queue id>: ${reject.slice(reject.indexOf('reject:'))}\n`),
        Buffer.from(reject), // no newline at the end
      ]),
    );
    const r = await same([older, newer]);
    expect(r.readByThread).toEqual([older, newer]);
    expect(r.unrecognised.length).toBeGreaterThan(2);
    expect(JSON.parse(r.json).summary.invalidUtf8Lines).toBe(1);
  });

  test('Exim lines through the same syslog, NUL runs and oversized lines: both MTAs analysed either way', async () => {
    const generated = [...generatePostfix({ seed: 11, messages: 1500, start: new Date('2026-11-22T00:00:00+01:00'), format: 'classic' })];
    const exim = (i: number) =>
      `Nov 22 06:25:03 mx1 exim4[2345]: 2026-11-22 06:25:03 H=(helo.example.net) [192.0.2.77] F=<x@example.net> rejected RCPT <u${i}@exim.example>: Unrouteable address`;
    const out: Buffer[] = [];
    generated.forEach((l, i) => {
      out.push(Buffer.from(l + '\n'));
      if (i % 97 === 5) out.push(Buffer.from(exim(i) + '\n'));
      if (i === 700) out.push(Buffer.alloc(200_000), Buffer.from('Nov 22 06:25:03 mx1 postfix/smtpd[1]: ' + 'y'.repeat(pipeline.MAX_PARSE_CHARS) + '\n'));
    });
    const mixed = join(dir, 'syslog');
    writeFileSync(mixed, Buffer.concat(out));
    const r = await same([mixed]);
    expect(r.readByThread).toEqual([mixed]);
    const report = JSON.parse(r.json);
    expect(report.summary.files[0].format).toBe('postfix + exim');
    expect(report.summary.nulBytes).toBe(200_000);
    expect(report.summary.oversizedLines).toBe(1);
    const eximFinding = report.findings.find((f: { recipientDomain: string }) => f.recipientDomain === 'exim.example');
    expect(eximFinding.count).toBe(Math.ceil((generated.length - 5) / 97));
  });

  test('RFC 3339 timestamps, and classic ones across New Year', async () => {
    const iso = join(dir, 'iso.log');
    writeFileSync(iso, lines(generatePostfix({ seed: 6, messages: 1500, start: new Date('2026-11-22T00:00:00+01:00'), format: 'rfc3339' })));
    const newYear = join(dir, 'newyear.log');
    writeFileSync(
      newYear,
      lines(generatePostfix({ seed: 7, messages: 1500, start: new Date('2026-12-31T20:00:00+01:00'), durationSeconds: 8 * 3600, format: 'classic' })),
    );
    // Year inference starts from the file's date: written on 2 January.
    utimesSync(newYear, new Date('2027-01-02T08:00:00Z'), new Date('2027-01-02T08:00:00Z'));
    const r = await same([iso, newYear]);
    expect(r.readByThread).toEqual([iso, newYear]);
    expect(JSON.parse(r.json).summary.lastSeen.startsWith('2027-01-01')).toBe(true);
    await same([newYear], { year: 2015 });
  });

  test('Exchange message tracking logs: generated, with a BOM, odd rows, another column order and an Export-Csv tail', async () => {
    const generated = [...generateExchange({ seed: 12, messages: 2500, start: new Date('2026-11-22T00:00:00Z') })];
    const fieldsAt = generated.findIndex((l) => l.startsWith('#Fields: '));
    const fields = generated[fieldsAt]!;
    const row = (event: string, rcpt: string) =>
      `2026-11-22T23:59:59.000Z,,,,EX01,ctx,,STOREDRIVER,${event},1,<m@x>,n,${rcpt},,1,1,,,Subj,s@example.net,s@example.net,,Incoming,,,,,Email,l,15.02`;
    const odd = [
      row('DELIVER', 'a@example.org;b@example.org'),
      row('AGENTINFO', 'x@example.org;'.repeat(1001)),
      row('AGENTINFO', 'y@example.org').replace(',ctx,', ',c"tx,'),
      row('FAIL', 'z@example.org').replace('2026-11-22T23', '2026-11-31T23'),
      // The same width in another order: sentDelivery() must not read these by the documented one.
      fields.replace('event-id', 'TMP').replace('recipient-address', 'event-id').replace('TMP', 'recipient-address'),
      row('w@example.org', 'DELIVER'),
      fields,
      row('SEND', 'v@example.org'),
      '"Timestamp","EventId","Recipients","Source"',
      '"11/22/2026 11:59:59 PM","DELIVER","u@example.org","STOREDRIVER"',
      row('DELIVER', 't@example.org'),
    ];
    const ex = join(dir, 'MSGTRK20261122-1.LOG');
    writeFileSync(ex, '\uFEFF' + [...generated, ...odd].join('\r\n') + '\r\n');
    const r = await same([ex]);
    expect(r.readByThread).toEqual([ex]);
    expect(JSON.parse(r.json).summary.files[0].format).toBe('exchange');
    const forced = await same([ex], { mta: 'exchange' });
    expect(forced.readByThread).toEqual([ex]);
  });

  test('--mta postfix (no detection), and an Exchange file before it (each by its own fast path)', async () => {
    const pf = join(dir, 'forced.log');
    // An ignore reason found by the reader (session) just before one found on the main thread
    // (address-probe): ignoredByReason must list them in that order either way.
    const probe = 'Nov 22 00:00:00 mx1 postfix/smtp[1]: 3F2A1B4C5D: to=<x@example.org>, relay=none, delay=0, dsn=2.0.0, status=deliverable (ok)';
    const connect = 'Nov 22 00:00:00 mx1 postfix/smtpd[2]: connect from c.example.net[192.0.2.10]';
    const generated = lines(generatePostfix({ seed: 8, messages: 800, start: new Date('2026-11-22T00:00:00+01:00'), format: 'classic' }));
    writeFileSync(pf, `first line of nothing\n${connect}\n${probe}\n${generated}`);
    const forced = await same([pf], { mta: 'postfix' });
    expect(forced.readByThread).toEqual([pf]);
    expect(Object.keys(JSON.parse(forced.json).summary.ignoredByReason).slice(0, 2)).toEqual(['session', 'address-probe']);
    const exchange = join(dir, 'MSGTRK20261122-1.LOG');
    writeFileSync(exchange, lines(generateExchange({ seed: 9, messages: 600, start: new Date('2026-11-22T00:00:00+01:00') })));
    // Every format has a fast path now: both files are read by the thread, each by its own.
    expect((await same([exchange, pf])).readByThread).toEqual([exchange, pf]);
  });

  test('Exim: rotated mainlog (gzip, then plain) and its rejectlog, with the lines the front must pass on', async () => {
    const all = lines(generateExim({ seed: 9, messages: 3000, start: new Date('2026-11-22T00:00:00+01:00') }));
    const cut = all.indexOf('\n', Math.floor(all.length / 2)) + 1;
    const older = join(dir, 'mainlog.1.gz');
    const newer = join(dir, 'mainlog');
    writeFileSync(older, gzipSync(all.slice(0, cut)));
    const id = '1xUu3t-000000000qH-00D8';
    const tricky = [
      // A rejection of a message, its copy with the recipient list, ignored lines in between.
      `2026-11-22 23:59:50 ${id} H=(x.example) [192.0.2.1] F=<a@example.net> rejected after DATA: spam`,
      '2026-11-22 23:59:50 no host name found for IP address 192.0.2.9',
      'Envelope-to: <late@example.org>',
      `2026-11-22 23:59:51 ${id} DKIM: d=example.net [verification succeeded]`,
      '  Subject: hello',
      `2026-11-22 23:59:52 ${id} => far@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.2] QT=1.234s`,
      `2026-11-22 23:59:52 ${id} => near <near@example.org> R=local_user T=mail_spool QT=2s`,
      `2026-11-22 23:59:52 ${id} -> also@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.2] QT=1m2s`,
      `2026-11-22 23:59:53 ${id} == r@example.com R=dnslookup T=remote_smtp defer (-53): retry time not reached`,
      `2026-11-22 23:59:53 ${id} Completed`,
      `2026-11-22 23:59:54 ${id} Completed tidily`,
      '',
      '2026-11-22 23:59:55 mx1 exim4[77]: 2026-11-22 23:59:55 H=(y) [192.0.2.3] F=<b@example.net> rejected RCPT <c@example.org>: Unrouteable address',
      '2026-11-22 23:59:55 mx1 dovecot[78]: imap-login: Login: user=<x@example.org>',
      `${id} => excerpt@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.2]`,
      '2026-11-22 23:59:56 H=(z) [192.0.2.4] F=<d@exämple.net> rejected RCPT <e@example.org>: Unrouteable address',
      '2026-11-22 23:59:57 exim 4.96 daemon started: pid=1, -q30m, listening for SMTP on port 25',
    ].join('\n');
    writeFileSync(newer, all.slice(cut) + tricky + '\n');
    const rejectlog = join(dir, 'rejectlog');
    writeFileSync(
      rejectlog,
      [
        `2026-11-22 23:59:50 ${id} H=(x.example) [192.0.2.1] F=<a@example.net> rejected after DATA: spam`,
        'Envelope-from: <a@example.net>',
        'Envelope-to: <b@example.org>',
        '    <c@example.org>',
        'P Received: from x.example',
      ].join('\n') + '\n',
    );
    const r = await same([older, newer, rejectlog]);
    expect(r.readByThread).toEqual([older, newer, rejectlog]);
    const report = JSON.parse(r.json);
    expect(report.summary.files.map((f: { format: string }) => f.format)).toEqual(['exim (gzip)', 'exim', 'exim']);
  });
  test('files of no known format, of NUL bytes only, or empty: read once, as the text path reads them', async () => {
    const other = join(dir, 'access.log');
    writeFileSync(other, Array.from({ length: 3000 }, (_, i) => `2026-11-22T00:00:${String(i % 60).padStart(2, '0')} web1 nginx: GET /${i} 200\n`).join(''));
    const nuls = join(dir, 'nuls.log.gz');
    writeFileSync(nuls, gzipSync(Buffer.alloc(3_000_000)));
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '');
    const inputs = [other, nuls, empty];
    const text = await run(inputs, 1, { front: false });
    for (const r of [await run(inputs, 1), await run(inputs, 2, { sentOn: 'main' })]) {
      expect(r.readByFront).toEqual([]);
      expectSameRun(r, text);
    }
    expect(text.unrecognised.length).toBe(3000);
    expect(JSON.parse(text.json).summary.nulBytes).toBe(3_000_000);
  });
});

describe('stdin through the front gives what it gives read as text', () => {
  /** `data` as a pipe gives it: in pieces of odd sizes. */
  const piped = (data: Buffer) => {
    const parts: Buffer[] = [];
    for (let at = 0, i = 0; at < data.length; i++) {
      const n = [7919, 65536, 1, 30011][i % 4]!;
      parts.push(data.subarray(at, at + n));
      at += n;
    }
    return Readable.from(parts);
  };
  /** The text path and the front on the same bytes (`viaFront`: did the front read it?). */
  async function sameOnStdin(data: Buffer, viaFront: boolean): Promise<Run> {
    const text = await run(['-'], 1, { front: false, stdin: piped(data) });
    expect(text.readByFront).toEqual([]);
    const front = await run(['-'], 1, { stdin: piped(data) });
    expect(front.readByFront).toEqual(viaFront ? ['-'] : []);
    // Progress too: batches end at multiples of 2,048 lines as well as with the pipe's chunks.
    expectSameRun(front, text);
    return front;
  }

  test('Postfix with Exim lines, NUL runs, bad UTF-8 and an oversized line; gzip too', async () => {
    const out: Buffer[] = [];
    [...generatePostfix({ seed: 12, messages: 2500, start: new Date('2026-11-22T00:00:00+01:00'), format: 'classic' })].forEach((l, i) => {
      out.push(Buffer.from(l + '\n'));
      if (i % 101 === 3) {
        out.push(Buffer.from(`Nov 22 06:25:03 mx1 exim4[2345]: 2026-11-22 06:25:03 H=(h.example.net) [192.0.2.77] F=<x@example.net> rejected RCPT <u${i}@exim.example>: Unrouteable address\n`));
      }
      if (i === 900) out.push(Buffer.alloc(70_000), Buffer.from('Nov 22 06:25:03 mx1 postfix/smtpd[1]: ' + 'y'.repeat(pipeline.MAX_PARSE_CHARS) + '\n'));
      if (i === 901) out.push(Buffer.from('Nov 22 06:25:04 mx1 postfix/smtpd[1]: connect from h\xff\xfe.example[192.0.2.1]\n', 'latin1'));
    });
    const data = Buffer.concat(out);
    const r = await sameOnStdin(data, true);
    const report = JSON.parse(r.json);
    expect(report.summary.files[0].format).toBe('postfix + exim');
    expect(report.summary.nulBytes).toBe(70_000);
    expect(report.summary.invalidUtf8Lines).toBe(1);
    expect(r.progress.length).toBeGreaterThan(1);
    const packed = gzipSync(data);
    await sameOnStdin(packed, true);
    // Cut short: what came before the error counts, and the error names how far it got.
    const cut = await sameOnStdin(packed.subarray(0, packed.length >> 1), true);
    const file = JSON.parse(cut.json).summary.files[0];
    expect(file.error).toMatch(/unexpected end of file\) \(after \d+ lines\)$/);
    expect(file.lines).toBeGreaterThan(1000);
  });

  test('Exim and Exchange; a log of no known format and an empty stdin go on as text', async () => {
    await sameOnStdin(Buffer.from(lines(generateExim({ seed: 8, messages: 800, start: new Date('2026-11-22T00:00:00Z') }))), true);
    await sameOnStdin(Buffer.from(lines(generateExchange({ seed: 8, messages: 400, start: new Date('2026-11-22T00:00:00Z') }))), true);
    const other = Array.from({ length: 3000 }, (_, i) => `2026-11-22T00:00:${String(i % 60).padStart(2, '0')} web1 nginx: GET /${i} 200`).join('\n');
    const r = await sameOnStdin(Buffer.from(other + '\n'), false);
    expect(r.unrecognised.length).toBe(3000);
    await sameOnStdin(Buffer.alloc(0), false);
  });
});
