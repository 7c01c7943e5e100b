/** Exim: the rule table, the direction of a failed delivery, the permanence of an ACL refusal, and sh quoting. */
import type { DeliveryEvent, RejectEvent } from '../event.js';
import type { LocalDomains } from './local-domains.js';
import type { MtaClassifier } from './mta.js';
import { EXIM_RULES } from './rules-exim.js';
import type { Direction } from './types.js';

/**
 * Exim deliveries (parsers/exim: agent = transport T=, router = R=, relay = the H= peer). Outbound
 * when a remote host was involved: a peer in H= (or named in the reason), a transport whose name
 * says SMTP (`remote_smtp`, `remote_smtp_smarthost`), or a remote server's reply in the reason.
 * LMTP transports deliver to our own mailbox server: local, even over TCP. Any other transport
 * (appendfile and pipe ones: `mail_spool`, `local_delivery`, `address_file`, `address_pipe`, …)
 * is local. Without a transport a router stopped the address: texts about a remote domain's
 * hosts or retry data are outbound, the rest (`Unrouteable address`, redirect `:fail:`/`:defer:`)
 * local. In doubt, two cases: `** a@b: retry timeout exceeded` does not say which transport kept
 * deferring (a local one's deferrals time out the same way; remote hosts are the usual case), and
 * `Unrouteable address` also fails remote domains without DNS, while the log never says which
 * domains are ours (local_domains).
 */
function eximDirectionOf(ev: DeliveryEvent): Direction {
  const transport = ev.agent;
  if (transport !== null && transport.includes('lmtp')) return 'local';
  if (ev.relay !== null) return 'outbound';
  if (transport !== null && transport.includes('smtp')) return 'outbound';
  if (ev.reason.includes('SMTP error from remote mail server')) return 'outbound';
  if (transport !== null) return 'local';
  return EXIM_REMOTE_ROUTING_RE.test(ev.reason) ? 'outbound' : 'local';
}

/** Router and retry texts about a remote domain (route.c, dnslookup.c, retry.c, smtp.c). */
const EXIM_REMOTE_ROUTING_RE =
  /^(?:retry time not reached|retry timeout exceeded|all relevant MX records point to non-existent hosts|unrouteable mail domain|an MX or SRV record indicated no SMTP service|host lookup (?:for [^ ]{1,255} )?did not complete)/i;

/** Exim's words when no router accepted an address (route.c). */
const EXIM_UNROUTEABLE_RE = /^unrouteable address/i;

/**
 * Exim writes `Unrouteable address` both for an unknown user of a domain it hosts and for a
 * remote domain no router could route (no MX/A): once the hosted domains are known, a domain
 * that is not one of them is the remote case.
 */
function eximDeliveryDirection(ev: DeliveryEvent, domains?: LocalDomains): Direction {
  const d = eximDirectionOf(ev);
  if (domains === undefined || d === 'outbound') return d;
  if (ev.agent === null && EXIM_UNROUTEABLE_RE.test(ev.reason) && domains.knowsAny('exim') && !domains.hosts(ev)) return 'outbound';
  return d;
}

/**
 * Exim does not log the reply code of an ACL refusal, only `rejected …` (550 unless the ACL
 * message gives a 5xx of its own) or `temporarily rejected …` / `temporarily refused …` (a
 * defer: 4xx). Exim's own 4xx: local_scan() timeouts and crashes, excess recipients.
 */
function eximRejectIsPermanent(ev: RejectEvent): boolean {
  const t = ev.text;
  if (t.startsWith('temporarily ') || t.startsWith('local_scan() function ') || t.startsWith('too many recipients: excess')) return false;
  return ev.smtpCode === null || ev.smtpCode >= 500;
}

export const exim: MtaClassifier = {
  rules: EXIM_RULES,
  deliveryDirection: eximDeliveryDirection,
  rejectIsPermanent: eximRejectIsPermanent,
  // Every transport but the SMTP ones writes on this machine (appendfile, pipe, lmtp).
  deliversHere: (transport) => !transport.includes('smtp'),
  dialect: 'sh',
};
