import { describe, expect, test } from 'vitest';
import { changePoint, onsetOf, SERIES_BUCKETS, TimeSeries } from '../../src/aggregate/onset.js';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;

/** A deterministic pseudo-random source (mulberry32), so the "steady" cases are the same every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson arrivals at `perMinute` over [from, to) ms. */
function poisson(from: number, to: number, perMinute: number, seed: number): number[] {
  const r = rng(seed);
  const out: number[] = [];
  for (let t = from; ; ) {
    t += (-Math.log(1 - r()) / perMinute) * MIN;
    if (t >= to) return out;
    out.push(t);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

interface Case {
  name: string;
  events: number[];
  /** The log's span (first and last event of the whole run). */
  span: [number, number];
  markers?: Array<{ time: string; marker: 'start' | 'reload'; host: string | null }>;
  note: RegExp;
  onset: string | null | 'any';
}

const cases: Case[] = [
  {
    name: 'steady for a week: no onset',
    events: poisson(T0, T0 + 7 * DAY, 0.5, 1),
    span: [T0, T0 + 7 * DAY],
    note: /^steady since the log starts$/,
    onset: null,
  },
  {
    name: 'steady and sparse (2 a day): no onset',
    events: poisson(T0, T0 + 7 * DAY, 2 / 1440, 2),
    span: [T0, T0 + 7 * DAY],
    note: /^steady since the log starts$|^since .*no change in rate$/,
    onset: 'any',
  },
  {
    name: 'nothing for six days, then a burst at 09:02',
    events: poisson(T0 + 6 * DAY + 9 * 60 * MIN + 2 * MIN, T0 + 6 * DAY + 10 * 60 * MIN, 2, 3),
    span: [T0, T0 + 6 * DAY + 10 * 60 * MIN],
    note: /^began 09:02, none in the 6 days before$/,
    onset: 'any',
  },
  {
    name: 'began 2 min after a reload',
    events: poisson(T0 + 6 * DAY + 9 * 60 * MIN + 2 * MIN, T0 + 6 * DAY + 10 * 60 * MIN, 2, 4),
    span: [T0, T0 + 6 * DAY + 10 * 60 * MIN],
    markers: [{ time: iso(T0 + 6 * DAY + 9 * 60 * MIN), marker: 'reload', host: null }],
    note: /^began 09:0[23] \(\d+ (?:s|min) after the 09:00 reload\), none in the 6 days before$/,
    onset: 'any',
  },
  {
    name: 'a reload long before the onset is not named',
    events: poisson(T0 + 6 * DAY + 9 * 60 * MIN + 2 * MIN, T0 + 6 * DAY + 10 * 60 * MIN, 2, 5),
    span: [T0, T0 + 6 * DAY + 10 * 60 * MIN],
    markers: [{ time: iso(T0 + 6 * DAY + 8 * 60 * MIN), marker: 'reload', host: null }],
    note: /^began 09:0\d, none in the 6 days before$/,
    onset: 'any',
  },
  {
    name: 'rate rises tenfold at noon',
    events: [...poisson(T0, T0 + 12 * 60 * MIN, 0.2, 6), ...poisson(T0 + 12 * 60 * MIN, T0 + DAY, 2, 7)],
    span: [T0, T0 + DAY - MIN],
    note: /^rate rose ×\d+ at 1[12]:\d\d \(.* before, .* after\)$/,
    onset: 'any',
  },
  {
    name: 'stops at noon',
    events: poisson(T0, T0 + 12 * 60 * MIN, 1, 8),
    span: [T0, T0 + DAY - MIN],
    note: /^from 00:0\d to 1[12]:\d\d, none after$/,
    onset: 'any',
  },
  {
    name: 'one event in the middle of the log',
    events: [T0 + 12 * 60 * MIN],
    span: [T0, T0 + DAY - MIN],
    note: /^since 12:00, once$/,
    onset: iso(T0 + 12 * 60 * MIN).replace('.000Z', 'Z'),
  },
];

describe('onsetOf', () => {
  test.for(cases)('$name', ({ events, span, markers = [], note, onset }) => {
    const s = new TimeSeries();
    for (const t of events) s.add(t);
    const got = onsetOf(s, iso(span[0]), iso(span[1]), markers);
    expect(got.note).toMatch(note);
    if (onset !== 'any') expect(got.onset).toBe(onset);
  });

  test('a steady series is not given a change in 20 seeds', () => {
    for (let seed = 100; seed < 120; seed++) {
      const s = new TimeSeries();
      for (const t of poisson(T0, T0 + DAY, 1, seed)) s.add(t);
      expect(onsetOf(s, iso(T0), iso(T0 + DAY)).note, `seed ${seed}`).toBe('steady since the log starts');
    }
  });
});

describe('changePoint', () => {
  test('finds the edge of a step', () => {
    const cp = changePoint([[100, 1], [500, 10], [600, 10], [700, 10]], 100, 0, 800);
    expect(cp).toMatchObject({ at: 500, before: 1, after: 30, significant: true });
  });
  test('nothing to split', () => {
    expect(changePoint([], 1, 0, 100)).toBeNull();
  });
});

describe('TimeSeries', () => {
  test('keeps at most SERIES_BUCKETS buckets, counting every event, and says it widened them', () => {
    const s = new TimeSeries();
    for (let i = 0; i < SERIES_BUCKETS * 5; i++) s.add(T0 + i * 1000);
    expect(s.buckets.size).toBeLessThanOrEqual(SERIES_BUCKETS);
    expect([...s.buckets.values()].reduce((a, b) => a + b, 0)).toBe(SERIES_BUCKETS * 5);
    expect(s.coarsened).toBeGreaterThan(0);
  });
  test('merge adds up', () => {
    const a = new TimeSeries();
    const b = new TimeSeries();
    a.add(T0);
    b.add(T0);
    b.add(T0 + 5000);
    a.merge(b);
    expect(a.sorted()).toEqual([[T0 / 1000, 2], [T0 / 1000 + 5, 1]]);
  });
});
