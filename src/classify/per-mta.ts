/**
 * The MTA modules as one record over every Mta (a missing one does not compile), and the two
 * decisions made before any rule is read: direction and permanence.
 */
import type { DeliveryEvent, Mta, RejectEvent } from '../event.js';
import { exchange } from './exchange.js';
import { exim } from './exim.js';
import type { LocalDomains } from './local-domains.js';
import type { MtaClassifier } from './mta.js';
import { postfix } from './postfix.js';
import type { Direction } from './types.js';

export const MTA_CLASSIFIERS: Readonly<Record<Mta, MtaClassifier>> = { postfix, exim, exchange };

/**
 * reject → inbound. A delivery: as its MTA's module says (postfix.ts, exim.ts, exchange.ts),
 * except that one towards a recipient domain this server hosts (`domains`, see
 * local-domains.ts) is local: the refusal came from our own next hop, whichever address it has.
 */
export function directionOf(ev: RejectEvent | DeliveryEvent, domains?: LocalDomains): Direction {
  if (ev.kind === 'reject') return 'inbound';
  const d = MTA_CLASSIFIERS[ev.mta].deliveryDirection(ev, domains);
  return d === 'outbound' && domains !== undefined && domains.hosts(ev) ? 'local' : d;
}

/**
 * The one definition of a permanent failure. Deliveries: bounced or expired (given up) →
 * permanent; deferred → temporary, whatever the reply code (soft_bounce turns 5xx into
 * deferrals). Rejects: as the MTA's module says (mostly the reply code). A finding is permanent
 * when any of its events is (Accumulator.permanent).
 */
export function isPermanent(ev: RejectEvent | DeliveryEvent): boolean {
  if (ev.kind === 'delivery') return ev.status === 'bounced' || ev.status === 'expired';
  return MTA_CLASSIFIERS[ev.mta].rejectIsPermanent(ev);
}
