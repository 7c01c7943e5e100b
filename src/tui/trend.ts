/**
 * Counts of each finding over time, for the sparklines, the time windows (`t`) and the detail
 * pane's timeline. The aggregator counts a finding over the whole log; this only remembers
 * *when* its events happened, in fixed-size rings per finding identity:
 *
 * - one slot per hour for the last HOUR_SLOTS hours (a week),
 * - one slot per minute for the last MINUTE_SLOTS minutes (two hours).
 *
 * Each slot carries the absolute hour/minute it counts, so events may arrive out of order: one
 * older than the ring holds is dropped from the trend (the aggregator still counts it). Memory
 * is bounded: at most `capacity` identities (past it, new identities get no trend and are
 * counted in `untracked`), about 2.3 KB each.
 */
import type { Cause, Direction, Finding } from '../aggregate/types.js';
import { CAUSES, DIRECTIONS } from '../classify/names.js';
import { flatCopy } from '../text/flat-copy.js';

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
export const HOUR_SLOTS = 168;
export const MINUTE_SLOTS = 120;
/** Identities tracked; the aggregator keeps at most 5,000 findings, so this covers them all. */
export const TREND_CAPACITY = 5_000;

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

/**
 * The identity a finding and its events share: direction, cause, hint, recipient domain (the
 * aggregator's grouping key; null domain kept apart from an empty one).
 */
export function identityKey(direction: Direction, cause: Cause, hint: string, domain: string | null): string {
  return `${direction}\0${cause}\0${hint}\0${domain === null ? '\u0001' : domain}`;
}

export const findingIdentity = (f: Pick<Finding, 'direction' | 'cause' | 'hint' | 'recipientDomain'>): string =>
  identityKey(f.direction, f.cause, f.hint, f.recipientDomain);

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

/** Dense index of a (direction, cause) pair. */
const DIRECTION_INDEX = new Map<string, number>(DIRECTIONS.map((d, i) => [d, i]));
const CAUSE_INDEX = new Map<string, number>(CAUSES.map((c, i) => [c, i]));

export class TrendStore implements TrendReader {
  private readonly rings = new Map<string, Rings>();
  /**
   * The same rings by hint → recipient domain → direction × cause, for addEvent(): one event per
   * problem of a big log, where building the identity string to look it up was most of the cost.
   */
  private readonly byParts = new Map<string, Map<string | null, Array<Rings | undefined>>>();
  /** Events whose identity came after the capacity was reached. */
  untracked = 0;
  private lastTime = '';
  private lastMs = Number.NaN;

  constructor(readonly capacity = TREND_CAPACITY) {}

  /** One event of `identity` at ISO time `time`; events without a time are not trended. */
  add(identity: string, time: string | null): void {
    const ms = this.msOf(time);
    if (Number.isNaN(ms)) return;
    this.addAt(identity, ms);
  }

  /** add(identityKey(direction, cause, hint, domain), time), without building the key each time. */
  addEvent(direction: Direction, cause: Cause, hint: string, domain: string | null, time: string | null): void {
    const slot = DIRECTION_INDEX.get(direction)! * CAUSES.length + CAUSE_INDEX.get(cause)!;
    const known = this.byParts.get(hint)?.get(domain)?.[slot];
    if (known !== undefined) {
      const ms = this.msOf(time);
      if (!Number.isNaN(ms)) addTo(known, ms);
      return;
    }
    const identity = identityKey(direction, cause, hint, domain);
    this.add(identity, time);
    const r = this.rings.get(identity);
    if (r === undefined) return; // no time, or past the capacity: nothing to remember
    let byDomain = this.byParts.get(hint);
    if (byDomain === undefined) {
      byDomain = new Map();
      this.byParts.set(hint, byDomain);
    }
    // Kept for the run: a copy, not a slice of the line (see flatCopy).
    const key = flatCopy(domain);
    let slots = byDomain.get(key);
    if (slots === undefined) {
      slots = [];
      byDomain.set(key, slots);
    }
    slots[slot] = r;
  }

  /** Milliseconds of an ISO time (NaN for none); consecutive events often share one string. */
  private msOf(time: string | null): number {
    if (time === null) return Number.NaN;
    if (time !== this.lastTime) {
      this.lastMs = Date.parse(time);
      this.lastTime = time;
    }
    return this.lastMs;
  }

  addAt(identity: string, ms: number): void {
    let r = this.rings.get(identity);
    if (r === undefined) {
      if (this.rings.size >= this.capacity) {
        this.untracked++;
        return;
      }
      r = new Rings();
      this.rings.set(identity, r);
    }
    addTo(r, ms);
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

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per value, scaled to the largest; zero is a blank. */
export function sparkline(values: readonly number[]): string {
  const max = values.reduce((m, v) => (v > m ? v : m), 0);
  if (max === 0) return ' '.repeat(values.length);
  return values.map((v) => (v <= 0 ? ' ' : BARS[Math.max(0, Math.ceil((v * 8) / max) - 1)]!)).join('');
}
