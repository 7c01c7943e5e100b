/**
 * Values by finding identity (MTA, host, direction, cause, hint, recipient domain), looked up
 * once per problem event of a big log. Building an identity string to look it up was most of
 * that cost, so this keys by the parts instead: hint → dense (MTA, direction, cause) slot →
 * host → domain. Hints come from the rule table, MTAs, directions and causes are enums and the
 * host is null unless findings are split by host, so the maps stay small; hosts and domains
 * are kept as given (the caller stores copies of its own, not slices of a line: see flatCopy).
 */
import { CAUSES, DIRECTIONS } from '../classify/names.js';
import type { Cause, Direction } from '../classify/types.js';
import type { Mta } from '../event.js';

// A record over every Mta, so that a new format without its slot does not compile (importing
// the zod enum instead would load zod into every run: see test/cli/startup.test.ts).
const MTA_SLOTS: Readonly<Record<Mta, number>> = { postfix: 0, exim: 1, exchange: 2 };
const MTA_INDEX = new Map<string, number>(Object.entries(MTA_SLOTS));
const DIRECTION_INDEX = new Map<string, number>(DIRECTIONS.map((d, i) => [d, i]));
const CAUSE_INDEX = new Map<string, number>(CAUSES.map((c, i) => [c, i]));

/** Dense index of an (MTA, direction, cause) triple. */
const slotOf = (mta: Mta, direction: Direction, cause: Cause): number =>
  (MTA_INDEX.get(mta)! * DIRECTIONS.length + DIRECTION_INDEX.get(direction)!) * CAUSES.length + CAUSE_INDEX.get(cause)!;

type ByDomain<T> = Map<string | null, T>;

export class IdentityIndex<T> {
  private readonly byHint = new Map<string, Array<Map<string | null, ByDomain<T>> | undefined>>();

  get(mta: Mta, host: string | null, direction: Direction, cause: Cause, hint: string, domain: string | null): T | undefined {
    return this.byHint.get(hint)?.[slotOf(mta, direction, cause)]?.get(host)?.get(domain);
  }

  set(mta: Mta, host: string | null, direction: Direction, cause: Cause, hint: string, domain: string | null, value: T): void {
    let slots = this.byHint.get(hint);
    if (slots === undefined) {
      slots = [];
      this.byHint.set(hint, slots);
    }
    const slot = slotOf(mta, direction, cause);
    let byHost = slots[slot];
    if (byHost === undefined) {
      byHost = new Map();
      slots[slot] = byHost;
    }
    let byDomain = byHost.get(host);
    if (byDomain === undefined) {
      byDomain = new Map();
      byHost.set(host, byDomain);
    }
    byDomain.set(domain, value);
  }
}
