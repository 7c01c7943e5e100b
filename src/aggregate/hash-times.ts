/**
 * A map from hash52 values (counters.ts) to a time in ms (NaN: unknown), in insertion order: the
 * diagnosis's delivered recipients, up to half a million of them. As a Map<number, number> each
 * key and time was a boxed heap number, and its upkeep was one of the main thread's larger costs
 * on busy logs (bench/README.md); here they sit in two Float64Arrays, found through an
 * open-addressing index (linear probing, at most half full). Never shrinks; the owner caps it.
 */
export class HashTimes {
  private keys = new Float64Array(256);
  private times = new Float64Array(256);
  private count = 0;
  /** Slot → entry + 1 (0: empty). */
  private index = new Int32Array(512);

  get size(): number {
    return this.count;
  }

  /** The time kept for `h` (NaN: unknown), or undefined when `h` is not in it. */
  get(h: number): number | undefined {
    const e = this.find(h);
    return e < 0 ? undefined : this.times[e];
  }

  /** Adds `h` with `ms`, or replaces its time. */
  set(h: number, ms: number): void {
    const e = this.find(h);
    if (e >= 0) {
      this.times[e] = ms;
      return;
    }
    if (this.count === this.keys.length) this.grow();
    const n = this.count++;
    this.keys[n] = h;
    this.times[n] = ms;
    this.place(h, n);
  }

  /**
   * Keeps the earliest known time of `h` in one probe: adds it with `ms` when absent and `add`
   * allows (false: absent and not added), else lowers its time to `ms` when that is earlier or
   * its time was unknown (NaN). True when `h` is in it afterwards.
   */
  keepEarliest(h: number, ms: number, add: boolean): boolean {
    const index = this.index;
    const mask = index.length - 1;
    let i = (h >>> 0) & mask;
    for (let t = index[i]!; t !== 0; i = (i + 1) & mask, t = index[i]!) {
      if (this.keys[t - 1] !== h) continue;
      const had = this.times[t - 1]!;
      if (!Number.isNaN(ms) && (Number.isNaN(had) || ms < had)) this.times[t - 1] = ms;
      return true;
    }
    if (!add) return false;
    if (this.count === this.keys.length) {
      this.grow();
      this.set(h, ms);
      return true;
    }
    const n = this.count++;
    this.keys[n] = h;
    this.times[n] = ms;
    index[i] = n + 1;
    return true;
  }

  /** [hash, ms] in the order first added. */
  *entries(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.count; i++) yield [this.keys[i]!, this.times[i]!];
  }

  /** The hashes in the order first added. */
  hashes(): number[] {
    return Array.from(this.keys.subarray(0, this.count));
  }

  /** The times, parallel to hashes(). */
  timeList(): number[] {
    return Array.from(this.times.subarray(0, this.count));
  }

  private find(h: number): number {
    const index = this.index;
    const mask = index.length - 1;
    // The low 32 bits spread well (hash52 mixes all of its bits).
    for (let i = (h >>> 0) & mask; ; i = (i + 1) & mask) {
      const t = index[i]!;
      if (t === 0) return -1;
      if (this.keys[t - 1] === h) return t - 1;
    }
  }

  private place(h: number, entry: number): void {
    const index = this.index;
    const mask = index.length - 1;
    let i = (h >>> 0) & mask;
    while (index[i] !== 0) i = (i + 1) & mask;
    index[i] = entry + 1;
  }

  private grow(): void {
    const size = this.keys.length * 2;
    const keys = new Float64Array(size);
    keys.set(this.keys);
    const times = new Float64Array(size);
    times.set(this.times);
    this.keys = keys;
    this.times = times;
    this.index = new Int32Array(size * 2);
    for (let e = 0; e < this.count; e++) this.place(keys[e]!, e);
  }
}
