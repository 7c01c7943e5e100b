/**
 * Line reading: one callback per line, synchronously, with nothing dropped silently. Splits on
 * `\n` and `\r\n` like split2's default matcher (a lone `\r` stays in the line); a last line
 * without a newline is still a line, an empty one is not. Invalid UTF-8 becomes U+FFFD (counted
 * by the caller); a line over MAX_LINE_BYTES fails the input with an error, which ends it with a
 * message naming the line number instead of exhausting memory.
 *
 * forEachLine streams lines with split2 (its default matcher takes `\n` and `\r\n`; invalid
 * UTF-8 becomes U+FFFD; `maxLength` fails the stream instead of exhausting memory): stdin,
 * gzip and small files take this path. split2 hands out V8 slices of its chunk strings, so
 * anything kept for long (correlation, distinct counters) is copied where it is stored (see
 * src/text/flat-copy.ts).
 *
 * LineSplitter is the byte-level splitter of the second thread for big plain files
 * (src/pipeline.ts): it must hand lines across threads as bytes, which a string stream cannot
 * do, and it decodes nothing itself; test/bench-equivalence.test.ts proves both paths give the
 * same report, line for line.
 */
import { isAscii } from 'node:buffer';
import type { Readable } from 'node:stream';
import split2 from 'split2';

/** Longest line read at all; Postfix and syslog lines are a few KiB at most. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Message of the error for a line over MAX_LINE_BYTES (split2's, which callers look for). */
export const LINE_TOO_LONG = 'maximum buffer reached';

const LF = 10;
const CR = 13;

/**
 * Buffer's own decoders without toString()'s argument handling (they are what it calls; every
 * Node since 0.x has them, undocumented). Fall back to toString() should one ever go away.
 */
interface SliceDecoders {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}
const proto = Buffer.prototype as unknown as Partial<SliceDecoders>;
const latin1 =
  typeof proto.latin1Slice === 'function'
    ? (b: Buffer, s: number, e: number) => (b as unknown as SliceDecoders).latin1Slice(s, e)
    : (b: Buffer, s: number, e: number) => b.toString('latin1', s, e);
const utf8 =
  typeof proto.utf8Slice === 'function'
    ? (b: Buffer, s: number, e: number) => (b as unknown as SliceDecoders).utf8Slice(s, e)
    : (b: Buffer, s: number, e: number) => b.toString('utf8', s, e);

/**
 * The string of bytes [start, end) of `buf`, decoded as LineSplitter decodes lines: as latin1
 * when `ascii` (all bytes below 0x80: the same characters, and faster), else as UTF-8.
 */
export function decodeLine(buf: Buffer, start: number, end: number, ascii: boolean): string {
  return ascii ? latin1(buf, start, end) : utf8(buf, start, end);
}

/**
 * Bytes decoded this many at a time by AsciiWindows: under V8's largest regular heap object
 * (128 KiB), so a window is an ordinary young string. A whole chunk decoded at once is a large
 * object; the lines sliced from it keep it alive across a scavenge, which then moves it to the
 * old generation, where it waits for a full collection (+20 MB peak RSS and more GC at 100 MB).
 */
const WINDOW_BYTES = 64 * 1024;

/**
 * Strings of ASCII bytes (`buf` must be all ASCII) without decoding each line by itself: bytes
 * are decoded a window at a time, and a line is a slice of its window, which copies nothing.
 * Ranges must mostly move forward (a range outside the window starts a new one there); a range
 * longer than a window is decoded by itself. Anything that keeps such a slice for long copies
 * it (see src/text/flat-copy.ts).
 */
export class AsciiWindows {
  private text = '';
  private at = 0;
  private end = 0;

  constructor(private readonly buf: Buffer) {}

  /** The string of bytes [start, end). */
  slice(start: number, end: number): string {
    if (start < this.at || end > this.end) {
      if (end - start > WINDOW_BYTES) return latin1(this.buf, start, end);
      this.load(start);
    }
    return this.text.slice(start - this.at, end - this.at);
  }

  private load(from: number): void {
    this.at = from;
    this.end = Math.min(this.buf.length, from + WINDOW_BYTES);
    this.text = latin1(this.buf, from, this.end);
  }
}

/**
 * Cuts bytes into lines: feed it chunks with push(), then call end(). Each complete line goes
 * to `onLine` with its 1-based number as soon as its newline arrives, as bytes: the reader
 * thread decides most lines from their bytes and decodes only the ones it needs as text
 * (decodeLine()). push() throws (message LINE_TOO_LONG) when an unfinished line grows past
 * MAX_LINE_BYTES.
 */
export class LineSplitter {
  /** Lines handed on so far. */
  lines = 0;
  // Bytes of a line that started in an earlier chunk and has not ended yet.
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /**
   * `onLine` gets the line as bytes [start, end) of `bytes` (without its newline), valid only
   * during the call, and whether they are all ASCII (then latin1 decodes them, and each byte is
   * one character). A chunk given to push() is not kept after push() returns, so the caller may
   * read the next one into the same memory.
   */
  constructor(private readonly onLine: (no: number, bytes: Buffer, start: number, end: number, ascii: boolean) => void) {}

  push(data: Buffer | string): void {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    const ascii = isAscii(chunk);
    let start = 0;
    let nl = chunk.indexOf(LF);
    if (nl >= 0 && this.pendingBytes > 0) {
      this.pending.push(chunk.subarray(0, nl));
      this.flushPending(nl, true);
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    while (nl >= 0) {
      this.emit(chunk, start, nl, ascii, true);
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      // A copy: the caller may reuse the chunk's memory for the next one.
      this.pending.push(Buffer.from(chunk.subarray(start)));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > MAX_LINE_BYTES) throw new Error(LINE_TOO_LONG);
    }
  }

  /** The last line, if the input did not end with a newline. Returns the number of lines. */
  end(): number {
    // Like split2: a last line without a newline keeps a trailing `\r`.
    if (this.pendingBytes > 0) this.flushPending(0, false);
    return this.lines;
  }

  /** The line held in `pending` (plus `more` bytes just pushed onto it). */
  private flushPending(more: number, crlf: boolean): void {
    const line = Buffer.concat(this.pending, this.pendingBytes + more);
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(line, 0, line.length, isAscii(line), crlf);
  }

  /** One line from bytes [start, end) of `buf`, without its `\r` if it ended in `\r\n`. */
  private emit(buf: Buffer, start: number, end: number, ascii: boolean, crlf: boolean): void {
    if (crlf && end > start && buf[end - 1] === CR) end--;
    this.onLine(++this.lines, buf, start, end, ascii);
  }
}

export function forEachLine(stream: Readable, onLine: (line: string, no: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let no = 0;
    let done = false;
    const splitter = split2({ maxLength: MAX_LINE_BYTES });
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      stream.unpipe(splitter);
      stream.destroy();
      splitter.destroy();
      (err as Error & { lineNo?: number }).lineNo = no;
      reject(err);
    };
    stream.once('error', fail);
    splitter.once('error', fail);
    splitter.on('data', (line: string) => {
      no++;
      try {
        onLine(line, no);
      } catch (err) {
        // The callback never should throw; if it does, the input fails, not the process.
        fail(err as Error);
      }
    });
    splitter.once('end', () => {
      if (done) return;
      done = true;
      resolve(no);
    });
    stream.pipe(splitter);
  });
}
