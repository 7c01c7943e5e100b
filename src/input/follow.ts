/**
 * `tail -F` for one log file: reads what is there (or starts at the end), then polls the path
 * with fs.stat every `pollMs` and hands on every complete line exactly once, across rotations:
 *
 * - rename (logrotate's default) and delete + recreate: the path names a new inode. The old
 *   file descriptor is read to its end first; the switch to the new file happens once the new
 *   file has data, so lines a syslog daemon still writes to the old file until it is told to
 *   reopen (logrotate `create` + postrotate HUP) are read too. A last line without its newline
 *   is handed on at the switch: nothing will complete it any more.
 * - copytruncate: same inode, and the file is shorter than what was read, or the bytes just
 *   before the read position changed (truncated and regrown within one poll). Reading restarts
 *   at 0. Lines written between the last poll and the truncation went only into the copy;
 *   that window (at most one poll) is the nature of copytruncate.
 * - the path missing for a while (between rename and re-create): the old descriptor keeps
 *   being read; following goes on when the path comes back.
 *
 * A partial last line is held until its newline arrives (bounded: past MAX_HELD_BYTES the
 * line is cut, handed on as an oversized line, and the rest up to the newline is skipped).
 * Lines end at `\n` or `\r\n`; invalid UTF-8 becomes U+FFFD, as with split2 in lines.ts.
 * Gzip files cannot be followed (they are not appended to); stdin is not handled here.
 */
import type { Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { describeSystemError, InputError } from '../errors.js';

/** Why a generation of the followed file began or ended. */
export type FollowReason = 'open' | 'rename' | 'recreate' | 'truncate' | 'stop';

export interface FollowHandlers {
  /**
   * A generation of the file begins: first open, the new file after a rotation, or after
   * truncation. `reference` is the newest a line can be: the file's mtime at open, else now.
   */
  begin(info: { reason: FollowReason; reference: Date }): void;
  /** One complete line of the current generation (`no` is 1-based within it). */
  line(text: string, no: number): void;
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

/** Longest line held while waiting for its newline (a little over the parser's 1 MiB limit). */
export const MAX_HELD_BYTES = 1024 * 1024 + 16;
/** Bytes before the read position remembered to notice a truncate-and-regrow within one poll. */
const SIGNATURE_BYTES = 64;

const GZIP_MAGIC = [0x1f, 0x8b];

interface Generation {
  fh: FileHandle;
  ino: number;
  dev: number;
  offset: number;
  lineNo: number;
}

export class Follower {
  /** Rotations seen so far (renames, re-creations and truncations). */
  rotations = 0;
  private gen: Generation | null = null;
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Skipping the rest of an over-long line up to its newline. */
  private skipping = false;
  private signature: Buffer = Buffer.alloc(0);
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
      info = await stat(this.path);
    } catch (err) {
      throw new InputError(this.path, describeSystemError(err));
    }
    if (info.isDirectory()) throw new InputError(this.path, 'is a directory (give the log file inside it)');
    // A FIFO or a device has no size or identity to follow, and opening a FIFO without a writer
    // would wait in a thread nothing can interrupt.
    if (!info.isFile()) throw new InputError(this.path, 'is not a regular file; -f follows log files (for a pipe: … | maillog-doctor -f -)');
    let fh: FileHandle;
    try {
      fh = await open(this.path, 'r');
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
    this.gen = { fh, ino: st.ino, dev: st.dev, offset, lineNo: 0 };
    await this.rememberSignature();
    // As for whole files, the year of classic syslog times is inferred against the file's mtime.
    this.handlers.begin({ reason: 'open', reference: st.mtime });
    this.running = this.loop();
  }

  /** Stops following: reads nothing more, ends the generation, closes the file. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    let first = true;
    try {
      while (!this.stopped) {
        if (!first) await this.check();
        if (this.stopped) break;
        await this.drain();
        if (first) {
          first = false;
          this.handlers.caughtUp?.();
        }
        if (!this.stopped) await this.sleep();
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

  /** Reads from the current offset to the end of the current descriptor, handing on complete lines. */
  private async drain(): Promise<void> {
    const gen = this.gen!;
    let size = -1;
    for (;;) {
      if (this.stopped) return;
      const { bytesRead } = await gen.fh.read(this.buf, 0, this.buf.length, gen.offset);
      if (bytesRead === 0) break;
      gen.offset += bytesRead;
      this.split(this.buf.subarray(0, bytesRead));
      if (this.handlers.progress) {
        if (size < gen.offset) size = (await gen.fh.stat()).size;
        this.handlers.progress({ offset: gen.offset, size: Math.max(size, gen.offset) });
      }
    }
    await this.rememberSignature();
  }

  /** Splits bytes into lines; the part after the last newline is held. */
  private split(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      if (this.skipping) {
        this.skipping = false;
      } else {
        this.hold(chunk.subarray(start, nl));
        this.emitHeld();
      }
      start = nl + 1;
    }
    if (start < chunk.length && !this.skipping) {
      this.hold(chunk.subarray(start));
      if (this.heldBytes > MAX_HELD_BYTES) {
        // Hand on what we have (the analysis counts it as oversized) and skip to the newline.
        this.emitHeld();
        this.skipping = true;
      }
    }
  }

  private hold(part: Buffer): void {
    if (part.length === 0) return;
    // Copy: the read buffer is reused.
    this.held.push(Buffer.from(part));
    this.heldBytes += part.length;
  }

  private emitHeld(): void {
    const bytes = this.held.length === 1 ? this.held[0]! : Buffer.concat(this.held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    const gen = this.gen!;
    gen.lineNo++;
    this.handlers.line(bytes.toString('utf8', 0, end), gen.lineNo);
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

  /** One poll: has the path been rotated, re-created or truncated? */
  private async check(): Promise<void> {
    const gen = this.gen!;
    let named: Stats | null;
    try {
      named = await stat(this.path);
    } catch {
      named = null; // renamed away or deleted, not re-created yet: keep reading the old descriptor
    }
    if (named === null) return;
    if (named.ino !== gen.ino || named.dev !== gen.dev) {
      // A new file under the name. Finish the old one; switch once the new one has data.
      await this.drain();
      if (named.size === 0 || this.stopped) return;
      const fresh = await stat(this.path).catch(() => null);
      if (fresh === null || fresh.size === 0) return;
      let fh: FileHandle;
      try {
        fh = await open(this.path, 'r');
      } catch (err) {
        this.handlers.warning?.(`${this.path}: cannot open the new file yet: ${describeSystemError(err)}`);
        return;
      }
      const st = await fh.stat();
      const old = await gen.fh.stat().catch(() => null);
      const reason: FollowReason = old !== null && old.nlink === 0 ? 'recreate' : 'rename';
      // Read the old file once more: the writer may have added lines while we looked.
      await this.drain();
      this.flushHeld();
      this.handlers.end({ reason });
      await gen.fh.close().catch(() => undefined);
      this.rotations++;
      this.gen = { fh, ino: st.ino, dev: st.dev, offset: 0, lineNo: 0 };
      this.signature = Buffer.alloc(0);
      this.handlers.begin({ reason, reference: new Date() });
      return;
    }
    if (named.size < gen.offset || (await this.signatureChanged())) {
      this.flushHeld();
      this.handlers.end({ reason: 'truncate' });
      this.rotations++;
      gen.offset = 0;
      gen.lineNo = 0;
      this.signature = Buffer.alloc(0);
      this.handlers.begin({ reason: 'truncate', reference: new Date() });
    }
  }

  /** At the end of a generation: a held line will not get its newline any more; hand it on. */
  private flushHeld(): void {
    if (this.heldBytes > 0) this.emitHeld();
    this.held = [];
    this.heldBytes = 0;
    this.skipping = false;
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
