/**
 * Small field readers for Postfix message bodies: peers (`name[ip]:port`), SMTP replies
 * (`550 5.1.1 text`), the `; from=<…> to=<…> proto=… helo=<…>` trailer of rejects, and the
 * `key=value, …` list of delivery lines. Plain code instead of regexes: linear by construction.
 */
import type { Peer } from '../../src/event.js';
import { enhancedEnd, replyCodeAt } from '../../src/text/smtp-reply.js';

/**
 * `mail.example.org[192.0.2.1]`, `unknown[2001:db8::1]:25`, `[192.0.2.1]:52312`,
 * `h-abc[/var/run/dovecot/lmtp]`, `none`, `local`. The bracket may hold a path for lmtp/pipe.
 */
export function parsePeer(text: string): Peer {
  const open = text.indexOf('[');
  if (open < 0) return { name: text || null, ip: null, port: null };
  const close = text.indexOf(']', open);
  if (close < 0) return { name: text, ip: null, port: null };
  const name = open > 0 ? text.slice(0, open) : null;
  const inner = text.slice(open + 1, close);
  let port: number | null = null;
  if (text.charCodeAt(close + 1) === 58 /* : */) {
    const p = Number(text.slice(close + 2));
    if (Number.isInteger(p) && p >= 0 && p <= 65535 && close + 2 < text.length) port = p;
  }
  // Postfix writes `unknown` when reverse DNS failed: no name, not a host called "unknown".
  return { name: name === 'unknown' ? null : name, ip: inner || null, port };
}

export interface Reply {
  code: number | null;
  enhanced: string | null;
  text: string;
}

/**
 * `550 5.1.1 <x@y>: Recipient address rejected: …`, `4.7.1 Try again later` (milters),
 * `504 need fully-qualified hostname`, `550-5.1.1 first line 550 5.1.1 last line` (folded).
 */
export function parseReply(text: string): Reply {
  const code = replyCodeAt(text, 0);
  let at = code === null ? 0 : Math.min(4, text.length);
  let enhanced: string | null = null;
  const end = enhancedEnd(text, at);
  if (end > 0) {
    enhanced = text.slice(at, end);
    at = Math.min(end + 1, text.length);
  }
  return { code, enhanced, text: at === 0 ? text : text.slice(at) };
}

export interface Trailer {
  /** Where the `;` before the trailer is (the reply ends there), or the body length if none. */
  end: number;
  from: string | null;
  to: string | null;
  proto: string | null;
  helo: string | null;
}

/**
 * The trailer smtpd appends to reject lines: `; from=<s> to=<r> proto=ESMTP helo=<h>`, every
 * field optional but always in that order; postscreen separates them with `, `. Read from the
 * end so that `; ` inside the reply text (`Service unavailable; Client host …`) is left alone.
 */
export function parseTrailer(body: string, start: number): Trailer {
  let end = body.length;
  let from: string | null = null;
  let to: string | null = null;
  let proto: string | null = null;
  let helo: string | null = null;

  const angled = (key: string): string | null => {
    const i = body.lastIndexOf(key, end - 1);
    if (i < start || body.charCodeAt(end - 1) !== 62 /* > */) return null;
    const value = body.slice(i + key.length, end - 1);
    end = trimComma(body, i);
    return value;
  };

  helo = angled(' helo=<');
  if (helo === null && body.endsWith(' helo=')) {
    // a HELO name that was empty (or cut away in an excerpt)
    helo = '';
    end = trimComma(body, body.length - 6);
  }
  const p = body.lastIndexOf(' proto=', end - 1);
  if (p >= start && isWord(body, p + 7, end)) {
    proto = body.slice(p + 7, end);
    end = trimComma(body, p);
  }
  to = angled(' to=<');
  from = angled(' from=<');
  if (end < body.length && body.charCodeAt(end - 1) === 59 /* ; */) {
    return { end: end - 1, from, to, proto, helo };
  }
  // The fields were not preceded by `;`: not a trailer after all (or a cut-short line).
  return { end: body.length, from: null, to: null, proto: null, helo: null };
}

function trimComma(body: string, i: number): number {
  return body.charCodeAt(i - 1) === 44 /* , */ ? i - 1 : i;
}

function isWord(s: string, from: number, to: number): boolean {
  if (to <= from || to - from > 20) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

export interface DeliveryFields {
  to: string;
  origTo: string | null;
  relay: string | null;
  dsn: string | null;
  status: string;
  reason: string;
  /** `delay=` in seconds, or null when the line has none (or it is not a number). */
  delay: number | null;
}

/**
 * `to=<a>, orig_to=<b>, relay=x[ip]:25, conn_use=2, delay=1.2, delays=…, dsn=5.1.1,
 * status=bounced (reason)`. `body` starts at `to=`. Returns null if the shape is wrong.
 * Addresses are read up to `>, ` so a `,` inside a quoted local part survives; Postfix
 * before 2.1 wrote them without angle brackets (`to=user@host, relay=local`).
 */
export function parseDeliveryFields(body: string, at = 0): DeliveryFields | null {
  const f = scanDeliveryFields(body, at);
  if (f === null) return null;
  const pos = f.statusAt - 7;
  const open = body.indexOf(' (', pos);
  const status = body.slice(f.statusAt, open < 0 ? body.length : open);
  let reason = '';
  if (open >= 0) {
    // The reason runs to the final `)`; it may itself contain parentheses.
    reason = body.endsWith(')') ? body.slice(open + 2, -1) : body.slice(open + 2);
  }
  return {
    to: body.slice(f.toAt, f.toEnd),
    origTo: f.origAt < 0 ? null : body.slice(f.origAt, f.origEnd),
    relay: f.relayAt < 0 ? null : body.slice(f.relayAt, f.relayEnd),
    dsn: f.dsnAt < 0 ? null : body.slice(f.dsnAt, f.dsnEnd),
    status,
    reason,
    delay: delayOf(body, f),
  };
}

/** The `delay=` value of the fields `f` found in `body`, in seconds; null when there is none. */
export function delayOf(body: string, f: Readonly<FieldSpans>): number | null {
  if (f.delayAt < 0 || f.delayEnd <= f.delayAt || f.delayEnd - f.delayAt > 16) return null;
  const n = Number(body.slice(f.delayAt, f.delayEnd));
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * For sentDelivery(), which counts sent deliveries without their other fields: when
 * parseDeliveryFields(body, at) would give status `sent`, where its recipient is (`toAt`,
 * `toEnd` of the result, valid until the next call); else null. Same scan, without building
 * the other fields.
 */
export function sentRecipient(body: string, at = 0): Readonly<FieldSpans> | null {
  const f = scanDeliveryFields(body, at);
  if (f === null) return null;
  const s = f.statusAt;
  // parseDeliveryFields' status runs to the first ` (` after `status=`, or to the end.
  const sent = body.startsWith('sent', s) && (s + 4 === body.length || body.startsWith(' (', s + 4));
  return sent ? f : null;
}

/** Where parseDeliveryFields found its fields ([at, end) of the body; -1: absent). */
export interface FieldSpans {
  toAt: number;
  toEnd: number;
  origAt: number;
  origEnd: number;
  relayAt: number;
  relayEnd: number;
  dsnAt: number;
  dsnEnd: number;
  delayAt: number;
  delayEnd: number;
  /** Where the status value starts (after `status=`). */
  statusAt: number;
}
// One object, filled on every call: the scan runs on most lines of a log.
const spans: FieldSpans = { toAt: 0, toEnd: 0, origAt: -1, origEnd: -1, relayAt: -1, relayEnd: -1, dsnAt: -1, dsnEnd: -1, delayAt: -1, delayEnd: -1, statusAt: 0 };

/** The items of a delivery line from `to=` at `at` up to `status=`, or null if the shape is wrong. */
function scanDeliveryFields(body: string, at: number): FieldSpans | null {
  const f = spans;
  let pos = readAddress(body, at + 3, f, true);
  if (pos < 0) return null;
  f.origAt = -1;
  f.origEnd = -1;
  if (body.startsWith('orig_to=', pos)) {
    pos = readAddress(body, pos + 8, f, false);
    if (pos < 0) return null;
  }
  f.relayAt = f.relayEnd = f.dsnAt = f.dsnEnd = f.delayAt = f.delayEnd = -1;
  // Simple `key=value` items up to status=, which is always last.
  while (pos < body.length && !body.startsWith('status=', pos)) {
    const comma = body.indexOf(', ', pos);
    if (comma < 0) return null;
    const eq = body.indexOf('=', pos);
    if (eq < 0 || eq > comma) return null;
    // The key is compared in place: `delay=`, `delays=`, `conn_use=` need no substring.
    if (eq - pos === 5 && body.startsWith('relay', pos)) {
      f.relayAt = eq + 1;
      f.relayEnd = comma;
    } else if (eq - pos === 5 && body.startsWith('delay', pos)) {
      f.delayAt = eq + 1;
      f.delayEnd = comma;
    } else if (eq - pos === 3 && body.startsWith('dsn', pos)) {
      f.dsnAt = eq + 1;
      f.dsnEnd = comma;
    }
    pos = comma + 2;
  }
  if (!body.startsWith('status=', pos)) return null;
  f.statusAt = pos + 7;
  return f;
}

/**
 * `<addr>, ` or `addr, ` at `at` into `f` (to or orig_to); returns where the following item
 * starts, or -1.
 */
function readAddress(body: string, at: number, f: FieldSpans, to: boolean): number {
  let start = at;
  let end: number;
  let next: number;
  if (body.charCodeAt(at) === 60 /* < */) {
    start = at + 1;
    end = body.indexOf('>, ', start);
    next = end + 3;
  } else {
    end = body.indexOf(', ', at);
    next = end + 2;
  }
  if (end < 0) return -1;
  placeAddress(f, to, start, end);
  return next;
}

/** Records where readAddress() (or its byte twin) found the recipient (`to`) or the original one. */
export function placeAddress(f: Pick<FieldSpans, 'toAt' | 'toEnd' | 'origAt' | 'origEnd'>, to: boolean, start: number, end: number): void {
  if (to) {
    f.toAt = start;
    f.toEnd = end;
  } else {
    f.origAt = start;
    f.origEnd = end;
  }
}

export interface RemoteReply {
  remoteHost: string | null;
  code: number | null;
  inReplyTo: string | null;
}

const IN_REPLY_SUFFIX = ' command)';

/**
 * From a delivery reason: `host mx.example.net[192.0.2.1] said: 550 5.1.1 … (in reply to
 * RCPT TO command)` or `host … refused to talk to me: 554 …`.
 */
export function parseRemoteReply(reason: string): RemoteReply {
  let remoteHost: string | null = null;
  let code: number | null = null;
  let inReplyTo: string | null = null;
  const h = reason.indexOf('host ');
  if (h >= 0) {
    const sp = reason.indexOf(' ', h + 5);
    if (sp > 0) {
      const after = reason.startsWith(' said: ', sp)
        ? sp + 7
        : reason.startsWith(' refused to talk to me: ', sp)
          ? sp + 24
          : -1;
      if (after > 0) {
        remoteHost = reason.slice(h + 5, sp);
        code = replyCodeAt(reason, after);
      }
    }
  }
  if (reason.endsWith(IN_REPLY_SUFFIX)) {
    const i = reason.lastIndexOf('(in reply to ');
    if (i >= 0) inReplyTo = reason.slice(i + 13, reason.length - IN_REPLY_SUFFIX.length);
  }
  return { remoteHost, code, inReplyTo };
}
