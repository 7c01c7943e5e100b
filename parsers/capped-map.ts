/**
 * A Map with a cap on its size that evicts its oldest key: the parsers' correlation tables
 * (Postfix queue ids, Exim message ids, Exchange message ids and sessions), whose entries are
 * normally freed by a later line but must stay bounded when that line never comes.
 *
 * "Oldest" is the order of a Map: the order keys were set in, a key deleted and set again
 * counting as new, so eviction takes what `map.keys().next()` would give. That call itself is
 * not usable here: it starts at the table's first slot and steps over every entry deleted since
 * V8 last compacted the table, which in a full table that also frees entries makes each
 * eviction cost up to half the table (most of an Exchange run's time: bench/README.md). Keeping
 * one iterator between evictions is no better: V8 keeps every table a Map outgrows alive for an
 * iterator that has not moved. So the order is kept here: keys and values go into a ring of
 * places in the order they are set (no object per entry), and the map holds each key's place.
 * A place whose key was deleted or set again since is stale, and skipped when eviction meets it.
 * Which places are stale is known without a lookup in the big map: delete() clears the place
 * it finds; a key set again has its stale places always its oldest ones, so a small map counts
 * them per key (`staleOf`). A set costs one operation on the big map, plus one to evict. Stale
 * places are dropped when they outnumber the live ones (amortised O(1)).
 */
export class CappedMap<V> {
  /** Each key's place: places count up from 0 (`next`); place p is at `p & mask` in the ring. */
  private readonly map = new Map<string, number>();
  private keyAt: Array<string | undefined> = new Array<string | undefined>(MIN_RING).fill(undefined);
  private valueAt: Array<V | undefined> = new Array<V | undefined>(MIN_RING).fill(undefined);
  private mask = MIN_RING - 1;
  /** The oldest place still in the ring; the oldest key is there or after. */
  private head = 0;
  /** The place the next set takes. */
  private next = 0;
  /**
   * How many of a key's places in the ring are stale because it was set again: always its
   * oldest ones (its newest is live while the key is in the map). Holds only keys with such
   * places. A deleted key's place is cleared instead (no key).
   */
  private readonly staleOf = new Map<string, number>();
  /** Stale places in the ring: the sum of `staleOf`, and the cleared places. */
  private stale = 0;

  /**
   * `onEvict` is called with each key and value the cap pushes out, the key that pushed it
   * already in; it must not change this map.
   */
  constructor(
    readonly cap: number,
    private readonly onEvict: (key: string, value: V) => void = () => {},
  ) {
    if (cap < 1) throw new Error('CappedMap cap must be at least 1');
  }

  get(key: string): V | undefined {
    const at = this.map.get(key);
    return at === undefined ? undefined : this.valueAt[at & this.mask];
  }

  /** Sets `key` as the newest key; the oldest is evicted if that makes one too many. */
  set(key: string, value: V): void {
    if (this.next - this.head > this.mask) this.grow();
    const map = this.map;
    const size = map.size;
    const at = this.next++;
    map.set(key, at);
    if (map.size === size) {
      // Set again: its older place is stale, and it moves to the end of the map's own order (keys()).
      this.staled(key);
      map.delete(key);
      map.set(key, at);
    } else if (size >= this.cap) {
      this.evictOldest();
    }
    this.keyAt[at & this.mask] = key;
    this.valueAt[at & this.mask] = value;
    // Places stay small integers (`&` reads 32 bits): numbered again long before 2^31.
    if (this.stale > map.size + 1024 || this.next > 0x3fffffff) this.compact();
  }

  delete(key: string): boolean {
    const at = this.map.get(key);
    if (at === undefined) return false;
    this.map.delete(key);
    // Its place is cleared (not counted in staleOf: a big table that frees what it sets
    // would make staleOf as big).
    this.keyAt[at & this.mask] = undefined;
    this.valueAt[at & this.mask] = undefined;
    this.stale++;
    return true;
  }

  get size(): number {
    return this.map.size;
  }

  /** The keys, oldest first (the order eviction follows). */
  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  /** `key`'s newest place went stale. */
  private staled(key: string): void {
    this.staleOf.set(key, (this.staleOf.get(key) ?? 0) + 1);
    this.stale++;
  }

  /** Evicts the key of the oldest live place. */
  private evictOldest(): void {
    const keyAt = this.keyAt;
    const valueAt = this.valueAt;
    const staleOf = this.staleOf;
    for (;;) {
      const i = this.head++ & this.mask;
      const key = keyAt[i];
      const value = valueAt[i] as V;
      if (key === undefined) {
        // Deleted.
        this.stale--;
        continue;
      }
      keyAt[i] = undefined;
      valueAt[i] = undefined;
      const n = staleOf.size === 0 ? undefined : staleOf.get(key);
      if (n !== undefined) {
        // The key's oldest place, and it has stale ones: this is one of them.
        if (n === 1) staleOf.delete(key);
        else staleOf.set(key, n - 1);
        this.stale--;
        continue;
      }
      this.map.delete(key);
      this.onEvict(key, value);
      return;
    }
  }

  /** A ring twice the size, places unchanged. */
  private grow(): void {
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const keyAt = new Array<string | undefined>(size).fill(undefined);
    const valueAt = new Array<V | undefined>(size).fill(undefined);
    for (let p = this.head; p < this.next; p++) {
      keyAt[p & mask] = this.keyAt[p & this.mask];
      valueAt[p & mask] = this.valueAt[p & this.mask];
    }
    this.keyAt = keyAt;
    this.valueAt = valueAt;
    this.mask = mask;
  }

  /** Keeps only the live places, in order, numbered again from 0. */
  private compact(): void {
    const keyAt = this.keyAt;
    const valueAt = this.valueAt;
    const mask = this.mask;
    const keys: string[] = [];
    const values: V[] = [];
    for (let p = this.head; p < this.next; p++) {
      const key = keyAt[p & mask];
      if (key !== undefined && this.map.get(key) === p) {
        keys.push(key);
        values.push(valueAt[p & mask] as V);
      }
      keyAt[p & mask] = undefined;
      valueAt[p & mask] = undefined;
    }
    for (let j = 0; j < keys.length; j++) {
      keyAt[j & mask] = keys[j];
      valueAt[j & mask] = values[j];
      this.map.set(keys[j]!, j);
    }
    this.head = 0;
    this.next = keys.length;
    this.staleOf.clear();
    this.stale = 0;
  }
}

/** Places in a new ring (a power of 2): most maps stay small. */
const MIN_RING = 64;
