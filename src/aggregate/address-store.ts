/**
 * Every address of a finding, for `--addresses FILE` and `--suppression-list FILE`: each
 * recipient, sender and client once, with its count, the time, reply code and text of its last
 * event, and whether any of its events was an outbound hard bounce. Only kept when asked for
 * (AggregatorOptions.addresses): the top lists of the report need none of it.
 *
 * Caps: ADDRESSES_PER_FINDING_CAP addresses per finding and ADDRESSES_TOTAL_CAP in the whole
 * run (one budget shared by the findings); past either, a new address is not kept and is
 * counted (`summary.overflow.addresses`; the addresses file says it in its last row). An address
 * already kept is always updated.
 */
import type { MailEvent } from '../event.js';
import type { Cause, Classification } from '../classify/types.js';
import { clientOf, compareTime, enhancedStatusOf, normaliseAddress, recipientOf, senderOf, smtpCodeOf } from './event-fields.js';
import { flatCopy } from '../text/flat-copy.js';

/** Addresses kept per finding (recipients, senders and clients together). */
export const ADDRESSES_PER_FINDING_CAP = 5_000;
/** Addresses kept in a run, all findings together (~100 MB at most with the texts cut as below). */
export const ADDRESSES_TOTAL_CAP = 250_000;
/** Longest reply text kept per address, in UTF-16 code units (longer ones end with `…`). */
export const ADDRESS_TEXT_MAX_CHARS = 300;

export type AddressRole = 'recipient' | 'sender' | 'client';

export interface AddressRow {
  role: AddressRole;
  address: string;
  /** Events of the finding with this address in this role. */
  count: number;
  lastSeen: string | null;
  smtpCode: number | null;
  enhancedStatus: string | null;
  /** The reply text (or local reason) of its last event, cut to ADDRESS_TEXT_MAX_CHARS. */
  text: string;
  /** A recipient some event of which was an outbound hard bounce (see isHardBounce). */
  hardBounce: boolean;
}

/** The run's budget of addresses, shared by every finding's store. */
export interface AddressBudget {
  left: number;
  /** New addresses not kept because a cap was reached. */
  dropped: number;
}

export const newAddressBudget = (total = ADDRESSES_TOTAL_CAP): AddressBudget => ({ left: total, dropped: 0 });

/**
 * RFC 3463 statuses that say the address itself is gone or never existed, so sending to it
 * again only hurts our reputation: bad mailbox (5.1.1), bad destination system (5.1.2), bad
 * mailbox syntax (5.1.3), moved (5.1.6), null MX (5.1.10, RFC 7505), mailbox disabled (5.2.1).
 */
const HARD_STATUSES = new Set(['5.1.1', '5.1.2', '5.1.3', '5.1.6', '5.1.10', '5.2.1']);
/** Causes that mean the address (or its domain) does not take mail, whatever the status says. */
const HARD_CAUSES = new Set<Cause>(['user-unknown', 'mailbox-disabled', 'domain-not-found']);

/**
 * An outbound hard bounce: a permanent refusal by the remote side (or our own bounce of a
 * domain that does not exist) of the recipient itself. Decided from the cause (user unknown,
 * mailbox disabled, domain not found) and the enhanced status: a hard status decides; a
 * generic one (5.0.0, 5.5.x, none) counts when the cause says so; a status of another class
 * (5.7.x policy, 5.2.2 full, 5.3.4 size) never does, and neither does a temporary failure.
 */
export function isHardBounce(ev: MailEvent, c: Pick<Classification, 'direction' | 'cause' | 'permanent'>): boolean {
  if (c.direction !== 'outbound' || !c.permanent) return false;
  if (ev.kind !== 'delivery' || ev.status !== 'bounced') return false;
  const status = enhancedStatusOf(ev);
  if (status !== null && HARD_STATUSES.has(status)) return HARD_CAUSES.has(c.cause) || c.cause === 'other';
  if (!HARD_CAUSES.has(c.cause)) return false;
  // Generic statuses carry no verdict of their own: the cause decides.
  // Microsoft writes 5.4.1 for a recipient its directory does not know (the classifier read the
  // words as user-unknown); 5.4.4 is a domain whose name does not resolve.
  return (
    status === null ||
    status === '5.0.0' ||
    status.startsWith('5.5.') ||
    (c.cause === 'user-unknown' && status === '5.4.1') ||
    (c.cause === 'domain-not-found' && status.startsWith('5.4.'))
  );
}

function cutText(text: string): string {
  if (text.length <= ADDRESS_TEXT_MAX_CHARS) return flatCopy(text);
  return flatCopy(text.slice(0, ADDRESS_TEXT_MAX_CHARS - 1) + '…');
}

export class AddressStore {
  private readonly rows = new Map<string, AddressRow>();

  constructor(private readonly budget: AddressBudget) {}

  get size(): number {
    return this.rows.size;
  }

  add(ev: MailEvent, c: Classification): void {
    const text = ev.kind === 'reject' ? ev.text : ev.kind === 'delivery' ? ev.reason : '';
    const code = smtpCodeOf(ev);
    const status = enhancedStatusOf(ev);
    const rcpt = recipientOf(ev);
    if (rcpt !== null) this.put('recipient', normaliseAddress(rcpt), ev.time, code, status, text, isHardBounce(ev, c));
    const sender = senderOf(ev);
    if (sender !== null) this.put('sender', sender, ev.time, code, status, text, false);
    const client = clientOf(ev);
    if (client !== null) this.put('client', client, ev.time, code, status, text, false);
  }

  /** Folds `other` (the same finding, counted apart) into this one. */
  merge(other: AddressStore): void {
    for (const r of other.rows.values()) {
      this.put(r.role, r.address, r.lastSeen, r.smtpCode, r.enhancedStatus, r.text, r.hardBounce, r.count);
    }
  }

  /** Every address, recipients first, then senders, then clients; most events first, then by address. */
  list(): AddressRow[] {
    const order: Record<AddressRole, number> = { recipient: 0, sender: 1, client: 2 };
    return [...this.rows.values()]
      .map((r) => ({ ...r }))
      .sort((a, b) => order[a.role] - order[b.role] || b.count - a.count || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }

  private put(
    role: AddressRole,
    address: string,
    time: string | null,
    code: number | null,
    status: string | null,
    text: string,
    hard: boolean,
    count = 1,
  ): AddressRow | null {
    const key = `${role[0]}${address}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      if (this.rows.size >= ADDRESSES_PER_FINDING_CAP || this.budget.left <= 0) {
        this.budget.dropped++;
        return null;
      }
      this.budget.left--;
      row = { role, address: flatCopy(address), count: 0, lastSeen: null, smtpCode: null, enhancedStatus: null, text: '', hardBounce: false };
      this.rows.set(flatCopy(key), row);
    }
    row.count += count;
    row.hardBounce ||= hard;
    // The last event's facts: a later time wins; an event without a time only fills what is empty.
    if (row.lastSeen === null ? row.count === count || time !== null : time !== null && compareTime(time, row.lastSeen) >= 0) {
      row.lastSeen = time;
      row.smtpCode = code;
      row.enhancedStatus = status;
      row.text = cutText(text);
    }
    return row;
  }
}
