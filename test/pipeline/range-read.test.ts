/**
 * Follow mode's catching up reads a range of a file another part holds open (src/input/open.ts
 * openRange, front-reader.ts readWithFront with ReadJob.range): only its complete lines, and its
 * end message says where the last of them ends, also when the file was cut shorter than the
 * range meanwhile (the follower reads on from there, so no line is read in part or twice).
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openRange } from '../../src/input/open.js';
import type { EndMessage, ReaderMessage } from '../../src/pipeline/batch.js';
import { readWithFront } from '../../src/pipeline/front-reader.js';

const line = (n: number) =>
  `Nov 22 06:25:${String(n % 60).padStart(2, '0')} mx1 postfix/smtpd[4242]: NOQUEUE: reject: RCPT from unknown[192.0.2.1]: ` +
  `550 5.1.1 <user${n}@example.com>: Recipient address rejected: User unknown in virtual alias table; ` +
  `from=<s@remote.test> to=<user${n}@example.com> proto=ESMTP helo=<remote.test>\n`;

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

async function readRange(content: string, end: number): Promise<{ lines: number; end: EndMessage }> {
  dir = mkdtempSync(join(tmpdir(), 'md-range-'));
  const file = join(dir, 'mail.log');
  writeFileSync(file, content);
  const fd = openSync(file, 'r');
  const messages: ReaderMessage[] = [];
  try {
    const reference = new Date('2026-11-23T00:00:00Z');
    const job = { type: 'read' as const, path: file, now: reference.getTime(), forced: 'postfix' as const, sentOn: 'main' as const, range: { fd, end, reference: reference.getTime() } };
    await readWithFront(job, openRange(fd, end, reference), (m) => void messages.push(m), { behind: () => false, between: () => undefined, batchLines: 512 });
  } finally {
    closeSync(fd);
  }
  let lines = 0;
  for (const m of messages) if (m.type === 'batch') lines += m.lines;
  return { lines, end: messages.at(-1) as EndMessage };
}

describe('a range read for follow mode', () => {
  test('reads the range and says where its last line ends, with the front\'s resume', async () => {
    const text = Array.from({ length: 1500 }, (_, i) => line(i)).join('');
    const r = await readRange(text, text.length);
    expect(r.end.type).toBe('end');
    expect(r.end.bytesRead).toBe(text.length);
    expect(r.lines).toBe(1500);
    // Postfix: where the year inference stands (November, of the reference's year).
    expect(r.end.resume).toEqual({ year: 2026, month: 10 });
  });

  test('a file cut shorter than the range: its unfinished last line is left for the follower', async () => {
    const lines = Array.from({ length: 1500 }, (_, i) => line(i));
    const whole = lines.join('');
    const complete = lines.slice(0, 1000).join('');
    const r = await readRange(complete + lines[1000]!.slice(0, 50), whole.length);
    expect(r.end.bytesRead).toBe(complete.length);
    expect(r.lines).toBe(1000);
  });
});
