/**
 * Write a report file so that readers see either the old file or the complete new one, never a
 * half-written one: write `.<name>.<pid>.<random>.tmp` in the target's folder (mode 0o644 less
 * the umask, created exclusively), fsync it, rename it over the target, fsync the folder.
 *
 * When the target is a symbolic link, rename replaces the link itself with the new file; the
 * file the link pointed to is not written through and stays as it was.
 *
 * A target that exists and is neither a regular file nor a folder (`/dev/stdout`, `/dev/full`,
 * a FIFO, a terminal) is written in place: renaming over it would replace the device node
 * itself (as root, `-o /dev/full` would have put a regular file where the device was).
 * Every byte is still written or the error reported.
 *
 * A target given as bytes (a Buffer: a file name that is not UTF-8, see src/input/paths.ts) is
 * written under exactly those bytes, its temp file beside it likewise.
 *
 * Temp files being written are listed in `pendingTempFiles`; the CLI calls
 * `cleanupPendingTempFiles()` from its SIGINT/SIGTERM handler so an interrupted write leaves
 * nothing behind. On any error the temp file is removed and an AtomicWriteError is thrown.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** Temp files created and not yet renamed or removed. */
export const pendingTempFiles = new Set<string | Buffer>();

/** Remove every pending temp file, synchronously (safe inside a signal handler). */
export function cleanupPendingTempFiles(): void {
  for (const path of pendingTempFiles) {
    try {
      unlinkSync(path);
    } catch {
      // already gone, or not ours to remove any more
    }
    pendingTempFiles.delete(path);
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'the target is a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EEXIST: 'a temporary file of that name already exists',
};

export class AtomicWriteError extends Error {
  override readonly name = 'AtomicWriteError';
  /** The file that could not be written. */
  readonly target: string;
  /** The system error code (`EACCES`, `ENOSPC`, …), when there is one. */
  readonly code: string | undefined;

  constructor(target: string, step: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | null)?.code;
    const reason = (code && REASONS[code]) ?? (cause instanceof Error ? cause.message : String(cause));
    super(`${reason} (${step}${code ? `, ${code}` : ''})`, { cause });
    this.target = target;
    this.code = code;
  }
}

/** Atomically replace `target` (a name, or its bytes) with `data` (UTF-8 when a string). */
export async function writeFileAtomic(target: string | Buffer, data: string | Uint8Array): Promise<void> {
  const existing = await stat(target).catch(() => null);
  if (existing !== null && !existing.isFile() && !existing.isDirectory()) return writeInPlace(target, data);
  const { dir, tmp } = tempBeside(target);
  let fh: FileHandle | undefined;
  let step = 'create a temporary file';
  try {
    fh = await open(tmp, 'wx', 0o644);
    pendingTempFiles.add(tmp);
    step = 'write';
    await fh.writeFile(data);
    step = 'flush to disk';
    await fh.sync();
    step = 'close';
    await fh.close();
    fh = undefined;
    step = 'rename into place';
    await rename(tmp, target);
    pendingTempFiles.delete(tmp);
  } catch (err) {
    // Closing is best effort; removing the temp file is what matters.
    if (fh !== undefined) await fh.close().catch(() => undefined);
    if (pendingTempFiles.has(tmp)) {
      await unlink(tmp).catch(() => undefined);
      pendingTempFiles.delete(tmp);
    }
    throw new AtomicWriteError(String(target), step, err);
  }
  await syncFolder(dir);
}

/** The folder of `target` and a temp file name in it: `.<name>.<pid>.<random>.tmp`, in bytes when the target is. */
function tempBeside(target: string | Buffer): { dir: string | Buffer; tmp: string | Buffer } {
  const tail = `.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  if (typeof target === 'string') {
    const dir = dirname(resolve(target));
    return { dir, tmp: join(dir, `.${basename(target)}${tail}`) };
  }
  const slash = target.lastIndexOf(0x2f);
  const dir = slash < 0 ? Buffer.from(process.cwd()) : slash === 0 ? Buffer.from('/') : target.subarray(0, slash);
  const name = target.subarray(slash + 1);
  return { dir, tmp: Buffer.concat([dir, Buffer.from(dir[dir.length - 1] === 0x2f ? '.' : '/.'), name, Buffer.from(tail)]) };
}

/** Make the rename itself durable; not every platform can open a folder, so failures are ignored. */
async function syncFolder(dir: string | Buffer): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // best effort (Windows, some network file systems)
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** A device, FIFO or socket: opened for writing and written to the end (fh.writeFile loops over short writes). */
async function writeInPlace(target: string | Buffer, data: string | Uint8Array): Promise<void> {
  let fh: FileHandle | undefined;
  let step = 'open';
  try {
    fh = await open(target, 'w');
    step = 'write';
    await fh.writeFile(data);
    step = 'close';
    await fh.close();
    fh = undefined;
  } catch (err) {
    if (fh !== undefined) await fh.close().catch(() => undefined);
    throw new AtomicWriteError(String(target), step, err);
  }
}
