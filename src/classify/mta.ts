/**
 * What each MTA supplies to classification: its rule table, how it tells the direction of a
 * failed delivery, when a refusal is permanent, and the shell its verify commands run in.
 * MTA_CLASSIFIERS (per-mta.ts) is a record over every Mta, so a new format without its module
 * does not compile.
 */
import type { DeliveryEvent, RejectEvent } from '../event.js';
import type { LocalDomains } from './local-domains.js';
import type { Rule } from './rule.js';
import type { Direction } from './types.js';
import type { Dialect } from './verify.js';

export interface MtaClassifier {
  /** First match wins; tables end with catch-all rules. */
  rules: readonly Rule[];
  /**
   * Direction of a failed delivery from what this MTA logs. `domains`, when given, are the
   * domains this server hosts; a delivery said outbound to one of them is made local afterwards
   * for every MTA (directionOf), so this only needs them for its own exceptions.
   */
  deliveryDirection(ev: DeliveryEvent, domains?: LocalDomains): Direction;
  /** Whether a refusal by this server is permanent (deliveries: see isPermanent). */
  rejectIsPermanent(ev: RejectEvent): boolean;
  /** Whether a delivery by this agent (transport, source) was made on this machine, so its recipient domain is ours (local-domains.ts). */
  deliversHere(agent: string): boolean;
  /** The shell the verify commands are written for, which decides their quoting. */
  dialect: Dialect;
}

/**
 * The reply code, else the first digit of the enhanced status (milters: `4.7.1 Try again
 * later`), else temporary (postscreen's code-less `too many connections` is a 421).
 */
export function replyIsPermanent(ev: RejectEvent): boolean {
  if (ev.smtpCode !== null) return ev.smtpCode >= 500;
  return ev.enhancedStatus !== null && ev.enhancedStatus.startsWith('5');
}
