/**
 * What the reader thread sends the main thread, and how a batch of lines is written and read.
 * A batch is a few typed arrays and one buffer of bytes (transferred, not copied: an array of
 * strings would cost a copy on each side); BatchWriter fills one on the reader thread and
 * BatchReader walks it on the main thread, so that the layout of an entry is known here alone
 * (test/pipeline/batch.test.ts writes every kind and reads it back).
 */
import type { IgnoreReason, Mta } from '../event.js';
import type { FrontResume, LineRanges, SentSpans, StateUpdate } from '../../parsers/types.js';
import { hash52Bytes } from '../aggregate/counters.js';
import { AsciiWindows, decodeLine } from '../input/lines.js';

/** Kinds of entry (one per line passed on; ignored lines are only counted). */
export const Entry = {
  /** A line for FrontMachine.parsed(), with its envelope. */
  LINE: 0,
  /** A sent delivery (FastPath.sentDelivery()): only its queue id and recipients are sent. */
  SENT: 1,
  /** The line is too long to parse: not parsed; its head is in `cut`. */
  OVERSIZED: 2,
  /** The reader's front threw on the line (counted as a parser exception, as line() would). */
  THREW: 3,
  /** A state update (FRONT_UPDATE): its key, field and extra spans only. */
  UPDATE: 4,
  /** A line of another MTA's syslog program (Exim in the same syslog file): routed by Analysis. */
  ROUTED: 5,
} as const;
export type EntryKind = (typeof Entry)[keyof typeof Entry];

/*
 * The numbers of an entry in `meta`, META_SIZE of them. Ends are offsets in `bytes`, where each
 * entry's bytes follow the previous one's.
 */
const META_SIZE = 11;
const NO = 0;
const KIND = 1;
/** Index into `strings` of the line's time (-1: null). */
const TIME = 2;
// LINE. Host and program: offsets in the line's text; an empty host is null. For the rarer
// envelope forms, whose host and program are not always substrings, -2 - their index in
// `strings`, or -1 for null.
const HOST_AT = 3;
const HOST_END = 4;
const PROGRAM_AT = 5;
const PROGRAM_END = 6;
/** Where the message starts in the line (-1: no envelope). */
const BODY_AT = 7;
/** LINE, ROUTED, THREW: where the line's bytes end. */
const LINE_END = 8;
// SENT: where the bytes of its queue id end (-1: none, no bytes), of its recipient, of its
// original recipient (-1: none, no bytes); its delay in hundredths of a second (-1: none);
// 1 if delivered on this machine (SentSpans.here), else 0.
const QUEUE_END = 3;
const TO_END = 4;
const ORIG_END = 5;
const DELAY = 6;
const HERE = 7;
// SENT: whether its recipient is "plain", without capitals (what the analysis counts it as is
// then the address as logged, lower-cased or not): -1 if not (the analysis reads it itself),
// else 1 + where its last `@` is (0: none); and its hash52 (counters.ts) in two halves.
const TO_PLAIN = 8;
const TO_HASH_LO = 9;
const TO_HASH_HI = 10;
// UPDATE: where the bytes of its key end, of its field, of its second field (-1: none, no
// bytes); the parser's kind of update.
const KEY_END = 3;
const FIELD_END = 4;
const UPDATE_KIND = 5;
const EXTRA_END = 6;

/** Lines the reader thread settled or passes on: lines `first`…`first + lines - 1` of the current input. */
export interface Batch {
  type: 'batch';
  first: number;
  lines: number;
  invalidUtf8: number;
  /** Lines ignored by the reader: per reason in order of first appearance, [reason, count, first line]. */
  ignored: Array<[IgnoreReason, number, number]>;
  /**
   * The entries' bytes one after another (as read: a line decodes from them exactly as it did
   * in the reader).
   */
  bytes: Uint8Array;
  /** All of `bytes` is ASCII. */
  ascii: boolean;
  /** META_SIZE numbers per entry (see above). */
  meta: Int32Array;
  strings: string[];
  /** Texts of the OVERSIZED lines (their heads, as unrecognised() shows them), in order. */
  cut: string[];
  /** Bytes read from disk so far. */
  bytesRead: number;
  /** Per entry: where its line starts in the input, -1 when not needed. */
  offsets: Float64Array;
}

/**
 * Bytes [start, end) of `from` into `to` at `at`; returns how many. Most ranges are a queue id
 * or an address: a loop copies those in less time than Buffer.copy() takes to check its
 * arguments and make a view.
 */
function copyBytes(from: Uint8Array, start: number, end: number, to: Buffer, at: number): number {
  const n = end - start;
  if (n > 96) return (from as Buffer).copy(to, at, start, end);
  for (let i = 0; i < n; i++) to[at + i] = from[start + i]!;
  return n;
}

/**
 * For the ASCII address in bytes [start, end): -1 if it has an ASCII capital, else 1 + where
 * its last `@` is in it (0: none). Without capitals, what the analysis counts it as
 * (normaliseAddress) and its lower-cased form are the address as logged.
 */
function plainAddress(b: Uint8Array, start: number, end: number): number {
  let at = -1;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c >= 0x41 && c <= 0x5a) return -1;
    if (c === 0x40) at = i - start;
  }
  return at + 1;
}

/** Fills batches on the reader thread: count() every line, then one call per line passed on. */
export class BatchWriter {
  private first = 1;
  private count = 0;
  private invalidUtf8 = 0;
  private ignoredBy = new Map<IgnoreReason, [IgnoreReason, number, number]>();
  private bytes = Buffer.allocUnsafeSlow(1 << 20);
  private used = 0;
  private ascii = true;
  private meta = new Int32Array(META_SIZE * 1024);
  private offsets = new Float64Array(1024);
  /** Entries so far. */
  private entries = 0;
  private strings: string[] = [];
  private stringIndex = new Map<string, number>();
  private cut: string[] = [];
  // Times repeat line after line: the last one is checked first.
  private lastTime: string | null = null;
  private lastTimeIdx = -1;

  /** Lines counted since the last take(). */
  get lines(): number {
    return this.count;
  }

  /** Bytes of the lines and fields written since the last take(). */
  get byteCount(): number {
    return this.used;
  }

  /** One more line of the input (each line, passed on or not); `invalid`: it held bad UTF-8. */
  line(invalid: boolean): void {
    this.count++;
    if (invalid) this.invalidUtf8++;
  }

  /** Line `no` was ignored for `reason`. */
  ignored(reason: IgnoreReason, no: number): void {
    const seen = this.ignoredBy.get(reason);
    if (seen) seen[1]++;
    else this.ignoredBy.set(reason, [reason, 1, no]);
  }

  /** The index of `s` in the batch's strings (-1: null). */
  string(s: string | null): number {
    if (s === null) return -1;
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  /** string() for a time. */
  time(t: string | null): number {
    if (t !== this.lastTime) {
      this.lastTime = t;
      this.lastTimeIdx = this.string(t);
    }
    return this.lastTimeIdx;
  }

  /**
   * A line for parsed(), bytes [start, end) of `from`: `time` from time(); `ranges` its host's
   * and program's, or null (then `host` and `program`); `bodyAt` -1: no envelope (no time,
   * host or program either).
   */
  parse(
    no: number, time: number, ranges: Readonly<LineRanges> | null, host: string | null, program: string | null, bodyAt: number,
    from: Buffer, start: number, end: number, isAscii: boolean, offset: number,
  ): void {
    const at = this.whole(no, Entry.LINE, from, start, end, isAscii, offset);
    const meta = this.meta;
    meta[at + TIME] = time;
    if (bodyAt < 0) {
      meta[at + HOST_AT] = meta[at + HOST_END] = meta[at + PROGRAM_AT] = meta[at + PROGRAM_END] = -1;
    } else if (ranges !== null) {
      meta[at + HOST_AT] = ranges.hostAt;
      meta[at + HOST_END] = ranges.hostEnd;
      meta[at + PROGRAM_AT] = ranges.programAt;
      meta[at + PROGRAM_END] = ranges.programEnd;
    } else {
      meta[at + HOST_AT] = -2 - this.string(host);
      meta[at + HOST_END] = 0;
      meta[at + PROGRAM_AT] = -2 - this.string(program);
      meta[at + PROGRAM_END] = 0;
    }
    meta[at + BODY_AT] = bodyAt;
  }

  /** A line of another MTA's syslog program, for the main thread to route. */
  routed(no: number, from: Buffer, start: number, end: number, isAscii: boolean, offset: number): void {
    this.whole(no, Entry.ROUTED, from, start, end, isAscii, offset);
  }

  /** A line the front threw on. */
  threw(no: number, from: Buffer, start: number, end: number, isAscii: boolean, offset: number): void {
    this.whole(no, Entry.THREW, from, start, end, isAscii, offset);
  }

  /** A line too long to parse, by its head. */
  oversized(no: number, head: string): void {
    this.cut.push(head);
    const at = this.entry(no, Entry.OVERSIZED, 0);
    this.meta[at + TIME] = -1;
  }

  /** A sent delivery of an ASCII line (bytes [start, …) of `from`): the bytes of its queue id and recipients. */
  sent(no: number, time: number, s: Readonly<SentSpans>, from: Buffer, start: number): void {
    const at = this.entry(no, Entry.SENT, (s.queueEnd < 0 ? 0 : s.queueEnd - s.queueAt) + s.toEnd - s.toAt + (s.origAt < 0 ? 0 : s.origEnd - s.origAt));
    const meta = this.meta;
    meta[at + TIME] = time;
    if (s.queueEnd < 0) {
      meta[at + QUEUE_END] = -1;
    } else {
      this.used += copyBytes(from, start + s.queueAt, start + s.queueEnd, this.bytes, this.used);
      meta[at + QUEUE_END] = this.used;
    }
    this.used += copyBytes(from, start + s.toAt, start + s.toEnd, this.bytes, this.used);
    meta[at + TO_END] = this.used;
    const plain = plainAddress(from, start + s.toAt, start + s.toEnd);
    meta[at + TO_PLAIN] = plain;
    if (plain >= 0) {
      // The hash the analysis would make of the recipient: one less pass over it on its thread.
      const h = hash52Bytes(from, start + s.toAt, start + s.toEnd);
      meta[at + TO_HASH_LO] = h % 0x100000000;
      meta[at + TO_HASH_HI] = Math.floor(h / 0x100000000);
    }
    if (s.origAt < 0) {
      meta[at + ORIG_END] = -1;
    } else {
      this.used += copyBytes(from, start + s.origAt, start + s.origEnd, this.bytes, this.used);
      meta[at + ORIG_END] = this.used;
    }
    // The delay in hundredths of a second: Postfix logs at most two decimals.
    meta[at + DELAY] = s.delay < 0 ? -1 : Math.min(Math.round(s.delay * 100), 0x7fffffff);
    meta[at + HERE] = s.here ? 1 : 0;
  }

  /**
   * A state update of an ASCII line (bytes [start, …) of `from`): the bytes of its key, its field
   * and its extra spans, the further ones each after a newline (StateUpdate.more: extraOf()).
   */
  update(no: number, time: number, u: Readonly<StateUpdate>, from: Buffer, start: number): void {
    const more = u.extraAt < 0 ? 0 : (u.more ?? 0);
    let extra = u.extraAt < 0 ? 0 : u.extraEnd - u.extraAt;
    for (let i = 0; i < more; i++) extra += 1 + u.moreEnd![i]! - u.moreAt![i]!;
    const at = this.entry(no, Entry.UPDATE, u.keyEnd - u.keyAt + u.fieldEnd - u.fieldAt + extra);
    const meta = this.meta;
    meta[at + TIME] = time;
    this.used += copyBytes(from, start + u.keyAt, start + u.keyEnd, this.bytes, this.used);
    meta[at + KEY_END] = this.used;
    this.used += copyBytes(from, start + u.fieldAt, start + u.fieldEnd, this.bytes, this.used);
    meta[at + FIELD_END] = this.used;
    meta[at + UPDATE_KIND] = u.kind;
    if (u.extraAt < 0) {
      meta[at + EXTRA_END] = -1;
    } else {
      this.used += copyBytes(from, start + u.extraAt, start + u.extraEnd, this.bytes, this.used);
      for (let i = 0; i < more; i++) {
        this.bytes[this.used++] = 10; // \n
        this.used += copyBytes(from, start + u.moreAt![i]!, start + u.moreEnd![i]!, this.bytes, this.used);
      }
      meta[at + EXTRA_END] = this.used;
    }
  }

  /**
   * The batch so far (null when no line was counted) and what to transfer with it; the writer
   * then starts the next one, from the line after.
   */
  take(bytesRead: number): { batch: Batch; transfer: ArrayBuffer[] } | null {
    if (this.count === 0) return null;
    const out = this.bytes.buffer.slice(0, this.used);
    const meta = this.meta.slice(0, this.entries * META_SIZE);
    const offsets = this.offsets.slice(0, this.entries);
    const batch: Batch = {
      type: 'batch', first: this.first, lines: this.count, invalidUtf8: this.invalidUtf8, ignored: [...this.ignoredBy.values()],
      bytes: new Uint8Array(out), ascii: this.ascii, meta, strings: this.strings, cut: this.cut, bytesRead, offsets,
    };
    this.first += this.count;
    this.count = 0;
    this.invalidUtf8 = 0;
    this.ignoredBy = new Map();
    this.used = 0;
    this.ascii = true;
    this.entries = 0;
    this.strings = [];
    this.stringIndex = new Map();
    this.lastTime = null;
    this.lastTimeIdx = -1;
    this.cut = [];
    return { batch, transfer: [out, meta.buffer, offsets.buffer] };
  }

  /** An entry with the whole line's bytes. */
  private whole(no: number, kind: EntryKind, from: Buffer, start: number, end: number, isAscii: boolean, offset: number): number {
    const at = this.entry(no, kind, end - start);
    this.offsets[at / META_SIZE] = offset;
    this.used += copyBytes(from, start, end, this.bytes, this.used);
    if (!isAscii) this.ascii = false;
    this.meta[at + TIME] = -1;
    this.meta[at + LINE_END] = this.used;
    return at;
  }

  /** Room for one more entry and `n` more bytes; where its numbers start in `meta`. */
  private entry(no: number, kind: EntryKind, n: number): number {
    if (this.used + n > this.bytes.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.used + n));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    if ((this.entries + 1) * META_SIZE > this.meta.length) {
      const bigger = new Int32Array(this.meta.length * 2);
      bigger.set(this.meta);
      this.meta = bigger;
      const more = new Float64Array(this.offsets.length * 2);
      more.set(this.offsets);
      this.offsets = more;
    }
    this.offsets[this.entries] = -1;
    const at = this.entries++ * META_SIZE;
    this.meta[at + NO] = no;
    this.meta[at + KIND] = kind;
    return at;
  }
}

/**
 * Walks a batch's entries in order on the main thread: next(), then the fields of the entry's
 * kind. Texts are decoded when asked for, each at most once per entry, in order (an ASCII batch
 * is decoded a window at a time, as LineSplitter does).
 */
export class BatchReader {
  private readonly bytes: Buffer;
  private readonly windows: AsciiWindows | null;
  private at = -META_SIZE;
  /** Where the current entry's bytes start and end. */
  private start = 0;
  private end = 0;
  private nextCut = 0;
  /** Line number of the current entry. */
  no = 0;
  kind: EntryKind = Entry.LINE;

  constructor(private readonly b: Batch) {
    this.bytes = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength);
    this.windows = b.ascii ? new AsciiWindows(this.bytes) : null;
  }

  /** Moves to the next entry; false after the last. */
  next(): boolean {
    const meta = this.b.meta;
    this.at += META_SIZE;
    const at = this.at;
    if (at >= meta.length) return false;
    this.no = meta[at + NO]!;
    this.kind = meta[at + KIND]! as EntryKind;
    this.start = this.end;
    switch (this.kind) {
      case Entry.SENT:
        this.end = meta[at + ORIG_END]! < 0 ? meta[at + TO_END]! : meta[at + ORIG_END]!;
        break;
      case Entry.UPDATE:
        this.end = meta[at + EXTRA_END]! < 0 ? meta[at + FIELD_END]! : meta[at + EXTRA_END]!;
        break;
      case Entry.OVERSIZED:
        break;
      default:
        this.end = meta[at + LINE_END]!;
    }
    return true;
  }

  /** Where the entry's line starts in the input (-1: not known). */
  get offset(): number {
    return this.b.offsets[this.at / META_SIZE]!;
  }

  get time(): string | null {
    return this.str(this.b.meta[this.at + TIME]!);
  }

  /** LINE, ROUTED, THREW: the line. */
  text(): string {
    return this.decode(this.start, this.end, false);
  }

  /** LINE: the host, of `text` (from text()). */
  host(text: string): string | null {
    const meta = this.b.meta;
    const hostAt = meta[this.at + HOST_AT]!;
    if (hostAt < 0) return this.str(-2 - hostAt);
    const hostEnd = meta[this.at + HOST_END]!;
    return hostEnd > hostAt ? text.slice(hostAt, hostEnd) : null;
  }

  /** LINE: the program, of `text` (from text()). */
  program(text: string): string | null {
    const meta = this.b.meta;
    const programAt = meta[this.at + PROGRAM_AT]!;
    return programAt < 0 ? this.str(-2 - programAt) : text.slice(programAt, meta[this.at + PROGRAM_END]!);
  }

  /** LINE: where the message starts (-1: no envelope). */
  get bodyAt(): number {
    return this.b.meta[this.at + BODY_AT]!;
  }

  /** SENT: the queue id (null: none). Read queueId, to, origTo in that order. */
  queueId(): string | null {
    const queueEnd = this.b.meta[this.at + QUEUE_END]!;
    return queueEnd < 0 ? null : this.decode(this.start, queueEnd, true);
  }

  /** SENT: the recipient. */
  to(): string {
    const meta = this.b.meta;
    const queueEnd = meta[this.at + QUEUE_END]!;
    return this.decode(queueEnd < 0 ? this.start : queueEnd, meta[this.at + TO_END]!, true);
  }

  /** SENT: the original recipient (null: none). */
  origTo(): string | null {
    const meta = this.b.meta;
    const origEnd = meta[this.at + ORIG_END]!;
    return origEnd < 0 ? null : this.decode(meta[this.at + TO_END]!, origEnd, true);
  }

  /** SENT: the delay in seconds (null: none). */
  get delay(): number | null {
    const d = this.b.meta[this.at + DELAY]!;
    return d < 0 ? null : d / 100;
  }

  /** SENT: delivered on this machine (SentSpans.here). */
  get here(): boolean {
    return this.b.meta[this.at + HERE] === 1;
  }

  /** SENT: -1 if the recipient has capitals, else 1 + where its last `@` is (0: none). */
  get toPlain(): number {
    return this.b.meta[this.at + TO_PLAIN]!;
  }

  /** SENT: hash52() of the recipient, when toPlain >= 0. */
  get toHash(): number {
    const meta = this.b.meta;
    return meta[this.at + TO_HASH_HI]! * 0x100000000 + (meta[this.at + TO_HASH_LO]! >>> 0);
  }

  /** UPDATE: the second field (null: none). Read after key() and field(). */
  extra(): string | null {
    const meta = this.b.meta;
    const extraEnd = meta[this.at + EXTRA_END]!;
    return extraEnd < 0 ? null : this.own(meta[this.at + FIELD_END]!, extraEnd);
  }

  /** UPDATE: the parser's kind of update. */
  get updateKind(): number {
    return this.b.meta[this.at + UPDATE_KIND]!;
  }

  /** UPDATE: its key. Read key, field in that order. */
  key(): string {
    return this.own(this.start, this.b.meta[this.at + KEY_END]!);
  }

  /** UPDATE: its field. */
  field(): string {
    return this.own(this.b.meta[this.at + KEY_END]!, this.b.meta[this.at + FIELD_END]!);
  }

  /** OVERSIZED: the line's head. */
  cut(): string {
    return this.b.cut[this.nextCut++]!;
  }

  private str(idx: number): string | null {
    return idx < 0 ? null : this.b.strings[idx]!;
  }

  /**
   * An update's field (ASCII, as fronts pass updates on) as a string of its own, not a slice of
   * a window: FrontMachine.update() keeps most of them, and a slice would be copied there
   * (bench/README.md, item 36).
   */
  private own(start: number, end: number): string {
    return decodeLine(this.bytes, start, end, true);
  }

  private decode(start: number, end: number, isAscii: boolean): string {
    return this.windows ? this.windows.slice(start, end) : decodeLine(this.bytes, start, end, isAscii);
  }
}

/** Main → reader: read this file. */
export interface ReadJob {
  type: 'read';
  path: string;
  /** The bytes of `path` when it is the display name of a name that is not UTF-8 (src/input/paths.ts). */
  raw?: Uint8Array;
  now: number;
  year?: number;
  /** --mta naming a format with a fast path: no detection. */
  forced?: Mta;
  sentOn: 'auto' | 'reader' | 'main';
  /**
   * Follow mode catching up (with `forced`): read bytes [0, end) of the file open as `fd`
   * instead of opening `path`, with the follower's `reference`; `end` ends a line. Its `end`
   * message carries the front's resume(), and as bytesRead where its last complete line ends.
   */
  range?: { fd: number; end: number; reference: number };
}

/** Reader → main, per file: `fallback` (read it yourself), or `start`, batches, `end`. */
export type ReaderMessage =
  | { type: 'fallback' }
  | { type: 'start'; mta: Mta; reference: number; gzip: boolean; size: number | null }
  | Batch
  | EndMessage;

/** Reader → main: the file has ended (`error`: why reading stopped early). */
export interface EndMessage {
  type: 'end';
  bytesRead: number;
  nulBytes: number;
  error?: { message?: string; code?: string };
  /** With a job's `range`: the front's resume() for the front that reads on. */
  resume?: FrontResume;
}

/** Batches the reader thread may be ahead of the main thread (bounds the memory in between). */
export const MAX_BATCHES_AHEAD = 3;
