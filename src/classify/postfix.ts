/** Postfix: the rule table, the direction of a failed delivery, and sh quoting. */
import type { DeliveryEvent } from '../event.js';
import { replyIsPermanent, type MtaClassifier } from './mta.js';
import { isLoopback, LOOPBACK_CONNECT_RE } from './next-hop.js';
import { POSTFIX_RULES } from './rules-postfix.js';
import type { Direction } from './types.js';

/** Agents that deliver on this machine (or to our own mailbox server): a failure there is ours. */
const LOCAL_AGENTS = new Set(['local', 'virtual', 'lmtp', 'pipe', 'error', 'discard']);

/**
 * A delivery is local when a local agent made it or it went to a local transport
 * (`relay=local`, `relay=dovecot`: a name without an address), or when a next hop on this
 * machine (loopback: a content filter, a local relay) could not be reached. Any other delivery
 * is outbound, whatever the next hop's address: a reply relayed back through a loopback next hop
 * is still the remote side's. Exception: the error agent also replays deferrals of remote sites
 * that are down ("delivery temporarily suspended: connect to …"); those are outbound.
 */
function postfixDirectionOf(ev: DeliveryEvent): Direction {
  if (ev.agent === 'error' && ev.reason.startsWith('delivery temporarily suspended: ')) return 'outbound';
  if (ev.agent !== null && LOCAL_AGENTS.has(ev.agent)) return 'local';
  const relay = ev.relay;
  // A failed connection logs `relay=none`; the loopback address is then only in the reason.
  if (relay === null) return LOOPBACK_CONNECT_RE.test(ev.reason) ? 'local' : 'outbound';
  if (relay.ip === null && relay.name !== null) return 'local';
  if (relay.ip === null || !isLoopback(relay.ip)) return 'outbound';
  return LOOPBACK_DOWN_RE.test(ev.reason) || FILTER_OWN_RE.test(ev.reason) ? 'local' : 'outbound';
}

/** A next hop that did not answer or broke off: on loopback, a service of this machine is down. */
const LOOPBACK_DOWN_RE = /^(?:delivery temporarily suspended: )?(?:connect to |lost connection with |conversation with [^ ]{1,300} timed out)/;
/**
 * A content filter's own answer, not one it relays: amavisd-new's replies carry its task id
 * (`554 5.7.0 Reject, id=10374-01 - spam`, `451 4.5.0 Error in processing, id=12345-01, …`).
 */
const FILTER_OWN_RE = /[ ,]id=\d{1,12}-\d{1,6}|content filter/i;

/** Delivery agents that deliver on this machine (or to our own mailbox server), for local-domains.ts. */
const HOME_AGENTS = new Set(['local', 'virtual', 'pipe', 'lmtp']);

export const postfix: MtaClassifier = {
  rules: POSTFIX_RULES,
  deliveryDirection: postfixDirectionOf,
  rejectIsPermanent: replyIsPermanent,
  deliversHere: (agent) => HOME_AGENTS.has(agent),
  dialect: 'sh',
};
