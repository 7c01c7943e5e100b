/**
 * Opens one input: a path or `-` (stdin), decompressing gzip on the fly when the data starts
 * with the gzip magic bytes (whatever the name), so `mail.log.2.gz` and a renamed file both work.
 */
import { close as closeFd, closeSync, constants, createReadStream, fstatSync, open, openSync, read, readSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Socket } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { isatty, ReadStream as TtyReadStream } from 'node:tty';
import { createGunzip } from 'node:zlib';
import { describeSystemError, InputError } from '../errors.js';
import { startsGzip } from './gzip.js';
import { fsPath } from './paths.js';

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
  /** Stops reading and lets the file go (stdin is left open). */
  close: () => void;
}

export async function openInput(path: string, now: Date, stdin: Readable = process.stdin): Promise<OpenedInput> {
  let raw: Readable;
  let info: Stats | null = null;
  if (path === '-') {
    raw = stdin;
  } else {
    try {
      info = await stat(fsPath(path));
    } catch (err) {
      throw new InputError(path, describeSystemError(err));
    }
    if (info.isDirectory()) throw new InputError(path, 'is a directory with no log files in it (*.log, mainlog, maillog, mail.log.1, …)');
    if (info.isSocket()) throw new InputError(path, 'is a socket, not a log file (pipe its output into maillog-doctor - instead)');
    if (info.isFIFO() || info.isCharacterDevice()) {
      raw = openSpecial(path);
    } else if (info.isFile()) {
      try {
        raw = new ReadAhead(await promisify(open)(fsPath(path), 'r'));
      } catch (err) {
        throw new InputError(path, describeSystemError(err));
      }
    } else {
      raw = createReadStream(fsPath(path), { highWaterMark: 256 * 1024 });
      // Open errors (EACCES) surface asynchronously: wait for open or error before going on.
      await new Promise<void>((resolve, reject) => {
        raw.once('open', () => resolve());
        raw.once('error', (err) => reject(new InputError(path, describeSystemError(err))));
      });
    }
  }
  const { stream, gzip } = await decompressIfGzip(raw, path);
  return {
    stream,
    // fs.ReadStream counts the bytes it read from disk (compressed bytes for .gz).
    bytesRead: () => (raw as Readable & { bytesRead?: number }).bytesRead ?? 0,
    size: info && info.isFile() ? info.size : null,
    reference: info ? info.mtime : now,
    gzip,
    close: () => {
      stream.destroy();
      if (raw !== stdin) raw.destroy();
    },
  };
}

/** Bytes per read of a regular file by ReadAhead. */
const READ_AHEAD_BYTES = 256 * 1024;

/**
 * A regular file as a stream that keeps one read in flight while its consumer handles the chunk
 * before. fs.ReadStream asks for the next chunk only after its 'data' handlers return, so a
 * consumer that parses as it goes (the one-thread pipeline) waited for every read in turn
 * (bench/README.md). Each read ends in a callback of its own, so timers (the live view) still
 * get their turn between chunks. At most one read is in flight and it is only started while
 * less than a high-water mark is buffered, so a paused consumer still stops the reading.
 */
class ReadAhead extends Readable {
  /** Raw bytes read so far (as fs.ReadStream's bytesRead). */
  bytesRead = 0;
  private reading = false;
  private ended = false;
  private fdClosed = false;

  constructor(private readonly fd: number) {
    super({ highWaterMark: READ_AHEAD_BYTES });
  }

  override _read(): void {
    if (!this.reading && !this.ended) this.next();
  }

  private next(): void {
    this.reading = true;
    const buf = Buffer.allocUnsafeSlow(READ_AHEAD_BYTES);
    read(this.fd, buf, 0, buf.length, null, (err, n) => {
      this.reading = false;
      if (this.destroyed) return this.release();
      if (err) return void this.destroy(err);
      if (n === 0) {
        this.ended = true;
        this.release();
        return void this.push(null);
      }
      this.bytesRead += n;
      // The next read goes on while this chunk is handled, if the consumer keeps up.
      if (this.readableFlowing && this.readableLength === 0) this.next();
      this.push(n === buf.length ? buf : buf.subarray(0, n));
    });
  }

  /** Closes the file once no read is in flight (a read must not outlive its descriptor). */
  private release(): void {
    if (this.fdClosed || this.reading) return;
    this.fdClosed = true;
    closeFd(this.fd, () => {});
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.release();
    cb(err);
  }
}

/**
 * A FIFO or a terminal, read without a thread that can block: open() of a FIFO without a writer
 * and read() of either wait for as long as nobody writes, and a thread of Node's pool stuck in
 * one keeps the process from exiting even on SIGTERM. Opened non-blocking, they are read like
 * stdin is (the event loop waits for data), so a signal always ends the run. Other character
 * devices (/dev/null, /dev/zero) do not block and are read as files.
 */
function openSpecial(path: string): Readable {
  let fd: number;
  try {
    fd = openSync(fsPath(path), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputError(path, describeSystemError(err));
  }
  if (isatty(fd)) return new TtyReadStream(fd);
  const info = fstatSync(fd);
  if (info.isFIFO()) return new Socket({ fd, readable: true, writable: false });
  return createReadStream(path, { fd, highWaterMark: 256 * 1024 });
}

/**
 * Looks at the first chunk for the gzip magic bytes, then hands on that chunk and the rest of
 * the data (decompressed when it was gzip). An empty input gives an empty stream.
 */
function decompressIfGzip(raw: Readable, path: string): Promise<{ stream: Readable; gzip: boolean }> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onError);
    };
    const onData = (first: Buffer) => {
      raw.pause();
      cleanup();
      const gzip = startsGzip(first);
      const pass = new PassThrough();
      pass.write(first);
      raw.on('error', (err) => pass.destroy(err));
      raw.pipe(pass);
      if (!gzip) return resolve({ stream: pass, gzip });
      const gunzip = createGunzip();
      pass.on('error', (err) => gunzip.destroy(err));
      resolve({ stream: pass.pipe(gunzip), gzip });
    };
    const onEnd = () => {
      cleanup();
      resolve({ stream: Readable.from([]), gzip: false });
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new InputError(path, describeSystemError(err)));
    };
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('error', onError);
  });
}

/** An input as a sequence of byte chunks (see openChunks). */
export interface ChunkedInput {
  /** Each chunk is valid only until the next one is asked for: copy what must outlive it. */
  chunks: AsyncIterable<Buffer>;
  bytesRead: () => number;
  size: number | null;
  reference: Date;
  gzip: boolean;
  /** Stops reading early (the iterator may be left unfinished). */
  close: () => void;
}

/**
 * Bytes per read of a plain file in openChunks. Small enough for the chunk to stay in the CPU's
 * cache while the reader scans it; with larger reads the kernel's copy and the scan after it
 * both miss the cache (figures in bench/README.md, "Figures behind the code").
 */
const CHUNK_BYTES = 128 * 1024;

/**
 * Like openInput, for a thread that does nothing but read (the pipeline's reader thread): a
 * plain regular file is read with blocking reads into one reused buffer — no stream, no thread
 * pool round trip and no new buffer per chunk, which on a busy two-core machine was a tenth of
 * that thread's time, half of it in being woken again. Gzip and anything that is not a regular
 * file go through openInput's stream.
 */
export async function openChunks(path: string, now: Date, stdin: Readable = process.stdin): Promise<ChunkedInput> {
  if (path === '-') return streamed(await openInput(path, now, stdin));
  let fd: number;
  let info: Stats;
  try {
    fd = openSync(fsPath(path), 'r');
    info = fstatSync(fd);
  } catch {
    return streamed(await openInput(path, now));
  }
  const buf = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  const first = info.isFile() ? readSync(fd, buf, 0, buf.length, null) : 0;
  if (!info.isFile() || startsGzip(buf, first)) {
    closeSync(fd);
    return streamed(await openInput(path, now));
  }
  let bytesRead = first;
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      let n = first;
      while (n > 0 && open) {
        yield buf.subarray(0, n);
        n = open ? readSync(fd, buf, 0, buf.length, null) : 0;
        bytesRead += n;
      }
    } finally {
      close();
    }
  }
  return { chunks: chunks(), bytesRead: () => bytesRead, size: info.size, reference: info.mtime, gzip: false, close };
}

/**
 * Bytes [0, end) of a file another part of the run holds open (`fd`, which is neither moved nor
 * closed: reads give their position), as openChunks reads a plain file: follow mode's reader
 * thread catching up with the log the follower then reads on from `end`. Fewer bytes when the
 * file was cut shorter meanwhile.
 */
export function openRange(fd: number, end: number, reference: Date): ChunkedInput {
  const buf = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  let bytesRead = 0;
  let open = true;
  async function* chunks(): AsyncGenerator<Buffer> {
    while (open && bytesRead < end) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, end - bytesRead), bytesRead);
      if (n === 0) return;
      bytesRead += n;
      yield buf.subarray(0, n);
    }
  }
  return { chunks: chunks(), bytesRead: () => bytesRead, size: end, reference, gzip: false, close: () => (open = false) };
}

function streamed(opened: OpenedInput): ChunkedInput {
  return {
    chunks: opened.stream as AsyncIterable<Buffer>,
    bytesRead: opened.bytesRead,
    size: opened.size,
    reference: opened.reference,
    gzip: opened.gzip,
    close: opened.close,
  };
}
