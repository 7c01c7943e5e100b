import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DISTINCT_EXACT_CAP, DistinctCounter, HyperLogLog, TOPK_CAP, TopK, ValueCounts, hash32, hash52, hash52Bytes, sketchWidth } from '../../src/aggregate/counters.js';
import { ReferenceTopK } from '../helpers/reference-topk.js';
import { runs } from '../helpers/runs.js';

const addresses = (prefix: string, n: number, from = 0): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${from + i}@example.com`);

describe('hash32', () => {
  test('is a stable unsigned 32-bit value', () => {
    expect(hash32('user@example.com')).toBe(hash32('user@example.com'));
  });
  test('spreads neighbouring strings over the whole range', () => {
    const top = new Set(addresses('u', 1000).map((s) => hash32(s) >>> 28));
    expect(top.size).toBe(16);
  });
});

describe('hash52', () => {
  test('is an integer below 2^52 whose low 32 bits are hash32 (a sketch can be fed from it)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const h = hash52(s);
        expect(Number.isSafeInteger(h) && h >= 0 && h < 2 ** 52).toBe(true);
        expect(h % 2 ** 32).toBe(hash32(s));
      }),
    );
  });
  test('hash52Bytes() of a latin1 string\'s bytes, anywhere in a buffer, is hash52() of the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.nat(8), fc.nat(8), (s, before, after) => {
        const latin1 = [...s].map((c) => String.fromCharCode(c.charCodeAt(0) & 0xff)).join('');
        const b = Buffer.concat([Buffer.alloc(before, 0x78), Buffer.from(latin1, 'latin1'), Buffer.alloc(after, 0x79)]);
        expect(hash52Bytes(b, before, before + latin1.length)).toBe(hash52(latin1));
      }),
    );
  });
  test('gives 500,000 similar addresses 500,000 different values', () => {
    const seen = new Set(addresses('user.', 500_000).map(hash52));
    expect(seen.size).toBe(500_000);
  });
});

describe('HyperLogLog', () => {
  test('estimates 0 when empty', () => {
    expect(new HyperLogLog().estimate()).toBe(0);
  });
  test('merging gives the same registers as adding both sets into one', () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    const all = new HyperLogLog();
    for (const s of addresses('a', 5000)) {
      a.add(s);
      all.add(s);
    }
    for (const s of addresses('b', 5000)) {
      b.add(s);
      all.add(s);
    }
    a.merge(b);
    expect(a.registers).toEqual(all.registers);
  });
});

describe('DistinctCounter', () => {
  test('counts exactly up to the cap, duplicates once', () => {
    const d = new DistinctCounter();
    for (const s of addresses('u', DISTINCT_EXACT_CAP)) d.add(s);
    for (const s of addresses('u', 500)) d.add(s);
    expect([d.count(), d.approximate]).toEqual([DISTINCT_EXACT_CAP, false]);
  });

  test('switches to an estimate one value past the cap and says so', () => {
    const d = new DistinctCounter(100);
    for (const s of addresses('u', 101)) d.add(s);
    expect([d.approximate, d.overflowed, d.count() >= 101]).toEqual([true, true, true]);
  });

  test('estimates 100,000 distinct values within 3 %', () => {
    const d = new DistinctCounter();
    for (const s of addresses('rcpt', 100_000)) d.add(s);
    expect(Math.abs(d.count() - 100_000) / 100_000).toBeLessThan(0.03);
  });

  test('estimates within 3 % for any prefix and size from 10,001 to 100,000', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.integer({ min: DISTINCT_EXACT_CAP + 1, max: 100_000 }), (prefix, n) => {
        const d = new DistinctCounter();
        for (let i = 0; i < n; i++) d.add(`${prefix}${i}@x.test`);
        return Math.abs(d.count() - n) / n < 0.03;
      }),
      { numRuns: runs(15), seed: 20240501 },
    );
  });

  test('ignores repeats of an estimated set', () => {
    const d = new DistinctCounter(100);
    for (const s of addresses('u', 5000)) d.add(s);
    const before = d.count();
    for (const s of addresses('u', 5000)) d.add(s);
    expect(d.count()).toBe(before);
  });

  test('merge of exact counters is the size of the union', () => {
    const a = new DistinctCounter();
    const b = new DistinctCounter();
    for (const s of addresses('u', 300)) a.add(s);
    for (const s of addresses('u', 300, 200)) b.add(s);
    a.merge(b);
    expect([a.count(), a.approximate]).toEqual([500, false]);
  });

  test('merge crossing the cap equals one counter fed everything', () => {
    const a = new DistinctCounter(1000);
    const b = new DistinctCounter(1000);
    const all = new DistinctCounter(1000);
    for (const s of addresses('u', 800)) {
      a.add(s);
      all.add(s);
    }
    for (const s of addresses('u', 900, 600)) {
      b.add(s);
      all.add(s);
    }
    a.merge(b);
    expect([a.count(), a.approximate]).toEqual([all.count(), all.approximate]);
  });

  test('merge of two estimated counters equals one counter fed everything', () => {
    const a = new DistinctCounter(100);
    const b = new DistinctCounter(100);
    const all = new DistinctCounter(100);
    for (const s of addresses('a', 20_000)) {
      a.add(s);
      all.add(s);
    }
    for (const s of addresses('b', 30_000)) {
      b.add(s);
      all.add(s);
    }
    a.merge(b);
    expect(a.count()).toBe(all.count());
  });

  test('merge leaves the other counter unchanged', () => {
    const a = new DistinctCounter();
    const b = new DistinctCounter();
    a.add('x');
    b.add('y');
    a.merge(b);
    expect(b.count()).toBe(1);
  });
});

describe('TopK', () => {
  test('counts exactly and orders by count, then value', () => {
    const t = new TopK();
    for (const k of ['b', 'a', 'c', 'b', 'a', 'b', 'd']) t.add(k);
    expect(t.top(10)).toEqual([
      { value: 'b', count: 3 },
      { value: 'a', count: 2 },
      { value: 'c', count: 1 },
      { value: 'd', count: 1 },
    ]);
  });

  test('top(n) returns only n entries', () => {
    const t = new TopK();
    for (const k of ['a', 'b', 'c', 'c']) t.add(k);
    expect(t.top(2)).toEqual([
      { value: 'c', count: 2 },
      { value: 'a', count: 1 },
    ]);
  });

  test('stays exact at the cap', () => {
    const t = new TopK();
    for (let i = 0; i < TOPK_CAP; i++) t.add(`k${i}`, i + 1);
    expect([t.size, t.overflowed, t.get('k999')]).toEqual([TOPK_CAP, false, 1000]);
  });

  test('keeps at most cap keys under a flood of distinct ones', () => {
    const t = new TopK(50);
    for (let i = 0; i < 100_000; i++) t.add(`spam${i}@x.test`);
    expect([t.size, t.overflowed]).toEqual([50, true]);
  });

  test('keeps a heavy hitter on top under a flood of distinct keys', () => {
    const t = new TopK(20);
    for (let i = 0; i < 20_000; i++) {
      t.add(`noise${i}`);
      if (i % 4 === 0) t.add('victim@example.com');
    }
    expect(t.top(1)[0]!.value).toBe('victim@example.com');
  });

  test('every key counted more than total/cap times, or than the least tracked count, is kept, never under-counted', () => {
    const stream = fc.array(fc.integer({ min: 0, max: 200 }).map((n) => `k${Math.floor(Math.sqrt(n))}`), {
      minLength: 1,
      maxLength: 2000,
    });
    fc.assert(
      fc.property(stream, fc.integer({ min: 2, max: 15 }), (keys, cap) => {
        const t = new TopK(cap);
        const truth = new Map<string, number>();
        for (const k of keys) {
          t.add(k);
          truth.set(k, (truth.get(k) ?? 0) + 1);
        }
        const least = t.top(cap).at(-1)!.count;
        for (const [k, n] of truth) {
          if ((n > keys.length / cap || n > least) && t.get(k) < n) return false;
          if (t.get(k) !== 0 && t.get(k) < n) return false;
        }
        return true;
      }),
      { numRuns: runs(200), seed: 7 },
    );
  });

  test('runs of one key keep the guarantees: exact while exact, totals, no under-count', () => {
    // A repeated key is what TopK answers from its last-key memo; each add is a fresh string, so
    // the memo must compare by value. Adds only: while exact, the counts sum to the total.
    const run = fc.record({ key: fc.integer({ min: 0, max: 12 }), times: fc.integer({ min: 1, max: 4 }) });
    fc.assert(
      fc.property(fc.array(run, { maxLength: 80 }), fc.integer({ min: 3, max: 20 }), (runs_, cap) => {
        const t = new TopK(cap);
        const truth = new Map<string, number>();
        let total = 0;
        for (const r of runs_) {
          const key = `key-number-${r.key}@example.test`;
          for (let i = 0; i < r.times; i++) t.add(key.slice(0));
          truth.set(key, (truth.get(key) ?? 0) + r.times);
          total += r.times;
        }
        if (!t.overflowed && t.top(cap).reduce((a, e) => a + e.count, 0) !== total) return false;
        const least = t.top(cap).at(-1)?.count ?? 0;
        for (const [k, n] of truth) {
          if (n > least && t.get(k) < n) return false;
          const got = t.get(k);
          if (t.overflowed ? got !== 0 && got < n : got !== n) return false;
        }
        return true;
      }),
      { numRuns: runs(300), seed: 11 },
    );
  });

  test('a merge forgets the last key: later repeats count where the key now is', () => {
    const op = fc.record({ merge: fc.boolean(), key: fc.integer({ min: 0, max: 5 }), times: fc.integer({ min: 1, max: 3 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        // Cap 6 holds every key: the counts stay exact through merges.
        const t = new TopK(6);
        const truth = new Map<string, number>();
        for (const o of ops) {
          const key = `key-number-${o.key}@example.test`;
          if (o.merge) {
            const other = new TopK(6);
            other.add(key, o.times);
            t.merge(other);
          } else for (let i = 0; i < o.times; i++) t.add(key.slice(0));
          truth.set(key, (truth.get(key) ?? 0) + o.times);
        }
        return !t.overflowed && [...truth].every(([k, n]) => t.get(k) === n);
      }),
      { numRuns: runs(300), seed: 12 },
    );
  });

  test('a new key enters once it out-counts the least tracked one; a repeat after that counts the new key', () => {
    const t = new TopK(2);
    t.add('a', 5);
    t.add('b');
    t.add('c'); // seen once, as often as b: not let in
    expect([t.get('c'), t.get('b'), t.overflowed]).toEqual([0, 1, true]);
    t.add('c'); // twice now: takes b's slot with 2, and b's 1 stays in b's cells
    t.add('c'); // the repeat counts c, in the slot that was b's
    expect([t.get('c'), t.get('b')]).toEqual([3, 0]);
    t.add('b'); // b comes back with at least its old 1: 2, not more than c's 3
    expect(t.get('b')).toBe(0);
    t.add('b');
    t.add('b'); // 4 > 3: b takes c's slot, with every add of it counted
    expect(t.top(2)).toEqual([
      { value: 'a', count: 5 },
      { value: 'b', count: 4 },
    ]);
    expect(t.get('c')).toBe(0);
  });

  test('a flood of keys seen once leaves the tracked keys and their counts alone', () => {
    const t = new TopK(TOPK_CAP);
    for (let i = 0; i < TOPK_CAP; i++) t.add(`kept${i}@example.test`, 3);
    const before = t.top(TOPK_CAP);
    // 2,000 keys in 2 × 4,096 cells: hardly two share both cells, none gets an estimate of 4.
    for (let i = 0; i < 2_000; i++) t.add(`once${i}@spam.test`);
    expect(t.top(TOPK_CAP)).toEqual(before);
    expect(t.overflowed).toBe(true);
  });

  test('merge below the cap equals one TopK fed everything', () => {
    const a = new TopK();
    const b = new TopK();
    const all = new TopK();
    const left = ['a', 'b', 'b', 'c'];
    const right = ['b', 'c', 'c', 'c', 'd'];
    for (const k of left) {
      a.add(k);
      all.add(k);
    }
    for (const k of right) {
      b.add(k);
      all.add(k);
    }
    a.merge(b);
    expect(a.top(10)).toEqual(all.top(10));
  });

  test('merge past the cap keeps cap keys, the largest, and flags overflow', () => {
    const a = new TopK(3);
    const b = new TopK(3);
    for (const [k, n] of [['a', 10], ['b', 1], ['c', 2]] as const) a.add(k, n);
    for (const [k, n] of [['d', 9], ['e', 1], ['a', 1]] as const) b.add(k, n);
    a.merge(b);
    expect([a.top(10), a.overflowed]).toEqual([
      [
        { value: 'a', count: 11 },
        { value: 'd', count: 9 },
        { value: 'c', count: 2 },
      ],
      true,
    ]);
  });

  test('merging an overflowed TopK into an exact one carries the overflow flag', () => {
    const spilled = new TopK(3);
    for (const k of ['a', 'b', 'c', 'd']) spilled.add(k);
    const fresh = new TopK(3);
    fresh.merge(spilled);
    expect([spilled.overflowed, fresh.overflowed]).toEqual([true, true]);
  });

  test('after a merge further adds still keep the heap order', () => {
    const a = new TopK(3);
    const b = new TopK(3);
    a.add('a', 5);
    b.add('b', 3);
    b.add('c', 1);
    a.merge(b);
    a.add('d');
    a.add('d');
    expect(a.top(3)).toEqual([
      { value: 'a', count: 5 },
      { value: 'b', count: 3 },
      { value: 'd', count: 2 },
    ]);
  });

  test('merges of overflowed top lists never under-count, through further adds too', () => {
    const key = fc.integer({ min: 0, max: 400 }).map((n) => `k${Math.floor(Math.sqrt(n * 7))}@example.test`);
    fc.assert(
      fc.property(fc.array(key, { maxLength: 400 }), fc.array(key, { maxLength: 400 }), fc.array(key, { maxLength: 200 }), fc.integer({ min: 2, max: 12 }), (left, right, after, cap) => {
        const a = new TopK(cap);
        const b = new TopK(cap);
        const truth = new Map<string, number>();
        const count = (k: string) => truth.set(k, (truth.get(k) ?? 0) + 1);
        for (const k of left) (a.add(k), count(k));
        for (const k of right) (b.add(k), count(k));
        a.merge(b);
        for (const k of after) (a.add(k), count(k));
        return [...truth].every(([k, n]) => a.get(k) === 0 || a.get(k) >= n) && a.size <= cap;
      }),
      { numRuns: runs(300), seed: 13 },
    );
  });

  test('a sketch has four cells a row per key of the cap, a power of two: less than the keys it guards', () => {
    expect([sketchWidth(TOPK_CAP), sketchWidth(100), sketchWidth(32), sketchWidth(8), sketchWidth(1)]).toEqual([4096, 512, 128, 32, 16]);
  });

  test('a state file keeps the sketch: the restored list goes on exactly as the original', () => {
    const t = new TopK(5);
    const feed = (x: TopK, from: number, n: number) => {
      for (let i = from; i < from + n; i++) x.add(`u${Math.floor(Math.sqrt(i * 13)) % 40}@example.test`);
    };
    feed(t, 0, 3000);
    const state = JSON.parse(JSON.stringify(t.exportState()));
    expect(typeof state.sketch).toBe('string');
    const restored = TopK.fromState(state);
    feed(t, 3000, 3000);
    feed(restored, 3000, 3000);
    expect(restored.top(5)).toEqual(t.top(5));
    expect(new TopK(5).exportState()).not.toHaveProperty('sketch');
    expect(() => TopK.fromState({ ...state, sketch: Buffer.alloc(12).toString('base64') })).toThrow(/sketch of 12 bytes/);
  });

  test('gives the counts, evictions and top lists of the Map-based model on any stream', () => {
    // Few distinct keys (hits), many (evictions), weights, and hashes forced to collide.
    const key = fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 3600 }).map((n) => `k${Math.floor(Math.sqrt(n))}`), weight: 4 },
      fc.integer({ min: 0, max: 5000 }).map((n) => `user${n}@example.com`),
      fc.string({ maxLength: 6 }),
    );
    const op = fc.tuple(key, fc.integer({ min: 1, max: 3 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600, size: 'max' }), fc.integer({ min: 1, max: 40 }), fc.boolean(), (ops, cap, collide) => {
        const t = new TopK(cap);
        const model = new ReferenceTopK(cap);
        for (const [k, w] of ops) {
          // Colliding: four hash values three apart for all keys (probe runs overlap), so the table must tell keys apart by comparing them.
          if (collide) {
            t.addHashed(k, (hash52(k) % 4) * 3, w);
            model.add(k, w, (hash52(k) % 4) * 3);
          } else {
            t.add(k, w);
            model.add(k, w);
          }
        }
        expect(t.top(cap)).toEqual(model.top(cap));
        expect([t.size, t.overflowed]).toEqual([model.size, model.overflowed]);
      }),
      { numRuns: runs(300), seed: 11 },
    );
  });
});

describe('ValueCounts', () => {
  // What the accumulator kept before: a DistinctCounter and a TopK fed every value alike.
  function pair(cap: number) {
    const distinct = new DistinctCounter(40);
    const list = new TopK(cap);
    return {
      distinct,
      list,
      add(v: string) {
        distinct.add(v);
        list.add(v);
      },
      merge(o: { distinct: DistinctCounter; list: TopK }) {
        distinct.merge(o.distinct);
        list.merge(o.list);
      },
    };
  }
  const value = fc.integer({ min: 0, max: 3000 }).map((n) => `v${Math.floor(Math.sqrt(n * 5))}@example.org`);

  test('count, top list and state as a DistinctCounter beside the TopK, before and after the list fills, through merges', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), fc.array(value, { maxLength: 200 }), fc.integer({ min: 1, max: 60 }), (left, right, cap) => {
        const a = new ValueCounts(new TopK(cap), null, 40);
        const b = new ValueCounts(new TopK(cap), null, 40);
        const pa = pair(cap);
        const pb = pair(cap);
        for (const v of left) (a.add(v), pa.add(v));
        for (const v of right) (b.add(v), pb.add(v));
        const same = (x: ValueCounts, p: ReturnType<typeof pair>) => {
          expect([x.count(), x.approximate, x.overflowed]).toEqual([p.distinct.count(), p.distinct.approximate, p.distinct.overflowed]);
          expect(x.list.top(cap)).toEqual(p.list.top(cap));
          expect(x.distinct().exportState()).toEqual(p.distinct.exportState());
        };
        same(a, pa);
        same(b, pb);
        a.merge(b);
        pa.merge(pb);
        same(a, pa);
        same(b, pb);
      }),
      { numRuns: runs(300), seed: 17 },
    );
  });

  test('a list longer than the counter\'s cap: estimated past that cap, as the counter alone was', () => {
    const v = new ValueCounts(new TopK(50), null, 40);
    const d = new DistinctCounter(40);
    for (const x of addresses('u', 45)) (v.add(x), d.add(x));
    expect([v.count(), v.approximate, v.list.size]).toEqual([d.count(), true, 45]);
  });

  test('keeps no DistinctCounter while its list has never been full', () => {
    const v = new ValueCounts(new TopK(3));
    for (const x of ['a', 'b', 'a', 'c', 'c']) v.add(x);
    expect([v.count(), (v as unknown as { exact: unknown }).exact]).toEqual([3, null]);
    v.add('d');
    expect([v.count(), (v as unknown as { exact: unknown }).exact]).toEqual([4, expect.any(DistinctCounter)]);
  });
});
