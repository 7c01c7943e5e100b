/**
 * Seeded randomness for the log generators. Everything random in bench/gen goes through Rng so
 * that one seed gives the same bytes on every machine and Node version (Math.random would not).
 */

/** mulberry32: 32-bit state, fast, and plenty for test data. Never use it for anything secret. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Float in [lo, hi). */
  float(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One of `items`, each as likely as its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** Exponentially distributed with the given mean: gaps between independent arrivals. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  hex(len: number, upper = true): string {
    const digits = upper ? '0123456789ABCDEF' : '0123456789abcdef';
    let s = '';
    for (let i = 0; i < len; i++) s += digits[Math.floor(this.next() * 16)];
    return s;
  }

  /** Letters and digits, as in Dovecot session ids, Gmail message ids and the like. */
  alnum(len: number): string {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < len; i++) s += chars[Math.floor(this.next() * chars.length)];
    return s;
  }

  /** An independent stream derived from this seed and a label: adding draws elsewhere leaves it alone. */
  fork(label: string): Rng {
    return new Rng(hash32(`${this.state}:${label}`));
  }
}

/** FNV-1a: a stable hash for choices that must not depend on draw order (an address's fate). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** hash32 scaled to [0, 1). */
export function unit(s: string): number {
  return hash32(s) / 4294967296;
}

/**
 * Zipf-like ranks in [0, n): rank k is drawn with weight 1/(k+1)^s. Real traffic looks like this
 * (a few big domains and senders, a long tail). The cumulative table costs 8 bytes per rank.
 */
export class Zipf {
  private readonly cdf: Float64Array;

  constructor(n: number, s: number, weights?: readonly number[]) {
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      sum += weights ? weights[k]! : 1 / Math.pow(k + 1, s);
      this.cdf[k] = sum;
    }
  }

  draw(rng: Rng): number {
    const r = rng.next() * this.cdf[this.cdf.length - 1]!;
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
