/** Exchange message tracking: the rule table, the direction of a failed delivery, and PowerShell quoting. */
import type { DeliveryEvent } from '../event.js';
import { replyIsPermanent, type MtaClassifier } from './mta.js';
import { EXCHANGE_RULES } from './rules-exchange.js';
import type { Direction } from './types.js';

/**
 * Exchange message tracking sources (the agent) that act inside this organization after the
 * message was accepted: recipient resolution, store delivery, transport agents and the like.
 */
const EXCHANGE_LOCAL_SOURCES = new Set([
  'routing', 'storedriver', 'agent', 'mailboxrule', 'approval', 'publicfolder', 'meetingmessageprocessor',
  'orar', 'dsn', 'safetynet', 'bootloader', 'redundancy', 'poisonmessage', 'pickup', 'admin',
]);

/**
 * Exchange deliveries (parsers/exchange): FAILs by ROUTING, STOREDRIVER, AGENT (…) are local: we
 * accepted the message and our own resolution, store or a transport rule failed it, so the NDR
 * goes to a possibly forged sender. SMTP rows are outbound when they went towards a next hop
 * (the parser always gives those a relay) and inbound when a Receive connector or receive agent
 * refused a client (no relay). DNS, QUEUE and unknown sources failed towards a next hop: outbound.
 */
function exchangeDirectionOf(ev: DeliveryEvent): Direction {
  if (ev.agent === 'smtp') return ev.relay === null ? 'inbound' : 'outbound';
  if (ev.agent !== null && EXCHANGE_LOCAL_SOURCES.has(ev.agent)) return 'local';
  return 'outbound';
}

export const exchange: MtaClassifier = {
  rules: EXCHANGE_RULES,
  deliveryDirection: exchangeDirectionOf,
  rejectIsPermanent: replyIsPermanent,
  // Only the store driver puts mail into a mailbox of this organization.
  deliversHere: (source) => source === 'storedriver',
  // Exchange's commands run in PowerShell, where `'` inside single quotes is doubled.
  dialect: 'powershell',
};
