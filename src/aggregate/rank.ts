/**
 * Impact order of findings: what was lost, not how often it was tried. First the larger of the
 * messages affected and the distinct recipients: each is a lower bound of the deliveries lost
 * (one message to 22 recipients is 22 lost deliveries, not one), and neither grows with retries,
 * so ten deferrals of one message never outrank five recipients' bounces. Then the messages,
 * the distinct recipients, permanent failures (mail that is lost) before temporary ones
 * (mail that may still arrive); then the events (attempts); then MTA, host, recipient domain,
 * cause, hint and direction, so the order is total and the same on every run. Strings compare
 * by code unit, not locale. Null domains and hosts sort last.
 */
import type { Cause, Direction } from '../classify/types.js';

export interface Rankable {
  messages: number;
  distinctRecipients: number;
  permanent: boolean;
  count: number;
  mta: string;
  /** The host of a finding split by host; null otherwise. */
  host: string | null;
  direction: Direction;
  recipientDomain: string | null;
  cause: Cause;
  hint: string;
}

/**
 * A finding is permanent when any of its events is (classify's isPermanent, the one definition
 * for an event): a 5xx refusal, a bounce or an expiry means that some of its mail was lost for
 * good, however many other attempts were only deferred.
 */
export const findingIsPermanent = (f: { permanentCount: number }): boolean => f.permanentCount > 0;

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Strings first, in code-unit order; null last. */
const cmpNullable = (a: string | null, b: string | null): number => {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return cmpStr(a, b);
};

/** Deliveries lost, at least: see the order above. */
export const lostAtLeast = (f: Pick<Rankable, 'messages' | 'distinctRecipients'>): number => Math.max(f.messages, f.distinctRecipients);

export function compareFindings(a: Rankable, b: Rankable): number {
  const la = lostAtLeast(a);
  const lb = lostAtLeast(b);
  if (la !== lb) return lb - la;
  if (a.messages !== b.messages) return b.messages - a.messages;
  if (a.distinctRecipients !== b.distinctRecipients) return b.distinctRecipients - a.distinctRecipients;
  if (a.permanent !== b.permanent) return a.permanent ? -1 : 1;
  if (a.count !== b.count) return b.count - a.count;
  return (
    cmpStr(a.mta, b.mta) ||
    cmpNullable(a.host, b.host) ||
    cmpNullable(a.recipientDomain, b.recipientDomain) ||
    cmpStr(a.cause, b.cause) ||
    cmpStr(a.hint, b.hint) ||
    cmpStr(a.direction, b.direction)
  );
}

/** A sorted copy paired with ranks starting at 1. */
export function rankFindings<T extends Rankable>(items: readonly T[]): Array<{ rank: number; item: T }> {
  return [...items].sort(compareFindings).map((item, i) => ({ rank: i + 1, item }));
}
