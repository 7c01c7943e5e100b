/**
 * Bounded counters for one finding: how many distinct values (DistinctCounter) and which values
 * are most frequent (TopK). Both are exact while small and switch to a fixed-size sketch past a
 * documented cap, so memory per finding stays bounded however hostile the log. Both say when
 * they switched (`overflowed`), so the report can count it. Both merge, so files or workers can
 * be aggregated apart and combined.
 */

/**
 * `s` as a string of its own, for values a counter keeps. A substring of a log line can be a V8
 * slice that keeps the whole line alive: a few hundred bytes behind a 25-character address,
 * which for a few hundred thousand kept values was most of the memory of a run. A round trip
 * through bytes gives a flat copy of just these characters (latin1 when every character fits
 * a byte, else UTF-16, which keeps every code unit); strings under 13 characters are never
 * slices. Same characters, so the same value.
 */
export function detach(s: string): string {
  if (s.length < 13) return s;
  return BEYOND_LATIN1_RE.test(s) ? Buffer.from(s, 'utf16le').toString('utf16le') : Buffer.from(s, 'latin1').toString('latin1');
}
const BEYOND_LATIN1_RE = /[^\u0000-\u00ff]/;

/** 32-bit FNV-1a over UTF-16 code units, then the murmur3 finaliser to spread the bits. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Index bits of the HyperLogLog: 2^14 one-byte registers = 16 KiB, standard error ≈ 0.81 %. */
export const HLL_PRECISION = 14;

/**
 * HyperLogLog over the 32-bit hash above, read with Ertl's improved estimator ("New cardinality
 * estimation algorithms for HyperLogLog sketches", 2017), which needs neither bias tables nor a
 * switch to linear counting and is unbiased from 0 to well beyond 10^8 values.
 */
export class HyperLogLog {
  readonly registers: Uint8Array;
  readonly p: number;

  constructor(p = HLL_PRECISION) {
    this.p = p;
    this.registers = new Uint8Array(1 << p);
  }

  add(value: string): void {
    const h = hash32(value);
    const q = 32 - this.p;
    const idx = h >>> q;
    const w = (h << this.p) >>> 0; // remaining q bits, left-aligned
    const rank = w === 0 ? q + 1 : Math.clz32(w) + 1;
    if (rank > this.registers[idx]!) this.registers[idx] = rank;
  }

  /** Register-wise maximum: afterwards this sketch is the sketch of the union. */
  merge(other: HyperLogLog): void {
    if (other.p !== this.p) throw new Error(`cannot merge HyperLogLog of precision ${other.p} into ${this.p}`);
    const r = this.registers;
    const o = other.registers;
    for (let i = 0; i < r.length; i++) if (o[i]! > r[i]!) r[i] = o[i]!;
  }

  estimate(): number {
    const m = this.registers.length;
    const q = 32 - this.p;
    const hist = new Array<number>(q + 2).fill(0);
    for (const v of this.registers) hist[v]!++;
    let z = m * tau(1 - hist[q + 1]! / m);
    for (let k = q; k >= 1; k--) z = 0.5 * (z + hist[k]!);
    z += m * sigma(hist[0]! / m);
    return (m * m) / (2 * Math.LN2) / z;
  }
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let prev: number;
  do {
    x *= x;
    prev = z;
    z += x * y;
    y += y;
  } while (prev !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let prev: number;
  do {
    x = Math.sqrt(x);
    prev = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (prev !== z);
  return z / 3;
}

/**
 * Exact distinct values kept per counter before switching to the HyperLogLog estimate. 10,000
 * short strings cost several hundred KiB; the 16 KiB sketch that replaces them is always smaller.
 */
export const DISTINCT_EXACT_CAP = 10_000;

/** Counts distinct strings: a Set up to `cap` values, then a HyperLogLog estimate. */
export class DistinctCounter {
  readonly cap: number;
  private set: Set<string> | null = new Set();
  private sketch: HyperLogLog | null = null;

  constructor(cap = DISTINCT_EXACT_CAP) {
    this.cap = cap;
  }

  add(value: string): void {
    if (this.set) {
      if (this.set.has(value)) return;
      this.set.add(detach(value));
      if (this.set.size > this.cap) this.toSketch();
    } else {
      this.sketch!.add(value);
    }
  }

  /** True once past the cap: `count()` is then an estimate (±0.81 % standard error). */
  get approximate(): boolean {
    return this.sketch !== null;
  }

  /** Same as `approximate`: the exact cap was exceeded. */
  get overflowed(): boolean {
    return this.sketch !== null;
  }

  /** Exact below the cap; past it, the estimate, never less than cap + 1 (known to be exceeded). */
  count(): number {
    if (this.set) return this.set.size;
    return Math.max(this.cap + 1, Math.round(this.sketch!.estimate()));
  }

  /** Add every value `other` has seen. Does not change `other`. */
  merge(other: DistinctCounter): void {
    if (other.set) {
      for (const v of other.set) this.add(v);
      return;
    }
    this.toSketch();
    this.sketch!.merge(other.sketch!);
  }

  private toSketch(): void {
    if (this.sketch) return;
    const sketch = new HyperLogLog();
    for (const v of this.set!) sketch.add(v);
    this.sketch = sketch;
    this.set = null;
  }
}

export interface TopEntry {
  value: string;
  count: number;
}

/** Keys tracked per TopK; past it, Space-Saving replaces the least frequent key. */
export const TOPK_CAP = 1_000;

/**
 * Counts per key: exact while at most `cap` distinct keys were seen, then the Space-Saving
 * algorithm (Metwally et al., 2005): a new key takes the place of the least counted one and
 * inherits its count + 1. Counts then over-estimate by at most the evicted minimum, and every
 * key counted more than total/cap times is guaranteed to be present. Keys sit in a min-heap
 * with an index, so each update is O(log cap).
 */
export class TopK {
  readonly cap: number;
  private readonly keys: string[] = [];
  private readonly counts: number[] = [];
  private readonly index = new Map<string, number>();
  private spilled = false;

  constructor(cap = TOPK_CAP) {
    if (cap < 1) throw new Error('TopK cap must be at least 1');
    this.cap = cap;
  }

  /** True once a key was evicted: counts are then Space-Saving estimates. */
  get overflowed(): boolean {
    return this.spilled;
  }

  /** Number of keys currently tracked (at most `cap`). */
  get size(): number {
    return this.keys.length;
  }

  add(key: string, weight = 1): void {
    const i = this.index.get(key);
    if (i !== undefined) {
      this.counts[i]! += weight;
      this.siftDown(i);
      return;
    }
    const own = detach(key);
    if (this.keys.length < this.cap) {
      this.keys.push(own);
      this.counts.push(weight);
      this.index.set(own, this.keys.length - 1);
      this.siftUp(this.keys.length - 1);
      return;
    }
    this.spilled = true;
    this.index.delete(this.keys[0]!);
    this.keys[0] = own;
    this.counts[0]! += weight;
    this.index.set(own, 0);
    this.siftDown(0);
  }

  /** Count recorded for `key`, 0 when it is not tracked. */
  get(key: string): number {
    const i = this.index.get(key);
    return i === undefined ? 0 : this.counts[i]!;
  }

  /** The `n` largest counts, by count descending then value ascending (code-unit order). */
  top(n: number): TopEntry[] {
    if (n <= 0) return [];
    const best: TopEntry[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      const e = { value: this.keys[i]!, count: this.counts[i]! };
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
  merge(other: TopK): void {
    const sums = new Map<string, number>();
    for (let i = 0; i < this.keys.length; i++) sums.set(this.keys[i]!, this.counts[i]!);
    for (let i = 0; i < other.keys.length; i++) {
      const k = other.keys[i]!;
      sums.set(k, (sums.get(k) ?? 0) + other.counts[i]!);
    }
    let entries = [...sums].map(([value, count]) => ({ value, count }));
    if (entries.length > this.cap) {
      entries.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      entries = entries.slice(0, this.cap);
      this.spilled = true;
    }
    this.spilled ||= other.spilled;
    this.keys.length = 0;
    this.counts.length = 0;
    this.index.clear();
    for (const e of entries) {
      this.keys.push(e.value);
      this.counts.push(e.count);
      this.index.set(e.value, this.keys.length - 1);
    }
    for (let i = (this.keys.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private less(a: number, b: number): boolean {
    return this.counts[a]! < this.counts[b]!;
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a]!;
    const c = this.counts[a]!;
    this.keys[a] = this.keys[b]!;
    this.counts[a] = this.counts[b]!;
    this.keys[b] = k;
    this.counts[b] = c;
    this.index.set(this.keys[a]!, a);
    this.index.set(k, b);
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.keys.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const child = r < n && this.less(r, l) ? r : l;
      if (!this.less(child, i)) return;
      this.swap(i, child);
      i = child;
    }
  }
}

/** Ranking order of top entries: larger count first, then smaller value. */
function before(a: TopEntry, b: TopEntry): boolean {
  return a.count > b.count || (a.count === b.count && a.value < b.value);
}
