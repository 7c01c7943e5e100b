/**
 * Impact order of findings: most events first; on equal counts permanent failures (5xx,
 * bounced, expired: mail that is lost) before temporary ones (4xx, deferred: mail that may
 * still arrive); then recipient domain, cause, hint and direction, so the order is total and
 * the same on every run. Strings compare by code unit, not locale. Null domains sort last.
 */
import type { Cause, Direction } from '../classify/types.js';

export interface Rankable {
  count: number;
  permanentCount: number;
  temporaryCount: number;
  direction: Direction;
  recipientDomain: string | null;
  cause: Cause;
  hint: string;
}

/** A finding counts as permanent when it has permanent events and more of them than temporary ones. */
export const isPermanent = (f: Pick<Rankable, 'permanentCount' | 'temporaryCount'>): boolean =>
  f.permanentCount > 0 && f.permanentCount > f.temporaryCount;

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareFindings(a: Rankable, b: Rankable): number {
  if (a.count !== b.count) return b.count - a.count;
  const pa = isPermanent(a);
  if (pa !== isPermanent(b)) return pa ? -1 : 1;
  if (a.recipientDomain !== b.recipientDomain) {
    if (a.recipientDomain === null) return 1;
    if (b.recipientDomain === null) return -1;
    return cmpStr(a.recipientDomain, b.recipientDomain);
  }
  return cmpStr(a.cause, b.cause) || cmpStr(a.hint, b.hint) || cmpStr(a.direction, b.direction);
}

/** A sorted copy paired with ranks starting at 1. */
export function rankFindings<T extends Rankable>(items: readonly T[]): Array<{ rank: number; item: T }> {
  return [...items].sort(compareFindings).map((item, i) => ({ rank: i + 1, item }));
}
