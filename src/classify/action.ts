/**
 * Act or not: is a finding's fix on this server (`actionable`: our map, our ACL, our directory,
 * our SPF/DKIM/IP reputation, our relay configuration) or is it somebody else's doing that we
 * can only note (`informational`: a stranger's typo, a spammer guessing addresses, a remote
 * mailbox full)? Decided from the finding's direction, cause and hint and from the evidence the
 * log holds about it (ActionFacts), by the first row of ACTION_TABLE that matches. Each row
 * keeps its samples beside it; a test checks that every sample is decided by its own row.
 *
 * Types only from the rest of classify: the run loads no schema library.
 */
import type { Cause, Direction } from './types.js';

export type Action = 'actionable' | 'informational';

/** What the log says about a finding, beyond its identity. */
export interface ActionFacts {
  direction: Direction;
  cause: Cause;
  hint: string;
  /** Its refused recipients that received mail earlier in the log (an address that worked). */
  workedBefore: number;
  /** Its recipient domain accepted mail elsewhere in this log. */
  domainAcceptsMail: boolean;
  /** The domain its recipient most likely meant, when its domain looks like a typo. */
  suggestion: string | null;
  /** One of its senders is at a domain this server receives mail for (one of our users). */
  ownSender: boolean;
  distinctClients: number;
  distinctRecipients: number;
  /** Its bounces of mail accepted from a stranger for a domain of ours (backscatter). */
  acceptedThenBounced: number;
  /** Our own bounces (sender <>) in it, going to strangers who never sent through us (backscatter). */
  bouncesToStrangers: number;
}

export interface ActionDecision {
  action: Action;
  /** One line: why, in the admin's terms. */
  reason: string;
  /** The table row that decided (for tests). */
  row: string;
}

export interface ActionRow {
  id: string;
  when: (f: ActionFacts) => boolean;
  action: Action;
  reason: string | ((f: ActionFacts) => string);
  /** Facts this row decides (merged over SAMPLE_BASE): the table's own test cases. */
  samples: Array<Partial<ActionFacts>>;
}

/** Causes that refuse a stranger's mail by a filter doing its job (inbound). */
const INBOUND_FILTERS: ReadonlySet<Cause> = new Set<Cause>([
  'blocklisted',
  'spam-content',
  'sender-auth-failed',
  'protocol-error',
  'greylisted',
  'domain-not-found',
  'connection-failed',
]);

/** Causes where the remote side judged us: reputation, authentication, our relay's settings. */
const OUTBOUND_OURS: ReadonlySet<Cause> = new Set<Cause>([
  'blocklisted',
  'sender-auth-failed',
  'access-policy',
  'spam-content',
  'rate-limited',
  'relay-denied',
  'auth-required',
  'protocol-error',
  'mail-loop',
  'message-too-large',
]);

/** Causes of the remote recipient's own state: nothing to fix here. */
const OUTBOUND_THEIRS: ReadonlySet<Cause> = new Set<Cause>(['user-unknown', 'mailbox-disabled', 'mailbox-full', 'greylisted']);

const unknownOrGone = (c: Cause): boolean => c === 'user-unknown' || c === 'mailbox-disabled';

/** Facts of a plain finding, which each sample overrides. */
export const SAMPLE_BASE: ActionFacts = {
  direction: 'inbound',
  cause: 'other',
  hint: '',
  workedBefore: 0,
  domainAcceptsMail: false,
  suggestion: null,
  ownSender: false,
  distinctClients: 1,
  distinctRecipients: 1,
  acceptedThenBounced: 0,
  bouncesToStrangers: 0,
};

/** First match wins; the last row matches everything. */
export const ACTION_TABLE: readonly ActionRow[] = [
  {
    id: 'inbound-address-stopped-working',
    when: (f) => f.direction !== 'outbound' && unknownOrGone(f.cause) && f.workedBefore > 0,
    action: 'actionable',
    reason: (f) =>
      `${f.workedBefore === 1 ? 'an address' : `${f.workedBefore} addresses`} that received mail earlier in the log ${f.workedBefore === 1 ? 'is' : 'are'} now refused: it stopped working (removed alias or mailbox, broken map)`,
    samples: [{ cause: 'user-unknown', workedBefore: 1 }, { direction: 'local', cause: 'user-unknown', workedBefore: 3 }],
  },
  {
    id: 'local-accept-then-bounce',
    when: (f) => f.direction === 'local' && unknownOrGone(f.cause),
    action: 'actionable',
    reason: 'accepted, then bounced by our own delivery: reject unknown recipients at RCPT time (backscatter risk)',
    samples: [{ direction: 'local', cause: 'user-unknown' }, { direction: 'local', cause: 'mailbox-disabled' }],
  },
  {
    id: 'local-delivery',
    when: (f) => f.direction === 'local',
    action: 'actionable',
    reason: 'our own delivery failed after accepting the mail: mailbox, transport or filter on this server',
    samples: [{ direction: 'local', cause: 'mailbox-full' }, { direction: 'local', cause: 'other' }],
  },
  {
    id: 'inbound-guessing',
    when: (f) => f.direction === 'inbound' && unknownOrGone(f.cause) && f.distinctRecipients >= 10,
    action: 'informational',
    reason: (f) => `${f.distinctRecipients} addresses that never received mail here, from ${f.distinctClients === 1 ? 'one client' : `${f.distinctClients} clients`}: senders guessing or using stale lists`,
    samples: [{ cause: 'user-unknown', distinctRecipients: 30, distinctClients: 1 }, { cause: 'user-unknown', distinctRecipients: 12, distinctClients: 9 }],
  },
  {
    id: 'inbound-stranger-typo',
    when: (f) => f.direction === 'inbound' && unknownOrGone(f.cause),
    action: 'informational',
    reason: 'addresses that never received mail here: a stranger’s typo or an old address',
    samples: [{ cause: 'user-unknown' }, { cause: 'mailbox-disabled', distinctRecipients: 2 }],
  },
  {
    id: 'inbound-own-users',
    when: (f) =>
      f.direction === 'inbound' &&
      f.ownSender &&
      (f.cause === 'relay-denied' || f.cause === 'auth-required' || f.cause === 'access-policy' || f.cause === 'rate-limited'),
    action: 'actionable',
    reason: 'our own users are refused: their client does not authenticate, or the relay/ACL settings leave them out',
    samples: [{ cause: 'relay-denied', ownSender: true }, { cause: 'auth-required', ownSender: true }],
  },
  {
    id: 'inbound-relay-probe',
    when: (f) => f.direction === 'inbound' && (f.cause === 'relay-denied' || f.cause === 'auth-required'),
    action: 'informational',
    reason: 'strangers trying to relay through this server are refused, as they should be',
    samples: [{ cause: 'relay-denied' }, { cause: 'auth-required', distinctClients: 40 }],
  },
  {
    id: 'inbound-filter',
    when: (f) => f.direction === 'inbound' && INBOUND_FILTERS.has(f.cause),
    action: 'informational',
    reason: 'our filters refused a stranger’s mail, as configured: act only if a wanted sender is among them',
    samples: [{ cause: 'blocklisted' }, { cause: 'spam-content' }, { cause: 'greylisted' }],
  },
  {
    id: 'inbound-mailbox-full',
    when: (f) => f.direction === 'inbound' && f.cause === 'mailbox-full',
    action: 'actionable',
    reason: 'one of our mailboxes is full: its quota is on this server',
    samples: [{ cause: 'mailbox-full' }],
  },
  {
    id: 'inbound-policy',
    when: (f) => f.direction === 'inbound' && (f.cause === 'access-policy' || f.cause === 'rate-limited'),
    action: 'informational',
    reason: 'our access rules refused strangers, as configured: act only if a wanted sender is among them',
    samples: [{ cause: 'access-policy' }, { cause: 'rate-limited', distinctClients: 3 }],
  },
  {
    id: 'inbound-config',
    when: (f) => f.direction === 'inbound' && (f.cause === 'message-too-large' || f.cause === 'mail-loop' || f.cause === 'other'),
    action: 'actionable',
    reason: (f) =>
      f.cause === 'message-too-large'
        ? 'our size limit refused mail someone wanted to send: check the limit is what you want'
        : f.cause === 'mail-loop'
          ? 'mail loops through this server: an alias, transport or forwarding setting here'
          : 'refused by this server for a reason not recognised: read the example',
    samples: [{ cause: 'message-too-large' }, { cause: 'mail-loop' }, { cause: 'other' }],
  },
  {
    id: 'outbound-accepted-then-bounced',
    when: (f) => f.direction === 'outbound' && f.acceptedThenBounced > 0,
    action: 'actionable',
    reason: 'mail for a domain of ours accepted from strangers, then bounced by the next hop: reject unknown recipients at RCPT time (backscatter risk)',
    samples: [{ direction: 'outbound', cause: 'user-unknown', acceptedThenBounced: 4 }],
  },
  {
    id: 'outbound-our-bounces-to-strangers',
    when: (f) => f.direction === 'outbound' && f.bouncesToStrangers > 0,
    action: 'actionable',
    reason: 'our own bounces to senders who never sent through us (forged): we accepted mail we could not deliver; reject at RCPT time (backscatter)',
    samples: [{ direction: 'outbound', cause: 'user-unknown', bouncesToStrangers: 1 }],
  },
  {
    id: 'outbound-dns-broken',
    when: (f) => f.direction === 'outbound' && f.cause === 'domain-not-found' && f.domainAcceptsMail,
    action: 'actionable',
    reason: 'a domain that accepted our mail in this log is now "not found": check this server’s DNS resolver',
    samples: [{ direction: 'outbound', cause: 'domain-not-found', domainAcceptsMail: true }],
  },
  {
    id: 'outbound-typo',
    when: (f) => f.direction === 'outbound' && f.suggestion !== null,
    action: 'informational',
    reason: (f) => `the recipient domain looks like a misspelling of ${f.suggestion}: the sender’s typo`,
    samples: [
      { direction: 'outbound', cause: 'domain-not-found', suggestion: 'gmail.com' },
      { direction: 'outbound', cause: 'user-unknown', suggestion: 'gmail.com' },
    ],
  },
  {
    id: 'outbound-domain-gone',
    when: (f) => f.direction === 'outbound' && f.cause === 'domain-not-found',
    action: 'informational',
    reason: 'the recipient domain does not exist: a typo or a dead domain, nothing to fix here',
    samples: [{ direction: 'outbound', cause: 'domain-not-found' }],
  },
  {
    id: 'outbound-remote-recipient',
    when: (f) => f.direction === 'outbound' && OUTBOUND_THEIRS.has(f.cause),
    action: 'informational',
    reason: (f) =>
      f.cause === 'mailbox-full'
        ? 'a remote mailbox is full: only its owner can fix it'
        : f.cause === 'greylisted'
          ? 'the remote server greylists: retries get through on their own'
          : 'the remote address does not exist (any more): remove it from lists',
    samples: [
      { direction: 'outbound', cause: 'user-unknown' },
      { direction: 'outbound', cause: 'mailbox-full' },
      { direction: 'outbound', cause: 'greylisted' },
    ],
  },
  {
    id: 'outbound-our-reputation',
    when: (f) => f.direction === 'outbound' && OUTBOUND_OURS.has(f.cause),
    action: 'actionable',
    reason: (f) =>
      f.cause === 'blocklisted'
        ? 'the remote server refuses our IP or domain: our reputation, delisting is ours to ask'
        : f.cause === 'sender-auth-failed'
          ? 'our SPF, DKIM or DMARC did not pass: our DNS records or signing'
          : f.cause === 'relay-denied' || f.cause === 'auth-required'
            ? 'our relay (smarthost) refuses us: our relay credentials or relayhost settings'
            : 'the remote server refused our mail for what we send or how: fix it on this server',
    samples: [
      { direction: 'outbound', cause: 'blocklisted' },
      { direction: 'outbound', cause: 'sender-auth-failed' },
      { direction: 'outbound', cause: 'auth-required' },
    ],
  },
  {
    id: 'outbound-unreachable',
    when: (f) => f.direction === 'outbound' && f.cause === 'connection-failed',
    action: 'informational',
    reason: 'the remote server does not answer: usually theirs (many domains at once would point at our network)',
    samples: [{ direction: 'outbound', cause: 'connection-failed' }],
  },
  {
    id: 'fallback',
    when: () => true,
    action: 'actionable',
    reason: 'not recognised as somebody else’s doing: read the example to decide',
    samples: [{ direction: 'outbound', cause: 'other' }],
  },
];

/** The first row of ACTION_TABLE that matches `f`. */
export function decideAction(f: ActionFacts): ActionDecision {
  for (const row of ACTION_TABLE) {
    if (row.when(f)) return { action: row.action, reason: typeof row.reason === 'string' ? row.reason : row.reason(f), row: row.id };
  }
  // Unreachable: the last row matches everything.
  return { action: 'actionable', reason: '', row: 'fallback' };
}
