/**
 * When a finding began and whether its rate changed. Each finding keeps a bounded series of its
 * event counts (TimeSeries); at snapshot time a two-segment Poisson split of that series over
 * the whole log's span finds the most likely change of rate and keeps it only when the
 * likelihood gain beats a penalty that grows with the events (so a steady finding is not given
 * an onset by chance). The note says it in words: "began 09:02, none in the 6 days before",
 * "steady since the log starts", and names a reload or start marker the onset follows.
 *
 * Cap: a series holds at most SERIES_BUCKETS non-empty buckets. It starts at one second per
 * bucket; when a new bucket would pass the cap, the bucket width doubles and the counts fold
 * into the wider buckets (counted in `coarsened`). A week of one event a second ends at
 * 1,024-second buckets; a finding with a few events keeps them to the second.
 */

export const SERIES_BUCKETS = 1_024;
/** How long after a marker an onset still names it. */
export const MARKER_WINDOW_MS = 10 * 60_000;

/** A series as a state file holds it: bucket width in seconds, widenings, [bucket, count] pairs. */
export interface TimeSeriesState {
  width: number;
  coarsened: number;
  buckets: Array<[number, number]>;
}

/** Event counts per bucket of `width` seconds; keys are bucket numbers (seconds since the epoch / width). */
export class TimeSeries {
  width = 1;
  /** Times the width doubled (the cap's overflow count). */
  coarsened = 0;
  readonly buckets = new Map<number, number>();

  add(ms: number, n = 1): void {
    if (!Number.isFinite(ms)) return;
    const key = Math.floor(ms / 1000 / this.width);
    const had = this.buckets.get(key);
    if (had !== undefined) {
      this.buckets.set(key, had + n);
      return;
    }
    this.buckets.set(key, n);
    while (this.buckets.size > SERIES_BUCKETS) this.coarsen(this.width * 2);
  }

  exportState(): TimeSeriesState {
    return { width: this.width, coarsened: this.coarsened, buckets: [...this.buckets.entries()] };
  }

  /** The series a state describes; more buckets than the cap fold as add() would. */
  static fromState(s: TimeSeriesState): TimeSeries {
    const t = new TimeSeries();
    t.width = s.width;
    t.coarsened = s.coarsened;
    for (const [k, n] of s.buckets) t.add(k * s.width * 1000, n);
    return t;
  }

  merge(other: TimeSeries): void {
    if (other.width > this.width) this.coarsen(other.width);
    for (const [k, n] of other.buckets) this.add(k * other.width * 1000, n);
    this.coarsened += other.coarsened;
  }

  /** Non-empty buckets in time order: [start second, count]. */
  sorted(): Array<[number, number]> {
    return [...this.buckets.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => [k * this.width, n]);
  }

  private coarsen(width: number): void {
    const old = [...this.buckets.entries()];
    const was = this.width;
    this.width = width;
    this.buckets.clear();
    for (const [k, n] of old) {
      const key = Math.floor((k * was) / width);
      this.buckets.set(key, (this.buckets.get(key) ?? 0) + n);
    }
    this.coarsened++;
  }
}

/** The best split of a series in two segments of constant rate. */
export interface ChangePoint {
  /** Where the second segment starts, in seconds since the epoch. */
  at: number;
  before: number;
  after: number;
  /** Lengths of the two segments, in seconds. */
  beforeSeconds: number;
  afterSeconds: number;
  /** Log-likelihood gain of the split over one constant rate. */
  gain: number;
  /** Whether the gain beats the penalty (see changePoint). */
  significant: boolean;
}

/** Events a segment shorter than the minimum must hold (see changePoint). */
const BURST = 3;

const ll = (n: number, t: number): number => (n > 0 && t > 0 ? n * Math.log(n / t) : 0);

/**
 * The two-segment Poisson split of `series` (sorted [start second, count] of buckets `width`
 * seconds wide) over the span [from, to) seconds, or null when there is nothing to split.
 * Candidates are the bucket edges (the best split of a Poisson series always lies on one), at
 * least a minute from either end.
 * Significant when 2·gain > 2·ln(N) + 6: the maximum of the likelihood ratio over the ~N
 * candidate splits of a constant-rate series stays below that (Darling–Erdős order 2·ln ln N),
 * and one event after a long quiet already passes (2·ln(T/T₂) > 6 when T/T₂ > 20).
 */
export function changePoint(series: ReadonlyArray<readonly [number, number]>, width: number, from: number, to: number): ChangePoint | null {
  let total = 0;
  for (const [, n] of series) total += n;
  const span = to - from;
  if (total === 0 || span <= 0) return null;
  const base = ll(total, span);
  let best: ChangePoint | null = null;
  let cum = 0;
  // The log's span begins and ends with an event: a segment of a second or two around the
  // first or last event would always look like a burst. A segment shorter than a minute (a
  // tenth of a shorter log) must hold a burst of BURST events to count: then a problem that
  // began in the log's last seconds is still found.
  const minimum = Math.max(width, Math.min(60, span / 10));
  const consider = (at: number, before: number): void => {
    if (at <= from || at >= to) return;
    if ((at - from < minimum && before < BURST) || (to - at < minimum && total - before < BURST)) return;
    const gain = ll(before, at - from) + ll(total - before, to - at) - base;
    if (best === null || gain > best.gain + 1e-9) {
      best = { at, before, after: total - before, beforeSeconds: at - from, afterSeconds: to - at, gain, significant: false };
    }
  };
  for (const [start, n] of series) {
    consider(start, cum);
    cum += n;
    consider(start + width, cum);
  }
  if (best === null) return null;
  const b = best as ChangePoint;
  b.significant = 2 * b.gain > 2 * Math.log(Math.max(total, 2)) + 6;
  return b;
}

export interface MarkerTime {
  time: string;
  marker: 'start' | 'reload';
  host: string | null;
}

export interface Onset {
  /** When it began or its rate changed (ISO 8601 UTC), or null when neither can be told. */
  onset: string | null;
  /** The same in words. */
  note: string;
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/** `09:02`, or `2026-12-05 09:02` when not on the day the log ends. */
function clock(seconds: number, end: number): string {
  const t = iso(seconds);
  const e = iso(end);
  return t.slice(0, 10) === e.slice(0, 10) ? t.slice(11, 16) : `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

/** `40 s`, `5 min`, `3 h`, `6 days`. */
export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  const d = Math.round(seconds / 86400);
  return `${d} ${d === 1 ? 'day' : 'days'}`;
}

/** Events per hour, or per minute when that reads better. */
function rate(n: number, seconds: number): string {
  const perHour = (n / Math.max(seconds, 1)) * 3600;
  return perHour >= 120 ? `${Math.round(perHour / 60)}/min` : `${perHour >= 10 ? Math.round(perHour) : perHour.toFixed(1)}/h`;
}

/** The latest marker at or before `at` (seconds) within MARKER_WINDOW_MS, on the finding's hosts if any match. */
function markerBefore(markers: readonly MarkerTime[], at: number, hosts: ReadonlySet<string>): MarkerTime | null {
  let best: MarkerTime | null = null;
  let bestAt = -Infinity;
  for (const m of markers) {
    const t = Date.parse(m.time) / 1000;
    if (!(t <= at + 1) || (at - t) * 1000 > MARKER_WINDOW_MS) continue;
    if (hosts.size > 0 && m.host !== null && !hosts.has(m.host)) continue;
    if (t > bestAt) {
      best = m;
      bestAt = t;
    }
  }
  return best;
}

function afterMarker(markers: readonly MarkerTime[], at: number, hosts: ReadonlySet<string>, end: number): string {
  const m = markerBefore(markers, at, hosts);
  if (m === null) return '';
  const t = Date.parse(m.time) / 1000;
  const what = m.marker === 'reload' ? 'reload' : 'start';
  return ` (${duration(Math.max(0, at - t))} after the ${clock(t, end)} ${what})`;
}

/**
 * The onset of a finding from its series, the log's span (first and last event of the run, ISO)
 * and the run's markers. `hosts`: the finding's hosts (markers of other hosts are not named).
 */
export function onsetOf(
  series: TimeSeries,
  logFirst: string | null,
  logLast: string | null,
  markers: readonly MarkerTime[] = [],
  hosts: ReadonlySet<string> = new Set(),
): Onset {
  const sorted = series.sorted();
  if (sorted.length === 0 || logFirst === null || logLast === null) return { onset: null, note: '' };
  const from = Math.floor(Date.parse(logFirst) / 1000);
  const to = Math.floor(Date.parse(logLast) / 1000) + 1;
  const first = sorted[0]![0];
  const last = sorted[sorted.length - 1]![0] + series.width;
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  const cp = changePoint(sorted, series.width, from, to);
  if (cp !== null && cp.significant) {
    const r1 = cp.before / Math.max(cp.beforeSeconds, 1);
    const r2 = cp.after / Math.max(cp.afterSeconds, 1);
    if (r2 > r1) {
      if (cp.before === 0) {
        const began = Math.max(first, from);
        return {
          onset: iso(began),
          note: `began ${clock(began, to)}${afterMarker(markers, began, hosts, to)}, none in the ${duration(began - from)} before`,
        };
      }
      const factor = r1 > 0 ? Math.round(r2 / r1) : 0;
      return {
        onset: iso(cp.at),
        note: `rate rose ${factor > 1 ? `×${factor} ` : ''}at ${clock(cp.at, to)}${afterMarker(markers, cp.at, hosts, to)} (${rate(cp.before, cp.beforeSeconds)} before, ${rate(cp.after, cp.afterSeconds)} after)`,
      };
    }
    if (cp.after === 0) {
      const began = Math.max(first, from);
      const ended = Math.min(last, to);
      const note = ended - began <= 60 ? `only at ${clock(began, to)}` : `from ${clock(began, to)} to ${clock(ended, to)}, none after`;
      return { onset: iso(began), note: `${note}${afterMarker(markers, began, hosts, to)}` };
    }
    return {
      onset: iso(cp.at),
      note: `rate fell at ${clock(cp.at, to)}${afterMarker(markers, cp.at, hosts, to)} (${rate(cp.before, cp.beforeSeconds)} before, ${rate(cp.after, cp.afterSeconds)} after)`,
    };
  }
  // No change to tell: steady from the start, or too few events after a late first one.
  if (first - from <= Math.max(series.width, (to - from) / 20)) return { onset: null, note: 'steady since the log starts' };
  return { onset: iso(first), note: `since ${clock(first, to)}${afterMarker(markers, first, hosts, to)}, ${total === 1 ? 'once' : 'no change in rate'}` };
}
