/**
 * sisimai's bounce reasons (its README "Bounce reason list" and the labels of its tests) paired
 * with our causes (src/classify/names.ts), for the agreement measurement of the outbound reply
 * rules (bench/sisimai-agreement.ts). A reason maps to a cause when the two mean the same thing.
 * Two reasons that sisimai itself defines as the union of two of ours map to both (either
 * agrees; the first is the one the per-cause table counts them under). A reason that spans more
 * of our causes, or none, is excluded with why, and the measurement reports how many samples
 * each exclusion removed.
 */
import type { Cause } from '../../../src/classify/types.js';

export const SISIMAI_TO_CAUSE: Readonly<Record<string, Cause | readonly [Cause, Cause]>> = {
  userunknown: 'user-unknown',
  // 5.1.6 "mailbox has moved, no forwarding address": our user-moved rule, a user-unknown.
  hasmoved: 'user-unknown',
  mailboxfull: 'mailbox-full',
  // sisimai's "suspend": the mailbox exists but is disabled or suspended.
  suspend: 'mailbox-disabled',
  norelaying: 'relay-denied',
  hostunknown: 'domain-not-found',
  // sisimai's "blocked": refused for the sending IP address or host (DNSBL, the provider's own
  // IP block list) — what our blocklisted says; a missing PTR has its own label (requireptr).
  blocked: 'blocklisted',
  // Low sender reputation (Gmail 421/550 4.7.0 "IP has a low reputation"): the provider's own
  // block list, delisted the same way.
  badreputation: 'blocklisted',
  // SPF/DKIM/DMARC failures.
  authfailure: 'sender-auth-failed',
  // No or mismatching reverse DNS for our IP: our ptr-missing rule, a sender-auth-failed (the
  // fix is on our side's DNS, like SPF).
  requireptr: 'sender-auth-failed',
  // sisimai (Reason/PolicyViolation.pm): "the header content or the format of the original
  // message violates their security policies, or multiple addresses exist in the From: header",
  // its example Gmail's "illegal attachment"; its samples also hold Yahoo's "Message not
  // accepted for policy reasons". Our spam-content (what the message holds) or access-policy.
  policyviolation: ['access-policy', 'spam-content'],
  // sisimai (Reason/Filtered.pm): "rejected by a header content after SMTP DATA" or by the
  // recipient's own filter, "almost the same as UserUnknown"; its samples mostly say "User
  // unknown" after DATA. Our user-unknown, or spam-content when a content filter says so.
  filtered: ['user-unknown', 'spam-content'],
  spamdetected: 'spam-content',
  // Our spam-content is "refused for what the message contains" (hint: our message content),
  // viruses included.
  virusdetected: 'spam-content',
  // Malformed content (RFC 3463 X.6.x media errors, bad headers) and Gmail's "not RFC 5322
  // compliant": refused for what the message contains, fixed by looking at what was sent.
  contenterror: 'spam-content',
  notcompliantrfc: 'spam-content',
  mesgtoobig: 'message-too-large',
  // sisimai's "exceedlimit": the message exceeds the recipient's size limit (5.2.3).
  exceedlimit: 'message-too-large',
  toomanyconn: 'rate-limited',
  // sisimai's "speeding": sending too fast (Yahoo TSS04, Google 4.7.28 rate limits).
  speeding: 'rate-limited',
  networkerror: 'connection-failed',
  syntaxerror: 'protocol-error',
};

/** sisimai reasons left out of the measurement, each with why. */
export const EXCLUDED: Readonly<Record<string, string>> = {
  rejected: 'the envelope sender was refused, for any reason (unknown domain, policy, reputation): several of our causes',
  securityerror: 'joins SMTP AUTH required (our auth-required) with refusals of the sender by access rules (our access-policy)',
  expired: 'the message aged out in the queue; which reply it last got is not what the label says',
  onhold: 'sisimai could not decide yet (its own word for "undecided")',
  undefined: 'sisimai could not decide',
  systemerror: 'a fault of the remote server; we have no cause for it (ours would be other)',
  systemfull: "the remote server's disk is full; we have no cause for it",
  mailererror: "the remote server's local delivery program failed; we have no cause for it",
  notaccept: 'the domain accepts no mail (null MX, 521): ours tells a null MX apart locally, not from a reply',
  delivered: 'not a failure',
  vacation: 'an auto-reply, not a failure',
  feedback: 'an abuse report (ARF), not a failure',
};
