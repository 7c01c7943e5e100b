/**
 * Columns of the findings table, fitted to the terminal width (Gemini-style descriptors: id,
 * header, min / soft widths). The MTA and host columns are there only when the run holds more
 * than one MTA or host (as in the text report). Narrow terminals first squeeze the text
 * columns but the cause and codes to their soft widths, then the hint and direction further;
 * rather than cut the host, recipient domain, codes or cause they drop the hint; only then are
 * those cut, the cause and codes last. Below 72 and 56 columns the trend and the codes go.
 * Pure: FindingsTable.tsx renders it.
 */
import { codesCell, hostCell } from '../report/text.js';
import { sanitize } from '../text/sanitize.js';
import { displayWidth, fit } from '../text/width.js';
import { formatCount } from './format.js';
import type { Row } from './state.js';

export type ColumnId =
  | 'cursor'
  | 'mark'
  | 'act'
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
  /** A `>` column marking the selected row, for terminals without colour (inverse may be lost too). */
  cursor?: boolean;
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
    // FindingsTable puts `>` here on the selected row.
    cursor: '',
    // `+` new while following, else `!` for permanent (5xx) failures as in the text report.
    mark: row.isNew ? '+' : f.permanent ? '!' : ' ',
    // `*` when the fix is on this server (Finding.action), as in the text report.
    act: f.action === 'actionable' ? '*' : ' ',
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
  { id: 'cursor', header: '  ', min: Infinity },
  { id: 'mark', header: ' ', min: Infinity },
  { id: 'act', header: ' ', min: Infinity },
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

// The cause and the codes say what went wrong: on a narrow terminal they keep their room longer
// than the recipient domain, which is cut first (after the hint, direction and host). Only the
// cause's long tail (`sender-auth-failed`) goes before the domain: down to its soft width.
const SQUEEZE_ORDER: Array<[ColumnId, 'min' | 'soft']> = [
  ['hint', 'min'],
  ['dir', 'min'],
  ['host', 'min'],
  ['cause', 'soft'],
  ['domain', 'min'],
  ['codes', 'min'],
  ['cause', 'min'],
];

/**
 * Space before each column (none before the first; the cursor column carries its own). The `act`
 * cell stands where the space before the rank was, so the marker costs no width.
 */
const gapBefore = (id: ColumnId): number => (id === 'mark' || id === 'act' || id === 'cursor' || id === 'rank' ? 0 : 2);

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
  let specs = SPECS.filter(
    (s) => (s.id !== 'mta' || shape.mtas) && (s.id !== 'host' || shape.hosts) && (s.id !== 'cursor' || shape.cursor === true),
  );
  // Drop what matters least when there is no room: first the trend, then the codes.
  if (width < 72 || trendWidth <= 0) specs = specs.filter((s) => s.id !== 'trend');
  if (width < 56) specs = specs.filter((s) => s.id !== 'codes');
  let widths = fitWidths(width, specs, sample, trendWidth);
  // Rather than cut what tells findings apart, the hint goes (the detail pane shows it).
  if (widths.cutIdentity && specs.length > 1 && specs[specs.length - 1]!.id === 'hint') {
    specs = specs.slice(0, -1);
    widths = fitWidths(width, specs, sample, trendWidth);
  }
  const w = widths.widths;
  const total = w.reduce((a, b) => a + b, 0) + specs.reduce((g, s) => g + gapBefore(s.id), 0);
  if (total < width) w[w.length - 1]! += width - total;
  return specs.map((s, i) => ({ id: s.id, header: s.header, width: w[i]!, right: s.right ?? false }));
}

/** The cause and the codes: cut only when nothing else is left to cut. */
const KEY_COLUMNS: ReadonlySet<ColumnId> = new Set(['cause', 'codes']);
/** Cutting these below their soft width costs more than losing the hint column. */
const IDENTITY_COLUMNS: ReadonlySet<ColumnId> = new Set(['cause', 'codes', 'domain', 'host']);

/** Widths of `specs` squeezed towards `width`; `cutIdentity` when the host, domain, codes or cause had to be cut further. */
function fitWidths(
  width: number,
  specs: readonly Spec[],
  sample: ReadonlyArray<Record<ColumnId, string>>,
  trendWidth: number,
): { widths: number[]; cutIdentity: boolean } {
  const widths = specs.map((s) => {
    if (s.id === 'trend') return trendWidth;
    return Math.max(displayWidth(s.header), ...sample.map((c) => displayWidth(c[s.id])));
  });
  let total = widths.reduce((a, b) => a + b, 0) + specs.reduce((g, s) => g + gapBefore(s.id), 0);
  // First every other column down to its soft width, widest first…
  while (total > width) {
    let pick = -1;
    for (let i = 0; i < specs.length; i++) {
      if (KEY_COLUMNS.has(specs[i]!.id) || widths[i]! <= (specs[i]!.soft ?? specs[i]!.min)) continue;
      if (pick < 0 || widths[i]! > widths[pick]!) pick = i;
    }
    if (pick < 0) break;
    widths[pick]!--;
    total--;
  }
  // …then in order of what matters least (SQUEEZE_ORDER): the codes and the cause last.
  let cutIdentity = false;
  for (const [id, floor] of SQUEEZE_ORDER) {
    const i = specs.findIndex((s) => s.id === id);
    if (i < 0 || total <= width) continue;
    const least = floor === 'soft' ? (specs[i]!.soft ?? specs[i]!.min) : specs[i]!.min;
    const take = Math.min(total - width, Math.max(0, widths[i]! - least));
    if (take > 0 && IDENTITY_COLUMNS.has(id)) cutIdentity = true;
    widths[i]! -= take;
    total -= take;
  }
  return { widths, cutIdentity };
}

/** The cells of a row laid out as `[gap, cell]` pairs, each cell fitted to its column. */
export function layoutCells(columns: readonly Column[], cells: Record<ColumnId, string>): Array<[string, string, ColumnId]> {
  return columns.map((c) => [' '.repeat(gapBefore(c.id)), fit(cells[c.id], c.width, c.right), c.id]);
}

/** The header row's cells. */
export function headerCells(columns: readonly Column[]): Array<[string, string, ColumnId]> {
  return columns.map((c) => [' '.repeat(gapBefore(c.id)), fit(c.header, c.width, c.right), c.id]);
}
