/**
 * Line reading, in bytes, for every input (files, gzip, stdin, follow mode and the reader
 * thread): one callback per line, synchronously, with nothing dropped silently. Splits on `\n`
 * and `\r\n` (a lone `\r` stays in the line); a last line without a newline is still a line, an
 * empty one is not. Invalid UTF-8 becomes U+FFFD (counted by the caller).
 *
 * Hostile input costs linear time and constant memory: a line over MAX_LINE_BYTES is not
 * buffered: its first bytes are kept for the message, the rest is skipped up to its newline,
 * and it is handed on as oversized (it never stops the input). NUL bytes are dropped and
 * counted (`nulBytes`): a crash or power loss leaves runs of them in a file being appended, and
 * the real line after them must still be read.
 *
 * LineSplitter hands lines on as bytes (the reader thread for big Postfix files decides most
 * lines from their bytes and passes them across threads as bytes); forEachLine() decodes them
 * for everything else.
 */
import { isAscii } from 'node:buffer';
import type { Readable } from 'node:stream';

/**
 * Longest line parsed (bytes, without its newline); longer ones are oversized: counted and
 * skipped. Postfix, Exim and Exchange lines are a few KiB at most.
 */
export const MAX_LINE_BYTES = 1024 * 1024;
/** Characters of an oversized line kept to show it (as `--unrecognised` writes it, plus `…`). */
export const OVERSIZED_SHOWN_CHARS = 200;
/** Bytes of an oversized line kept: enough for OVERSIZED_SHOWN_CHARS characters of any UTF-8. */
const OVERSIZED_HEAD_BYTES = 4 * OVERSIZED_SHOWN_CHARS;

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
 * old generation, where it waits for a full collection (more peak RSS and more GC: bench/README.md).
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

/** What LineSplitter hands on: lines as bytes, and oversized lines by their first characters. */
export interface LineHandlers {
  /**
   * A line as bytes [start, end) of `bytes` (without its newline), valid only during the call,
   * and whether they are all ASCII (then latin1 decodes them, and each byte is one character).
   * `offset`: where the line starts in the input as read (NUL bytes included), so that it can be
   * read back later (src/input/evidence.ts).
   */
  line(no: number, bytes: Buffer, start: number, end: number, ascii: boolean, offset: number): void;
  /**
   * A line over MAX_LINE_BYTES: its first OVERSIZED_SHOWN_CHARS characters (decoded), the rest
   * skipped. It counts as a line like any other.
   */
  oversized(no: number, head: string, offset: number): void;
}

/**
 * Cuts bytes into lines: feed it chunks with push(), then call end(). Each complete line goes
 * to the handlers with its 1-based number as soon as its newline arrives. Every byte is looked
 * at a bounded number of times, and at most MAX_LINE_BYTES of an unfinished line are held.
 */
export class LineSplitter {
  /** Lines handed on so far (oversized ones included). */
  lines = 0;
  /** NUL bytes dropped so far. */
  nulBytes = 0;
  private readonly handlers: LineHandlers;
  // Bytes of a line that started in an earlier chunk and has not ended yet.
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The current line is over MAX_LINE_BYTES: its head is kept, the rest skipped to its newline. */
  private skipHead: Buffer | null = null;
  /** Bytes of that over-long line so far. */
  private skippedBytes = 0;
  /** Offset in the input of the first byte of the current chunk. */
  private base: number;
  /** Offset in the input where the line being cut starts. */
  private lineStart: number;
  /** For a chunk that had NUL bytes: where its newlines were before they were dropped. */
  private lfAt: number[] | null = null;
  private lfNext = 0;

  /**
   * A chunk given to push() is not kept after push() returns, so the caller may read the next
   * one into the same memory. A function is the line handler alone (oversized lines then go to
   * it as their head, encoded, with `ascii` false). `startOffset`: where in the input the first
   * chunk starts (follow mode reads from the middle of a file).
   */
  constructor(handlers: LineHandlers | LineHandlers['line'], startOffset = 0) {
    this.base = startOffset;
    this.lineStart = startOffset;
    this.handlers =
      typeof handlers === 'function'
        ? {
            line: handlers,
            oversized: (no, head, offset) => {
              const b = Buffer.from(head);
              handlers(no, b, 0, b.length, false, offset);
            },
          }
        : handlers;
  }

  push(data: Buffer | string): void {
    let chunk = typeof data === 'string' ? Buffer.from(data) : data;
    const base = this.base;
    this.base += chunk.length;
    this.lfAt = null;
    if (chunk.indexOf(0) >= 0) {
      // The newlines' places in the input, before the NUL bytes go (offsets count them).
      const at: number[] = [];
      for (let i = chunk.indexOf(LF); i >= 0; i = chunk.indexOf(LF, i + 1)) at.push(i);
      this.lfAt = at;
      this.lfNext = 0;
      chunk = this.dropNul(chunk);
    }
    if (chunk.length === 0) return;
    const ascii = isAscii(chunk);
    // Where the line after the newline at `nl` (of the chunk as it is now) starts in the input.
    const after = (nl: number): number => base + (this.lfAt === null ? nl : this.lfAt[this.lfNext++]!) + 1;
    let start = 0;
    let nl = chunk.indexOf(LF);
    if (nl >= 0 && (this.pendingBytes > 0 || this.skipHead !== null)) {
      this.endPending(chunk, nl);
      this.lineStart = after(nl);
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    while (nl >= 0) {
      this.emit(chunk, start, nl, ascii, true);
      this.lineStart = after(nl);
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    if (start === chunk.length) return;
    const rest = chunk.length - start;
    if (this.skipHead !== null) {
      this.skippedBytes += rest;
      return;
    }
    // One byte more than the limit may still be the `\r` of a `\r\n`.
    if (this.pendingBytes + rest > MAX_LINE_BYTES + 1) {
      this.skippedBytes = this.pendingBytes + rest;
      this.skipHead = this.head(chunk.subarray(start));
      return;
    }
    // A copy: the caller may reuse the chunk's memory for the next one.
    this.pending.push(Buffer.from(chunk.subarray(start)));
    this.pendingBytes += rest;
  }

  /** Where in the input the line not ended yet starts: just after the last newline pushed. */
  get unfinishedAt(): number {
    return this.lineStart;
  }

  /** The last line, if the input did not end with a newline. Returns the number of lines. */
  end(): number {
    // A last line without a newline keeps a trailing `\r` (as split2 does).
    if (this.skipHead !== null) this.oversized(this.skipHead);
    else if (this.pendingBytes > 0) this.endPending(Buffer.alloc(0), 0, false);
    this.skipHead = null;
    this.skippedBytes = 0;
    return this.lines;
  }

  /**
   * Forgets the unfinished last line (follow mode: its file was rotated away before its newline
   * came); returns its bytes read so far (for an oversized one, those of its head and after).
   */
  discard(): number {
    const n = this.pendingBytes + this.skippedBytes;
    this.lineStart = this.base;
    this.pending = [];
    this.pendingBytes = 0;
    this.skipHead = null;
    this.skippedBytes = 0;
    return n;
  }

  /** `chunk` without its NUL bytes (a new buffer), counting them. */
  private dropNul(chunk: Buffer): Buffer {
    const out = Buffer.allocUnsafe(chunk.length);
    let used = 0;
    let from = 0;
    for (let z = chunk.indexOf(0); z >= 0; z = chunk.indexOf(0, from)) {
      used += chunk.copy(out, used, from, z);
      // Runs are skipped byte by byte from here: a scan, no copies.
      from = z + 1;
      while (from < chunk.length && chunk[from] === 0) from++;
      this.nulBytes += from - z;
    }
    used += chunk.copy(out, used, from);
    return out.subarray(0, used);
  }

  /** The first OVERSIZED_HEAD_BYTES of the held bytes followed by `more`; the held bytes are let go. */
  private head(more: Buffer): Buffer {
    const parts = [...this.pending, more];
    this.pending = [];
    this.pendingBytes = 0;
    const out: Buffer[] = [];
    let n = 0;
    for (const p of parts) {
      if (n >= OVERSIZED_HEAD_BYTES) break;
      const take = Math.min(p.length, OVERSIZED_HEAD_BYTES - n);
      out.push(Buffer.from(p.subarray(0, take)));
      n += take;
    }
    return Buffer.concat(out, n);
  }

  /** The held line ends with bytes [0, nl) of `chunk`. */
  private endPending(chunk: Buffer, nl: number, crlf = true): void {
    if (this.skipHead !== null) {
      const head = this.skipHead;
      this.skipHead = null;
      this.skippedBytes = 0;
      this.oversized(head);
      return;
    }
    const total = this.pendingBytes + nl;
    const cr = crlf && (nl > 0 ? chunk[nl - 1] === CR : this.pending[this.pending.length - 1]!.at(-1) === CR);
    if (total - (cr ? 1 : 0) > MAX_LINE_BYTES) {
      this.oversized(this.head(chunk.subarray(0, nl)));
      return;
    }
    this.pending.push(chunk.subarray(0, nl));
    const line = Buffer.concat(this.pending, total);
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(line, 0, line.length, isAscii(line), crlf);
  }

  /** One line from bytes [start, end) of `buf`, without its `\r` if it ended in `\r\n`. */
  private emit(buf: Buffer, start: number, end: number, ascii: boolean, crlf: boolean): void {
    if (crlf && end > start && buf[end - 1] === CR) end--;
    if (end - start > MAX_LINE_BYTES) return this.oversized(buf.subarray(start, start + OVERSIZED_HEAD_BYTES));
    this.handlers.line(++this.lines, buf, start, end, ascii, this.lineStart);
  }

  private oversized(head: Buffer): void {
    const text = head.toString(isAscii(head) ? 'latin1' : 'utf8');
    this.handlers.oversized(++this.lines, text.slice(0, OVERSIZED_SHOWN_CHARS), this.lineStart);
  }
}

/** forEachLine's callbacks: decoded lines, and oversized ones by their head (see LineHandlers). */
export interface TextLineHandlers {
  /** `offset`: where the line starts in the input (see LineHandlers.line). */
  line(text: string, no: number, offset: number): void;
  oversized?(head: string, no: number, offset: number): void;
  /** Asked after each chunk: true stops reading (the stream is destroyed; the promise resolves). */
  stop?(): boolean;
}

/**
 * Reads `stream` (bytes) to its end (or until `stop()`) through a LineSplitter, decoding each
 * line. Resolves with the number of lines and of NUL bytes dropped; a stream error rejects with
 * `lineNo` (lines read before it) and `nulBytes` on the error. An oversized line goes to `oversized` (by default: its head to
 * `line`).
 */
export function forEachLine(
  stream: Readable,
  handlers: TextLineHandlers | TextLineHandlers['line'],
): Promise<{ lines: number; nulBytes: number }> {
  const h: TextLineHandlers = typeof handlers === 'function' ? { line: handlers } : handlers;
  return new Promise((resolve, reject) => {
    let done = false;
    const splitter = new LineSplitter({
      line: (no, bytes, start, end, ascii, offset) => h.line(decodeLine(bytes, start, end, ascii), no, offset),
      oversized: (no, head, offset) => (h.oversized ? h.oversized(head, no, offset) : h.line(head, no, offset)),
    });
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      stream.off('data', onData);
      stream.destroy();
      Object.assign(err, { lineNo: splitter.lines, nulBytes: splitter.nulBytes });
      reject(err);
    };
    const onData = (chunk: Buffer | string) => {
      try {
        splitter.push(chunk);
      } catch (err) {
        // The callbacks never should throw; if they do, the input fails, not the process.
        return fail(err as Error);
      }
      if (h.stop?.()) {
        done = true;
        stream.off('data', onData);
        stream.destroy();
        resolve({ lines: splitter.lines, nulBytes: splitter.nulBytes });
      }
    };
    stream.on('data', onData);
    stream.once('error', fail);
    stream.once('end', () => {
      if (done) return;
      try {
        splitter.end();
      } catch (err) {
        return fail(err as Error);
      }
      done = true;
      resolve({ lines: splitter.lines, nulBytes: splitter.nulBytes });
    });
  });
}
