/**
 * A folder given as input stands for the log files in it, oldest first: Exchange keeps its
 * tracking logs as MSGTRK*.LOG files in one folder, Exim as mainlog, mainlog.1, mainlog.2.gz.
 * Other names (and hidden files) are left out, so a folder like /var/log is not read whole.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { displayName, fsPath } from './paths.js';

// `x.log`, `x.LOG`, `x.log.1`, `x.log.2.gz`, `mainlog`, `rejectlog.1`, `maillog-20261122.gz`
const LOG_NAME_RE = /(?:\.log|^mainlog|^rejectlog|^maillog|^mail)(?:[.-]\d{1,8})?(?:\.gz)?$/i;

export function isLogName(name: string): boolean {
  return !name.startsWith('.') && LOG_NAME_RE.test(name);
}

// `mail.log.2`, `mail.log.2.gz`, `mainlog-3` → 2, 2, 3. Not `maillog-20261122` (a date: 8 digits).
const ROTATION_NUMBER_RE = /[.-](\d{1,6})(?:\.gz)?$/;

/** The rotation number of a rotated file's name (`mail.log.2.gz` → 2); 0 for the live file or a dated name. */
export function rotationNumber(name: string): number {
  const m = ROTATION_NUMBER_RE.exec(name);
  return m ? Number(m[1]) : 0;
}

// A rotated file's suffix: a number or a date (`mail.log.1`, `maillog-20261122.gz`); the live file has none.
const ROTATED_RE = /[.-]\d{1,8}(?:\.gz)?$/;

/** Order of two files of equal mtime: rotated before live, the highest rotation number first, then by name (dates ascending). */
function byRotation(a: string, b: string): number {
  return (
    Number(ROTATED_RE.test(b)) - Number(ROTATED_RE.test(a)) || rotationNumber(b) - rotationNumber(a) || (a < b ? -1 : a > b ? 1 : 0)
  );
}

/**
 * The log files of `dir` in time order: modification time, then (logrotate and Exim number
 * rotated files from the newest, 1) the highest rotation number first, then name. Rotated files
 * often share one mtime (copied together, or unpacked from an archive). Null if not a folder.
 */
export function logFilesIn(dir: string): string[] | null {
  let names: Buffer[];
  const dirBytes = fsPath(dir);
  try {
    if (!statSync(dirBytes).isDirectory()) return null;
    // As bytes: a name that is not UTF-8 is read too, shown escaped (src/input/paths.ts).
    names = readdirSync(dirBytes, { encoding: 'buffer' });
  } catch {
    return null; // the pipeline reports the path's own error
  }
  const files: Array<{ path: string; name: string; mtime: number }> = [];
  for (const bytes of names) {
    const name = displayName(bytes);
    if (!isLogName(name)) continue;
    const raw = Buffer.concat([typeof dirBytes === 'string' ? Buffer.from(dirBytes) : dirBytes, Buffer.from('/'), bytes]);
    const path = displayName(raw) === raw.toString('utf8') ? join(dir, name) : displayName(raw);
    try {
      const s = statSync(fsPath(path));
      if (s.isFile()) files.push({ path, name, mtime: s.mtimeMs });
    } catch {
      // vanished or unreadable: it was not there to read
    }
  }
  files.sort((a, b) => a.mtime - b.mtime || byRotation(a.name, b.name));
  return files.map((f) => f.path);
}

/** Replaces each folder by its log files; a folder with none stays, so its error is reported. */
export function expandInputs(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    if (p === '-') return [p];
    const inside = logFilesIn(p);
    return inside === null || inside.length === 0 ? [p] : inside;
  });
}
