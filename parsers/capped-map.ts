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
 * iterator that has not moved. So the order is kept here, in an array of the
 * slots set, oldest first; a slot whose key was deleted or set again since is stale and skipped
 * when met. Stale slots are dropped when they outnumber the live ones (amortised O(1)).
 */
export class CappedMap<V> {
  private readonly map = new Map<string, Slot<V>>();
  /** Slots in the order they were set; from `head` on, live ones and stale ones. */
  private order: Array<Slot<V>> = [];
  private head = 0;

  /** `onEvict` is called with each key and value the cap pushes out. */
  constructor(
    readonly cap: number,
    private readonly onEvict: (key: string, value: V) => void = () => {},
  ) {
    if (cap < 1) throw new Error('CappedMap cap must be at least 1');
  }

  get(key: string): V | undefined {
    return this.map.get(key)?.value;
  }

  /** Sets `key` as the newest key, first evicting the oldest if the map is full. */
  set(key: string, value: V): void {
    if (!this.map.delete(key) && this.map.size >= this.cap) this.evictOldest();
    const slot: Slot<V> = { key, value };
    this.map.set(key, slot);
    this.order.push(slot);
    if (this.order.length - this.head > 2 * this.map.size + 1024) this.compact();
  }

  delete(key: string): boolean {
    return this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  /** The keys, oldest first (the order eviction follows). */
  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  private evictOldest(): void {
    for (;;) {
      const slot = this.order[this.head++]!;
      if (this.map.get(slot.key) !== slot) continue;
      this.map.delete(slot.key);
      if (this.head > this.order.length >>> 1) this.compact();
      this.onEvict(slot.key, slot.value);
      return;
    }
  }

  /** Keeps only the live slots, in order. */
  private compact(): void {
    const live: Array<Slot<V>> = [];
    for (let i = this.head; i < this.order.length; i++) {
      const slot = this.order[i]!;
      if (this.map.get(slot.key) === slot) live.push(slot);
    }
    this.order = live;
    this.head = 0;
  }
}

interface Slot<V> {
  readonly key: string;
  readonly value: V;
}
