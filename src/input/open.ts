/**
 * Opens one input: a path or `-` (stdin), decompressing gzip on the fly when the data starts
 * with the gzip magic bytes (whatever the name), so `mail.log.2.gz` and a renamed file both work.
 */
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { describeSystemError, InputError } from '../errors.js';

export interface OpenedInput {
  /** Decompressed bytes. */
  stream: Readable;
  /** Raw (compressed) bytes read so far, for progress. */
  bytesRead: () => number;
  /** Size on disk, null for stdin and pipes. */
  size: number | null;
  /** The newest a line can be: the file's mtime, or now for stdin. */
  reference: Date;
  gzip: boolean;
}

export async function openInput(path: string, now: Date, stdin: Readable = process.stdin): Promise<OpenedInput> {
  let raw: Readable;
  let info: Stats | null = null;
  if (path === '-') {
    raw = stdin;
  } else {
    try {
      info = await stat(path);
    } catch (err) {
      throw new InputError(path, describeSystemError(err));
    }
    if (info.isDirectory()) throw new InputError(path, 'is a directory (give the log files inside it)');
    raw = createReadStream(path, { highWaterMark: 256 * 1024 });
    // Open errors (EACCES) surface asynchronously: wait for open or error before going on.
    await new Promise<void>((resolve, reject) => {
      raw.once('open', () => resolve());
      raw.once('error', (err) => reject(new InputError(path, describeSystemError(err))));
    });
  }
  const first = await firstChunk(raw, path);
  const gzip = first !== null && first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  if (first) raw.unshift(first);
  let stream: Readable = raw;
  if (gzip) {
    const gunzip = createGunzip();
    raw.on('error', (err) => gunzip.destroy(err));
    stream = raw.pipe(gunzip);
  }
  return {
    stream,
    // fs.ReadStream counts the bytes it read from disk (compressed bytes for .gz).
    bytesRead: () => (raw as Readable & { bytesRead?: number }).bytesRead ?? 0,
    size: info && info.isFile() ? info.size : null,
    reference: info ? info.mtime : now,
    gzip,
  };
}

/** The first chunk of a paused stream (null when empty), without losing it. */
function firstChunk(raw: Readable, path: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const done = (v: Buffer | null) => {
      raw.off('readable', onReadable);
      raw.off('end', onEnd);
      raw.off('error', onError);
      resolve(v);
    };
    const onReadable = () => {
      const chunk = raw.read() as Buffer | null;
      if (chunk !== null) done(chunk);
    };
    const onEnd = () => done(null);
    const onError = (err: Error) => {
      raw.off('readable', onReadable);
      raw.off('end', onEnd);
      reject(new InputError(path, describeSystemError(err)));
    };
    raw.on('readable', onReadable);
    raw.once('end', onEnd);
    raw.once('error', onError);
  });
}
