/**
 * `tail -F` for one log file: reads what is there (or starts at the end), then keeps reading and
 * hands on every complete line exactly once, across rotations. While data comes it reads without
 * pause; when there is none it waits `pollMs`. The file's identity (dev/ino of the path) and size
 * are checked before every read, not only on a timer:
 *
 * - rename (logrotate's default) and delete + recreate: the path names a new inode. The old
 *   file descriptor is read to its end first; the switch to the new file happens once the new
 *   file has data, so lines a syslog daemon still writes to the old file until it is told to
 *   reopen (logrotate `create` + postrotate HUP) are read too.
 * - copytruncate: same inode, and the file is shorter than what was read, or the bytes just
 *   before the read position changed (truncated and regrown). Reading restarts at 0.
 * - the path missing for a while (between rename and re-create): the old descriptor keeps
 *   being read; following goes on when the path comes back.
 *
 * Nothing is lost silently. A line is handed on only with its newline: a last line without one
 * when its generation ends is not (it will never be complete). What could not be read is
 * counted through `lost`: that unfinished line; the bytes a truncation took before they were
 * read (from the largest size seen, so bytes written and truncated between two reads are beyond
 * anyone's count); a file that was at the path but rotated away again before it could be opened.
 *
 * Lines are cut by LineSplitter (src/input/lines.ts): `\n` or `\r\n`, NUL bytes dropped and
 * counted, an over-long line handed on as oversized without being held. Gzip files cannot be
 * followed (they are not appended to); stdin is not handled here.
 */
import { watch, type FSWatcher, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { describeSystemError, InputError } from '../errors.js';
import { rotationNumber } from './expand.js';
import { startsGzip } from './gzip.js';
import { decodeLine, LineSplitter } from './lines.js';
import { fsPath } from './paths.js';

/** Why a generation of the followed file began or ended. */
export type FollowReason = 'open' | 'rename' | 'recreate' | 'truncate' | 'stop';

export interface FollowHandlers {
  /**
   * A generation of the file begins: first open, the new file after a rotation, after a
   * truncation, or a rotated file read on its own (`file` names it). `reference` is the newest a
   * line can be: the file's mtime at open, else now.
   */
  begin(info: { reason: FollowReason; reference: Date; file: string }): void;
  /**
   * One complete line of the current generation (`no` is 1-based within it); `offset`: where it
   * starts in the generation's file. Give this or `rawLine`.
   */
  line?(text: string, no: number, offset: number): void;
  /**
   * Instead of `line`: the line's bytes, `[start, end)` of `bytes` (valid only during the call;
   * `ascii`: every byte is below 0x80), for a reader that decodes only what it needs.
   */
  rawLine?(no: number, bytes: Buffer, start: number, end: number, ascii: boolean, offset: number): void;
  /** A line over MAX_LINE_BYTES, by its first characters (default: handed to `line`). */
  oversized?(head: string, no: number, offset: number): void;
  /** NUL bytes dropped from the lines handed on since the last call. */
  nulBytes?(n: number): void;
  /** Bytes that could not be read, and why (see the top of this file). */
  lost?(bytes: number, why: string): void;
  /** The current generation ends (`stop` when following stops). */
  end(info: { reason: FollowReason }): void;
  /**
   * The followed file was rotated: `to` is where its content went (the renamed file, or the copy
   * copytruncate made), null when it was deleted or no copy was found.
   */
  rotated?(info: { reason: FollowReason; to: string | null; at: Date }): void;
  /** After each chunk read: bytes read of the current generation and its size. */
  progress?(p: { offset: number; size: number }): void;
  /** The first time everything that was in the file has been read. */
  caughtUp?(): void;
  /**
   * Before the first read of the file opened at its start (not `fromEnd`): a reader of its own
   * (follow mode's reader thread) may read its complete lines, bytes [0, end), from `fd`, which
   * stays open and is not moved. It says how many lines and bytes it read, and the lines from
   * there on are handed on here, numbered on; null: it read nothing, every line comes here;
   * `stopped`: following is being stopped, read nothing more. Lines it read are not handed on.
   */
  catchUp?(from: { fd: number; end: number }): Promise<{ lines: number; bytes: number } | 'stopped' | null>;
  /** Something worth telling that does not stop following (waiting for the file, a reopen failed, …). */
  warning?(message: string): void;
}

export interface FollowOptions {
  /** Skip what is in the file now; read only what is appended (`--from-end`). */
  fromEnd?: boolean;
  /** Poll interval in milliseconds; default 250. */
  pollMs?: number;
  /** Bytes per read; default 256 KiB. */
  chunkBytes?: number;
}

/**
 * Files (dev:ino) remembered as read, so that a rotated file is never read twice. One entry per
 * rotation; past the cap the oldest is forgotten (counted in `forgotten`): a rotated file that
 * old is not looked for any more (only files changed since following began are).
 */
const SEEN_CAP = 1024;
/** Rotated files that are compressed: their bytes are not the log's any more. */
const COMPRESSED_RE = /\.(?:gz|bz2|xz|zst|lz4|Z)$/;
/**
 * Bytes just before the read position, compared on every read (in the same read call) to tell an
 * appended file from one truncated and regrown; and the first bytes of a generation, to tell
 * which copy beside the file holds it.
 */
const SIGNATURE_BYTES = 64;
/** Idle polls between two looks beside an empty file for copies made while we read nothing. */
const IDLE_POLLS_PER_LOOK = 8;

interface Generation {
  fh: FileHandle;
  /** The file this generation is read from now (the path, or a rotated file beside it). */
  file: string;
  ino: number;
  dev: number;
  offset: number;
  /** The largest size seen of this file (by fstat before a read). */
  sizeSeen: number;
  /** Bytes [offset - signature.length, offset). */
  signature: Buffer;
  /** Bytes [0, min(offset, SIGNATURE_BYTES)): how a copy of this generation is recognised. */
  head: Buffer;
  splitter: LineSplitter;
  /** The next read, started while the last chunk was handled (see readChunk()), and where it reads. */
  ahead: { offset: number; n: number; read: Promise<Fetched> } | null;
}

/** What fetch() read: the file's size and `bytesRead` bytes of `buf`, or why it failed. */
type Fetched = { size: number; buf: Buffer; bytesRead: number } | { error: unknown };

/** A file beside the followed one that a rotation made. */
interface Sibling {
  path: string;
  st: Stats;
  seen: boolean;
}

/** What one read found. */
type ReadResult = { bytes: number } | 'truncated';

export class Follower {
  /** Rotations seen so far (renames, re-creations and truncations). */
  rotations = 0;
  /** Bytes that could not be read so far (see `lost`). */
  lostBytes = 0;
  /** Rotated files forgotten past SEEN_CAP. */
  forgotten = 0;
  private gen: Generation | null = null;
  /** The files read, as dev:ino (at most SEEN_CAP, oldest dropped). */
  private readonly seen: string[] = [];
  /** Modification time of the file when following began: rotated files older than it were not written while we followed. */
  private startMtimeMs = 0;
  private watcher: FSWatcher | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly buf: Buffer;
  private readonly pollMs: number;
  private idlePolls = 0;
  /** Where the complete lines of the file first opened end, for handlers.catchUp (0: none to read). */
  private catchUpEnd = 0;
  /** Read-ahead buffers whose read is over and whose bytes were handed on (see readChunk()). */
  private readonly spare: Buffer[] = [];

  constructor(
    readonly path: string,
    private readonly handlers: FollowHandlers,
    private readonly opts: FollowOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 250;
    this.buf = Buffer.allocUnsafe((opts.chunkBytes ?? 256 * 1024) + SIGNATURE_BYTES);
  }

  /**
   * Opens the file (an InputError when it cannot be followed) and starts following in the
   * background; `stop()` ends it. Resolves once the file is open, or, when it does not exist
   * yet, once waiting for it has begun (one warning says so; like `tail -F`, it is then read from
   * its start when it appears).
   */
  async start(): Promise<void> {
    const info = await this.statPath();
    if (info === null) {
      this.handlers.warning?.(`waiting for ${this.path} to appear`);
      this.watchFolder();
      this.running = this.waitThenLoop();
      return;
    }
    await this.openFirst(info, this.opts.fromEnd ?? false);
    this.watchFolder();
    this.running = this.loop();
  }

  /** The path's stat; null when it does not exist (yet); an InputError for any other failure. */
  private async statPath(): Promise<Stats | null> {
    try {
      return await stat(fsPath(this.path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new InputError(this.path, describeSystemError(err));
    }
  }

  private async openFirst(info: Stats, fromEnd: boolean): Promise<void> {
    if (info.isDirectory()) throw new InputError(this.path, 'is a directory (give the log file inside it)');
    // A FIFO or a device has no size or identity to follow, and opening a FIFO without a writer
    // would wait in a thread nothing can interrupt.
    if (!info.isFile()) throw new InputError(this.path, 'is not a regular file; -f follows log files (for a pipe: … | maillog-doctor -f -)');
    let fh: FileHandle;
    try {
      fh = await open(fsPath(this.path), 'r');
    } catch (err) {
      throw new InputError(this.path, describeSystemError(err));
    }
    const st = await fh.stat();
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    if (startsGzip(head, bytesRead)) {
      await fh.close();
      throw new InputError(this.path, 'is gzip-compressed; only plain log files can be followed (read it without -f)');
    }
    const offset = fromEnd ? await lineStartBefore(fh, st.size) : 0;
    this.catchUpEnd = !fromEnd && this.handlers.catchUp ? await linesEndBefore(fh, st.size) : 0;
    this.gen = this.generation(fh, this.path, st, offset);
    await this.prime(this.gen);
    this.startMtimeMs = st.mtimeMs;
    // As for whole files, the year of classic syslog times is inferred against the file's mtime.
    this.handlers.begin({ reason: 'open', reference: st.mtime, file: this.path });
  }

  /** -f on a file that is not there yet: look at every poll (and folder change) until it is. */
  private async waitThenLoop(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const info = await this.statPath();
        if (info !== null) {
          await this.openFirst(info, false);
          break;
        }
        await this.sleep();
      }
    } catch (err) {
      this.handlers.warning?.(`stopped following: ${err instanceof InputError ? err.message : describeSystemError(err)}`);
      return;
    }
    await this.loop();
  }

  /**
   * Wakes the loop as soon as anything in the file's folder changes (a rename, a write), so that
   * rotations faster than the poll are seen while they happen; the poll stays as the fallback
   * where the folder cannot be watched.
   */
  private watchFolder(): void {
    try {
      this.watcher = watch(fsPath(dirname(this.path)), { persistent: false }, () => this.wake?.());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      this.watcher = null;
    }
  }

  /** Stops following: reads nothing more, ends the generation, closes the file. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.running;
    this.running = null;
  }

  private markSeen(st: Stats): void {
    const key = `${st.dev}:${st.ino}`;
    if (this.seen.includes(key)) return;
    this.seen.push(key);
    if (this.seen.length > SEEN_CAP) {
      this.seen.shift();
      this.forgotten++;
    }
  }

  private generation(fh: FileHandle, file: string, st: Stats, offset: number): Generation {
    this.markSeen(st);
    const empty = Buffer.alloc(0);
    // The size is taken only from reads that found the bytes they expected (readChunk): a size
    // from before a truncation would count its bytes as lost.
    return { fh, file, ino: st.ino, dev: st.dev, offset, sizeSeen: offset, signature: empty, head: empty, splitter: this.splitter(offset), ahead: null };
  }

  /** The line splitter of a generation read from `offset` on. */
  private splitter(offset: number): LineSplitter {
    const h = this.handlers;
    return new LineSplitter(
      {
        line: h.rawLine ?? ((no, bytes, start, end, ascii, at) => h.line?.(decodeLine(bytes, start, end, ascii), no, at)),
        oversized: (no, head, at) => (h.oversized ? h.oversized(head, no, at) : h.line?.(head, no, at)),
      },
      offset,
    );
  }

  /**
   * handlers.catchUp on the generation first opened; true when following is being stopped.
   * Reading goes on after the lines it read, or from the start when it read none.
   */
  private async catchUp(gen: Generation): Promise<boolean> {
    const end = this.catchUpEnd;
    this.catchUpEnd = 0;
    if (end === 0 || gen.offset !== 0) return false;
    const r = await this.handlers.catchUp!({ fd: gen.fh.fd, end });
    if (r === 'stopped') return true;
    if (r === null || r.bytes === 0) return false;
    gen.offset = r.bytes;
    gen.sizeSeen = r.bytes;
    gen.splitter = this.splitter(r.bytes);
    gen.splitter.lines = r.lines;
    await this.prime(gen);
    this.handlers.progress?.({ offset: gen.offset, size: gen.sizeSeen });
    return false;
  }

  /** A generation that starts past 0 (--from-end): its head and signature from the file. */
  private async prime(gen: Generation): Promise<void> {
    gen.head = await readAt(gen.fh, 0, Math.min(SIGNATURE_BYTES, gen.offset));
    const n = Math.min(SIGNATURE_BYTES, gen.offset);
    gen.signature = await readAt(gen.fh, gen.offset - n, n);
  }

  private async loop(): Promise<void> {
    let first = true;
    let reads = 0;
    try {
      if (this.catchUpEnd > 0 && (await this.catchUp(this.gen!))) return;
      while (!this.stopped) {
        // The path's identity on every read: a rename is seen before the next chunk. Not while
        // a read is ahead (the last one was full): check() would read the old file to its end
        // before switching anyway, so the bytes read are the same.
        const rotated = reads++ === 0 || this.gen!.ahead !== null ? false : await this.check();
        if (this.stopped) break;
        const r = await this.readChunk(this.gen!);
        if (r === 'truncated') {
          await this.truncated();
          continue;
        }
        if (r.bytes > 0) {
          this.idlePolls = 0;
          continue;
        }
        if (first) {
          first = false;
          this.handlers.caughtUp?.();
        }
        if (rotated || this.stopped) continue;
        if (++this.idlePolls % IDLE_POLLS_PER_LOOK === 0 && this.gen!.offset === 0) await this.copiesWhileEmpty();
        await this.sleep();
      }
    } catch (err) {
      this.handlers.warning?.(`stopped following: ${describeSystemError(err)}`);
    } finally {
      // A line still without its newline is left: the writer may be in the middle of it.
      const gen = this.gen;
      this.gen = null;
      if (gen) {
        this.handlers.end({ reason: 'stop' });
        await gen.fh.close().catch(() => undefined);
      }
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      this.wake = () => {
        this.wake = null;
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        resolve();
      };
      this.timer = setTimeout(this.wake, this.pollMs);
    });
  }

  /**
   * One read at `gen`'s offset, handing on the complete lines. The read starts SIGNATURE_BYTES
   * early: when those bytes are not the ones read there before, or the file is smaller than seen,
   * the file was truncated (and perhaps regrown) and nothing of this read is used. In one call,
   * so that no truncation can fall between the check and the read.
   */
  private async readChunk(gen: Generation): Promise<ReadResult> {
    const n = gen.signature.length;
    const ahead = gen.ahead;
    gen.ahead = null;
    const r = ahead !== null && ahead.offset === gen.offset && ahead.n === n ? await ahead.read : await this.fetch(gen, this.buf);
    if ('error' in r) throw r.error;
    const { size, buf, bytesRead } = r;
    if (size < gen.sizeSeen) return 'truncated';
    if (bytesRead < n || !buf.subarray(0, n).equals(gen.signature)) return 'truncated';
    // Only when the bytes before the offset were found again is `size` known to be this
    // generation's, not a regrown file's (at offset 0 there are none: a truncation may have come
    // between the stat and the read); what a truncation took is counted from it.
    gen.sizeSeen = Math.max(gen.sizeSeen, n > 0 ? size : 0, gen.offset + bytesRead - n);
    const got = bytesRead - n;
    if (got === 0) return { bytes: 0 };
    const data = buf.subarray(n, bytesRead);
    if (gen.head.length < SIGNATURE_BYTES && gen.head.length === gen.offset) {
      gen.head = Buffer.concat([gen.head, data.subarray(0, SIGNATURE_BYTES - gen.head.length)]);
    }
    gen.offset += got;
    gen.signature = Buffer.from(buf.subarray(Math.max(0, bytesRead - SIGNATURE_BYTES), bytesRead));
    // A full read: there is more (catching up with a long log). The next read goes on while this
    // chunk is handled, into a buffer of its own; it is used only if nothing moved the offset.
    if (bytesRead === buf.length && !this.stopped) {
      gen.ahead = { offset: gen.offset, n: gen.signature.length, read: this.fetch(gen, this.spare.pop() ?? Buffer.allocUnsafeSlow(buf.length)) };
    }
    gen.splitter.push(data);
    // Its lines are handed on (and copied where kept): a read-ahead buffer can take the next read.
    // One whose read was left (the offset moved) is never taken back: it may still be written.
    if (buf !== this.buf && this.spare.length < 2) this.spare.push(buf);
    this.takeNulBytes(gen);
    this.handlers.progress?.({ offset: gen.offset, size: Math.max(gen.sizeSeen, gen.offset) });
    return { bytes: got };
  }

  /**
   * The file's size, then its bytes from SIGNATURE_BYTES before `gen`'s offset into `buf` (in
   * that order: see readChunk()). Never rejects: a failure is returned, for the caller to throw.
   */
  private async fetch(gen: Generation, buf: Buffer): Promise<Fetched> {
    const { fh } = gen;
    const at = gen.offset - gen.signature.length;
    try {
      const size = (await fh.stat()).size;
      const { bytesRead } = await fh.read(buf, 0, buf.length, at);
      return { size, buf, bytesRead };
    } catch (error) {
      return { error };
    }
  }

  /** Reads `gen` to the end of its file (a rotated file, or the old one after a rename); returns the bytes read. */
  private async drain(gen: Generation): Promise<number> {
    let total = 0;
    while (!this.stopped) {
      const r = await this.readChunk(gen);
      if (r === 'truncated' || r.bytes === 0) break;
      total += r.bytes;
    }
    return total;
  }

  private takeNulBytes(gen: Generation): void {
    if (gen.splitter.nulBytes > 0) {
      this.handlers.nulBytes?.(gen.splitter.nulBytes);
      gen.splitter.nulBytes = 0;
    }
  }

  private lose(bytes: number, why: string): void {
    if (bytes <= 0) return;
    this.lostBytes += bytes;
    this.handlers.lost?.(bytes, why);
  }

  /** Has the path been renamed away or re-created? True when a new generation began. */
  private async check(): Promise<boolean> {
    const gen = this.gen!;
    let named: Stats | null;
    try {
      named = await stat(fsPath(this.path));
    } catch {
      named = null; // renamed away or deleted, not re-created yet: keep reading the old descriptor
    }
    if (named === null || (named.ino === gen.ino && named.dev === gen.dev)) return false;
    // A new file under the name. Finish the old one; switch once the new one has data, or
    // once files rotated after the old one are found (then nobody writes to it any more).
    await this.drain(gen);
    if (this.stopped) return false;
    if (named.size === 0 && !(await this.siblings()).some((m) => !m.seen && m.st.mtimeMs > this.startMtimeMs && m.st.ino !== named.ino)) return false;
    let fh: FileHandle;
    try {
      fh = await open(fsPath(this.path), 'r');
    } catch (err) {
      // Gone again (rotated once more): the next look finds what is there now.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.handlers.warning?.(`${this.path}: cannot open the new file yet: ${describeSystemError(err)}`);
      }
      return false;
    }
    const st = await fh.stat();
    const old = await gen.fh.stat().catch(() => null);
    const reason: FollowReason = old !== null && old.nlink === 0 ? 'recreate' : 'rename';
    // Read the old file once more: the writer may have added lines while we looked.
    await this.drain(gen);
    this.endGeneration(reason);
    await gen.fh.close().catch(() => undefined);
    const beside = await this.siblings();
    const movedTo = old === null || old.nlink === 0 ? null : (beside.find((m) => m.st.ino === gen.ino && m.st.dev === gen.dev)?.path ?? null);
    this.handlers.rotated?.({ reason, to: movedTo, at: new Date() });
    // Rotations faster than we looked: files that were at the path in between, read now.
    for (const missed of beside) {
      if (missed.seen || (missed.st.ino === st.ino && missed.st.dev === st.dev)) continue;
      if (missed.st.mtimeMs > this.startMtimeMs) await this.readWhole(missed, 'rename');
    }
    if ((named.ino !== st.ino || named.dev !== st.dev) && !this.seen.includes(`${named.dev}:${named.ino}`)) {
      this.lose(named.size, 'a rotated file was gone before it could be read');
    }
    this.rotations++;
    this.gen = this.generation(fh, this.path, st, 0);
    this.handlers.begin({ reason, reference: new Date(), file: this.path });
    return true;
  }

  /**
   * The file was truncated (copytruncate copies it, then truncates it). What we had not read of
   * it is in the copy: the file beside it that starts with the bytes this generation started
   * with, read from our offset on. Copies of generations that came and went between two reads
   * (no byte of them read: their start is unknown) are read whole, oldest first. If the file now
   * holds the generation of the newest of those (copied, not truncated yet), reading goes on in
   * the file where the copy ended. Only what is in no copy is counted as lost.
   */
  private async truncated(): Promise<void> {
    const gen = this.gen!;
    const beside = (await this.siblings()).filter((c) => c.st.mtimeMs > this.startMtimeMs);
    let copied = 0;
    let copy: string | null = null;
    const others: Sibling[] = [];
    for (const c of beside) {
      const which = await this.isCopyOf(c, gen);
      if (which === 'yes') {
        const bytes = await this.readRestFrom(c, gen);
        if (bytes > copied) {
          copied = bytes;
          copy = c.path;
        }
      } else if (which === 'no' && !c.seen) others.push(c);
    }
    // What was seen of the file and is in no copy went with the truncation.
    this.lose(gen.sizeSeen - Math.max(gen.offset, copied), 'the file was truncated before it was read to its end');
    this.endGeneration('truncate');
    this.rotations++;
    this.handlers.rotated?.({ reason: 'truncate', to: copy, at: new Date() });
    const st = await gen.fh.stat();
    for (let i = 0; i < others.length; i++) {
      const continued = await this.readWhole(others[i]!, 'truncate', i === others.length - 1 ? gen.fh : null);
      if (continued) {
        this.gen = continued;
        return;
      }
    }
    this.gen = this.generation(gen.fh, this.path, st, 0);
    this.handlers.begin({ reason: 'truncate', reference: new Date(), file: this.path });
  }

  /**
   * While the file is empty and we have read nothing of it, a copytruncate leaves no trace in
   * it: the copy beside it (not read, changed since following began) is the only sign.
   */
  private async copiesWhileEmpty(): Promise<void> {
    const gen = this.gen!;
    if ((await gen.fh.stat()).size !== 0) return;
    const missed = (await this.siblings()).filter((c) => !c.seen && c.st.mtimeMs > this.startMtimeMs);
    if (missed.length === 0) return;
    // The generation we were in is the one copied (each copy read counts as a rotation).
    this.endGeneration('truncate');
    this.handlers.rotated?.({ reason: 'truncate', to: missed.at(-1)!.path, at: new Date() });
    for (const m of missed) await this.readWhole(m, 'truncate');
    this.gen = this.generation(gen.fh, this.path, await gen.fh.stat(), 0);
    this.handlers.begin({ reason: 'truncate', reference: new Date(), file: this.path });
  }

  /** Is `c` a copy of `gen` (it starts as the generation did, and holds what we read before our offset)? */
  private async isCopyOf(c: Sibling, gen: Generation): Promise<'yes' | 'no' | 'unreadable'> {
    if (gen.head.length === 0) return 'no';
    let fh: FileHandle;
    try {
      fh = await open(fsPath(c.path), 'r');
    } catch {
      return 'unreadable';
    }
    try {
      if (!(await readAt(fh, 0, gen.head.length)).equals(gen.head)) return 'no';
      const n = gen.signature.length;
      if (c.st.size < gen.offset || n === 0) return 'yes';
      return (await readAt(fh, gen.offset - n, n)).equals(gen.signature) ? 'yes' : 'no';
    } finally {
      await fh.close().catch(() => undefined);
    }
  }

  /** Reads copy `c` of `gen` from gen's offset to its end, into gen (its unfinished line goes on); returns the copy's size. */
  private async readRestFrom(c: Sibling, gen: Generation): Promise<number> {
    let fh: FileHandle;
    try {
      fh = await open(fsPath(c.path), 'r');
    } catch {
      return 0;
    }
    try {
      const st = await fh.stat();
      this.markSeen(st);
      if (st.size <= gen.offset) return st.size;
      const at: Generation = { ...gen, fh, file: c.path, sizeSeen: gen.offset, ahead: null };
      await this.drain(at);
      gen.offset = at.offset;
      gen.signature = at.signature;
      gen.head = at.head;
      return at.offset;
    } finally {
      await fh.close().catch(() => undefined);
    }
  }

  /**
   * A rotated file never read (it came and went between two reads): read whole, as a
   * generation of its own. With `file` (the followed file's descriptor after a copytruncate):
   * when the file still holds what the copy holds (copied, not truncated yet), the generation
   * goes on in the file where the copy ended, and is returned.
   */
  private async readWhole(c: Sibling, reason: FollowReason, file: FileHandle | null = null): Promise<Generation | null> {
    let fh: FileHandle;
    try {
      fh = await open(fsPath(c.path), 'r');
    } catch {
      return null;
    }
    try {
      const st = await fh.stat();
      if (this.seen.includes(`${st.dev}:${st.ino}`)) return null;
      this.rotations++;
      const gen = this.generation(fh, c.path, st, 0);
      this.gen = gen;
      this.handlers.begin({ reason, reference: st.mtime, file: c.path });
      await this.drain(gen);
      if (file !== null) {
        const fst = await file.stat();
        const n = gen.signature.length;
        const same =
          gen.offset > 0 && fst.size >= gen.offset && (await readAt(file, 0, gen.head.length)).equals(gen.head) && (await readAt(file, gen.offset - n, n)).equals(gen.signature);
        if (same) {
          // The copy may still have been being written: the file has the rest.
          gen.fh = file;
          gen.file = this.path;
          gen.ino = fst.ino;
          gen.dev = fst.dev;
          gen.sizeSeen = gen.offset;
          return gen;
        }
        // The file moved on: it was truncated after the copy was complete; read what came since we looked.
        await this.drain(gen);
      }
      this.endGeneration(reason);
      return null;
    } finally {
      await fh.close().catch(() => undefined);
    }
  }

  /**
   * Files next to the followed one that its rotation makes (`mail.log.1`, `mail.log-20261122`,
   * not compressed ones), oldest first (by mtime; equal ones by rotation number, highest first).
   */
  private async siblings(): Promise<Sibling[]> {
    const dir = dirname(this.path);
    const base = basename(this.path);
    let names: string[];
    try {
      names = await readdir(fsPath(dir) as string);
    } catch {
      return [];
    }
    const out: Sibling[] = [];
    for (const name of names) {
      const sep = name.charCodeAt(base.length);
      if (!name.startsWith(base) || (sep !== 46 /* . */ && sep !== 45 /* - */ && sep !== 95 /* _ */) || COMPRESSED_RE.test(name)) continue;
      const path = join(dir, name);
      const st = await stat(fsPath(path)).catch(() => null);
      if (st && st.isFile()) out.push({ path, st, seen: this.seen.includes(`${st.dev}:${st.ino}`) });
    }
    return out.sort((a, b) => a.st.mtimeMs - b.st.mtimeMs || rotationNumber(b.path) - rotationNumber(a.path));
  }

  /** A generation ends: an unfinished last line will never get its newline; it is lost, not parsed. */
  private endGeneration(reason: FollowReason): void {
    const gen = this.gen!;
    this.lose(gen.splitter.discard(), 'a last line without its newline was cut off by a rotation');
    this.takeNulBytes(gen);
    this.handlers.end({ reason });
  }
}

/** `n` bytes of `fh` at `pos` (fewer at its end). */
async function readAt(fh: FileHandle, pos: number, n: number): Promise<Buffer> {
  if (n <= 0) return Buffer.alloc(0);
  const b = Buffer.alloc(n);
  const { bytesRead } = await fh.read(b, 0, n, pos);
  return b.subarray(0, bytesRead);
}

/** Offset just past the last newline before `size` (within the last 64 KiB), else 0. */
async function linesEndBefore(fh: FileHandle, size: number): Promise<number> {
  const at = await lineStartBefore(fh, size);
  return at === size && size > 0 && (await readAt(fh, size - 1, 1))[0] !== 0x0a ? 0 : at;
}

/** Offset just past the last newline before `size` (within the last 64 KiB), else `size`. */
async function lineStartBefore(fh: FileHandle, size: number): Promise<number> {
  if (size === 0) return 0;
  const n = Math.min(size, 64 * 1024);
  const tail = Buffer.alloc(n);
  const { bytesRead } = await fh.read(tail, 0, n, size - n);
  const nl = tail.subarray(0, bytesRead).lastIndexOf(0x0a);
  return nl < 0 ? size : size - n + nl + 1;
}
