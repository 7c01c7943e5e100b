/**
 * The streaming pipeline on awkward input: CRLF, invalid UTF-8, NUL bytes, oversized lines,
 * empty files, year inference from the file date, correlation across rotated files. The big
 * inputs (past the detection buffer, a 40 MB line) are in test/pipeline-input.test.ts.
 */
import { readFileSync, utimesSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { NOW, REJECT, tempFiles } from './helpers/pipeline-files.js';
import { analyse, MAX_PARSE_CHARS } from '../src/pipeline.js';

const file = tempFiles();

describe('analyse()', () => {
  test('one thread reading a file through its front lets timers run while it reads (the live view draws)', async () => {
    // 8 MB: hundreds of milliseconds of reading on any machine, many turns of TURN_MS (25 ms).
    const sample = readFileSync('samples/postfix/mail.log');
    const path = file('turns.log', Buffer.concat(Array.from({ length: 10 }, () => sample)));
    // Ticks counted between the first progress call and the last: while the file is read.
    let ticks = 0;
    let reading = false;
    const during: number[] = [];
    const timer = setInterval(() => void (reading && ticks++), 1);
    try {
      const r = await analyse([path], {
        now: NOW,
        threads: 1,
        onProgress: (p) => {
          reading = !p.done;
          during.push(ticks);
        },
      });
      expect(r.readByFront).toEqual([path]);
      expect(r.stats.linesRead).toBe(10 * (sample.toString('latin1').split('\n').length - 1));
    } finally {
      clearInterval(timer);
    }
    expect(during.length).toBeGreaterThan(2);
    expect(ticks).toBeGreaterThan(0);
  });

  test('CRLF line endings are read like LF (louisitvn corpus uses CRLF)', async () => {
    const lf = await analyse([file('lf.log', `${REJECT}\n${REJECT}\n`)], { now: NOW });
    const crlf = await analyse([file('crlf.log', `${REJECT}\r\n${REJECT}\r\n`)], { now: NOW });
    expect(crlf.stats.linesRecognised).toBe(2);
    expect(crlf.aggregator.snapshot(crlf.stats).findings).toEqual(lf.aggregator.snapshot(lf.stats).findings.map((f) => ({ ...f })));
    // raw examples keep no trailing CR
    expect(crlf.aggregator.snapshot(crlf.stats).findings[0]!.examples[0]).toBe(REJECT);
  });

  test('invalid UTF-8 is counted and the line still parsed; NUL bytes do not stop the file', async () => {
    const bad = Buffer.concat([
      Buffer.from(REJECT.replace('a@example.net', 'a\xff\xfe@example.net'), 'latin1'),
      Buffer.from('\n\0\0\0garbage\0\n'),
      Buffer.from(REJECT + '\n'),
    ]);
    const r = await analyse([file('bad-utf8.log', bad)], { now: NOW });
    expect(r.stats.linesRead).toBe(3);
    expect(r.stats.invalidUtf8Lines).toBe(1);
    expect(r.stats.linesRecognised).toBe(2);
    expect(r.stats.linesUnrecognised).toBe(1);
    expect(r.errors).toEqual([]);
  });

  test('a line over the parse limit is counted as oversized and unrecognised, the next line is read', async () => {
    const huge = 'Nov 22 06:25:02 mx1 postfix/smtpd[1]: ' + 'x'.repeat(MAX_PARSE_CHARS + 10);
    const seen: Array<[number, number]> = [];
    const r = await analyse([file('huge.log', `${huge}\n${REJECT}\n`)], {
      now: NOW,
      mta: 'postfix',
      onUnrecognised: (_f, no, line) => seen.push([no, line.length]),
    });
    expect(r.stats.oversizedLines).toBe(1);
    expect(r.stats.linesUnrecognised).toBe(1);
    expect(r.stats.linesRecognised).toBe(1);
    // what --unrecognised writes is cut short, not the whole megabyte
    expect(seen).toEqual([[1, 201]]);
  });

  test('an empty file is format "empty", not an error', async () => {
    const empty = file('empty.log', '');
    const r = await analyse([empty], { now: NOW });
    expect(r.errors).toEqual([]);
    expect(r.stats.files[0]).toEqual({ path: empty, format: 'empty', lines: 0, unrecognised: 0 });
  });

  test('the year of classic timestamps comes from the file date; Dec → Jan rolls over inside the file', async () => {
    const p = file(
      'newyear.log',
      `${REJECT.replace('Nov 22 06:25:02', 'Dec 31 23:59:59')}\n${REJECT.replace('Nov 22 06:25:02', 'Jan  1 00:00:01')}\n`,
    );
    const jan2 = new Date('2027-01-02T08:00:00Z');
    utimesSync(p, jan2, jan2);
    const r = await analyse([p], { now: NOW });
    const s = r.aggregator.snapshot(r.stats);
    expect(s.summary.firstSeen).toBe('2026-12-31T23:59:59.000Z');
    expect(s.summary.lastSeen).toBe('2027-01-01T00:00:01.000Z');
  });

  test('--year overrides the inference', async () => {
    const r = await analyse([file('y.log', REJECT + '\n')], { now: NOW, year: 2015 });
    expect(r.aggregator.snapshot(r.stats).summary.firstSeen).toBe('2015-11-22T06:25:02.000Z');
  });

  test('stdin uses the run start as the reference date', async () => {
    const stdin = Readable.from([Buffer.from(REJECT.replace('Nov 22', 'Dec 22') + '\n')]);
    const r = await analyse(['-'], { now: NOW, stdin });
    // December is after the reference month (November 2026): last year's December.
    expect(r.aggregator.snapshot(r.stats).summary.firstSeen).toBe('2025-12-22T06:25:02.000Z');
  });

  test('correlation carries across rotated files: a bounce in mail.log knows the sender queued in mail.log.1', async () => {
    const older = file(
      'mail.log.1',
      [
        'Nov 21 23:59:50 mx1 postfix/smtpd[7]: 3F2A1B4C5D: client=sender.example.net[192.0.2.44]',
        'Nov 21 23:59:51 mx1 postfix/qmgr[8]: 3F2A1B4C5D: from=<alice@example.net>, size=900, nrcpt=1 (queue active)',
      ].join('\n') + '\n',
    );
    const newer = file(
      'mail.log',
      'Nov 22 00:00:03 mx1 postfix/smtp[9]: 3F2A1B4C5D: to=<bob@gmail.com>, relay=gmail-smtp-in.l.google.com[192.0.2.99]:25, delay=13, delays=0/0/12/1, dsn=5.1.1, status=bounced (host gmail-smtp-in.l.google.com[192.0.2.99] said: 550 5.1.1 The email account that you tried to reach does not exist. - gsmtp (in reply to RCPT TO command))\n',
    );
    const r = await analyse([older, newer], { now: NOW });
    const f = r.aggregator.snapshot(r.stats).findings[0]!;
    expect(f).toMatchObject({ direction: 'outbound', recipientDomain: 'gmail.com', cause: 'user-unknown', distinctSenders: 1, distinctClients: 1 });
    expect(r.aggregator.snapshot(r.stats).details[0]!.topSenders).toEqual([{ address: 'alice@example.net', count: 1 }]);
  });
});

describe('nothing lost on the input side', () => {
  const other = (i: number) => `Nov 22 06:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} mx1 CRON[${1000 + (i % 50)}]: (root) CMD (run-parts /etc/cron.hourly) ${i}`;
  const others = (n: number) => Array.from({ length: n }, (_, i) => other(i)).join('\n') + '\n';
  const stdin = (data: string | Buffer) => Readable.from([Buffer.from(data)]);

  test('a mail line after 5,000 other lines is found (a file and stdin)', async () => {
    const text = `${others(5000)}${REJECT}\n`;
    for (const r of [await analyse([file('syslog-5k', text)], { now: NOW }), await analyse(['-'], { now: NOW, stdin: stdin(text) })]) {
      expect(r.errors).toEqual([]);
      expect(r.stats.files[0]!.format).toBe('postfix');
      expect(r.aggregator.snapshot(r.stats).findings[0]!.count).toBe(1);
      expect(r.stats.linesRead).toBe(5001);
      // The other programs' lines are other-program (or unrecognised), never lost.
      expect(r.stats.linesIgnored + r.stats.linesUnrecognised).toBe(5000);
    }
  });

  test('Postfix and Exim lines in one syslog file are both analysed, each by its own parser', async () => {
    // Three sessions (pids): Exim through syslog logs each rejection twice from one process
    // (mainlog and rejectlog copies), so a repeated line of one pid would be one rejection.
    const exim = (pid: number) =>
      `Nov 22 06:25:03 mx1 exim[${pid}]: 2026-11-22 06:25:03 H=(helo.example.net) [192.0.2.77] F=<x@example.net> rejected RCPT <nobody@example.com>: Unrouteable address`;
    const lines = [other(1), REJECT, exim(2345), other(2), REJECT, exim(2346), exim(2347)];
    const text = (l: string[]) => l.join('\n') + '\n';
    for (const input of [file('postfix-first.log', text(lines)), file('exim-first.log', text([...lines].reverse()))]) {
      const r = await analyse([input], { now: NOW });
      expect(r.errors).toEqual([]);
      expect(r.stats).toMatchObject({ linesRead: 7, linesRecognised: 5, linesUnrecognised: 0 });
      expect(r.stats.ignoredByReason).toEqual({ 'other-program': 2 });
      const findings = r.aggregator.snapshot(r.stats).findings;
      expect(findings.map((f) => [f.recipientDomain, f.count]).sort()).toEqual([['example.com', 3], ['example.org', 2]]);
      expect(r.stats.files[0]!.format).toMatch(/^(postfix \+ exim|exim \+ postfix)$/);
    }
  });
});
