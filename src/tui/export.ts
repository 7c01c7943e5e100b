/**
 * The `e` key: the findings of the current view (direction, filter, time window, sort) as the
 * CSV report, written atomically. Counts and the other columns are those of the whole log,
 * as in `--format csv`; only the set and order of rows follow the view.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Snapshot } from '../aggregate/types.js';
import { writeFileAtomic } from '../report/atomic-write.js';
import { renderCsv } from '../report/csv.js';
import type { Row } from './state.js';

const two = (n: number): string => String(n).padStart(2, '0');

/** `./maillog-doctor-YYYYmmdd-HHMM.csv` in local time. */
export function defaultExportPath(now: Date): string {
  const stamp =
    `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}` + `-${two(now.getHours())}${two(now.getMinutes())}`;
  return `./maillog-doctor-${stamp}.csv`;
}

/** `~/x.csv` → the home folder's; anything else relative to the working folder. */
export function resolveExportPath(path: string, cwd = process.cwd()): string {
  const p = path.trim();
  if (p === '~' || p.startsWith('~/')) return resolve(homedir(), p.slice(2));
  return resolve(cwd, p);
}

/** Writes the rows as CSV; resolves with the absolute path written. */
export async function exportRows(path: string, snapshot: Snapshot, rows: readonly Row[]): Promise<string> {
  const target = resolveExportPath(path);
  await writeFileAtomic(
    target,
    renderCsv({ summary: snapshot.summary, findings: rows.map((r) => r.finding), traffic: snapshot.traffic, markers: snapshot.markers }),
  );
  return target;
}

/** Where an export goes: a file to write, one that exists (ask first), or why it cannot be. */
export type ExportPlan = { kind: 'write'; target: string } | { kind: 'exists'; target: string } | { kind: 'error'; error: string };

/**
 * Looks at the typed path before writing: empty is the default name; a folder (or a path ending
 * in `/`) gets the default file name inside it; an existing file must be confirmed first.
 */
export async function planExport(path: string, now: Date, cwd = process.cwd()): Promise<ExportPlan> {
  const name = basename(defaultExportPath(now));
  const typed = path.trim();
  if (typed === '') return planExport(defaultExportPath(now), now, cwd);
  let target = resolveExportPath(typed, cwd);
  if (typed.endsWith('/')) target = join(target, name);
  let info = await stat(target).catch(() => null);
  if (info?.isDirectory()) {
    target = join(target, name);
    info = await stat(target).catch(() => null);
  }
  if (info === null) return { kind: 'write', target };
  if (info.isDirectory()) return { kind: 'error', error: `${target} is a folder` };
  return { kind: 'exists', target };
}
