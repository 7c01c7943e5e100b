/** The sparklines of the view's table and detail pane (the counts come from aggregate/trend.ts). */

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per value, scaled to the largest; zero is a blank. */
export function sparkline(values: readonly number[]): string {
  const max = values.reduce((m, v) => (v > m ? v : m), 0);
  if (max === 0) return ' '.repeat(values.length);
  return values.map((v) => (v <= 0 ? ' ' : BARS[Math.max(0, Math.ceil((v * 8) / max) - 1)]!)).join('');
}
