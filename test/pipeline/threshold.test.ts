import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { logBytes } from '../../src/input/gzip.js';
import { isFileOf } from '../../src/pipeline/reader-worker.js';

const dir = mkdtempSync(join(tmpdir(), 'md-threshold-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = 'Nov 22 06:25:01 mx1 postfix/smtpd[4242]: NOQUEUE: reject: RCPT from unknown[192.0.2.10]: 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual alias table; from=<a@b.test> to=<bob@example.com> proto=ESMTP helo=<x>\n';
const text = line.repeat(2000);

describe('which inputs a second thread reads by default', () => {
  test('a gzip file counts by the log it holds, a plain one by its size', async () => {
    const plain = join(dir, 'mail.log');
    const gz = join(dir, 'mail.log.1.gz');
    const packed = gzipSync(Buffer.from(text));
    const gzSize = packed.length;
    writeFileSync(plain, text);
    writeFileSync(gz, packed);
    expect(gzSize).toBeLessThan(text.length / 20);
    expect(await logBytes(plain, text.length)).toBe(text.length);
    expect(await logBytes(gz, gzSize)).toBe(text.length);
    // The uncompressed size decides: above it on disk only for the plain file.
    expect(await isFileOf(plain, text.length)).toBe(true);
    expect(await isFileOf(gz, text.length)).toBe(true);
    expect(await isFileOf(gz, text.length + 1)).toBe(false);
    expect(await isFileOf(plain, text.length + 1)).toBe(false);
  });

  test('what is not a regular file, or too short to be a gzip file, is its size or no file', async () => {
    const tiny = join(dir, 'tiny.gz');
    writeFileSync(tiny, Buffer.from([0x1f, 0x8b, 8, 0]));
    expect(await logBytes(tiny, 4)).toBe(4);
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(await isFileOf(sub, 0)).toBe(false);
    expect(await isFileOf('-', 0)).toBe(false);
    expect(await isFileOf(join(dir, 'missing.log'), 0)).toBe(false);
  });
});
