/**
 * triage() and queueIdEnd() of body.ts on the bytes of an ASCII line, for the reader thread
 * (see parsers/syslog-bytes.ts for why): the same answer for every message, read from bytes
 * [from, end) of `b` instead of a string. Positions are offsets into `b`.
 * test/parsers/syslog-bytes.test.ts checks both against each other on real and random lines.
 */
import type { IgnoreReason } from '../../src/event.js';
import type { SentSpans } from '../types.js';
import { HEALTH_OR_MARKER, SASL_FAILED, WARNING_REFUSALS } from './body.js';
import { AFTER_QUEUE_ID_EVENTS, byFirstChar } from './dispatch.js';
import { placeAddress } from './fields.js';
import { HEALTH_WARNINGS } from './health.js';
import { AFTER_QUEUE_ID, NO_QUEUE_ID, type PrefixRule } from './ignore.js';

/** The bytes of an ASCII string. */
export const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Does bytes [at, end) of `b` start with `p`? */
export function startsWith(b: Uint8Array, at: number, end: number, p: Uint8Array): boolean {
  if (at + p.length > end) return false;
  for (let i = 0; i < p.length; i++) if (b[at + i] !== p[i]) return false;
  return true;
}

/** A prefix table by first byte, in table order (as matchPrefix() of ignore.ts indexes it). */
type ByteRules = Map<number, ReadonlyArray<readonly [Uint8Array, IgnoreReason]>>;

function byFirstByte(rules: readonly PrefixRule[]): ByteRules {
  const index = new Map<number, Array<readonly [Uint8Array, IgnoreReason]>>();
  for (const [prefix, reason] of rules) {
    const c = prefix.charCodeAt(0);
    let list = index.get(c);
    if (list === undefined) index.set(c, (list = []));
    list.push([ascii(prefix), reason]);
  }
  return index;
}

function matchPrefix(rules: ByteRules, b: Uint8Array, at: number, end: number): IgnoreReason | null {
  const candidates = at < end ? rules.get(b[at]!) : undefined;
  if (candidates === undefined) return null;
  for (let i = 0; i < candidates.length; i++) if (startsWith(b, at, end, candidates[i]![0])) return candidates[i]![1];
  return null;
}

const AFTER = byFirstByte(AFTER_QUEUE_ID);
const NONE = byFirstByte(NO_QUEUE_ID);
/** The dispatch table's prefixes (dispatch.ts) by first byte: a message starting with one needs parse(). */
const EVENT_PREFIXES = byFirstChar(AFTER_QUEUE_ID_EVENTS, (e) => ascii(e.prefix));
const QUEUE_ID_PLACEHOLDER = ascii('<queue id>: ');
const NOQUEUE = ascii('NOQUEUE');
const FROM = ascii('from=<');
const CLIENT = ascii('client=');
const REMOVED = ascii('removed');
const PROXY_REJECT = ascii('proxy-reject: ');
const PROXY_ACCEPT = ascii('proxy-accept: ');
const WARNING = ascii('warning: ');
const WARNING_REFUSAL_BYTES = WARNING_REFUSALS.map(ascii);
const HEALTH_WARNING_BYTES = HEALTH_WARNINGS.map(ascii);
const HEALTH_OR_MARKER_BYTES = HEALTH_OR_MARKER.map(ascii);
const SASL = ascii('SASL');
const SASL_FAILED_BYTES = ascii(SASL_FAILED);
const AUTH_FAILED = ascii('authentication failed');

/** queueIdEnd(): where the message after `QUEUEID: ` starts, or 0. */
export function queueIdEndAscii(b: Uint8Array, from: number, end: number): number {
  let p = from;
  let hex = true;
  let b52 = true;
  for (const stop = Math.min(from + 25, end); p < stop; p++) {
    const c = b[p]!;
    if (c >= 48 && c <= 57) continue;
    if (c >= 65 && c <= 90) {
      if (c > 70) hex = false;
      if (c === 65 || c === 69 || c === 73 || c === 79 || c === 85) b52 = false;
      continue;
    }
    if (c >= 97 && c <= 122) {
      hex = false;
      if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) b52 = false;
      continue;
    }
    break;
  }
  if (p + 1 >= end || b[p] !== 58 /* : */ || b[p + 1] !== 32) {
    return p === from && startsWith(b, from, end, QUEUE_ID_PLACEHOLDER) ? from + 12 : 0;
  }
  const n = p - from;
  if ((hex && n >= 5 && n <= 24) || (b52 && n >= 10 && n <= 24) || (n === 7 && startsWith(b, from, end, NOQUEUE))) return p + 2;
  return 0;
}

/** After queueIdEndAscii() found `qEnd`: is the id NOQUEUE or the test drivers' `<queue id>`, no real one? */
function noQueueId(b: Uint8Array, from: number, end: number, qEnd: number): boolean {
  return (qEnd - from === 9 && startsWith(b, from, end, NOQUEUE)) || startsWith(b, from, end, QUEUE_ID_PLACEHOLDER);
}

/** Does `needle` occur in bytes [from, end) of `b`? */
function contains(b: Uint8Array, from: number, end: number, needle: Uint8Array): boolean {
  return Buffer.from(b.buffer, b.byteOffset + from, end - from).indexOf(needle) >= 0;
}

/** triage(): the reason the message in bytes [from, end) is ignored, or null when it needs parse(). */
export function triageAscii(b: Uint8Array, from: number, end: number): IgnoreReason | null {
  const qEnd = queueIdEndAscii(b, from, end);
  if (qEnd > 0) {
    const prefixes = qEnd < end ? EVENT_PREFIXES[b[qEnd]!] : undefined;
    if (prefixes !== undefined) for (let i = 0; i < prefixes.length; i++) if (startsWith(b, qEnd, end, prefixes[i]!)) return null;
    return matchPrefix(AFTER, b, qEnd, end);
  }
  if (startsWith(b, from, end, PROXY_REJECT) || startsWith(b, from, end, PROXY_ACCEPT)) return null;
  if (startsWith(b, from, end, WARNING)) {
    for (let i = 0; i < WARNING_REFUSAL_BYTES.length; i++) if (contains(b, from, end, WARNING_REFUSAL_BYTES[i]!)) return null;
    if (contains(b, from, end, SASL_FAILED_BYTES)) return null;
    for (let i = 0; i < HEALTH_WARNING_BYTES.length; i++) if (contains(b, from, end, HEALTH_WARNING_BYTES[i]!)) return null;
    return contains(b, from, end, SASL) || contains(b, from, end, AUTH_FAILED) ? 'auth' : 'warning';
  }
  for (let i = 0; i < HEALTH_OR_MARKER_BYTES.length; i++) if (startsWith(b, from, end, HEALTH_OR_MARKER_BYTES[i]!)) return null;
  return matchPrefix(NONE, b, from, end);
}

/** queueUpdateAscii(): a qmgr `from=<sender>, size=…` line (its sender in the field). */
export const QUEUE_FROM = 1;
/** queueUpdateAscii(): an smtpd `client=name[ip]:port` line (the peer text in the field). */
export const QUEUE_CLIENT = 2;
/** queueUpdateAscii(): a `removed` line (empty field). */
export const QUEUE_REMOVED = 3;

/** Where queueUpdateAscii() found the queue id and the field, as offsets into the bytes. */
export interface QueueSpans {
  queueAt: number;
  queueEnd: number;
  fieldAt: number;
  fieldEnd: number;
}

const SIZE = ascii('size=');

/** The first `needle` (2 or 3 bytes) in bytes [from, end), or -1. */
function find(b: Uint8Array, from: number, end: number, needle: Uint8Array): number {
  const n = needle.length;
  for (let i = from; i + n <= end; i++) if (b[i] === needle[0] && startsWith(b, i, end, needle)) return i;
  return -1;
}
const CLOSE_FROM = ascii('>, ');
const COMMA = ascii(', ');

/**
 * For a message triage() passed on (bytes [from, end)): when PostfixBody.parse() would do no
 * more with it than update the queue-id table — record a sender (`from=<s>, size=…`) or a client
 * (`client=…`), or forget the id (`removed`) — which of those (QUEUE_*) and where its queue id
 * and field are (in `out`); else 0. The reader thread passes only those bytes on, as it does
 * for sent deliveries: half of the lines it passes are these, and the main thread is the
 * busier one. Mirrors afterQueueId() of body.ts; a message with no real queue id (NOQUEUE) is 0.
 */
export function queueUpdateAscii(b: Uint8Array, from: number, end: number, out: QueueSpans): number {
  const qEnd = queueIdEndAscii(b, from, end);
  if (qEnd === 0 || noQueueId(b, from, end, qEnd)) return 0;
  out.queueAt = from;
  out.queueEnd = qEnd - 2;
  const c = qEnd < end ? b[qEnd]! : -1;
  if (c === 114 /* r */ && startsWith(b, qEnd, end, REMOVED) && (qEnd + 7 === end || b[qEnd + 7] === 32)) {
    out.fieldAt = out.fieldEnd = qEnd;
    return QUEUE_REMOVED;
  }
  if (c === 99 /* c */ && startsWith(b, qEnd, end, CLIENT)) {
    const comma = find(b, qEnd + 7, end, COMMA);
    out.fieldAt = qEnd + 7;
    out.fieldEnd = comma < 0 ? end : comma;
    return QUEUE_CLIENT;
  }
  if (c === 102 /* f */ && startsWith(b, qEnd, end, FROM)) {
    const close = find(b, qEnd + 6, end, CLOSE_FROM);
    if (close < 0 || !startsWith(b, close + 3, end, SIZE)) return 0;
    out.fieldAt = qEnd + 6;
    out.fieldEnd = close;
    return QUEUE_FROM;
  }
  return 0;
}

const TO = ascii('to=');
const ORIG_TO = ascii('orig_to=');
const STATUS = ascii('status=');
const SENT = ascii('sent');

/** Where the recipient fields sentDeliveryAscii() found are (absolute offsets into `b`). */
const fields = { toAt: 0, toEnd: 0, origAt: -1, origEnd: -1, delayAt: -1, delayEnd: -1 };
/** sentDeliveryAscii()'s answer: one object, filled on every call. */
const spans: SentSpans = { queueAt: 0, queueEnd: 0, toAt: 0, toEnd: 0, origAt: -1, origEnd: -1, delay: -1, here: false };

/**
 * sentDelivery() of body.ts on the ASCII line in bytes [start, end) of `b`, its message from
 * `start + from` on, without decoding it: the same spans (offsets from `start`), or null. The
 * reader thread reduces sent deliveries with it. Mirrors scanDeliveryFields() and readAddress()
 * of fields.ts; test/parsers/syslog-bytes.test.ts (random messages) and front.test.ts (every line
 * it reads) check that the two agree.
 */
export function sentDeliveryAscii(b: Uint8Array, start: number, end: number, from: number): Readonly<SentSpans> | null {
  const at = start + from;
  const qEnd = queueIdEndAscii(b, at, end);
  if (qEnd === 0 || !startsWith(b, qEnd, end, TO)) return null;
  const f = fields;
  let pos = readAddressAscii(b, qEnd + 3, end, true);
  if (pos < 0) return null;
  f.origAt = f.origEnd = -1;
  if (startsWith(b, pos, end, ORIG_TO)) {
    pos = readAddressAscii(b, pos + 8, end, false);
    if (pos < 0) return null;
  }
  f.delayAt = f.delayEnd = -1;
  // `key=value, ` items up to status=, which is always last; only delay= is kept. One pass per
  // item finds its `, ` and its first `=` (the line's bytes are read once, not twice).
  while (pos < end && !(b[pos] === 115 /* s */ && startsWith(b, pos, end, STATUS))) {
    let eq = -1;
    let comma = pos;
    for (; comma + 1 < end; comma++) {
      const c = b[comma]!;
      if (c === 44 /* , */ && b[comma + 1] === 32) break;
      if (c === 61 /* = */ && eq < 0) eq = comma;
    }
    if (comma + 1 >= end || eq < 0) return null;
    if (eq - pos === 5 && b[pos] === 100 && b[pos + 1] === 101 && b[pos + 2] === 108 && b[pos + 3] === 97 && b[pos + 4] === 121 /* delay */) {
      f.delayAt = eq + 1;
      f.delayEnd = comma;
    }
    pos = comma + 2;
  }
  if (!startsWith(b, pos, end, STATUS)) return null;
  const s = pos + 7;
  // parseDeliveryFields' status runs to the first ` (` after `status=`, or to the end.
  if (!startsWith(b, s, end, SENT) || (s + 4 !== end && !(b[s + 4] === 32 && b[s + 5] === 40 && s + 5 < end))) return null;
  const out = spans;
  out.queueAt = at - start;
  out.queueEnd = noQueueId(b, at, end, qEnd) ? -1 : qEnd - 2 - start;
  out.toAt = f.toAt - start;
  out.toEnd = f.toEnd - start;
  out.origAt = f.origAt < 0 ? -1 : f.origAt - start;
  out.origEnd = f.origAt < 0 ? -1 : f.origEnd - start;
  out.delay = delayAscii(b, f.delayAt, f.delayEnd);
  return out;
}

/** readAddress() of fields.ts: `<addr>, ` or `addr, ` at `at`; where the next item starts, or -1. */
function readAddressAscii(b: Uint8Array, at: number, end: number, to: boolean): number {
  let first = at;
  let last: number;
  let next: number;
  if (at < end && b[at] === 60 /* < */) {
    first = at + 1;
    last = first;
    while (last + 2 < end && !(b[last] === 62 /* > */ && b[last + 1] === 44 && b[last + 2] === 32)) last++;
    if (last + 2 >= end) last = -1;
    next = last + 3;
  } else {
    last = at;
    while (last + 1 < end && !(b[last] === 44 /* , */ && b[last + 1] === 32)) last++;
    if (last + 1 >= end) last = -1;
    next = last + 2;
  }
  if (last < 0) return -1;
  placeAddress(fields, to, first, last);
  return next;
}

/** delayOf() of fields.ts on bytes [at, end): seconds, or -1 for none. */
function delayAscii(b: Uint8Array, at: number, end: number): number {
  if (at < 0 || end <= at || end - at > 16) return -1;
  // `12` or `0.25`, as Postfix writes it: at most 15 digits are an exact integer, and dividing
  // it by an exact power of ten rounds once, as Number() does. Anything else goes to Number().
  let n = 0;
  let point = -1;
  let i = at;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c >= 48 && c <= 57) n = n * 10 + (c - 48);
    else if (c === 46 /* . */ && point < 0 && i > at) point = i;
    else break;
  }
  if (i === end && point !== end - 1 && end - at - (point < 0 ? 0 : 1) <= 15) return point < 0 ? n : n / 10 ** (end - point - 1);
  let text = '';
  for (let j = at; j < end; j++) text += String.fromCharCode(b[j]!);
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : -1;
}
