/**
 * The few event fields a finding is built from, read the same way for every kind: the recipient
 * address and its domain, the sender, the client. Pure functions, no state.
 */
import type { MailEvent } from '../event.js';

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
  if (ev.kind === 'notification') return null;
  if (ev.from === null) return null;
  return ev.from === '' ? '<>' : normaliseAddress(ev.from);
}

/** The SMTP client that handed the mail in: its IP, else its name. */
export function clientOf(ev: MailEvent): string | null {
  if (ev.kind === 'notification' || ev.client === null) return null;
  return ev.client.ip || ev.client.name || null;
}

/** Basic SMTP reply code of the event, if any. */
export function smtpCodeOf(ev: MailEvent): number | null {
  return ev.kind === 'notification' ? null : ev.smtpCode;
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
