/** The sparklines of the view's table and detail pane (the counts come from aggregate/trend.ts), and the marker rows under them. */
import { HOUR_MS, MINUTE_MS, MINUTE_SLOTS } from '../aggregate/trend.js';

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per value, scaled to the largest; zero is a blank. */
export function sparkline(values: readonly number[]): string {
  const max = values.reduce((m, v) => (v > m ? v : m), 0);
  if (max === 0) return ' '.repeat(values.length);
  return values.map((v) => (v <= 0 ? ' ' : BARS[Math.max(0, Math.ceil((v * 8) / max) - 1)]!)).join('');
}

export type MarkerKind = 'start' | 'reload';

/**
 * The marks of starts and reloads; plain ASCII without colour (`--no-color`, NO_COLOR), where a
 * terminal may not be trusted with more, and where `▲` would read much like a bar anyway.
 */
export const MARKER_GLYPHS: Record<'unicode' | 'ascii', Record<MarkerKind, string>> = {
  unicode: { reload: '▲', start: '●' },
  ascii: { reload: '^', start: '*' },
};

/**
 * The column (0 … n-1) of time `ms` in a sparkline of `n` columns over [from, to] (ms), null
 * when it falls outside or there are no columns. It buckets as TrendStore.series does (whole
 * minutes up to MINUTE_SLOTS minutes, else whole hours), so a mark stands under the bar that
 * counts the events of its minute or hour.
 */
export function markerColumn(ms: number, from: number, to: number, n: number): number | null {
  if (!(n >= 1) || !Number.isFinite(ms) || !Number.isFinite(from) || !Number.isFinite(to) || to < from) return null;
  const unit = to - from <= MINUTE_SLOTS * MINUTE_MS ? MINUTE_MS : HOUR_MS;
  const first = Math.floor(from / unit);
  const last = Math.floor(to / unit);
  const at = Math.floor(ms / unit);
  if (at < first || at > last) return null;
  return Math.min(n - 1, Math.floor(((at - first) * n) / (last - first + 1)));
}

export interface TimelineMark {
  /** Its time, ms. */
  ms: number;
  marker: MarkerKind;
}

/**
 * `n` columns, each blank or the mark of the markers in it (a reload wins a column it shares
 * with a start: a reload is what changes the configuration), with no trailing blanks; '' when
 * none falls in the span.
 */
export function markerRow(marks: readonly TimelineMark[], from: number, to: number, n: number, ascii = false): string {
  const glyphs = ascii ? MARKER_GLYPHS.ascii : MARKER_GLYPHS.unicode;
  const cells: Array<MarkerKind | null> = new Array<MarkerKind | null>(Math.max(0, n)).fill(null);
  for (const m of marks) {
    const col = markerColumn(m.ms, from, to, n);
    if (col === null || cells[col] === 'reload') continue;
    cells[col] = m.marker;
  }
  return cells.map((c) => (c === null ? ' ' : glyphs[c])).join('').trimEnd();
}
