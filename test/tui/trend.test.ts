import { describe, expect, test } from 'vitest';
import { HOUR_MS, HOUR_SLOTS, identityKey, MINUTE_MS, sparkline, TrendStore } from '../../src/tui/trend.js';

const T0 = Date.parse('2026-11-22T10:00:00Z');

describe('TrendStore', () => {
  test('counts per minute for the last hour and per hour for the last 24 h', () => {
    const t = new TrendStore();
    t.addAt('a', T0 - 5 * MINUTE_MS);
    t.addAt('a', T0 - 5 * MINUTE_MS);
    t.addAt('a', T0 - 70 * MINUTE_MS);
    t.addAt('a', T0 - 30 * HOUR_MS);
    expect(t.windowCount('a', 'hour', T0)).toBe(2);
    expect(t.windowCount('a', 'day', T0)).toBe(3);
    expect(t.windowCount('b', 'day', T0)).toBe(0);
  });

  test('takes ISO times, ignores events without one', () => {
    const t = new TrendStore();
    t.add('a', '2026-11-22T09:59:00.000Z');
    t.add('a', '2026-11-22T09:59:00.000Z');
    t.add('a', null);
    t.add('a', 'not a time');
    expect(t.windowCount('a', 'hour', T0)).toBe(2);
  });

  test('series: buckets over a span, minutes for short spans, hours for long ones', () => {
    const t = new TrendStore();
    for (let m = 0; m < 60; m++) t.addAt('a', T0 - m * MINUTE_MS);
    expect(t.series('a', T0 - 59 * MINUTE_MS, T0, 6)).toEqual([10, 10, 10, 10, 10, 10]);
    t.addAt('b', T0 - 3 * HOUR_MS);
    t.addAt('b', T0);
    expect(t.series('b', T0 - 23 * HOUR_MS, T0, 24)).toEqual([...Array(20).fill(0), 1, 0, 0, 1]);
    expect(t.series('nobody', T0 - HOUR_MS, T0, 3)).toEqual([0, 0, 0]);
  });

  test('events older than the ring are dropped from the trend, newer ones replace old slots', () => {
    const t = new TrendStore();
    t.addAt('a', T0);
    t.addAt('a', T0 - HOUR_SLOTS * HOUR_MS); // same slot, older: dropped
    expect(t.series('a', T0 - 2 * HOUR_SLOTS * HOUR_MS, T0, 1)).toEqual([1]);
    t.addAt('a', T0 + HOUR_SLOTS * HOUR_MS); // same slot, newer: replaces
    expect(t.windowCount('a', 'day', T0 + HOUR_SLOTS * HOUR_MS)).toBe(1);
    expect(t.windowCount('a', 'day', T0)).toBe(0);
  });

  test('at most `capacity` identities; the rest are counted as untracked', () => {
    const t = new TrendStore(2);
    t.addAt('a', T0);
    t.addAt('b', T0);
    t.addAt('c', T0);
    t.addAt('c', T0);
    expect(t.size).toBe(2);
    expect(t.untracked).toBe(2);
    t.addAt('a', T0);
    expect(t.windowCount('a', 'hour', T0)).toBe(2);
  });

  test('identity keys tell a missing domain from an empty one', () => {
    expect(identityKey('inbound', 'other', 'x', null)).not.toBe(identityKey('inbound', 'other', 'x', ''));
  });
});

describe('sparkline', () => {
  test.for([
    { name: 'scaled to the largest', values: [0, 1, 2, 4, 8], want: ' ▁▂▄█' },
    { name: 'a single event is a full bar', values: [0, 1, 0], want: ' █ ' },
    { name: 'nothing is blank', values: [0, 0], want: '  ' },
    { name: 'empty', values: [], want: '' },
  ])('$name', ({ values, want }) => {
    expect(sparkline(values)).toBe(want);
  });
});
