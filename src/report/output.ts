/**
 * Checked writes for everything the CLI writes that is not an atomic report file: standard
 * output, and the files written line by line (line-sink.ts). A failed or short write must never pass for a complete
 * one (a full disk, `/dev/full`, a closed descriptor), so every write loops until every byte
 * is written or an error is known, and the error is kept for the caller to report.
 */
import { fstatSync, readFileSync, writeSync } from 'node:fs';
import { describeSystemError } from '../errors.js';

type WriteFn = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

/**
 * Writes all of `data` to `fd`, however many calls it takes: `write(2)` may write less than
 * asked (a disk that fills up mid-way) and Node's own stream for a file descriptor does not
 * retry. A write that makes no progress twice running is an error (ENOSPC), not a loop.
 */
export function writeAllSync(fd: number, data: string | Uint8Array, write: WriteFn = writeSync): void {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let off = 0;
  let stalled = 0;
  while (off < buf.length) {
    const n = write(fd, buf, off, buf.length - off);
    if (n > 0) {
      off += n;
      stalled = 0;
    } else if (++stalled >= 2) {
      throw Object.assign(new Error('no space left on the device'), { code: 'ENOSPC' });
    }
  }
}

/** What a failed write says: `no space left on device (ENOSPC)`. */
export function writeFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC') return 'no space left on the device (ENOSPC)';
  if (code === 'EDQUOT') return 'disk quota exceeded (EDQUOT)';
  if (code === 'EBADF') return 'it is closed (EBADF)';
  const reason = describeSystemError(err);
  return code && !reason.includes(code) ? `${reason} (${code})` : reason;
}

/**
 * True when standard output was closed when the program started (`maillog-doctor … >&-`).
 * Node reopens a closed descriptor 0–2 on /dev/null read-write before any JavaScript runs, so a
 * report written there would vanish with every write succeeding. Redirections by a shell
 * (`>/dev/null`) or systemd (`StandardOutput=null`) open /dev/null write-only, so a read-write
 * /dev/null on descriptor 1 is taken as the mark of a closed one. Linux only (/proc); false
 * elsewhere.
 */
export function stdoutWasClosed(): boolean {
  try {
    const st = fstatSync(1);
    // /dev/null is the character device 1,3 on Linux.
    if (!st.isCharacterDevice() || st.rdev !== 259) return false;
    const info = readFileSync('/proc/self/fdinfo/1', 'latin1');
    const flags = /^flags:\s+([0-7]+)$/m.exec(info);
    return flags !== null && (parseInt(flags[1]!, 8) & 3) === 2;
  } catch {
    return false;
  }
}

/** Standard output goes to a file or device (not a pipe, socket or terminal): write it with writeAllSync. */
export function stdoutIsFile(): boolean {
  try {
    const st = fstatSync(1);
    return st.isFile() || (st.isCharacterDevice() && process.stdout.isTTY !== true);
  } catch {
    return false;
  }
}

