import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { HOUR_MS, HOUR_SLOTS, MINUTE_MS, ProblemBatcher, TrendStore } from '../../src/aggregate/trend.js';
import { sparkline } from '../../src/tui/sparkline.js';
import { runs } from '../helpers/runs.js';

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

  test('events sent as ProblemBatches count what add counts, across batches and past the capacity', () => {
    const part = fc.tuple(
      fc.constantFrom('postfix\0\0inbound\0user-unknown\0', 'exim\0h3:mx1\0outbound\0blocklisted\0', ''),
      fc.constantFrom('n', 'dexample.org', 'da-longer-domain-name.example.com'),
      fc.option(fc.integer({ min: 0, max: 3 * 24 * 60 }), { nil: null }),
    );
    const base = Date.parse('2026-11-22T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(part, { maxLength: 200 }),
        (capacity, extra, batchSize, events) => {
          const direct = new TrendStore(capacity);
          const viaBatches = new TrendStore(capacity);
          // The sending side may number more identities than the store keeps: the store still holds to its own capacity.
          const batcher = new ProblemBatcher(batchSize, capacity + extra);
          let sent = 0;
          const deliver = () => {
            const b = batcher.take();
            if (b === null) return;
            sent += b.pairs.length / 2;
            // As across threads: the batch arrives as a structured clone.
            viaBatches.addBatch(structuredClone(b));
          };
          for (const [head, tail, min] of events) {
            const time = min === null ? null : new Date(base + min * MINUTE_MS).toISOString();
            direct.add(head + tail, time);
            if (batcher.add(head + tail, time)) deliver();
          }
          deliver();
          expect(batcher.take()).toBeNull();
          expect(sent).toBe(events.length);
          expect(viaBatches.size).toBe(direct.size);
          expect(viaBatches.untracked).toBe(direct.untracked);
          const ref = base + 3 * 24 * HOUR_MS;
          for (const [head, tail] of events) {
            const id = head + tail;
            expect(viaBatches.series(id, base, ref, 72)).toEqual(direct.series(id, base, ref, 72));
            expect(viaBatches.windowCount(id, 'hour', ref)).toBe(direct.windowCount(id, 'hour', ref));
          }
        },
      ),
      { numRuns: runs(300) },
    );
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
