/**
 * CappedMap evicts what a plain Map's `keys().next()` would (the oldest key set and not deleted
 * since), through any mix of sets, re-sets and deletes; and its bookkeeping stays bounded
 * whether or not anything is ever evicted (a kept Map iterator did not: V8 keeps the tables
 * a Map outgrows alive for it).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CappedMap } from '../../parsers/capped-map.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

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
      { numRuns: 300, seed: 20261123 },
    );
  });

  test('memory stays bounded when entries are freed and nothing is evicted, and when every set evicts', () => {
    const churn = (m: CappedMap<object>, rounds: number, free: boolean) => {
      for (let i = 0; i < rounds; i++) {
        m.set(`id-${i}`, { i });
        if (free && i >= 1000) m.delete(`id-${i - 1000}`); // ~1,000 messages in flight
      }
    };
    for (const free of [true, false]) {
      const m = new CappedMap<object>(5000);
      churn(m, 200_000, free);
      gc();
      const before = process.memoryUsage().heapUsed;
      churn(m, 2_000_000, free);
      gc();
      // 2 million more sets leave the heap where it was (a leak of one table per rehash, or of
      // stale slots, would be tens of MB).
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(4 * 1024 * 1024);
      expect(m.size).toBe(free ? 1000 : 5000);
    }
  });

  test('refuses a cap below 1', () => {
    expect(() => new CappedMap(0)).toThrow(/at least 1/);
  });
});
