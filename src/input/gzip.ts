/**
 * Gzip (RFC 1952) as the inputs meet it: whether bytes start a gzip member, and how much log a
 * gzip file holds. Inputs are recognised by these bytes, whatever their names.
 */
import { open } from 'node:fs/promises';
import { fsPath } from './paths.js';

/** Do the first `n` bytes of `b` (all of it by default) start with the gzip magic bytes? */
export function startsGzip(b: Uint8Array, n = b.length): boolean {
  return n >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/**
 * About how many bytes of log a file of `size` bytes holds: for a gzip file the uncompressed
 * size its last 4 bytes give (ISIZE, modulo 2^32: a single-member file is exact below 4 GiB),
 * else `size`. A rotated log compresses several times over, so its size on disk would keep
 * most of them from the second thread (src/pipeline/run.ts).
 */
export async function logBytes(path: string, size: number): Promise<number> {
  if (size < 18) return size;
  const f = await open(fsPath(path), 'r');
  try {
    const head = Buffer.alloc(2);
    const tail = Buffer.alloc(4);
    await f.read(head, 0, 2, 0);
    if (!startsGzip(head)) return size;
    await f.read(tail, 0, 4, size - 4);
    return Math.max(size, tail.readUInt32LE(0));
  } finally {
    await f.close();
  }
}
