/**
 * Counts of each finding over time, for the sparklines, the time windows (`t`) and the detail
 * pane's timeline. The aggregator counts a finding over the whole log; this only remembers
 * *when* its events happened, in fixed-size rings per finding identity (the aggregator's key of
 * the finding, FindingDetails.key, which Aggregator.add returns for each event):
 *
 * - one slot per hour for the last HOUR_SLOTS hours (a week),
 * - one slot per minute for the last MINUTE_SLOTS minutes (two hours).
 *
 * Each slot carries the absolute hour/minute it counts, so events may arrive out of order: one
 * older than the ring holds is dropped from the trend (the aggregator still counts it). Memory
 * is bounded: at most `capacity` identities (past it, new identities get no trend and are
 * counted in `untracked`), about 2.3 KB each.
 */

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
export const HOUR_SLOTS = 168;
export const MINUTE_SLOTS = 120;
/**
 * Identities tracked: the aggregator keeps at most 5,000 findings and one catch-all per MTA,
 * direction and cause (3 × 3 × 16 = 144), so this covers them all.
 */
export const TREND_CAPACITY = 5_200;

/** The time windows of the `t` key. */
export type TimeWindow = 'all' | 'day' | 'hour';

/** What the view reads; the TrendStore implements it, tests may fake it. */
export interface TrendReader {
  /** Events of the identity in the window ending at `reference` (ms): the last 60 minutes, or the last 24 hours. */
  windowCount(identity: string, window: Exclude<TimeWindow, 'all'>, reference: number): number;
  /**
   * Events of the identity in [from, to] (ms, inclusive; ±Infinity for an open side), counted in
   * whole minutes when the span is under MINUTE_SLOTS minutes, else in whole hours.
   */
  rangeCount(identity: string, from: number, to: number): number;
  /** `n` bucket counts spanning [from, to] (ms); minute resolution when the span is at most MINUTE_SLOTS minutes, else hours. */
  series(identity: string, from: number, to: number, n: number): number[];
}

/** The [from, to] (ms) a `t` window ending at `reference` covers: the last 60 minutes, or the last 24 hours. */
export function windowSpan(window: Exclude<TimeWindow, 'all'>, reference: number): [number, number] {
  if (window === 'hour') return [(Math.floor(reference / MINUTE_MS) - 59) * MINUTE_MS, reference];
  return [(Math.floor(reference / HOUR_MS) - 23) * HOUR_MS, reference];
}

class Rings {
  readonly hourTag = new Int32Array(HOUR_SLOTS).fill(-1);
  readonly hourCount = new Uint32Array(HOUR_SLOTS);
  readonly minuteTag = new Int32Array(MINUTE_SLOTS).fill(-1);
  readonly minuteCount = new Uint32Array(MINUTE_SLOTS);
}

function addTo(r: Rings, ms: number): void {
  bump(r.hourTag, r.hourCount, Math.floor(ms / HOUR_MS));
  bump(r.minuteTag, r.minuteCount, Math.floor(ms / MINUTE_MS));
}

function bump(tags: Int32Array, counts: Uint32Array, at: number): void {
  const slot = at % tags.length;
  const tag = tags[slot]!;
  if (tag === at) {
    counts[slot]!++;
  } else if (tag < at) {
    tags[slot] = at;
    counts[slot] = 1;
  }
  // else: older than what the slot holds now; dropped from the trend.
}

/** Counts of the slots whose unit is in [from, to], among the last `tags.length` units the ring holds. */
function sum(tags: Int32Array, counts: Uint32Array, from: number, to: number): number {
  let newest = -1;
  for (let i = 0; i < tags.length; i++) if (tags[i]! > newest) newest = tags[i]!;
  if (newest < 0) return 0;
  // Never count units older than the ring holds: some slots may still have them, most not.
  const lo = Math.max(from, newest - tags.length + 1);
  let n = 0;
  for (let i = 0; i < tags.length; i++) {
    const at = tags[i]!;
    if (at >= lo && at <= to) n += counts[i]!;
  }
  return n;
}

/** Problem batches: the identity number of an event without a time (counted, not trended). */
export const NO_TIME = -1;
/** Problem batches: an event whose identity came after the capacity was reached. */
export const UNTRACKED = -2;

/**
 * A batch of problem events as it crosses from the analysis thread to the view: each identity
 * travels as text once (`names` continue the numbering of earlier batches), then as its number
 * in `pairs` of (identity number or NO_TIME/UNTRACKED, time in ms), because structured-cloning
 * five strings per event was a measurable part of the analysis thread's time (bench/README.md).
 */
export interface ProblemBatch {
  names: string[];
  pairs: Float64Array;
}

/** Builds ProblemBatches (on the analysis thread): numbers the identities, at most `capacity`. */
export class ProblemBatcher {
  private readonly numbers = new Map<string, number>();
  private count = 0;
  private names: string[] = [];
  private pairs: Float64Array;
  private used = 0;
  private readonly times = new TimeCache();

  constructor(
    private readonly batchSize = 8192,
    readonly capacity = TREND_CAPACITY,
  ) {
    this.pairs = new Float64Array(2 * batchSize);
  }

  /** Adds one problem event; true when the batch is full (take it). */
  add(identity: string, time: string | null): boolean {
    const ms = this.times.msOf(time);
    let id: number = NO_TIME;
    if (!Number.isNaN(ms)) {
      const known = this.numbers.get(identity);
      if (known !== undefined) id = known;
      else if (this.count < this.capacity) {
        id = this.count++;
        this.numbers.set(identity, id);
        this.names.push(identity);
      } else id = UNTRACKED;
    }
    this.pairs[2 * this.used] = id;
    this.pairs[2 * this.used + 1] = ms;
    this.used++;
    return this.used === this.batchSize;
  }

  /** The events added since the last take (null when none); the batch's buffer can be transferred. */
  take(): ProblemBatch | null {
    if (this.used === 0) return null;
    const batch = { names: this.names, pairs: this.pairs.subarray(0, 2 * this.used) };
    this.names = [];
    this.pairs = new Float64Array(2 * this.batchSize);
    this.used = 0;
    return batch;
  }
}

/** Milliseconds of ISO times (NaN for none); consecutive events often share one string. */
class TimeCache {
  private lastTime = '';
  private lastMs = Number.NaN;

  msOf(time: string | null): number {
    if (time === null) return Number.NaN;
    if (time !== this.lastTime) {
      this.lastMs = Date.parse(time);
      this.lastTime = time;
    }
    return this.lastMs;
  }
}

export class TrendStore implements TrendReader {
  private readonly rings = new Map<string, Rings>();
  /** The rings of ProblemBatch identity numbers (undefined: past the capacity). */
  private readonly byNumber: Array<Rings | undefined> = [];
  /** Events whose identity came after the capacity was reached. */
  untracked = 0;
  private readonly times = new TimeCache();

  constructor(readonly capacity = TREND_CAPACITY) {}

  /** One event of `identity` at ISO time `time`; events without a time are not trended. */
  add(identity: string, time: string | null): void {
    const ms = this.times.msOf(time);
    if (Number.isNaN(ms)) return;
    this.addAt(identity, ms);
  }

  /** The events of a ProblemBatch (batches in the order they were taken). */
  addBatch(batch: ProblemBatch): void {
    for (const name of batch.names) this.byNumber.push(this.ringsOf(name));
    const p = batch.pairs;
    for (let i = 0; i < p.length; i += 2) {
      const id = p[i]!;
      if (id >= 0) {
        const r = this.byNumber[id];
        if (r !== undefined) addTo(r, p[i + 1]!);
        else this.untracked++;
      } else if (id === UNTRACKED) this.untracked++;
    }
  }

  addAt(identity: string, ms: number): void {
    const r = this.ringsOf(identity);
    if (r === undefined) this.untracked++;
    else addTo(r, ms);
  }

  /** The rings of an identity, made on first use; undefined past the capacity. */
  private ringsOf(identity: string): Rings | undefined {
    let r = this.rings.get(identity);
    if (r === undefined && this.rings.size < this.capacity) {
      r = new Rings();
      this.rings.set(identity, r);
    }
    return r;
  }

  get size(): number {
    return this.rings.size;
  }

  windowCount(identity: string, window: Exclude<TimeWindow, 'all'>, reference: number): number {
    const [from, to] = windowSpan(window, reference);
    return this.rangeCount(identity, from, to);
  }

  rangeCount(identity: string, from: number, to: number): number {
    const r = this.rings.get(identity);
    if (r === undefined || Number.isNaN(from) || Number.isNaN(to) || to < from) return 0;
    if (to - from < MINUTE_SLOTS * MINUTE_MS) {
      return sum(r.minuteTag, r.minuteCount, Math.floor(from / MINUTE_MS), Math.floor(to / MINUTE_MS));
    }
    return sum(r.hourTag, r.hourCount, Math.floor(from / HOUR_MS), Math.floor(to / HOUR_MS));
  }

  series(identity: string, from: number, to: number, n: number): number[] {
    const out = new Array<number>(Math.max(0, n)).fill(0);
    const r = this.rings.get(identity);
    if (r === undefined || n <= 0 || to < from) return out;
    const minutes = to - from <= MINUTE_SLOTS * MINUTE_MS;
    const unit = minutes ? MINUTE_MS : HOUR_MS;
    const tags = minutes ? r.minuteTag : r.hourTag;
    const counts = minutes ? r.minuteCount : r.hourCount;
    const first = Math.floor(from / unit);
    const last = Math.floor(to / unit);
    const span = last - first + 1;
    for (let at = Math.max(first, last - tags.length + 1); at <= last; at++) {
      const slot = at % tags.length;
      if (tags[slot] !== at) continue;
      const bucket = Math.min(n - 1, Math.floor(((at - first) * n) / span));
      out[bucket]! += counts[slot]!;
    }
    return out;
  }
}
