/**
 * Values by finding identity (direction, cause, hint, recipient domain), looked up once per
 * problem event of a big log. Building an identity string to look it up was most of that cost,
 * so this keys by the parts instead: hint → dense (direction, cause) slot → domain. Hints come
 * from the rule table and directions and causes are enums, so the maps stay small; domains
 * are kept as given (the caller stores a copy of its own, not a slice of a line: see flatCopy).
 */
import { CAUSES, DIRECTIONS } from '../classify/names.js';
import type { Cause, Direction } from '../classify/types.js';

const DIRECTION_INDEX = new Map<string, number>(DIRECTIONS.map((d, i) => [d, i]));
const CAUSE_INDEX = new Map<string, number>(CAUSES.map((c, i) => [c, i]));

/** Dense index of a (direction, cause) pair. */
const slotOf = (direction: Direction, cause: Cause): number =>
  DIRECTION_INDEX.get(direction)! * CAUSES.length + CAUSE_INDEX.get(cause)!;

export class IdentityIndex<T> {
  private readonly byHint = new Map<string, Array<Map<string | null, T> | undefined>>();

  get(direction: Direction, cause: Cause, hint: string, domain: string | null): T | undefined {
    return this.byHint.get(hint)?.[slotOf(direction, cause)]?.get(domain);
  }

  set(direction: Direction, cause: Cause, hint: string, domain: string | null, value: T): void {
    let slots = this.byHint.get(hint);
    if (slots === undefined) {
      slots = [];
      this.byHint.set(hint, slots);
    }
    const slot = slotOf(direction, cause);
    let byDomain = slots[slot];
    if (byDomain === undefined) {
      byDomain = new Map();
      slots[slot] = byDomain;
    }
    byDomain.set(domain, value);
  }
}
