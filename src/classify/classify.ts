/**
 * Event → Classification: the MTA's module (postfix.ts, exim.ts, exchange.ts, gathered in
 * per-mta.ts) decides direction and permanence, the engine (engine.ts) takes the first rule of
 * its table that matches the normalised text (normalise.ts), and the verify command is filled in
 * and quoted for the MTA's shell (verify.ts). Pure; no I/O, no clock.
 *
 * This file is the public face of classification: the names other code imports stay here.
 */
import type { MailEvent } from '../event.js';
import { classifyDeferredWith, classifyWith } from './engine.js';
import type { LocalDomains } from './local-domains.js';
import { MTA_CLASSIFIERS } from './per-mta.js';
import type { Classification } from './types.js';

export { classifyWith, enhancedMatches } from './engine.js';
export { normalise } from './normalise.js';
export { directionOf, isPermanent, MTA_CLASSIFIERS } from './per-mta.js';
export type { MtaClassifier } from './mta.js';
export type { Rule, RuleMatch } from './rule.js';
export { dnsblQuery, lookupPage, PLACEHOLDERS, powerShellQuote, renderVerify, replyIp, reverseIp, shellQuote } from './verify.js';

/**
 * Null for events that are not a problem (delivered mail, bounce notices). `domains`: the
 * recipient domains this server hosts (see local-domains.ts), which make a failed delivery local.
 */
export function classify(ev: MailEvent, domains?: LocalDomains): Classification | null {
  // Notifications, received mail and authentication failures are traffic, never a finding.
  if (ev.kind !== 'reject' && ev.kind !== 'delivery') return null;
  if (ev.kind === 'delivery' && ev.status === 'sent') return null;
  const mta = MTA_CLASSIFIERS[ev.mta];
  return classifyWith(mta.rules, ev, domains, mta.dialect);
}

/** classify(), with `verify` filled in only when first read (see classifyDeferredWith). */
export function classifyDeferred(ev: MailEvent, domains?: LocalDomains): Classification | null {
  // Notifications, received mail and authentication failures are traffic, never a finding.
  if (ev.kind !== 'reject' && ev.kind !== 'delivery') return null;
  if (ev.kind === 'delivery' && ev.status === 'sent') return null;
  const mta = MTA_CLASSIFIERS[ev.mta];
  return classifyDeferredWith(mta.rules, ev, domains, mta.dialect);
}
