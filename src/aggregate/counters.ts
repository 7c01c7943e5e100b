/**
 * Bounded counters for one finding: how many distinct values (DistinctCounter) and which values
 * are most frequent (TopK). Both are exact while small and switch to a fixed-size sketch past a
 * documented cap, so memory per finding stays bounded however hostile the log. Both say when
 * they switched (`overflowed`), so the report can count it. Both merge, so files or workers can
 * be aggregated apart and combined.
 */
import { flatCopy } from '../text/flat-copy.js';

/** 32-bit FNV-1a over UTF-16 code units, then the murmur3 finaliser to spread the bits. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/**
 * A 52-bit hash: hash32(s) in the low 32 bits (so a HyperLogLog can be fed from it), and 20 bits
 * of a second FNV-1a (other offset basis, other prime, same pass) above. Two of 10,000 distinct
 * strings share one with a probability of about 1 in 10^8.
 */
export function hash52(s: string): number {
  let h = 0x811c9dc5;
  let g = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h = Math.imul(h ^ c, 0x01000193);
    g = Math.imul(g ^ c, 0x0100019d);
  }
  return (fmix32(g) & 0xfffff) * 0x100000000 + fmix32(h);
}

/**
 * hash52() of the latin1 text in bytes [start, end) of `b` (of an ASCII string: its bytes), as
 * hash52() of that string gives it: for the reader thread, which has the bytes, not the string.
 */
export function hash52Bytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  let g = 0x050c5d1f;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    h = Math.imul(h ^ c, 0x01000193);
    g = Math.imul(g ^ c, 0x0100019d);
  }
  return (fmix32(g) & 0xfffff) * 0x100000000 + fmix32(h);
}

/**
 * hash52() of a text given in pieces, without joining them, for keys made only to be hashed:
 * `hashParts.begin()`, then `text()` and `code()` for each piece in order, then `end()`. One
 * shared instance (nothing else runs between begin() and end()): a key per event made a string
 * to flatten and drop for each (bench/README.md, item 34).
 */
class Hash52Parts {
  private h = 0;
  private g = 0;

  begin(): this {
    this.h = 0x811c9dc5;
    this.g = 0x050c5d1f;
    return this;
  }

  /** One UTF-16 code unit. */
  code(c: number): this {
    this.h = Math.imul(this.h ^ c, 0x01000193);
    this.g = Math.imul(this.g ^ c, 0x0100019d);
    return this;
  }

  /** The code units of `s`, or of its first `max` (as `s.slice(0, max)`). */
  text(s: string, max = s.length): this {
    let h = this.h;
    let g = this.g;
    const end = Math.min(max, s.length);
    for (let i = 0; i < end; i++) {
      const c = s.charCodeAt(i);
      h = Math.imul(h ^ c, 0x01000193);
      g = Math.imul(g ^ c, 0x0100019d);
    }
    this.h = h;
    this.g = g;
    return this;
  }

  end(): number {
    return (fmix32(this.g) & 0xfffff) * 0x100000000 + fmix32(this.h);
  }
}
export const hashParts = new Hash52Parts();

/** The murmur3 finaliser: every input bit affects every output bit. */
function fmix32(h: number): number {
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
    this.addHash(hash32(value));
  }

  /** Adds the value whose hash32 is `h`. */
  addHash(h: number): void {
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
 * Distinct values counted exactly per counter before switching to the HyperLogLog estimate.
 * The exact count keeps a 52-bit hash per value (8 bytes in a table at most 3/4 full), not the
 * value: at the cap 128 KiB, where 10,000 kept strings were ~800 KiB.
 */
export const DISTINCT_EXACT_CAP = 10_000;

/**
 * Counts distinct strings: exact up to `cap` values (by their 52-bit hash: two distinct values
 * of 10,000 collide with a probability of about 1 in 10^8), then a HyperLogLog estimate fed with
 * the hashes' low 32 bits, which are hash32() of the values.
 */
export class DistinctCounter {
  readonly cap: number;
  /** Open addressing, linear probing: hash + 1 per used slot (0: empty). Null once estimated. */
  private table: Float64Array | null = new Float64Array(16);
  private size = 0;
  private sketch: HyperLogLog | null = null;

  constructor(cap = DISTINCT_EXACT_CAP) {
    this.cap = cap;
  }

  add(value: string): void {
    if (this.table) this.addHash(hash52(value));
    else this.sketch!.add(value);
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
    if (this.table) return this.size;
    return Math.max(this.cap + 1, Math.round(this.sketch!.estimate()));
  }

  /** Add every value `other` has seen. Does not change `other`. */
  merge(other: DistinctCounter): void {
    if (other.table) {
      for (const stored of other.table) if (stored !== 0) this.addHash(stored - 1);
      return;
    }
    this.toSketch();
    this.sketch!.merge(other.sketch!);
  }

  /**
   * What a state file keeps (src/state/): the exact values' 52-bit hashes, or the sketch's
   * registers once past the cap. fromState() gives back a counter that counts and merges alike.
   */
  exportState(): DistinctState {
    if (this.table) return { cap: this.cap, hashes: [...this.table].filter((t) => t !== 0).map((t) => t - 1) };
    return { cap: this.cap, hll: { p: this.sketch!.p, registers: Buffer.from(this.sketch!.registers).toString('base64') } };
  }

  static fromState(s: DistinctState): DistinctCounter {
    const d = new DistinctCounter(s.cap);
    if (s.hll) {
      const sketch = new HyperLogLog(s.hll.p);
      const regs = Buffer.from(s.hll.registers, 'base64');
      if (regs.length !== sketch.registers.length) throw new Error('HyperLogLog registers of the wrong size');
      sketch.registers.set(regs);
      d.sketch = sketch;
      d.table = null;
    } else {
      for (const h of s.hashes ?? []) d.addHash(h);
    }
    return d;
  }

  /** Adds the value whose hash52 is `h` (for a caller that has it already). */
  addHash(h: number): void {
    if (!this.table) {
      this.sketch!.addHash(h % 0x100000000);
      return;
    }
    const table = this.table;
    const mask = table.length - 1;
    const stored = h + 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const t = table[i]!;
      if (t === stored) return;
      if (t === 0) {
        table[i] = stored;
        break;
      }
    }
    if (++this.size > this.cap) this.toSketch();
    else if (this.size * 4 > table.length * 3) this.grow();
  }

  private grow(): void {
    const old = this.table!;
    const table = new Float64Array(old.length * 2);
    const mask = table.length - 1;
    for (const stored of old) {
      if (stored === 0) continue;
      let i = (stored - 1) & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = stored;
    }
    this.table = table;
  }

  private toSketch(): void {
    if (this.sketch) return;
    const sketch = new HyperLogLog();
    for (const stored of this.table!) if (stored !== 0) sketch.addHash((stored - 1) % 0x100000000);
    this.sketch = sketch;
    this.table = null;
  }
}

/** A DistinctCounter as a state file holds it (see exportState). */
export interface DistinctState {
  cap: number;
  /** The hash52 of each value, while exact. */
  hashes?: number[];
  /** The HyperLogLog, past the cap: precision and base64 registers. */
  hll?: { p: number; registers: string };
}

/** A TopK as a state file holds it: every tracked key with its count, and whether one was evicted. */
export interface TopKState {
  cap: number;
  spilled: boolean;
  entries: Array<[string, number]>;
  /**
   * The admission sketch once overflowed: its 2 × sketchWidth(cap) cells as little-endian 32-bit
   * numbers in base64 (absent in state files before version 4: then it starts empty).
   */
  sketch?: string;
}

export interface TopEntry {
  value: string;
  count: number;
}

/**
 * Cells per row of the admission sketch of a TopK of `cap` keys: four per key, a power of two
 * (two rows of 32-bit cells, made when the TopK first overflows: 32 KiB for TOPK_CAP, 4 KiB
 * for a finding's HOSTS_CAP, so a sketch costs less than the keys it guards).
 */
export function sketchWidth(cap: number): number {
  let w = 16;
  while (w < 4 * cap) w *= 2;
  return w;
}

/** The arrays of a TopK without keys, shared (see TopK.keys). */
const NO_SLOTS: never[] = Object.freeze([]) as unknown as never[];
/** The index of a TopK without keys, shared and never written (see TopK.addHashed). */
const NO_TABLE = new Int32Array(8);
/** Keys up to which a TopK's arrays are exact-size copies. */
const EXACT_SLOTS = 8;

/** Keys tracked per TopK; past it, a new key must out-count the least tracked one to enter. */
export const TOPK_CAP = 1_000;

/**
 * Counts per key: exact while at most `cap` distinct keys were seen, then Space-Saving
 * (Metwally et al., 2005) behind an admission sketch. A key not tracked is counted in a
 * count-min sketch (two rows, conservative update); it takes the place of the least counted
 * key only once its estimate there exceeds that key's count, and enters with the estimate. A
 * key leaving writes its count into its cells, so it comes back with no less. The estimate is
 * never below the key's true count, so a tracked count never under-counts, and a key seen more
 * often than the least tracked one is tracked after its next occurrence. Plain Space-Saving
 * let every new key evict (each a copy, an unindex and a sift): on a busy MX, where most
 * recipients and clients are seen once, that was most of the top lists' time, and it ranked
 * singletons with the inherited count of the key they evicted (bench/README.md, item 26).
 * Once full, keys sit in a min-heap, so each update is O(log cap). The heap is built when the
 * first key finds the TopK full: most top lists never fill (68 of 5,960 on the 1 GB Postfix
 * bench file), and kept from the start it cost every count a sift and every key two slots.
 *
 * Kept as parallel arrays per slot (key, its hash52, count, heap position) with an
 * open-addressing index by hash, not a Map of slot objects: a finding's recipients, senders and
 * clients are counted distinct as well, so the caller has the hash already (`addHashed`), and a
 * Map hashed every key again, and, once past the cap (a third of all adds on a busy MX), paid a
 * delete and an insert per add. A hash match is confirmed by comparing the keys, so two keys
 * with one hash stay two keys.
 */
export class TopK {
  readonly cap: number;
  // The parallel arrays start as one shared empty array and are exact-size copies up to
  // EXACT_SLOTS keys, pushed to after: most top lists (a finding's hosts, rules and causes) hold
  // a key or two, and a pushed-to array keeps room for 17.
  private keys: string[] = NO_SLOTS;
  private hashes: number[] = NO_SLOTS;
  private counts: number[] = NO_SLOTS;
  /** Slot → heap position, and heap position → slot (the min-heap by count), once `heaped`. */
  private pos: number[] = NO_SLOTS;
  private heap: number[] = NO_SLOTS;
  private heaped = false;
  /** Linear probing by hash: slot + 1 (0: empty), at most half full. */
  private table = NO_TABLE;
  private spilled = false;
  private keyChanges = 0;
  /** The admission sketch (see the class comment): 2 × sketchWidth(cap) cells, null until the first overflow. */
  private sketch: Uint32Array | null = null;
  /**
   * The key of the last add and its slot: events come in runs (one client's RCPTs, one rule per
   * finding), and a repeat then costs a comparison instead of a hash and a probe. The slot still
   * holds that key until the next add, the only thing that evicts; load() forgets it.
   */
  private lastKey: string | null = null;
  private lastSlot = -1;

  constructor(cap = TOPK_CAP) {
    if (cap < 1) throw new Error('TopK cap must be at least 1');
    this.cap = cap;
  }

  /** True once past the cap: counts are then estimates (never below the true count). */
  get overflowed(): boolean {
    return this.spilled;
  }

  /** Number of keys currently tracked (at most `cap`). */
  get size(): number {
    return this.keys.length;
  }

  /** Changes whenever the set of keys does (a new key, a key evicted, a merge): for caches of keys(). */
  get keysVersion(): number {
    return this.keyChanges;
  }

  /** The hash52 of each key, in slot order (the order keys came in, until the first eviction). */
  keyHashes(): readonly number[] {
    return this.hashes;
  }

  /** Up to `n` of the keys tracked, in no particular order (no sorting: for search, not display). */
  someKeys(n: number): string[] {
    return this.keys.slice(0, n);
  }

  /**
   * Is `key` the key of the last add? Then a distinct count fed the same values has counted it
   * already, and add() costs no hash.
   */
  isLast(key: string): boolean {
    return key === this.lastKey;
  }

  add(key: string, weight = 1): void {
    if (key === this.lastKey) this.bump(this.lastSlot, weight);
    else this.addHashed(key, hash52(key), weight);
  }

  /** add() for a caller that has `hash52(key)` already. */
  addHashed(key: string, h: number, weight = 1): void {
    if (key === this.lastKey) return this.bump(this.lastSlot, weight);
    let table = this.table;
    const mask = table.length - 1;
    let i = h & mask;
    for (let t = table[i]!; t !== 0; t = table[i]!) {
      const slot = t - 1;
      if (this.hashes[slot] === h && this.keys[slot] === key) return this.bump(slot, weight);
      i = (i + 1) & mask;
    }
    const n = this.keys.length;
    let entering = 0;
    if (n >= this.cap) {
      if (!this.heaped) this.heapify();
      this.spilled = true;
      const sketch = (this.sketch ??= new Uint32Array(2 * sketchWidth(this.cap)));
      const a = firstCell(sketch, h);
      const b = secondCell(sketch, h);
      // Conservative update: only the cells at the estimate rise, to the estimate + weight.
      const estimate = Math.min(sketch[a]! + weight, sketch[b]! + weight, MAX_CELL);
      if (sketch[a]! < estimate) sketch[a] = estimate;
      if (sketch[b]! < estimate) sketch[b] = estimate;
      if (estimate <= this.counts[this.heap[0]!]!) return;
      entering = estimate;
    }
    const own = flatCopy(key);
    this.keyChanges++;
    this.lastKey = own;
    if (n < this.cap) {
      this.lastSlot = n;
      if (n < EXACT_SLOTS) {
        this.keys = this.keys.concat(own);
        this.hashes = this.hashes.concat(h);
        this.counts = this.counts.concat(weight);
      } else {
        this.keys.push(own);
        this.hashes.push(h);
        this.counts.push(weight);
      }
      // The shared empty table was probed (all empty): slot i of a fresh one is as free.
      if (table === NO_TABLE) table = this.table = new Int32Array(NO_TABLE.length);
      table[i] = n + 1;
      if (2 * (n + 1) > table.length) this.rehash(table.length * 2);
      if (this.heaped) {
        this.pos.push(n);
        this.heap.push(n);
        this.siftUp(n);
      }
      return;
    }
    // Space-Saving: the least counted key (the heap's root) gives its slot to the new one.
    const slot = this.heap[0]!;
    this.lastSlot = slot;
    this.unindex(slot);
    this.fold(this.hashes[slot]!, this.counts[slot]!);
    this.keys[slot] = own;
    this.hashes[slot] = h;
    this.counts[slot] = entering;
    this.index(slot);
    this.siftDown(0);
  }

  private bump(slot: number, weight: number): void {
    this.lastKey = this.keys[slot]!;
    this.lastSlot = slot;
    this.counts[slot] = this.counts[slot]! + weight;
    if (this.heaped) this.siftDown(this.pos[slot]!);
  }

  /** Builds the min-heap over the slots (see the class comment). */
  private heapify(): void {
    this.pos = this.keys.map((_k, slot) => slot);
    this.heap = this.keys.map((_k, slot) => slot);
    this.heaped = true;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Count recorded for `key`, 0 when it is not tracked. */
  get(key: string): number {
    const slot = this.find(key, hash52(key));
    return slot < 0 ? 0 : this.counts[slot]!;
  }

  /** The `n` largest counts, by count descending then value ascending (code-unit order). */
  top(n: number): TopEntry[] {
    if (n <= 0) return [];
    const best: TopEntry[] = [];
    for (let slot = 0; slot < this.keys.length; slot++) {
      const e = { value: this.keys[slot]!, count: this.counts[slot]! };
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
    this.keyChanges++;
    const mine = this.sketch;
    // Sketches of another width (a TopK of another cap) cannot be added: the other's is left out.
    const theirs = other.sketch && other.sketch.length === 2 * sketchWidth(this.cap) ? other.sketch : null;
    const sums = new Map<string, number>();
    for (let slot = 0; slot < this.keys.length; slot++) sums.set(this.keys[slot]!, this.counts[slot]!);
    for (let slot = 0; slot < other.keys.length; slot++) {
      const k = other.keys[slot]!;
      const own = sums.get(k);
      // A key tracked on one side only: the other side saw it at most its estimate there.
      sums.set(k, Math.min(MAX_CELL, (own ?? (mine ? estimateIn(mine, other.hashes[slot]!) : 0)) + other.counts[slot]!));
    }
    if (theirs) {
      for (let slot = 0; slot < this.keys.length; slot++) {
        const k = this.keys[slot]!;
        if (other.find(k, this.hashes[slot]!) < 0) sums.set(k, Math.min(MAX_CELL, sums.get(k)! + estimateIn(theirs, this.hashes[slot]!)));
      }
    }
    let entries = [...sums].map(([value, count]) => ({ value, count }));
    let dropped: TopEntry[] = [];
    if (entries.length > this.cap) {
      entries.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      dropped = entries.slice(this.cap);
      entries = entries.slice(0, this.cap);
      this.spilled = true;
    }
    this.spilled ||= other.spilled;
    // The sketches add up cell by cell (each cell bounds what its keys were seen on its side).
    if (mine || theirs || dropped.length > 0) {
      const sum = new Uint32Array(2 * sketchWidth(this.cap));
      for (let i = 0; i < sum.length; i++) sum[i] = Math.min(MAX_CELL, (mine?.[i] ?? 0) + (theirs?.[i] ?? 0));
      this.sketch = sum;
    }
    this.load(entries);
    for (const e of dropped) this.fold(hash52(e.value), e.count);
  }

  /** What a state file keeps (src/state/): every tracked key and count. */
  exportState(): TopKState {
    const entries = this.keys.map((key, slot): [string, number] => [key, this.counts[slot]!]);
    const sketch = this.sketch ? toLittleEndian(this.sketch).toString('base64') : undefined;
    return { cap: this.cap, spilled: this.spilled, entries, ...(sketch ? { sketch } : {}) };
  }

  static fromState(s: TopKState): TopK {
    const t = new TopK(s.cap);
    if (s.entries.length > s.cap) throw new Error('more entries than the cap');
    const seen = new Set<string>();
    for (const [k] of s.entries) {
      if (seen.has(k)) throw new Error('a key twice');
      seen.add(k);
    }
    let sketch: Uint32Array | null = null;
    if (s.sketch !== undefined) {
      const bytes = Buffer.from(s.sketch, 'base64');
      const cells = 2 * sketchWidth(s.cap);
      if (bytes.length !== 4 * cells) throw new Error(`a sketch of ${bytes.length} bytes, not ${4 * cells}`);
      sketch = new Uint32Array(cells);
      for (let i = 0; i < sketch.length; i++) sketch[i] = bytes.readUInt32LE(4 * i);
    }
    t.load(s.entries.map(([value, count]) => ({ value, count })));
    t.spilled = s.spilled;
    t.sketch = sketch;
    return t;
  }

  /** Replaces the content with `entries` (distinct keys, at most `cap`). */
  private load(entries: TopEntry[]): void {
    this.lastKey = null;
    this.lastSlot = -1;
    this.keys = entries.map((e) => e.value);
    this.hashes = entries.map((e) => hash52(e.value));
    this.counts = entries.map((e) => e.count);
    this.pos = NO_SLOTS;
    this.heap = NO_SLOTS;
    this.heaped = false;
    let size = 8;
    while (size < 2 * entries.length) size *= 2;
    this.rehash(size);
  }

  /** A key's count `count` into its cells of the sketch (a key leaving, or dropped by a merge). */
  private fold(h: number, count: number): void {
    const sketch = this.sketch!;
    const c = Math.min(count, MAX_CELL);
    const a = firstCell(sketch, h);
    const b = secondCell(sketch, h);
    if (sketch[a]! < c) sketch[a] = c;
    if (sketch[b]! < c) sketch[b] = c;
  }

  /** The slot of `key` (whose hash52 is `h`), or -1. */
  private find(key: string, h: number): number {
    const table = this.table;
    const mask = table.length - 1;
    for (let i = h & mask, t = table[i]!; t !== 0; i = (i + 1) & mask, t = table[i]!) {
      if (this.hashes[t - 1] === h && this.keys[t - 1] === key) return t - 1;
    }
    return -1;
  }

  private index(slot: number): void {
    const table = this.table;
    const mask = table.length - 1;
    let i = this.hashes[slot]! & mask;
    while (table[i] !== 0) i = (i + 1) & mask;
    table[i] = slot + 1;
  }

  /** Takes `slot` out of the table, moving later entries of its probe run back (no tombstones). */
  private unindex(slot: number): void {
    const table = this.table;
    const mask = table.length - 1;
    let i = this.hashes[slot]! & mask;
    while (table[i] !== slot + 1) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const t = table[j]!;
      if (t === 0) break;
      // The entry at j may move to the hole at i unless its home lies cyclically in (i, j].
      const home = this.hashes[t - 1]! & mask;
      if (i <= j ? home > i && home <= j : home > i || home <= j) continue;
      table[i] = t;
      i = j;
    }
    table[i] = 0;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size);
    for (let slot = 0; slot < this.keys.length; slot++) this.index(slot);
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    const x = heap[a]!;
    const y = heap[b]!;
    heap[a] = y;
    heap[b] = x;
    this.pos[y] = a;
    this.pos[x] = b;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const counts = this.counts;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!(counts[heap[i]!]! < counts[heap[parent]!]!)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const counts = this.counts;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const child = r < n && counts[heap[r]!]! < counts[heap[l]!]! ? r : l;
      if (!(counts[heap[child]!]! < counts[heap[i]!]!)) return;
      this.swap(i, child);
      i = child;
    }
  }
}

/** Largest value of a sketch cell; counts past it stay there. */
const MAX_CELL = 0xffffffff;

/** The first row's cell of the key whose hash52 is `h`: by its low bits. */
function firstCell(sketch: Uint32Array, h: number): number {
  return h & ((sketch.length >> 1) - 1);
}

/** The second row's cell: by the high 20 bits of the hash52, independent of the first's. */
function secondCell(sketch: Uint32Array, h: number): number {
  const w = sketch.length >> 1;
  return w + (((h / 0x100000000) | 0) & (w - 1));
}

/** The cells' bytes, little-endian whatever the machine. */
function toLittleEndian(cells: Uint32Array): Buffer {
  const out = Buffer.alloc(4 * cells.length);
  for (let i = 0; i < cells.length; i++) out.writeUInt32LE(cells[i]!, 4 * i);
  return out;
}

/** The sketch's estimate for the key whose hash52 is `h`. */
function estimateIn(sketch: Uint32Array, h: number): number {
  return Math.min(sketch[firstCell(sketch, h)]!, sketch[secondCell(sketch, h)]!);
}

/** Ranking order of top entries: larger count first, then smaller value. */
function before(a: TopEntry, b: TopEntry): boolean {
  return a.count > b.count || (a.count === b.count && a.value < b.value);
}

/**
 * The values of one field of a finding's events (its recipients, senders or clients): how often
 * each (a TopK) and how many distinct ones (a DistinctCounter). A top list that never filled
 * holds every value it was given, so until it fills its size is the distinct count and no
 * DistinctCounter is kept: one probe per value instead of two, and no table, for the lists that
 * never fill (all but 68 of 5,960 on the 1 GB Postfix bench file). The counter is made from the
 * list's keys (their hashes, in the order they came) the first time a value finds the list full,
 * and counts on from there as it would have from the start.
 */
export class ValueCounts {
  private exact: DistinctCounter | null;
  /** Keys in the list at which the counter is made: when it is full, or holds the counter's cap. */
  private readonly makeAt: number;

  /** `distinctCap`: the cap of the DistinctCounter it makes (DISTINCT_EXACT_CAP). */
  constructor(
    readonly list: TopK = new TopK(),
    exact: DistinctCounter | null = null,
    private readonly distinctCap = DISTINCT_EXACT_CAP,
  ) {
    this.exact = exact;
    this.makeAt = Math.min(list.cap, distinctCap);
  }

  add(value: string): void {
    const top = this.list;
    // A repeat of the last value was counted distinct already: no hash is made.
    if (top.isLast(value)) return top.add(value);
    const h = hash52(value);
    if (this.exact === null && top.size >= this.makeAt) this.exact = this.fromList();
    this.exact?.addHash(h);
    top.addHashed(value, h);
  }

  /** Distinct values: exact up to the DistinctCounter's cap, then its estimate. */
  count(): number {
    return this.exact === null ? this.list.size : this.exact.count();
  }

  /** `count()` is an estimate (see DistinctCounter). */
  get approximate(): boolean {
    return this.exact !== null && this.exact.approximate;
  }

  get overflowed(): boolean {
    return this.exact !== null && this.exact.overflowed;
  }

  /** The distinct counter (while none is kept, one made from the list, not kept). */
  distinct(): DistinctCounter {
    return this.exact ?? this.fromList();
  }

  /** Adds `other`'s values. Does not change `other`. */
  merge(other: ValueCounts): void {
    // Before the lists merge: a merged list may drop keys.
    const mine = this.distinct();
    mine.merge(other.distinct());
    this.exact = mine;
    this.list.merge(other.list);
  }

  private fromList(): DistinctCounter {
    const d = new DistinctCounter(this.distinctCap);
    for (const h of this.list.keyHashes()) d.addHash(h);
    return d;
  }
}
