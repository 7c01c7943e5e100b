/**
 * Columns of the findings table, fitted to the terminal width (Gemini-style descriptors: id,
 * header, min / soft widths). The MTA and host columns are there only when the run holds more
 * than one MTA or host (as in the text report). Narrow terminals first squeeze the text
 * columns to their soft widths, then the hint, the cause, the codes and the host
 * further (the recipient domain last), and below 72 and 56 columns drop the trend and the
 * codes. Pure: FindingsTable.tsx renders it.
 */
import { codesCell, hostCell } from '../report/text.js';
import { sanitize } from '../text/sanitize.js';
import { displayWidth, fit } from '../text/width.js';
import { formatCount } from './format.js';
import type { Row } from './state.js';

export type ColumnId =
  | 'mark'
  | 'rank'
  | 'mta'
  | 'host'
  | 'msgs'
  | 'count'
  | 'trend'
  | 'dir'
  | 'codes'
  | 'domain'
  | 'cause'
  | 'hint';

/** Which optional columns to show: see runShape() in report/text.ts. */
export interface TableShape {
  mtas: boolean;
  hosts: boolean;
}

export interface Column {
  id: ColumnId;
  header: string;
  width: number;
  right: boolean;
}

const DIRECTION_SHORT: Record<string, string> = { inbound: 'in', outbound: 'out', local: 'local' };

/** Widest sparkline shown. */
export const TREND_WIDTH = 12;

/** Cell texts of one row (sanitised: log text never reaches the terminal raw). */
export function cellsOf(row: Row, spark: string): Record<ColumnId, string> {
  const f = row.finding;
  return {
    // `+` new while following, else `!` for permanent (5xx) failures as in the text report.
    mark: row.isNew ? '+' : f.permanent ? '!' : ' ',
    rank: String(f.rank),
    mta: sanitize(f.mta),
    host: hostCell(f),
    msgs: formatCount(f.messages),
    count: formatCount(row.count),
    trend: spark,
    dir: DIRECTION_SHORT[f.direction] ?? sanitize(f.direction),
    codes: sanitize(codesCell(f)),
    domain: f.recipientDomain === null ? '-' : sanitize(f.recipientDomain),
    cause: sanitize(f.cause),
    hint: sanitize(f.hint),
  };
}

interface Spec {
  id: ColumnId;
  header: string;
  right?: boolean;
  /** Narrowest it may get; Infinity for columns that never shrink. */
  min: number;
  /** Kept until every other column is down to its own soft width. */
  soft?: number;
}

const SPECS: Spec[] = [
  { id: 'mark', header: ' ', min: Infinity },
  { id: 'rank', header: '#', right: true, min: Infinity },
  { id: 'mta', header: 'mta', min: Infinity },
  { id: 'host', header: 'host', min: 4, soft: 12 },
  { id: 'msgs', header: 'msgs', right: true, min: Infinity },
  { id: 'count', header: 'count', right: true, min: Infinity },
  { id: 'trend', header: 'trend', min: Infinity },
  { id: 'dir', header: 'dir', min: 3 },
  { id: 'codes', header: 'codes', min: 3, soft: 9 },
  { id: 'domain', header: 'recipient domain', min: 6, soft: 18 },
  { id: 'cause', header: 'cause', min: 6, soft: 14 },
  { id: 'hint', header: 'hint', min: 8, soft: 24 },
];

const SQUEEZE_ORDER: ColumnId[] = ['hint', 'cause', 'codes', 'host', 'dir', 'domain'];

/** Space before each column (none before the first). */
const gapBefore = (id: ColumnId): number => (id === 'mark' ? 0 : id === 'rank' ? 1 : 2);

/**
 * Column widths for `width` terminal columns, from the cells of `sample` (the rows in view;
 * callers cap how many). The last column takes whatever is left, so rows span the width.
 */
export function tableLayout(
  width: number,
  sample: ReadonlyArray<Record<ColumnId, string>>,
  trendWidth = TREND_WIDTH,
  shape: TableShape = { mtas: false, hosts: false },
): Column[] {
  let specs = SPECS.filter((s) => (s.id !== 'mta' || shape.mtas) && (s.id !== 'host' || shape.hosts));
  // Drop what matters least when there is no room: first the trend, then the codes.
  if (width < 72 || trendWidth <= 0) specs = specs.filter((s) => s.id !== 'trend');
  if (width < 56) specs = specs.filter((s) => s.id !== 'codes');
  const widths = specs.map((s) => {
    if (s.id === 'trend') return trendWidth;
    return Math.max(displayWidth(s.header), ...sample.map((c) => displayWidth(c[s.id])));
  });
  const gaps = specs.reduce((g, s) => g + gapBefore(s.id), 0);
  let total = widths.reduce((a, b) => a + b, 0) + gaps;
  // First every column down to its soft width, widest first…
  while (total > width) {
    let pick = -1;
    for (let i = 0; i < specs.length; i++) {
      if (widths[i]! <= (specs[i]!.soft ?? specs[i]!.min)) continue;
      if (pick < 0 || widths[i]! > widths[pick]!) pick = i;
    }
    if (pick < 0) break;
    widths[pick]!--;
    total--;
  }
  // …then in order of what matters least: the hint, the cause, the codes, the host; the domain last.
  for (const id of SQUEEZE_ORDER) {
    const i = specs.findIndex((s) => s.id === id);
    if (i < 0 || total <= width) continue;
    const take = Math.min(total - width, Math.max(0, widths[i]! - specs[i]!.min));
    widths[i]! -= take;
    total -= take;
  }
  if (total < width) widths[widths.length - 1]! += width - total;
  return specs.map((s, i) => ({ id: s.id, header: s.header, width: widths[i]!, right: s.right ?? false }));
}

/** The cells of a row laid out as `[gap, cell]` pairs, each cell fitted to its column. */
export function layoutCells(columns: readonly Column[], cells: Record<ColumnId, string>): Array<[string, string, ColumnId]> {
  return columns.map((c) => [' '.repeat(gapBefore(c.id)), fit(cells[c.id], c.width, c.right), c.id]);
}

/** The header row's cells. */
export function headerCells(columns: readonly Column[]): Array<[string, string, ColumnId]> {
  return columns.map((c) => [' '.repeat(gapBefore(c.id)), fit(c.header, c.width, c.right), c.id]);
}
