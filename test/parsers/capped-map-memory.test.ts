/**
 * CappedMap's bookkeeping stays bounded whether or not anything is ever evicted (a kept Map
 * iterator did not: V8 keeps the tables a Map outgrows alive for it). Millions of sets and a
 * forced GC: not a unit test (what it evicts is test/parsers/capped-map.test.ts).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { CappedMap } from '../../parsers/capped-map.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('CappedMap', () => {
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
});
