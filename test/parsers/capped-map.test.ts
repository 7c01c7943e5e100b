/**
 * CappedMap evicts what a plain Map's `keys().next()` would (the oldest key set and not deleted
 * since), through any mix of sets, re-sets and deletes. That its bookkeeping stays bounded
 * over millions of sets is test/parsers/capped-map-memory.test.ts (not a unit test: its size is
 * the point).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CappedMap } from '../../parsers/capped-map.js';
import { runs } from '../helpers/runs.js';

/** The reference: a Map that evicts through a fresh keys().next(). */
class Reference {
  readonly map = new Map<string, number>();
  readonly evicted: string[] = [];
  constructor(private readonly cap: number) {}
  set(key: string, value: number): void {
    if (!this.map.delete(key) && this.map.size >= this.cap) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
      this.evicted.push(oldest);
    }
    this.map.set(key, value);
  }
}

describe('CappedMap', () => {
  test('evicts exactly the keys a plain Map would, in the same order, through any mix of sets and deletes', () => {
    const op = fc.tuple(fc.constantFrom('set', 'set', 'set', 'delete'), fc.integer({ min: 0, max: 60 }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(op, { maxLength: 3000 }), (cap, ops) => {
        const ref = new Reference(cap);
        const evicted: string[] = [];
        const m = new CappedMap<number>(cap, (k, v) => {
          expect(v).toBe(ref.map.get(k) ?? v);
          evicted.push(k);
        });
        ops.forEach(([kind, k], i) => {
          const key = `k${k}`;
          if (kind === 'set') {
            ref.set(key, i);
            m.set(key, i);
          } else {
            expect(m.delete(key)).toBe(ref.map.delete(key));
          }
        });
        expect(evicted).toEqual(ref.evicted);
        expect([...m.keys()]).toEqual([...ref.map.keys()]);
        for (const [k, v] of ref.map) expect(m.get(k)).toBe(v);
        expect(m.size).toBe(ref.map.size);
      }),
      { numRuns: runs(300), seed: 20261123 },
    );
  });

  test('refuses a cap below 1', () => {
    expect(() => new CappedMap(0)).toThrow(/at least 1/);
  });
});
