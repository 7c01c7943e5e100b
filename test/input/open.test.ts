import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { openChunks, openInput } from '../../src/input/open.js';

const dir = mkdtempSync(join(tmpdir(), 'mld-open-'));
const NOW = new Date('2026-11-23T00:00:00Z');

/** Everything openChunks gives, copied chunk by chunk (a chunk is valid until the next one). */
async function readAll(path: string): Promise<{ data: Buffer; chunks: number; bytesRead: number; gzip: boolean; size: number | null }> {
  const input = await openChunks(path, NOW);
  const parts: Buffer[] = [];
  for await (const c of input.chunks) parts.push(Buffer.from(c));
  return { data: Buffer.concat(parts), chunks: parts.length, bytesRead: input.bytesRead(), gzip: input.gzip, size: input.size };
}

describe('openChunks', () => {
  // 2.5 MiB of distinct bytes: three reads of a plain file, each into the same buffer.
  const body = Buffer.from(Array.from({ length: 90_000 }, (_, i) => `line ${i} of the log\n`).join(''));

  it('reads a plain file whole, in order, counting the bytes read', async () => {
    const path = join(dir, 'plain.log');
    writeFileSync(path, body);
    const r = await readAll(path);
    expect(r.data.equals(body)).toBe(true);
    expect(r.chunks).toBeGreaterThan(1);
    expect(r.bytesRead).toBe(body.length);
    expect(r).toMatchObject({ gzip: false, size: body.length });
  });

  it('decompresses gzip (by its magic bytes, whatever the name)', async () => {
    const path = join(dir, 'rotated.log.1');
    const packed = gzipSync(body);
    writeFileSync(path, packed);
    const r = await readAll(path);
    expect(r.data.equals(body)).toBe(true);
    expect(r).toMatchObject({ gzip: true, bytesRead: packed.length });
  });

  it('gives no chunk for an empty file', async () => {
    const path = join(dir, 'empty.log');
    writeFileSync(path, '');
    expect(await readAll(path)).toMatchObject({ chunks: 0, bytesRead: 0, gzip: false });
  });

  it('fails with an InputError for a missing file and a directory', async () => {
    await expect(openChunks(join(dir, 'missing.log'), NOW)).rejects.toBeInstanceOf(InputError);
    await expect(openChunks(dir, NOW)).rejects.toThrow(/is a directory/);
  });

  it('stops early on close() (the reader thread gives a file back to the main thread)', async () => {
    const path = join(dir, 'stop.log');
    writeFileSync(path, body);
    const input = await openChunks(path, NOW);
    let n = 0;
    for await (const c of input.chunks) {
      expect(c.length).toBeGreaterThan(0);
      n++;
      input.close();
    }
    expect(n).toBe(1);
  });
});

describe('openInput of a regular file (a read kept in flight ahead of the consumer)', () => {
  const body = Buffer.from(Array.from({ length: 90_000 }, (_, i) => `line ${i} of the log\n`).join(''));
  /** Descriptors open in this process (Linux), to see that a file is let go. */
  const openFds = () => readdirSync('/proc/self/fd').length;

  it('gives the file whole and in order, in flowing mode and when paused between chunks', async () => {
    const path = join(dir, 'ahead.log');
    writeFileSync(path, body);
    const flowing = await openInput(path, NOW);
    const parts: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      flowing.stream.on('data', (c: Buffer) => parts.push(c));
      flowing.stream.once('end', resolve);
      flowing.stream.once('error', reject);
    });
    expect(Buffer.concat(parts).equals(body)).toBe(true);
    expect(flowing.bytesRead()).toBe(body.length);

    // A consumer that stops after each chunk: reading stops too, and goes on when resumed.
    const paused = await openInput(path, NOW);
    const got: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      paused.stream.on('data', (c: Buffer) => {
        got.push(Buffer.from(c));
        paused.stream.pause();
        setTimeout(() => paused.stream.resume(), 1);
      });
      paused.stream.once('end', resolve);
      paused.stream.once('error', reject);
    });
    expect(Buffer.concat(got).equals(body)).toBe(true);
    expect(got.length).toBeGreaterThan(2);
  });

  it('lets the file go when closed in the middle, with a read in flight', async () => {
    const path = join(dir, 'closed.log');
    writeFileSync(path, body);
    const before = openFds();
    const input = await openInput(path, NOW);
    expect(openFds()).toBe(before + 1);
    await new Promise<void>((resolve) => {
      input.stream.once('data', () => {
        input.close();
        resolve();
      });
    });
    for (let i = 0; i < 50 && openFds() > before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(openFds()).toBe(before);
  });
});
