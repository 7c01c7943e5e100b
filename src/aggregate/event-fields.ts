/**
 * The few event fields a finding is built from, read the same way for every kind: the recipient
 * address and its domain, the sender, the client. Pure functions, no state.
 */
import type { MailEvent } from '../event.js';
import { hashParts } from './counters.js';

/**
 * The recipient the finding is about: for deliveries the original address the sender used
 * (`orig_to`, before alias expansion), else `to`; for rejects `to`; notifications have none.
 */
export function recipientOf(ev: MailEvent): string | null {
  switch (ev.kind) {
    case 'delivery':
      return ev.origTo || ev.to || null;
    case 'reject':
      return ev.to || null;
    default:
      return null;
  }
}

/**
 * Lower-cased part after the last `@` of an address; null when there is no address, no `@`
 * (`to=<root>`, CONNECT-stage rejects) or nothing after it.
 */
export function domainOf(address: string | null): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return null;
  const domain = address.slice(at + 1);
  return hasUpperFrom(address, at + 1) ? domain.toLowerCase() : domain;
}

/** Could `s.slice(from)` change under toLowerCase? (ASCII capitals, or any non-ASCII character.) */
function hasUpperFrom(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return true;
  }
  return false;
}

/** The finding's recipient domain for one event. */
export function recipientDomain(ev: MailEvent): string | null {
  return domainOf(recipientOf(ev));
}

/**
 * An address as counted and listed: as logged, except that the domain is lower-cased
 * (`User@Example.COM` and `User@example.com` are one recipient; local parts keep their case).
 */
export function normaliseAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0 || !hasUpperFrom(address, at + 1)) return address;
  const domain = address.slice(at + 1);
  const lower = domain.toLowerCase();
  return lower === domain ? address : address.slice(0, at + 1) + lower;
}

/** Envelope sender; the null sender (bounces) is listed as `<>`. Null when unknown. */
export function senderOf(ev: MailEvent): string | null {
  if (ev.kind !== 'reject' && ev.kind !== 'delivery') return null;
  if (ev.from === null) return null;
  return ev.from === '' ? '<>' : normaliseAddress(ev.from);
}

/** The SMTP client that handed the mail in: its IP, else its name. */
export function clientOf(ev: MailEvent): string | null {
  if ((ev.kind !== 'reject' && ev.kind !== 'delivery') || ev.client === null) return null;
  return ev.client.ip || ev.client.name || null;
}

/**
 * What tells one affected message from another within a finding, as the hash52() of a key
 * (never shown, so never made as a string; the keys below are what is hashed, \0 between parts):
 * - with a queue id (Postfix) or message id (Exim, Exchange): that id, on its host (ids are
 *   per server, and a Postfix queue id is reused in time): `q<host>\0<id>`;
 * - a temporary refusal without one (`NOQUEUE: reject: … 450`, Exim's RCPT-time defer): the
 *   client will try the same message again, from any address of its pool, so every retry
 *   counts once per (sender, recipient), `r<sender>\0<recipient>`, or per (client, sender) when
 *   no recipient was given, `c<client>\0<sender>`;
 * - a permanent refusal without one: the client does not send it again (RFC 5321 §4.2.1), so
 *   each SMTP transaction is one message. Where the client's port is logged (Exim's
 *   `[ip]:port`), (host, client, port, sender, day) tells the transaction, `p<host>\0<client>\0
 *   <port>\0<sender>\0<YYYY-MM-DD>`: a dictionary attack of 12 RCPTs in one connection is one
 *   message. Otherwise (Postfix logs no port) it is (host, client, sender, time to the second),
 *   `t<host>\0<client>\0<sender>\0<time to 19 characters>`: the recipients refused in one
 *   transaction are logged together;
 * - without a time either: every event is a message of its own, `o<file>\0<line>`.
 */
export function messageHashOf(ev: MailEvent, permanent: boolean): number {
  // The finding and the traffic overview ask for the same event in turn: hashed once.
  if (ev === lastEvent && permanent === lastPermanent) return lastHash;
  lastHash = hashMessage(ev, permanent);
  lastEvent = ev;
  lastPermanent = permanent;
  return lastHash;
}
let lastEvent: MailEvent | null = null;
let lastPermanent = false;
let lastHash = 0;

function hashMessage(ev: MailEvent, permanent: boolean): number {
  const host = ev.host ?? '';
  if (ev.queueId !== null) return hashParts.begin().code(Q).text(host).code(0).text(ev.queueId).end();
  const sender = senderOf(ev) ?? '';
  const client = clientOf(ev) ?? '';
  if (!permanent) {
    const rcpt = recipientOf(ev);
    if (rcpt !== null) {
      const to = normaliseAddress(rcpt);
      return hashParts.begin().code(R).text(sender).code(0).text(to).end();
    }
    return hashParts.begin().code(C).text(client).code(0).text(sender).end();
  }
  if (ev.time === null) return hashParts.begin().code(O).text(ev.origin.file).code(0).text(String(ev.origin.line)).end();
  const port = ev.kind === 'reject' || ev.kind === 'delivery' ? (ev.client?.port ?? null) : null;
  // A port is reused by its client in time: within one day the same (ip, port, sender) is one session.
  if (port !== null && client !== '') {
    const p = String(port);
    return hashParts.begin().code(P).text(host).code(0).text(client).code(0).text(p).code(0).text(sender).code(0).text(ev.time, 10).end();
  }
  return hashParts.begin().code(T).text(host).code(0).text(client).code(0).text(sender).code(0).text(ev.time, 19).end();
}
/** The tag each kind of key starts with: `q`, `r`, `c`, `o`, `p`, `t`. */
const [Q, R, C, O, P, T] = [0x71, 0x72, 0x63, 0x6f, 0x70, 0x74] as const;

/** Basic SMTP reply code of the event, if any. */
export function smtpCodeOf(ev: MailEvent): number | null {
  return ev.kind === 'reject' || ev.kind === 'delivery' ? ev.smtpCode : null;
}

/** Enhanced status code: `enhancedStatus` for rejects, `dsn` for deliveries. */
export function enhancedStatusOf(ev: MailEvent): string | null {
  if (ev.kind === 'reject') return ev.enhancedStatus;
  if (ev.kind === 'delivery') return ev.dsn;
  return null;
}

/**
 * Order of ISO 8601 UTC times. Same-length strings compare lexically (the common case); times
 * of different precision (`…:05Z` vs `…:05.250Z`) fall back to their instants.
 */
export function compareTime(a: string, b: string): number {
  if (a.length !== b.length) {
    const d = Date.parse(a) - Date.parse(b);
    if (d !== 0 && !Number.isNaN(d)) return d < 0 ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
