/**
 * Which recipient domains this server hosts, for every MTA: a failed delivery to one of them is
 * ours (`local`: we accepted the mail and our own delivery failed), whatever next hop refused it,
 * and a failed delivery to any other domain is `outbound`. The next hop's address says nothing:
 * a smarthost, a content filter or a provider's MX on loopback all answer from 127.0.0.1.
 *
 * Learnt from the log as it is read (events earlier in the log than the first evidence for a
 * domain are judged without it), and given with `--local-domains a,b`:
 * - a failed or deferred delivery by an agent that delivers on this machine (Postfix local,
 *   virtual, pipe, lmtp; Exim transports other than SMTP; Exchange's store driver); a
 *   successful one only for Exim, whose fast path says whether the agent was local
 *   (learnSent()): the pipeline's reader thread reduces Postfix's to a count without building
 *   the event or knowing the agent, so learning from them would make the result depend on the
 *   number of threads; and
 * - an inbound refusal by a rule that speaks for the domain's own recipient table (`User unknown
 *   in virtual mailbox table`: the server knows the domain's users, so it hosts the domain).
 * What is learnt from one MTA's log applies to that MTA's events only: a run over a Postfix and
 * an Exim log reads two servers, each with its own domains.
 * Kept out of the parsers: they report what a line says, this decides what it means.
 */
import type { DeliveryEvent, MailEvent, Mta, RejectEvent } from '../event.js';
import { MTA_CLASSIFIERS } from './per-mta.js';
import type { Classification } from './types.js';
import { flatCopy } from '../text/flat-copy.js';

/** Domains learnt at most; past it new domains are not learnt (counted in `dropped`). A server hosting more is rare, and --local-domains takes any number. */
export const MAX_LEARNT_DOMAINS = 10_000;

/**
 * Rules whose refusal shows that we hold the recipient domain's user list: the recipient tables
 * of Postfix (local, virtual alias, virtual mailbox, relay recipients). Rules of other MTAs join
 * by id.
 */
const HOSTING_RULES = new Set([
  'postfix.inbound.virtual-alias-unknown',
  'postfix.inbound.virtual-mailbox-unknown',
  'postfix.inbound.local-recipient-unknown',
  'postfix.inbound.relay-recipient-unknown',
  'postfix.inbound.recipient-unknown-unnamed',
]);

/** Successful deliveries teach only where every thread sees them alike (see above). */
const learnsFromSent = (mta: Mta): boolean => mta === 'exim';

export class LocalDomains {
  /** Domains not learnt because the cap was reached. */
  dropped = 0;
  private readonly given: ReadonlySet<string>;
  private readonly learnt = new Map<Mta, Set<string>>();
  private size = 0;

  constructor(given: Iterable<string> = []) {
    this.given = new Set([...given].map((d) => d.trim().toLowerCase()).filter((d) => d !== ''));
  }

  /** Is `domain` (lower-case or not) hosted by the server whose log `mta` reads, as far as is known now? */
  has(domain: string | null, mta: Mta = 'postfix'): boolean {
    if (domain === null) return false;
    const d = domain.toLowerCase();
    return this.given.has(d) || (this.learnt.get(mta)?.has(d) ?? false);
  }

  /** Is anything known of the domains the server whose log `mta` reads hosts? */
  knowsAny(mta: Mta): boolean {
    return this.given.size > 0 || (this.learnt.get(mta)?.size ?? 0) > 0;
  }

  /** Is the recipient domain of `ev` (its original recipient's, or its recipient's) hosted here? */
  hosts(ev: DeliveryEvent): boolean {
    return this.has(domainOf(ev.origTo), ev.mta) || this.has(domainOf(ev.to), ev.mta);
  }

  /** Learns from an event (and its classification, null for delivered mail). */
  learn(ev: MailEvent, c: Classification | null): void {
    if (ev.kind === 'delivery') {
      // Exim's successful local deliveries (the commonest evidence) are learnt from whatever the
      // run (the fast path's shortcut calls learnSent()); Postfix's are not (see above).
      if ((ev.status !== 'sent' || learnsFromSent(ev.mta)) && deliversHere(ev)) this.addRecipients(ev.mta, ev.to, ev.origTo);
    } else if (ev.kind === 'reject' && c !== null && HOSTING_RULES.has(c.rule)) {
      this.add(domainOf((ev as RejectEvent).to), ev.mta);
    }
  }

  /**
   * What learn() does with a sent delivery event of `mta` by an agent of this machine (`to`,
   * `origTo` its recipients), for the pipeline's shortcut that builds none.
   */
  learnSent(mta: Mta, to: string | null, origTo: string | null): void {
    if (learnsFromSent(mta)) this.addRecipients(mta, to, origTo);
  }

  private addRecipients(mta: Mta, to: string | null, origTo: string | null): void {
    this.add(domainOf(to), mta);
    this.add(domainOf(origTo), mta);
  }

  private add(domain: string | null, mta: Mta): void {
    if (domain === null) return;
    const d = domain.toLowerCase();
    let set = this.learnt.get(mta);
    if (set === undefined) this.learnt.set(mta, (set = new Set()));
    if (set.has(d) || this.given.has(d)) return;
    if (this.size >= MAX_LEARNT_DOMAINS) {
      this.dropped++;
      return;
    }
    set.add(flatCopy(d));
    this.size++;
  }
}

function domainOf(address: string | null): string | null {
  if (address === null) return null;
  const at = address.lastIndexOf('@');
  return at < 0 || at === address.length - 1 ? null : address.slice(at + 1);
}

/** Did a delivery agent of this machine handle the event (so its recipient domain is ours)? As its MTA's module says. */
function deliversHere(ev: DeliveryEvent): boolean {
  return ev.agent !== null && MTA_CLASSIFIERS[ev.mta].deliversHere(ev.agent);
}
