import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hash52 } from '../../src/aggregate/counters.js';
import { HashTimes } from '../../src/aggregate/hash-times.js';
import { runs } from '../helpers/runs.js';

/**
 * Keys from a pool of `hashed` address hashes and 41 keys alike in their low 32 bits (the
 * index's probe start).
 */
const keyFrom = (hashed: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: hashed - 1 }).map((n) => hash52(`a${n}@example.org`)),
    fc.integer({ min: 0, max: 40 }).map((n) => n * 2 ** 32 + 7),
  );

describe('HashTimes', () => {
  test('does what a Map<number, number> does, in its order, through growth', () => {
    const key = keyFrom(41);
    const time = fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: 1e12 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, time), { maxLength: 600 }), (ops) => {
        const t = new HashTimes();
        const m = new Map<number, number>();
        for (const [h, ms] of ops) {
          expect(t.get(h)).toEqual(m.get(h));
          t.set(h, ms);
          m.set(h, ms);
        }
        expect(t.size).toBe(m.size);
        expect([...t.entries()]).toEqual([...m]);
        expect(t.hashes()).toEqual([...m.keys()]);
        expect(t.timeList()).toEqual([...m.values()]);
      }),
      { numRuns: runs(300), seed: 52 },
    );
  });

  test('keepEarliest() does what get() then set() did, through growth and a cap', () => {
    const key = keyFrom(301);
    const time = fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: 1e6 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, time), { maxLength: 800 }), fc.integer({ min: 1, max: 400 }), (ops, cap) => {
        const t = new HashTimes();
        const m = new Map<number, number>();
        for (const [h, ms] of ops) {
          const had = m.get(h);
          let kept = true;
          if (had === undefined) {
            if (m.size < cap) m.set(h, ms);
            else kept = false;
          } else if (!Number.isNaN(ms) && (Number.isNaN(had) || ms < had)) m.set(h, ms);
          expect(t.keepEarliest(h, ms, t.size < cap)).toBe(kept);
        }
        expect([...t.entries()]).toEqual([...m]);
      }),
      { numRuns: runs(300), seed: 53 },
    );
  });

  test('holds many entries', () => {
    const t = new HashTimes();
    for (let i = 0; i < 20_000; i++) t.set(hash52(`u${i}`), i);
    expect(t.size).toBe(20_000);
    for (let i = 0; i < 20_000; i += 997) expect(t.get(hash52(`u${i}`))).toBe(i);
    expect(t.get(hash52('nobody'))).toBeUndefined();
  });
});
