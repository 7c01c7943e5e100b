/** Whether a delivery's next hop is on this machine (loopback): a rule condition, and Postfix's direction. */
import type { DeliveryEvent } from '../event.js';

/** `connect to host[127.0.0.1]:10024: …`: a `relay=none` failure whose next hop was on loopback. */
export const LOOPBACK_CONNECT_RE = /^(?:delivery temporarily suspended: )?connect to [^ [\]]{0,255}\[(?:127\.|::1\]|::ffff:127\.)/;

/** Was the next hop on this machine (its address, or for `relay=none` the address it could not reach)? */
export function onLoopback(ev: DeliveryEvent): boolean {
  if (ev.relay === null) return LOOPBACK_CONNECT_RE.test(ev.reason);
  return ev.relay.ip !== null && isLoopback(ev.relay.ip);
}

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.');
}
