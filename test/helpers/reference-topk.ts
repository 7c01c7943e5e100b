/**
 * The Map-based Space-Saving TopK that src/aggregate/counters.ts had before its keys moved to a
 * hash table: a model for the property test that the two give the same counts, the same
 * evictions and the same top lists on any stream.
 */
import type { TopEntry } from '../../src/aggregate/counters.js';


/**
 * Counts per key: exact while at most `cap` distinct keys were seen, then the Space-Saving
 * algorithm (Metwally et al., 2005): a new key takes the place of the least counted one and
 * inherits its count + 1. Counts then over-estimate by at most the evicted minimum, and every
 * key counted more than total/cap times is guaranteed to be present. Keys sit in a min-heap
 * with an index, so each update is O(log cap).
 */
export class ReferenceTopK {
  readonly cap: number;
  /**
   * The min-heap, by count. Each key's slot knows its own heap position, so moving it costs no
   * map update: only a new or evicted key touches `index`.
   */
  private readonly heap: Slot[] = [];
  private readonly index = new Map<string, Slot>();
  private spilled = false;

  constructor(cap: number) {
    if (cap < 1) throw new Error('TopK cap must be at least 1');
    this.cap = cap;
  }

  /** True once a key was evicted: counts are then Space-Saving estimates. */
  get overflowed(): boolean {
    return this.spilled;
  }

  /** Number of keys currently tracked (at most `cap`). */
  get size(): number {
    return this.heap.length;
  }

  add(key: string, weight = 1): void {
    const slot = this.index.get(key);
    if (slot !== undefined) {
      slot.count += weight;
      this.siftDown(slot.pos);
      return;
    }
    const own = key;
    if (this.heap.length < this.cap) {
      const fresh: Slot = { key: own, count: weight, pos: this.heap.length };
      this.heap.push(fresh);
      this.index.set(own, fresh);
      this.siftUp(fresh.pos);
      return;
    }
    this.spilled = true;
    const root = this.heap[0]!;
    this.index.delete(root.key);
    root.key = own;
    root.count += weight;
    this.index.set(own, root);
    this.siftDown(0);
  }

  /** Count recorded for `key`, 0 when it is not tracked. */
  get(key: string): number {
    return this.index.get(key)?.count ?? 0;
  }

  /** The `n` largest counts, by count descending then value ascending (code-unit order). */
  top(n: number): TopEntry[] {
    if (n <= 0) return [];
    const best: TopEntry[] = [];
    for (let i = 0; i < this.heap.length; i++) {
      const e = { value: this.heap[i]!.key, count: this.heap[i]!.count };
      if (best.length === n && !before(e, best[n - 1]!)) continue;
      let j = best.length < n ? best.length : n - 1;
      while (j > 0 && before(e, best[j - 1]!)) {
        best[j] = best[j - 1]!;
        j--;
      }
      best[j] = e;
    }
    return best;
  }

  /**
   * Add `other`'s counts. Exact when neither side overflowed and the union fits the cap (then
   * identical to adding every key into one TopK). Otherwise counts are summed per key and the
   * `cap` largest are kept (the mergeable-summaries rule): approximate, flagged as overflowed.
   */
  merge(other: ReferenceTopK): void {
    const sums = new Map<string, number>();
    for (const slot of this.heap) sums.set(slot.key, slot.count);
    for (const slot of other.heap) sums.set(slot.key, (sums.get(slot.key) ?? 0) + slot.count);
    let entries = [...sums].map(([value, count]) => ({ value, count }));
    if (entries.length > this.cap) {
      entries.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      entries = entries.slice(0, this.cap);
      this.spilled = true;
    }
    this.spilled ||= other.spilled;
    this.heap.length = 0;
    this.index.clear();
    for (const e of entries) {
      const slot: Slot = { key: e.value, count: e.count, pos: this.heap.length };
      this.heap.push(slot);
      this.index.set(e.value, slot);
    }
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    const x = heap[a]!;
    const y = heap[b]!;
    heap[a] = y;
    heap[b] = x;
    y.pos = a;
    x.pos = b;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!(heap[i]!.count < heap[parent]!.count)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const child = r < n && heap[r]!.count < heap[l]!.count ? r : l;
      if (!(heap[child]!.count < heap[i]!.count)) return;
      this.swap(i, child);
      i = child;
    }
  }
}

interface Slot {
  key: string;
  count: number;
  pos: number;
}


function before(a: TopEntry, b: TopEntry): boolean {
  return a.count > b.count || (a.count === b.count && a.value < b.value);
}
