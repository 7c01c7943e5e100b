/**
 * The pipeline on big inputs, where the size is the point (past the detection buffer, the read
 * buffers and the line limit): 100,000 other lines before the first mail line, 10 MB of NULs,
 * 8 MB of random bytes, 60,000 lines of no mail log, a 40 MB line. Not a unit test: the small
 * cases are in test/pipeline.test.ts.
 */
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { NOW, REJECT, tempFiles } from './helpers/pipeline-files.js';
import { analyse } from '../src/pipeline.js';

const file = tempFiles();

describe('nothing lost on the input side', () => {
  const other = (i: number) => `Nov 22 06:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} mx1 CRON[${1000 + (i % 50)}]: (root) CMD (run-parts /etc/cron.hourly) ${i}`;
  const others = (n: number) => Array.from({ length: n }, (_, i) => other(i)).join('\n') + '\n';
  const stdin = (data: string | Buffer) => Readable.from([Buffer.from(data)]);

  test('a mail line after 100,000 other lines is found: a file is read again, stdin counts the early lines', async () => {
    const text = `${others(100_000)}${REJECT}\n${REJECT}\n`;
    const seen: number[] = [];
    const r = await analyse([file('syslog-100k', text)], { now: NOW, onUnrecognised: (_f, no) => seen.push(no) });
    expect(r.errors).toEqual([]);
    expect(r.stats.files[0]).toMatchObject({ format: 'postfix', lines: 100_002, unrecognised: 0 });
    expect(r.stats).toMatchObject({ linesRead: 100_002, linesRecognised: 2, linesIgnored: 100_000 });
    expect(r.stats.ignoredByReason).toEqual({ 'other-program': 100_000 });
    expect(seen).toEqual([]);
    expect(r.aggregator.snapshot(r.stats).findings[0]!.count).toBe(2);

    const s = await analyse(['-'], { now: NOW, stdin: stdin(text) });
    expect(s.errors).toEqual([]);
    expect(s.stats.linesRead).toBe(100_002);
    expect(s.stats.linesRecognised).toBe(2);
    expect(s.stats.linesIgnored + s.stats.linesUnrecognised).toBe(100_000);
    expect(s.aggregator.snapshot(s.stats).findings[0]!.count).toBe(2);
  });

  test('a real line after 10 MB of NULs is found; the NUL bytes are counted', async () => {
    const data = Buffer.concat([Buffer.alloc(10 * 1024 * 1024), Buffer.from(`${REJECT}\n`), Buffer.alloc(3), Buffer.from(`${REJECT}\n`)]);
    for (const r of [await analyse([file('nul.log', data)], { now: NOW }), await analyse(['-'], { now: NOW, stdin: stdin(data) })]) {
      expect(r.errors).toEqual([]);
      expect(r.stats).toMatchObject({ linesRead: 2, linesRecognised: 2, nulBytes: 10 * 1024 * 1024 + 3, oversizedLines: 0 });
      expect(r.aggregator.snapshot(r.stats).summary.nulBytes).toBe(10 * 1024 * 1024 + 3);
    }
  });

  test('random bytes before the first real line do not hide it', async () => {
    const junk = Buffer.alloc(8 * 1024 * 1024);
    let x = 12345;
    for (let i = 0; i < junk.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      junk[i] = x >>> 24;
    }
    const r = await analyse([file('junk-then-mail.log', Buffer.concat([junk, Buffer.from(`\n${REJECT}\n`)]))], { now: NOW });
    expect(r.errors).toEqual([]);
    expect(r.stats.files[0]!.format).toBe('postfix');
    expect(r.aggregator.snapshot(r.stats).findings[0]!.count).toBe(1);
  });

  test('a file with no mail line at all is "not a mail log", saying how much was read', async () => {
    // Over the detection buffer: detection goes on alone, then the file is read again to count it.
    const text = others(60_000);
    const seen: number[] = [];
    const r = await analyse([file('only-cron.log', text)], { now: NOW, onUnrecognised: (_f, no) => seen.push(no) });
    expect(r.errors.map((e) => e.message)).toEqual([
      `not a Postfix, Exim or Exchange log: no line recognised in the 60000 lines (${Buffer.byteLength(text)} bytes) read (force a format with --mta)`,
    ]);
    expect(r.stats).toMatchObject({ linesRead: 60_000, linesUnrecognised: 60_000 });
    expect(seen.length).toBe(60_000);
    expect(seen[59_999]).toBe(60_000);
  });

  test('a line over 1 MiB is skipped without being held, whatever its length; the next line is read', async () => {
    const big = Buffer.alloc(40 * 1024 * 1024, 0x41);
    const data = Buffer.concat([Buffer.from('Nov 22 06:25:02 mx1 postfix/smtpd[1]: '), big, Buffer.from(`\n${REJECT}\n`)]);
    const r = await analyse(['-'], { now: NOW, mta: 'postfix', stdin: Readable.from([data]) });
    expect(r.errors).toEqual([]);
    expect(r.stats).toMatchObject({ linesRead: 2, oversizedLines: 1, linesRecognised: 1 });
  });
});
