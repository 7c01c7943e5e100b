import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { openChunks } from '../../src/input/open.js';

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
