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
  readonly evicted: Array<[string, number]> = [];
  constructor(private readonly cap: number) {}
  set(key: string, value: number): void {
    if (!this.map.delete(key) && this.map.size >= this.cap) {
      const oldest = this.map.keys().next().value as string;
      this.evicted.push([oldest, this.map.get(oldest)!]);
      this.map.delete(oldest);
    }
    this.map.set(key, value);
  }
}

describe('CappedMap', () => {
  // Caps under the 61 keys evict all along; caps over them never do, and the places that sets
  // again and deletes leave stale pile up until compacted.
  test.for([
    [1, 20],
    [40, 61],
    [62, 80],
  ])('evicts exactly the keys a plain Map would, in the same order, through any mix of sets and deletes (cap %i to %i)', ([lo, hi]) => {
    const op = fc.tuple(fc.constantFrom('set', 'set', 'set', 'delete'), fc.integer({ min: 0, max: 60 }));
    fc.assert(
      fc.property(fc.integer({ min: lo!, max: hi! }), fc.array(op, { maxLength: 3000 }), (cap, ops) => {
        const ref = new Reference(cap);
        const evicted: Array<[string, number]> = [];
        const m = new CappedMap<number>(cap, (k, v) => evicted.push([k, v]));
        ops.forEach(([kind, k], i) => {
          // k0 is the empty key (Exim's own files are one stream, named '').
          const key = k === 0 ? '' : `k${k}`;
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

  test('keeps order, values and evictions through compactions of stale places', () => {
    // Sets again and deletes of a few keys leave thousands of stale places, then the cap bites.
    for (const cap of [20, 30]) {
      const ref = new Reference(cap);
      const evicted: Array<[string, number]> = [];
      const m = new CappedMap<number>(cap, (k, v) => evicted.push([k, v]));
      for (let i = 0; i < 20_000; i++) {
        const key = `k${(i * 7919) % (i < 10_000 ? 35 : 50)}`;
        if (i % 5 === 4) expect(m.delete(key)).toBe(ref.map.delete(key));
        else {
          ref.set(key, i);
          m.set(key, i);
        }
      }
      expect(evicted).toEqual(ref.evicted);
      expect(evicted.length).toBeGreaterThan(100);
      expect([...m.keys()]).toEqual([...ref.map.keys()]);
      for (const [k, v] of ref.map) expect(m.get(k)).toBe(v);
    }
  });

  test('a big map (its index grown many times) and keys whose hashes all collide', () => {
    // Keys over 512 characters are hashed by their ends and length: these all hash alike, so
    // every lookup walks one long probe, and deletes move entries back along it.
    const long = (n: number) => 'a'.repeat(300) + String(n).padStart(5, '0') + 'b'.repeat(300);
    for (const [cap, distinct, make] of [
      [5_000, 8_000, (n: number) => `q${n}`],
      [150, 400, long],
    ] as const) {
      const ref = new Reference(cap);
      const evicted: Array<[string, number]> = [];
      const m = new CappedMap<number>(cap, (k, v) => evicted.push([k, v]));
      let x = 1;
      for (let i = 0; i < 60_000; i++) {
        x = (x * 48271) % 2147483647;
        const key = make(x % distinct);
        if (x % 4 === 0) expect(m.delete(key)).toBe(ref.map.delete(key));
        else {
          ref.set(key, i);
          m.set(key, i);
        }
        if (i % 997 === 0) expect(m.get(key)).toBe(ref.map.get(key));
      }
      expect(evicted).toEqual(ref.evicted);
      expect(evicted.length).toBeGreaterThan(1000);
      expect([...m.keys()]).toEqual([...ref.map.keys()]);
      for (const [k, v] of ref.map) expect(m.get(k)).toBe(v);
      expect(m.size).toBe(ref.map.size);
    }
  });

  test('refuses a cap below 1', () => {
    expect(() => new CappedMap(0)).toThrow(/at least 1/);
  });
});
