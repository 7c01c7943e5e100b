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
import { decodeLine, LineSplitter } from './lines.js';
import { fsPath } from './paths.js';

/** Why a generation of the followed file began or ended. */
export type FollowReason = 'open' | 'rename' | 'recreate' | 'truncate' | 'stop';

export interface FollowHandlers {
  /**
   * A generation of the file begins: first open, the new file after a rotation, or after
   * truncation. `reference` is the newest a line can be: the file's mtime at open, else now.
   */
  begin(info: { reason: FollowReason; reference: Date }): void;
  /**
   * One complete line of the current generation (`no` is 1-based within it); `offset`: where it
   * starts in the generation's file.
   */
  line(text: string, no: number, offset: number): void;
  /** A line over MAX_LINE_BYTES, by its first characters (default: handed to `line`). */
  oversized?(head: string, no: number, offset: number): void;
  /** NUL bytes dropped from the lines handed on since the last call. */
  nulBytes?(n: number): void;
  /** Bytes that could not be read, and why (see the top of this file). */
  lost?(bytes: number, why: string): void;
  /** The current generation ends (`stop` when following stops). */
  end(info: { reason: FollowReason }): void;
  /** After each chunk read: bytes read of the current generation and its size. */
  progress?(p: { offset: number; size: number }): void;
  /** The first time everything that was in the file has been read. */
  caughtUp?(): void;
  /** Something worth telling that does not stop following (a reopen failed, …). */
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

/** Generations (dev:ino) remembered as read, so that a rotated file is never read twice. */
const SEEN_CAP = 64;
/** Rotated files that are compressed: their bytes are not the log's any more. */
const COMPRESSED_RE = /\.(?:gz|bz2|xz|zst|lz4|Z)$/;
/** Chunks read in a row before the path's identity is checked again. */
const READS_PER_CHECK = 16;
/** Bytes before the read position remembered to notice a truncate-and-regrow within one poll. */
const SIGNATURE_BYTES = 64;

const GZIP_MAGIC = [0x1f, 0x8b];

interface Generation {
  fh: FileHandle;
  ino: number;
  dev: number;
  offset: number;
  /** The largest size seen of this file (by fstat before a read). */
  sizeSeen: number;
  splitter: LineSplitter;
}

export class Follower {
  /** Rotations seen so far (renames, re-creations and truncations). */
  rotations = 0;
  /** Bytes that could not be read so far (see `lost`). */
  lostBytes = 0;
  private gen: Generation | null = null;
  private signature: Buffer = Buffer.alloc(0);
  /** drain() stopped because the file is shorter than the offset: check at once. */
  private shrunk = false;
  /** The generations read, as dev:ino (at most SEEN_CAP, oldest dropped). */
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

  constructor(
    readonly path: string,
    private readonly handlers: FollowHandlers,
    private readonly opts: FollowOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 250;
    this.buf = Buffer.allocUnsafe(opts.chunkBytes ?? 256 * 1024);
  }

  /**
   * Opens the file (an InputError when it cannot be followed) and starts following in the
   * background; `stop()` ends it. Resolves once the file is open.
   */
  async start(): Promise<void> {
    let info: Stats;
    try {
      info = await stat(fsPath(this.path));
    } catch (err) {
      throw new InputError(this.path, describeSystemError(err));
    }
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
    if (bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
      await fh.close();
      throw new InputError(this.path, 'is gzip-compressed; only plain log files can be followed (read it without -f)');
    }
    const offset = this.opts.fromEnd ? await lineStartBefore(fh, st.size) : 0;
    this.gen = this.generation(fh, st, offset);
    this.startMtimeMs = st.mtimeMs;
    await this.rememberSignature();
    // As for whole files, the year of classic syslog times is inferred against the file's mtime.
    this.handlers.begin({ reason: 'open', reference: st.mtime });
    this.watchFolder();
    this.running = this.loop();
  }

  /**
   * Wakes the loop as soon as anything in the file's folder changes (a rename, a write), so that
   * rotations faster than the poll are seen while they happen; the poll stays as the fallback
   * where the folder cannot be watched.
   */
  private watchFolder(): void {
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, () => this.wake?.());
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

  private generation(fh: FileHandle, st: Stats, offset: number): Generation {
    // A new generation's bytes before the offset are unknown (start() reads them for --from-end).
    this.signature = Buffer.alloc(0);
    this.seen.push(`${st.dev}:${st.ino}`);
    if (this.seen.length > SEEN_CAP) this.seen.shift();
    const splitter = new LineSplitter(
      {
        line: (no, bytes, start, end, ascii, at) => this.handlers.line(decodeLine(bytes, start, end, ascii), no, at),
        oversized: (no, head, at) => (this.handlers.oversized ? this.handlers.oversized(head, no, at) : this.handlers.line(head, no, at)),
      },
      offset,
    );
    return { fh, ino: st.ino, dev: st.dev, offset, sizeSeen: Math.max(st.size, offset), splitter };
  }

  private async loop(): Promise<void> {
    let first = true;
    try {
      while (!this.stopped) {
        const rotated = first ? false : await this.check();
        if (this.stopped) break;
        const read = await this.drain(READS_PER_CHECK);
        if (first) {
          first = false;
          this.handlers.caughtUp?.();
        }
        // Data is coming (or the file just shrank): check and read again at once; else wait for the next poll.
        if (!this.stopped && read === 0 && !rotated && !this.shrunk) await this.sleep();
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
   * Reads from the current offset towards the end of the current descriptor (at most `reads`
   * chunks; Infinity: to its end), handing on complete lines; returns the bytes read. Stops
   * early when the file got shorter than the offset (a truncation: check() handles it).
   */
  private async drain(reads: number): Promise<number> {
    const gen = this.gen!;
    let total = 0;
    for (let i = 0; i < reads && !this.stopped; i++) {
      // A file only grows while it is appended to: smaller than seen, or other bytes before
      // the offset, is a truncation (check() handles it) — noticed before the read, which would
      // otherwise take the middle of the new content for the rest of the old.
      const size = (await gen.fh.stat()).size;
      if (size < gen.sizeSeen || (await this.signatureChanged())) {
        this.shrunk = true;
        break;
      }
      gen.sizeSeen = size;
      const { bytesRead } = await gen.fh.read(this.buf, 0, this.buf.length, gen.offset);
      if (bytesRead === 0) break;
      gen.offset += bytesRead;
      total += bytesRead;
      if (bytesRead >= SIGNATURE_BYTES) this.signature = Buffer.from(this.buf.subarray(bytesRead - SIGNATURE_BYTES, bytesRead));
      else await this.rememberSignature();
      gen.splitter.push(this.buf.subarray(0, bytesRead));
      this.takeNulBytes(gen);
      this.handlers.progress?.({ offset: gen.offset, size: Math.max(gen.sizeSeen, gen.offset) });
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

  /** The bytes just before the offset, to tell a truncated-and-regrown file from an appended one. */
  private async rememberSignature(): Promise<void> {
    const gen = this.gen!;
    const n = Math.min(SIGNATURE_BYTES, gen.offset);
    const sig = Buffer.alloc(n);
    if (n > 0) await gen.fh.read(sig, 0, n, gen.offset - n);
    this.signature = sig;
  }

  private async signatureChanged(): Promise<boolean> {
    const gen = this.gen!;
    const n = this.signature.length;
    if (n === 0) return false;
    const now = Buffer.alloc(n);
    const { bytesRead } = await gen.fh.read(now, 0, n, gen.offset - n);
    return bytesRead !== n || !now.equals(this.signature);
  }

  /** Has the path been rotated, re-created or truncated? True when a new generation began. */
  private async check(): Promise<boolean> {
    const gen = this.gen!;
    this.shrunk = false;
    let named: Stats | null;
    try {
      named = await stat(fsPath(this.path));
    } catch {
      named = null; // renamed away or deleted, not re-created yet: keep reading the old descriptor
    }
    if (named === null) return false;
    if (named.ino !== gen.ino || named.dev !== gen.dev) {
      // A new file under the name. Finish the old one; switch once the new one has data, or
      // once files rotated after the old one are found (then nobody writes to it any more).
      await this.drain(Infinity);
      if (this.stopped) return false;
      if (named.size === 0 && !(await this.siblings()).some((m) => m.st.mtimeMs > this.startMtimeMs && m.st.ino !== named.ino)) return false;
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
      await this.drain(Infinity);
      this.endGeneration(reason);
      await gen.fh.close().catch(() => undefined);
      // Rotations faster than we looked: files that were at the path in between, read now.
      for (const missed of await this.siblings()) {
        if (missed.st.ino === st.ino && missed.st.dev === st.dev) continue;
        if (missed.st.mtimeMs > this.startMtimeMs) await this.readMissed(missed.path);
      }
      if ((named.ino !== st.ino || named.dev !== st.dev) && !this.seen.includes(`${named.dev}:${named.ino}`)) {
        this.lose(named.size, 'a rotated file was gone before it could be read');
      }
      this.rotations++;
      this.gen = this.generation(fh, st, 0);
      this.signature = Buffer.alloc(0);
      this.handlers.begin({ reason, reference: new Date() });
      return true;
    }
    const size = (await gen.fh.stat()).size;
    if (size < gen.sizeSeen || (await this.signatureChanged())) {
      // copytruncate copies the file, then truncates it: what we had not read yet is in the copy.
      const copied = await this.readRestFromCopy(gen);
      // What was seen of the file and is in no copy went with the truncation.
      this.lose(gen.sizeSeen - Math.max(gen.offset, copied), 'the file was truncated before it was read to its end');
      this.endGeneration('truncate');
      this.rotations++;
      this.gen = this.generation(gen.fh, { ...named, size } as Stats, 0);
      this.gen.sizeSeen = size;
      this.signature = Buffer.alloc(0);
      this.handlers.begin({ reason: 'truncate', reference: new Date() });
      return true;
    }
    return false;
  }

  /**
   * Files next to the followed one that its rotation makes (`mail.log.1`, `mail.log-20261122`,
   * not compressed ones), not read yet, oldest first.
   */
  private async siblings(): Promise<Array<{ path: string; st: Stats }>> {
    const dir = dirname(this.path);
    const base = basename(this.path);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    const out: Array<{ path: string; st: Stats }> = [];
    for (const name of names) {
      const sep = name.charCodeAt(base.length);
      if (!name.startsWith(base) || (sep !== 46 /* . */ && sep !== 45 /* - */ && sep !== 95 /* _ */) || COMPRESSED_RE.test(name)) continue;
      const path = join(dir, name);
      const st = await stat(path).catch(() => null);
      if (st && st.isFile() && !this.seen.includes(`${st.dev}:${st.ino}`)) out.push({ path, st });
    }
    return out.sort((a, b) => a.st.mtimeMs - b.st.mtimeMs);
  }

  /** A rotated file never read (it came and went between two looks): read whole, as a generation of its own. */
  private async readMissed(path: string): Promise<void> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch {
      return;
    }
    try {
      const st = await fh.stat();
      if (this.seen.includes(`${st.dev}:${st.ino}`)) return;
      this.rotations++;
      this.gen = this.generation(fh, st, 0);
      this.handlers.begin({ reason: 'rename', reference: st.mtime });
      await this.drain(Infinity);
      this.endGeneration('rename');
    } finally {
      await fh.close().catch(() => undefined);
    }
  }

  /**
   * After a truncation: a copy of the file (a sibling holding, just before our offset, the bytes
   * we read there) is read from the offset to its end into the current generation. Returns the
   * copy's size (0: no copy found).
   */
  private async readRestFromCopy(gen: Generation): Promise<number> {
    const sig = this.signature;
    const recent = (await this.siblings()).filter((c) => c.st.mtimeMs > this.startMtimeMs);
    if (sig.length === 0) return 0;
    for (let i = recent.length - 1; i >= 0; i--) {
      const c = recent[i]!;
      if (c.st.size < gen.offset) continue;
      let fh: FileHandle;
      try {
        fh = await open(c.path, 'r');
      } catch {
        continue;
      }
      try {
        const at = Buffer.alloc(sig.length);
        const { bytesRead } = await fh.read(at, 0, sig.length, gen.offset - sig.length);
        if (bytesRead !== sig.length || !at.equals(sig)) continue;
        const st = await fh.stat();
        this.seen.push(`${st.dev}:${st.ino}`);
        if (this.seen.length > SEEN_CAP) this.seen.shift();
        const copy: Generation = { ...gen, fh, sizeSeen: st.size };
        this.gen = copy;
        await this.drain(Infinity);
        this.gen = gen;
        return st.size;
      } finally {
        this.gen = gen;
        await fh.close().catch(() => undefined);
      }
    }
    return 0;
  }

  /** The first bytes of a file (up to SIGNATURE_BYTES), to tell which copy holds what the file holds now. */
  private async headOf(fh: FileHandle): Promise<Buffer> {
    const b = Buffer.alloc(SIGNATURE_BYTES);
    const { bytesRead } = await fh.read(b, 0, b.length, 0);
    return b.subarray(0, bytesRead);
  }

  /** A generation ends: an unfinished last line will never get its newline; it is lost, not parsed. */
  private endGeneration(reason: FollowReason): void {
    const gen = this.gen!;
    this.lose(gen.splitter.discard(), 'a last line without its newline was cut off by a rotation');
    this.takeNulBytes(gen);
    this.handlers.end({ reason });
  }
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
