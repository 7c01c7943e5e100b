/**
 * A Map with a cap on its size that evicts its oldest key: the parsers' correlation tables
 * (Postfix queue ids, Exim message ids, Exchange message ids and sessions), whose entries are
 * normally freed by a later line but must stay bounded when that line never comes.
 *
 * "Oldest" is the order of a Map: the order keys were set in, a key deleted and set again
 * counting as new, so eviction takes what `map.keys().next()` would give. That call itself is
 * not usable on a Map: it starts at the table's first slot and steps over every entry deleted
 * since V8 last compacted the table, which in a full table that also frees entries makes each
 * eviction cost up to half the table (most of an Exchange run's time: bench/README.md), and a
 * kept iterator keeps every table the Map outgrew alive. So the order is kept here: keys and
 * values go into a ring of places in the order they are set (no object per entry), and an index
 * of its own finds each key's place: open addressing by a hash of the key, in typed arrays,
 * deletion by backward shift. A V8 Map there cost a rehash of its whole table every few
 * thousand sets once full (deleted entries fill it up), and garbage of a table's size each time;
 * this index never rehashes at a steady size (bench/README.md, item 31). A place whose key was
 * deleted or set again since is cleared (the index says where the old place was) and skipped
 * when eviction meets it; cleared places are dropped when they outnumber the live ones
 * (amortised O(1)).
 */
export class CappedMap<V> {
  private keyAt: Array<string | undefined> = new Array<string | undefined>(MIN_RING).fill(undefined);
  private valueAt: Array<V | undefined> = new Array<V | undefined>(MIN_RING).fill(undefined);
  /** keyHash() of the key at each ring slot (for the index's moves, without hashing again). */
  private hashAt = new Int32Array(MIN_RING);
  /** Place p is at `p & mask` in the ring. */
  private mask = MIN_RING - 1;
  /** The oldest place still in the ring; the oldest key is there or after. */
  private head = 0;
  /** The place the next set takes. */
  private next = 0;
  /** Keys in the map. */
  private live = 0;
  /** Cleared places in the ring (keys deleted, or set again). */
  private stale = 0;
  /** The index: place + 1 of a live key (0: empty), at most half full. */
  private slots = new Int32Array(2 * MIN_RING);
  private slotMask = 2 * MIN_RING - 1;

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
    const p = this.slots[this.slotOf(key, keyHash(key))]! - 1;
    return p < 0 ? undefined : this.valueAt[p & this.mask];
  }

  /** Sets `key` as the newest key; the oldest is evicted if that makes one too many. */
  set(key: string, value: V): void {
    if (this.next - this.head > this.mask) this.grow();
    const h = keyHash(key);
    const i = this.slotOf(key, h);
    const at = this.next++;
    const r = at & this.mask;
    this.keyAt[r] = key;
    this.valueAt[r] = value;
    this.hashAt[r] = h;
    const old = this.slots[i]! - 1;
    this.slots[i] = at + 1;
    if (old >= 0) {
      // Set again: its older place goes stale, and it is now the newest key.
      this.keyAt[old & this.mask] = undefined;
      this.valueAt[old & this.mask] = undefined;
      this.stale++;
    } else if (++this.live > this.cap) {
      this.evictOldest();
    } else if (2 * this.live > this.slotMask + 1) {
      this.reindex(2 * (this.slotMask + 1));
    }
    // Places stay small integers (`&` reads 32 bits): numbered again long before 2^31.
    if (this.stale > this.live + 1024 || this.next > 0x3fffffff) this.compact();
  }

  delete(key: string): boolean {
    const i = this.slotOf(key, keyHash(key));
    const p = this.slots[i]! - 1;
    if (p < 0) return false;
    this.unindex(i);
    this.keyAt[p & this.mask] = undefined;
    this.valueAt[p & this.mask] = undefined;
    this.live--;
    this.stale++;
    return true;
  }

  get size(): number {
    return this.live;
  }

  /** The keys, oldest first (the order eviction follows). */
  *keys(): IterableIterator<string> {
    for (let p = this.head; p < this.next; p++) {
      const key = this.keyAt[p & this.mask];
      if (key !== undefined) yield key;
    }
  }

  /** The index slot holding `key` (hash `h`), or the empty slot where it would go. */
  private slotOf(key: string, h: number): number {
    const slots = this.slots;
    const smask = this.slotMask;
    for (let i = h & smask; ; i = (i + 1) & smask) {
      const p = slots[i]! - 1;
      if (p < 0) return i;
      const r = p & this.mask;
      if (this.hashAt[r] === h && this.keyAt[r] === key) return i;
    }
  }

  /** Empties index slot `i`, moving back the entries after it that probing would no longer reach. */
  private unindex(i: number): void {
    const slots = this.slots;
    const smask = this.slotMask;
    for (let j = (i + 1) & smask; slots[j] !== 0; j = (j + 1) & smask) {
      const home = this.hashAt[(slots[j]! - 1) & this.mask]! & smask;
      // The entry at j stays if its home lies cyclically in (i, j]: probing from there reaches j.
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      slots[i] = slots[j]!;
      i = j;
    }
    slots[i] = 0;
  }

  /** Evicts the key of the oldest live place. */
  private evictOldest(): void {
    const keyAt = this.keyAt;
    for (;;) {
      const r = this.head++ & this.mask;
      const key = keyAt[r];
      if (key === undefined) {
        this.stale--;
        continue;
      }
      const value = this.valueAt[r] as V;
      this.unindex(this.slotOf(key, this.hashAt[r]!));
      keyAt[r] = undefined;
      this.valueAt[r] = undefined;
      this.live--;
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
    const hashAt = new Int32Array(size);
    for (let p = this.head; p < this.next; p++) {
      keyAt[p & mask] = this.keyAt[p & this.mask];
      valueAt[p & mask] = this.valueAt[p & this.mask];
      hashAt[p & mask] = this.hashAt[p & this.mask]!;
    }
    this.keyAt = keyAt;
    this.valueAt = valueAt;
    this.hashAt = hashAt;
    this.mask = mask;
  }

  /** An index of `size` slots with every live key's place. */
  private reindex(size: number): void {
    const slots = new Int32Array(size);
    const smask = size - 1;
    for (let p = this.head; p < this.next; p++) {
      const r = p & this.mask;
      if (this.keyAt[r] === undefined) continue;
      let i = this.hashAt[r]! & smask;
      while (slots[i] !== 0) i = (i + 1) & smask;
      slots[i] = p + 1;
    }
    this.slots = slots;
    this.slotMask = smask;
  }

  /** Keeps only the live places, in order, numbered again from 0. */
  private compact(): void {
    const mask = this.mask;
    const keys: string[] = [];
    const values: V[] = [];
    const hashes: number[] = [];
    for (let p = this.head; p < this.next; p++) {
      const r = p & mask;
      const key = this.keyAt[r];
      if (key !== undefined) {
        keys.push(key);
        values.push(this.valueAt[r] as V);
        hashes.push(this.hashAt[r]!);
      }
      this.keyAt[r] = undefined;
      this.valueAt[r] = undefined;
    }
    for (let j = 0; j < keys.length; j++) {
      this.keyAt[j & mask] = keys[j];
      this.valueAt[j & mask] = values[j];
      this.hashAt[j & mask] = hashes[j]!;
    }
    this.head = 0;
    this.next = keys.length;
    this.stale = 0;
    this.reindex(this.slotMask + 1);
  }
}

/** Places in a new ring (a power of 2): most maps stay small. */
const MIN_RING = 64;
/** Characters of a key hashed at each end: a hostile key of megabytes costs no more than this. */
const HASHED_ENDS = 256;

/**
 * FNV-1a over the key's characters (of a long key, its first and last HASHED_ENDS and its
 * length), as a signed 32-bit number. Keys are strings of a line: the hash only spreads them,
 * equal keys are told apart by comparing them.
 */
function keyHash(s: string): number {
  let h = 0x811c9dc5;
  const n = s.length;
  if (n <= 2 * HASHED_ENDS) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  } else {
    for (let i = 0; i < HASHED_ENDS; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    for (let i = n - HASHED_ENDS; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    h = Math.imul(h ^ n, 16777619);
  }
  // As hashAt holds it (the empty key's hash is the offset basis, above 2^31 unsigned).
  return h | 0;
}
