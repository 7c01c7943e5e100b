/**
 * A Map-based model of src/aggregate/counters.ts's TopK, written for plainness: for the property
 * test that the two give the same counts, the same evictions and the same top lists on any
 * stream.
 */
import { hash52, sketchWidth, type TopEntry } from '../../src/aggregate/counters.js';


/**
 * Counts per key: exact while at most `cap` distinct keys were seen, then Space-Saving behind a
 * count-min sketch of two rows: a key not tracked counts in its two cells (only those at the
 * lower value rise), and replaces the least counted key when that estimate exceeds its count,
 * entering with the estimate; the key leaving raises its own cells to its count. The keys stay
 * in the order they came until the first key finds the list full; then they are made a min-heap
 * (sifted down from the last parent to the root), kept so after.
 */
export class ReferenceTopK {
  readonly cap: number;
  /**
   * The min-heap, by count. Each key's slot knows its own heap position, so moving it costs no
   * map update: only a new or evicted key touches `index`.
   */
  private readonly heap: Slot[] = [];
  private heaped = false;
  private readonly index = new Map<string, Slot>();
  private spilled = false;
  private readonly sketch: number[];
  private readonly width: number;

  constructor(cap: number) {
    if (cap < 1) throw new Error('TopK cap must be at least 1');
    this.cap = cap;
    this.width = sketchWidth(cap);
    this.sketch = new Array<number>(2 * this.width).fill(0);
  }

  /** True once past the cap: counts are then estimates. */
  get overflowed(): boolean {
    return this.spilled;
  }

  /** Number of keys currently tracked (at most `cap`). */
  get size(): number {
    return this.heap.length;
  }

  add(key: string, weight = 1, hash = hash52(key)): void {
    const slot = this.index.get(key);
    if (slot !== undefined) {
      slot.count += weight;
      if (this.heaped) this.siftDown(slot.pos);
      return;
    }
    if (this.heap.length < this.cap) {
      const fresh: Slot = { key, hash, count: weight, pos: this.heap.length };
      this.heap.push(fresh);
      this.index.set(key, fresh);
      if (this.heaped) this.siftUp(fresh.pos);
      return;
    }
    if (!this.heaped) {
      this.heaped = true;
      for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
    }
    this.spilled = true;
    const [a, b] = cells(hash, this.width);
    const estimate = Math.min(this.sketch[a]!, this.sketch[b]!) + weight;
    this.sketch[a] = Math.max(this.sketch[a]!, estimate);
    this.sketch[b] = Math.max(this.sketch[b]!, estimate);
    const root = this.heap[0]!;
    if (estimate <= root.count) return;
    const [c, d] = cells(root.hash, this.width);
    this.sketch[c] = Math.max(this.sketch[c]!, root.count);
    this.sketch[d] = Math.max(this.sketch[d]!, root.count);
    this.index.delete(root.key);
    root.key = key;
    root.hash = hash;
    root.count = estimate;
    this.index.set(key, root);
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

/** A key's two cells: the low bits of its hash, and bits 32 and up. */
function cells(hash: number, width: number): [number, number] {
  return [hash % width, width + (Math.floor(hash / 2 ** 32) % width)];
}

interface Slot {
  key: string;
  hash: number;
  count: number;
  pos: number;
}


function before(a: TopEntry, b: TopEntry): boolean {
  return a.count > b.count || (a.count === b.count && a.value < b.value);
}
