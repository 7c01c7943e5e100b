/**
 * When traffic arrives and what kind it is: the two pieces of randomness that shape a day.
 */
import type { Rng } from './rng.js';

const S = 1_000_000; // microseconds per second

/**
 * Deals out traffic kinds in proportion to their weights: smooth weighted round-robin (each
 * kind earns its weight in credit per unit, the richest goes next and pays the total), with
 * random jitter so the order looks random. Over any stretch of n units a kind with share p
 * gets n·p of them within a unit or two, where independent draws would scatter by √(n·p).
 */
export class Mixer<K> {
  private readonly credit: number[];
  private readonly total: number;

  constructor(
    private readonly kinds: readonly (readonly [K, number])[],
    private readonly rng: Rng,
  ) {
    this.total = kinds.reduce((sum, [, w]) => sum + w, 0);
    this.credit = kinds.map(([, w]) => rng.next() * w);
  }

  next(): K {
    let best = 0;
    let bestScore = -Infinity;
    for (let i = 0; i < this.kinds.length; i++) {
      this.credit[i]! += this.kinds[i]![1];
      const score = this.credit[i]! + this.rng.next() * this.total * 0.5;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    this.credit[best]! -= this.total;
    return this.kinds[best]![0];
  }
}

/**
 * Arrival times with a working-day shape (quiet nights, busy mornings and afternoons) in the
 * host's local time. Units are placed by inverting the cumulative curve, so unit i of n lands
 * at quantile (i + u)/n: ordered, streaming, no sorting needed.
 */
export class ArrivalCurve {
  private static readonly HOURLY = [0.3, 0.25, 0.22, 0.22, 0.25, 0.35, 0.55, 0.85, 1.2, 1.45, 1.55, 1.5, 1.3, 1.4, 1.5, 1.45, 1.3, 1.1, 0.9, 0.8, 0.7, 0.6, 0.48, 0.38];
  private readonly cdf: number[] = [0];

  constructor(
    private readonly start: number,
    duration: number,
    tzOffsetMinutes: number,
  ) {
    const slots = Math.ceil(duration / (3600 * S));
    for (let i = 0; i < slots; i++) {
      const localHour = Math.floor(((start / S + i * 3600 + tzOffsetMinutes * 60) % 86400) / 3600);
      const width = Math.min(3600 * S, duration - i * 3600 * S) / (3600 * S);
      this.cdf.push(this.cdf[i]! + ArrivalCurve.HOURLY[(localHour + 24) % 24]! * width);
    }
  }

  at(q: number): number {
    const total = this.cdf[this.cdf.length - 1]!;
    const target = Math.min(q, 0.999999999) * total;
    let lo = 0;
    let hi = this.cdf.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.cdf[mid]! <= target) lo = mid;
      else hi = mid - 1;
    }
    const within = (target - this.cdf[lo]!) / (this.cdf[lo + 1]! - this.cdf[lo]!);
    return Math.floor(this.start + (lo + within) * 3600 * S);
  }
}
