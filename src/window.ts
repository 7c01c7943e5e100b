/**
 * `--since` / `--until`: the time window of a run. The bounds are parsed once against the run's
 * start (`now`) into ISO 8601 UTC strings, so the window is plain data that crosses to the
 * analysis thread, and checking an event is two string comparisons (event times are ISO UTC).
 * Times without a zone are local time (TZ honoured), as classic syslog stamps are read.
 */

/** The window a run keeps events from: since ≤ time < until; null bounds are open. */
export interface TimeWindow {
  since: string | null;
  until: string | null;
}

/** What the window left out, for the summary. */
export interface WindowStats {
  since: string | null;
  until: string | null;
  /** Events before `since` or at/after `until`: not aggregated. */
  eventsOutside: number;
  /** Events without a time whose message had none either: not aggregated (see WindowFilter). */
  eventsUntimed: number;
}

/** `-2h`, `-30m`, `-7d`, `-90s`, `-1w`: a span back from now. */
const RELATIVE_RE = /^-([0-9]{1,6})(s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };
/**
 * `2026-11-22`, `2026-11-22T06:00`, `2026-11-22 06:00:30.5`, each with an optional `Z` or
 * `±hh:mm` / `±hhmm` zone. Fixed-width fields, one optional group per part: linear.
 */
const ISO_RE =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$/i;

/** Local midnight of `now`'s day, `days` days later (negative: earlier). */
function localMidnight(now: Date, days: number): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
}

/**
 * One `--since`/`--until` value as a Date, or an Error saying what is accepted. `today` and
 * `yesterday` are local midnights; `now` is the run's start.
 */
export function parseTimeSpec(value: string, now: Date): Date | Error {
  const v = value.trim();
  const lower = v.toLowerCase();
  if (lower === 'now') return new Date(now.getTime());
  if (lower === 'today') return localMidnight(now, 0);
  if (lower === 'yesterday') return localMidnight(now, -1);
  if (lower === 'tomorrow') return localMidnight(now, 1);
  const rel = RELATIVE_RE.exec(lower);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * UNIT_MS[rel[2]!]!);
  const m = ISO_RE.exec(v);
  if (m) {
    const [y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m.slice(1);
    const ms = Math.floor(Number(`0.${frac || '0'}`) * 1000);
    const nums = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
    if (nums[1] < 1 || nums[1] > 12 || nums[2] < 1 || nums[2] > 31 || nums[3] > 23 || nums[4] > 59 || nums[5] > 59) {
      return new Error(`not a valid date or time: ${value}`);
    }
    let t: Date;
    if (zone === undefined) {
      t = new Date(nums[0], nums[1] - 1, nums[2], nums[3], nums[4], nums[5], ms);
    } else {
      let off = 0;
      if (zone.toUpperCase() !== 'Z') {
        const digits = zone.replace(':', '');
        off = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
      }
      t = new Date(Date.UTC(nums[0], nums[1] - 1, nums[2], nums[3], nums[4], nums[5], ms) - off * 60e3);
    }
    // 2026-02-31 rolls over to March in Date: refuse it rather than read another day.
    if (zone === undefined && t.getDate() !== nums[2]) return new Error(`not a valid date: ${value}`);
    if (Number.isNaN(t.getTime())) return new Error(`not a valid date or time: ${value}`);
    return t;
  }
  return new Error(
    `not a time: ${value} (use an ISO date or time such as 2026-11-22 or 2026-11-22T06:00, today, yesterday, or -2h, -30m, -7d)`,
  );
}

/** The window of `--since`/`--until`, or an Error (until not after since, a bad value). */
export function parseWindow(since: string | undefined, until: string | undefined, now: Date): TimeWindow | Error | null {
  if (since === undefined && until === undefined) return null;
  const s = since === undefined ? null : parseTimeSpec(since, now);
  if (s instanceof Error) return new Error(`--since: ${s.message}`);
  const u = until === undefined ? null : parseTimeSpec(until, now);
  if (u instanceof Error) return new Error(`--until: ${u.message}`);
  if (s && u && u.getTime() <= s.getTime()) {
    return new Error(`--until (${u.toISOString()}) must be after --since (${s.toISOString()})`);
  }
  return { since: s?.toISOString() ?? null, until: u?.toISOString() ?? null };
}

/**
 * Messages whose window verdict is remembered, so that a line without a time (Exim's and
 * Exchange's continuation lines, a bounce flushed at the end) follows its message's. Past the
 * cap the oldest is forgotten and counted (`windowMessagesEvicted`).
 */
export const WINDOW_MESSAGES_CAP = 50_000;

/**
 * Milliseconds of an ISO time. Event times are `YYYY-MM-DDThh:mm:ss.sssZ` (24 characters), like
 * the bounds, and compare as strings; anything else is parsed.
 */
function isoMs(t: string): number {
  return Date.parse(t);
}

/**
 * Decides, per event, whether it is inside the window. An event with a time is in when
 * since ≤ time < until. One without a time takes the verdict of the last event of its message
 * (queue id and host) that had one; without such an event it is left out and counted as
 * untimed (a window is a promise about time: an event of unknown time cannot keep it).
 */
export class WindowFilter {
  private readonly since: number;
  private readonly until: number;
  private readonly sinceIso: string | null;
  private readonly untilIso: string | null;
  private readonly verdicts = new Map<string, boolean>();
  outside = 0;
  untimed = 0;
  evicted = 0;

  constructor(window: TimeWindow) {
    this.sinceIso = window.since;
    this.untilIso = window.until;
    this.since = window.since === null ? -Infinity : isoMs(window.since);
    this.until = window.until === null ? Infinity : isoMs(window.until);
  }

  /** True when the event at `time` (of message `queueId` on `host`) is to be aggregated. */
  keep(time: string | null, queueId: string | null = null, host: string | null = null): boolean {
    const key = queueId === null ? null : `${host ?? ''}\0${queueId}`;
    if (time === null) {
      const v = key === null ? undefined : this.verdicts.get(key);
      if (v === undefined) {
        this.untimed++;
        return false;
      }
      if (!v) this.outside++;
      return v;
    }
    const inside =
      time.length === 24 && time.charCodeAt(23) === 90 /* Z */
        ? (this.sinceIso === null || time >= this.sinceIso) && (this.untilIso === null || time < this.untilIso)
        : isoMs(time) >= this.since && isoMs(time) < this.until;
    if (key !== null) {
      if (this.verdicts.has(key)) this.verdicts.delete(key);
      else if (this.verdicts.size >= WINDOW_MESSAGES_CAP) {
        this.verdicts.delete(this.verdicts.keys().next().value!);
        this.evicted++;
      }
      this.verdicts.set(key, inside);
    }
    if (!inside) this.outside++;
    return inside;
  }

  stats(): WindowStats {
    return { since: this.sinceIso, until: this.untilIso, eventsOutside: this.outside, eventsUntimed: this.untimed };
  }
}

/** `2026-11-21T00:00:00.000Z .. 2026-11-22T00:00:00.000Z` (an open side: `…`). */
export function describeWindow(w: { since: string | null; until: string | null }): string {
  return `${w.since ?? '…'} .. ${w.until ?? '…'}`;
}
