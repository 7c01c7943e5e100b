/**
 * Exim's flagged message lines (spec "Log line flags"; deliver.c delivery_log, deferral_log,
 * failure_log, 4.8x–4.99):
 *
 *   <=  arrival        `<= sender [H=…] [U=…] P=… S=… [id=…] [R=<parent id> for bounces] [for …]`
 *   (=  fakereject     as `<=`
 *   =>  delivery       `=> addr [(parent)] [<original>] [F=<s>] [P=<rp>] R=router T=transport [H=…] [X=…] [C="…"] …`
 *   ->  extra address in the same delivery; `>>` cutthrough delivery → both 'sent'
 *   **  failed         `** addr [<original>] [R=… T=… H=…] : reason` (4.99+) or `…: reason` (earlier)
 *   ==  deferred       `== addr [<original>] [R=…] (T=…|R=…|routing) defer (errno)[: strerror][ H=…][: reason]`
 *   *>  suppressed by -N: ignored (bookkeeping), nothing was delivered or refused.
 *
 * `** addr: retry timeout exceeded` (retry.c, right after the `==` that went past the retry
 * rule's cutoff) is the end of that deferral: status `expired`, with the deferral's reason,
 * transport and host (AddressNotes), so it is the same failure rather than a second kind. A
 * pipe transport's `<addr>: t transport output: text` line before the outcome adds `; transport
 * output: text` to its reason.
 *
 * `to` is the address delivered to (after aliasing/forwarding, a local part for log_as_local
 * routers), `origTo` the original recipient in `<…>`. The remote reply inside a reason
 * (`SMTP error from remote mail server after RCPT TO:<…>: 550 5.1.1 …`) gives smtpCode, dsn and
 * inReplyTo; older Exim put the host there too (`…: host mx.y [192.0.2.1]: 554 …`).
 */
import type { DeliveryEvent, DeliveryStatus, NotificationEvent, Peer, ReceivedEvent } from '../../src/event.js';
import { ignored, recognised, RECOGNISED_NO_EVENT, UNRECOGNISED, type LineContext, type LineResult } from '../types.js';
import { flatCopy, flatCopyPeer } from '../../src/text/flat-copy.js';
import type { AddressNotes, Deferral, MessageTable } from './correlate.js';
import { boundedIndexOf, Fields, isAlnum, leadingReply, peerOf, remoteError, scanFields, tokenEnd, unangle, type HostField } from './fields.js';

/** Length of an Exim message id at `at` (16 classic `1rXyZa-000Abc-9Q`, 23 for 4.97+), or 0. */
export function messageIdLength(s: string, at: number): number {
  // Plain functions, not closures: this runs several times a line, and closures made on each
  // call were its garbage.
  if (!alnumRun(s, at, 6) || s.charCodeAt(at + 6) !== 45) return 0;
  if (s.charCodeAt(at + 13) === 45 && alnumRun(s, at + 7, 6) && alnumRun(s, at + 14, 2) && idEnds(s, at + 16)) return 16;
  if (s.charCodeAt(at + 18) === 45 && alnumRun(s, at + 7, 11) && alnumRun(s, at + 19, 4) && idEnds(s, at + 23)) return 23;
  return 0;
}

/** Are the `n` characters of `s` from `from` ASCII letters and digits? */
function alnumRun(s: string, from: number, n: number): boolean {
  for (let i = from; i < from + n; i++) if (!isAlnum(s.charCodeAt(i))) return false;
  return true;
}

/** Does a message id end at `i` of `s` (the text's end or a space)? */
function idEnds(s: string, i: number): boolean {
  return i === s.length || s.charCodeAt(i) === 32;
}

/** `<=` / `(=`: records sender and client; a locally generated bounce becomes a notification. */
export function arrival(rest: string, id: string, ctx: LineContext, table: MessageTable): LineResult {
  const te = tokenEnd(rest, 0);
  if (te === 0) return UNRECOGNISED;
  const sender = rest.slice(0, te);
  const from = sender === '<>' ? '' : sender;
  const scan = scanFields(rest, te + 1, true);
  const client = peerOf(scan.host);
  if (!table.arrive(id, from, client)) return RECOGNISED_NO_EVENT;
  const size = scan.fields.S;
  const received: ReceivedEvent = {
    kind: 'received',
    mta: 'exim',
    time: ctx.time,
    host: ctx.host,
    program: ctx.program,
    queueId: id,
    raw: ctx.raw,
    origin: { file: ctx.file, line: ctx.line },
    from,
    size: size !== undefined && /^\d{1,15}$/.test(size) ? Number(size) : null,
    nrcpt: recipientsAfterFor(rest),
    client,
  };
  const parent = scan.fields.R;
  if (from === '' && parent !== undefined && messageIdLength(parent, 0) === parent.length) {
    const ev: NotificationEvent = {
      kind: 'notification',
      mta: 'exim',
      time: ctx.time,
      host: ctx.host,
      program: ctx.program,
      queueId: parent,
      raw: ctx.raw,
      origin: { file: ctx.file, line: ctx.line },
      notice: 'non-delivery',
      recipient: 'sender',
      notificationQueueId: id,
    };
    return recognised(received, ev);
  }
  return recognised(received);
}

/**
 * The recipients of an arrival's closing `for a@x b@y` (log_selector +received_recipients), or
 * null. The list is the line's last item and addresses hold no space.
 */
function recipientsAfterFor(rest: string): number | null {
  const f = rest.lastIndexOf(' for ');
  if (f < 0 || f + 5 >= rest.length || rest.indexOf('"', f) >= 0) return null;
  let n = 0;
  for (let i = f + 5; i < rest.length; i++) if (rest.charCodeAt(i) !== 32 && rest.charCodeAt(i - 1) === 32) n++;
  return n;
}

interface Addresses {
  to: string;
  origTo: string | null;
  /** Where origTo starts in the text read (-1: none). */
  origAt: number;
  /** Index after the address items. */
  end: number;
  /** Start of the reason when a `:` ended the address items (`** a@b: Unrouteable address`). */
  reasonAt: number;
}

function colonAt(s: string, i: number): boolean {
  return s.charCodeAt(i) === 58 && (i + 1 === s.length || s.charCodeAt(i + 1) === 32);
}

/** `addr[ (parent)][ <original>]`, any of them possibly followed by `:` and the reason. */
export function readAddresses(rest: string): Addresses | null {
  const te = tokenEnd(rest, 0);
  if (te === 0) return null;
  if (colonAt(rest, te - 1) && te > 1) return { to: rest.slice(0, te - 1), origTo: null, origAt: -1, end: te - 1, reasonAt: Math.min(te + 1, rest.length) };
  const to = rest.slice(0, te);
  let pos = te;
  let origTo: string | null = null;
  let origAt = -1;
  if (rest.startsWith(' (', pos)) {
    const close = boundedIndexOf(rest, ')', pos + 2, 1024);
    if (close > 0) {
      pos = close + 1;
      if (colonAt(rest, pos)) return { to, origTo, origAt, end: pos, reasonAt: Math.min(pos + 2, rest.length) };
    }
  }
  if (rest.startsWith(' <', pos)) {
    const close = boundedIndexOf(rest, '>', pos + 2, 1024);
    if (close > 0) {
      origAt = pos + 2;
      origTo = rest.slice(origAt, close);
      pos = close + 1;
      if (colonAt(rest, pos)) return { to, origTo, origAt, end: pos, reasonAt: Math.min(pos + 2, rest.length) };
    }
  }
  return { to, origTo, origAt, end: pos, reasonAt: -1 };
}

/** A failure reason may end with ` DT=1.2s` (log_selector +deliver_time, written after the message). */
function stripDeliverTime(reason: string): string {
  const i = reason.lastIndexOf(' DT=');
  if (i < 0) return reason;
  for (let k = i + 4; k < reason.length; k++) {
    const c = reason.charCodeAt(k);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 46)) return reason;
  }
  return i + 4 < reason.length ? reason.slice(0, i) : reason;
}

/** `(-44)`, `(110)`, and the test suite's munged `(dd)`: Exim's errno for the deferral. */
function readErrno(rest: string, at: number): { errno: number | null; end: number } | null {
  const close = boundedIndexOf(rest, ')', at, 8);
  if (close < 0) return null;
  const t = rest.slice(at, close);
  const n = /^-?\d{1,6}$/.test(t) ? Number(t) : null;
  return { errno: n, end: close + 1 };
}

/** Longest transport output kept (the first line of what the command printed). */
const MAX_OUTPUT = 1024;
const OUTPUT_MARK = ' transport output: ';
const RETRY_TIMEOUT = 'retry timeout exceeded';

/**
 * `<addr>: <t> transport output: <text>` (deliver.c, log_output and friends): noted for the
 * outcome line of the address. False if `rest` is not that line.
 */
export function transportOutput(rest: string, id: string, notes: AddressNotes): boolean {
  if (rest.charCodeAt(0) !== 60 /* < */) return false;
  const close = boundedIndexOf(rest, '>: ', 1, 1024);
  if (close < 0) return false;
  const mark = boundedIndexOf(rest, OUTPUT_MARK, close + 3, 80);
  if (mark < 0 || rest.slice(close + 3, mark).includes(' ')) return false;
  notes.outputs.set(flatCopy(`${id} ${rest.slice(1, close)}`), flatCopy(rest.slice(mark + OUTPUT_MARK.length, mark + OUTPUT_MARK.length + MAX_OUTPUT)));
  return true;
}

export function delivery(flag: string, rest: string, id: string, ctx: LineContext, table: MessageTable, notes: AddressNotes): LineResult {
  if (flag === '*>') return ignored('bookkeeping');
  const a = readAddresses(rest);
  if (!a) return UNRECOGNISED;
  const noteKey = flag === '=>' || flag === '->' || flag === '>>' || flag === '**' || flag === '==' ? `${id} ${a.to}` : null;
  if (flag === '**' && a.reasonAt >= 0 && rest.startsWith(RETRY_TIMEOUT, a.reasonAt) && rest.length - a.reasonAt <= RETRY_TIMEOUT.length + 1) {
    return expiry(a, id, ctx, table, notes, noteKey!);
  }
  let status: DeliveryStatus;
  let fields = new Fields();
  let host: HostField | null = null;
  let reason: string;
  if (flag === '=>' || flag === '->' || flag === '>>') {
    status = 'sent';
    const s = scanFields(rest, a.end + 1, true);
    fields = s.fields;
    host = s.host;
    reason = s.fields.C ?? '';
  } else if (flag === '**') {
    status = 'bounced';
    if (a.reasonAt >= 0) {
      reason = rest.slice(a.reasonAt);
    } else {
      const s = scanFields(rest, a.end + 1);
      fields = s.fields;
      host = s.host;
      reason = s.reasonAt >= 0 ? rest.slice(s.reasonAt) : rest.slice(s.end);
    }
    reason = stripDeliverTime(reason);
  } else {
    status = 'deferred';
    const d = deferral(rest, a);
    if (!d) return UNRECOGNISED;
    ({ fields, host, reason } = d);
  }
  if (noteKey !== null) {
    const output = notes.outputs.get(noteKey);
    if (output !== undefined) {
      notes.outputs.delete(noteKey);
      if (status !== 'sent') reason = reason === '' ? `transport output: ${output}` : `${reason}; transport output: ${output}`;
    }
  }
  const entry = table.get(id);
  let relay: Peer | null = peerOf(host);
  let smtpCode: number | null = null;
  let dsn: string | null = null;
  let remoteHost: string | null = null;
  let inReplyTo: string | null = null;
  if (status === 'sent') {
    const r = leadingReply(reason);
    smtpCode = r.code;
    dsn = r.enhanced;
  } else {
    const r = remoteError(reason);
    smtpCode = r.code;
    dsn = r.enhanced;
    inReplyTo = r.inReplyTo;
    if (r.remoteHost !== null || r.remoteIp !== null) {
      remoteHost = r.remoteHost ?? r.remoteIp;
      relay ??= { name: r.remoteHost, ip: r.remoteIp, port: null };
    } else if (r.inReplyTo !== null && relay !== null) {
      remoteHost = relay.name ?? relay.ip;
    }
  }
  const outcome: Deferral = { reason, agent: fields.T ?? null, router: fields.R ?? null, relay, dsn, smtpCode, remoteHost, inReplyTo };
  if (noteKey !== null) {
    if (status === 'deferred') {
      const kept: Deferral = {
        reason: flatCopy(reason),
        agent: flatCopy(outcome.agent),
        router: flatCopy(outcome.router),
        relay: flatCopyPeer(relay),
        dsn: flatCopy(dsn),
        smtpCode,
        remoteHost: flatCopy(remoteHost),
        inReplyTo: flatCopy(inReplyTo),
      };
      notes.deferrals.set(flatCopy(noteKey), kept);
    } else {
      notes.deferrals.delete(noteKey);
    }
  }
  const from = fields.F !== undefined ? unangle(fields.F) : (entry?.from ?? null);
  return recognised(eventOf(ctx, id, status, a, outcome, from, entry?.client ?? null, fields.QT !== undefined ? eximDuration(fields.QT) : null));
}

// `QT=` (log_selector +queue_time) in Exim's time format (readconf_printtime): `2s`, `1m23s`,
// `1d2h3m4s`, `3w`, and with +millisec a fraction of seconds (`0.123s`). No other text matches.
const DURATION_RE = /^(?:\d{1,6}w)?(?:\d{1,6}d)?(?:\d{1,6}h)?(?:\d{1,6}m)?(?:\d{1,9}(?:\.\d{1,6})?s)?$/;
const UNIT: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/** An Exim duration in seconds, or null when `text` is not one. */
export function eximDuration(text: string): number | null {
  if (text.length === 0 || text.length > 48 || !DURATION_RE.test(text)) return null;
  let total = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = UNIT[text[i]!];
    if (unit === undefined) continue;
    total += Number(text.slice(start, i)) * unit;
    start = i + 1;
  }
  return Math.round(total * 1000) / 1000;
}

/** The event: one object literal of one shape (an object spread would give V8 a dictionary-mode object). */
function eventOf(ctx: LineContext, id: string, status: DeliveryStatus, a: Addresses, o: Deferral, from: string | null, client: Peer | null, delay: number | null): DeliveryEvent {
  return {
    kind: 'delivery',
    mta: 'exim',
    time: ctx.time,
    host: ctx.host,
    program: ctx.program,
    queueId: id,
    raw: ctx.raw,
    origin: { file: ctx.file, line: ctx.line },
    status,
    agent: o.agent,
    router: o.router,
    to: a.to,
    origTo: a.origTo,
    relay: o.relay,
    dsn: o.dsn,
    reason: o.reason,
    smtpCode: o.smtpCode,
    remoteHost: o.remoteHost,
    inReplyTo: o.inReplyTo,
    from,
    client,
    delay,
  };
}

/** The part of a `==` line after the addresses. */
function deferral(rest: string, a: Addresses): { fields: Fields; host: HostField | null; reason: string } | null {
  if (a.reasonAt >= 0) return null;
  const s = scanFields(rest, a.end + 1);
  let p = s.end;
  if (rest.startsWith('routing ', p)) p += 8;
  if (!rest.startsWith('defer (', p)) return null;
  const e = readErrno(rest, p + 7);
  if (!e) return null;
  p = e.end;
  const fields = s.fields;
  if (p >= rest.length) return { fields, host: null, reason: '' };
  if (rest.startsWith(': ', p)) {
    const r = p + 2;
    if (e.errno !== null && e.errno > 0) {
      // `defer (111): Connection refused H=mx [ip]: message` — strerror, then the host, then Exim's text.
      const h = boundedIndexOf(rest, ' H=', r, 120);
      if (h > 0 && !rest.slice(r, h).includes(': ')) {
        const s2 = scanFields(rest, h + 1);
        const tail = s2.reasonAt >= 0 ? `: ${rest.slice(s2.reasonAt)}` : '';
        return { fields: Fields.over(fields, s2.fields), host: s2.host, reason: rest.slice(r, h) + tail };
      }
    }
    return { fields, host: null, reason: rest.slice(r) };
  }
  if (rest.charCodeAt(p) === 32) {
    const s2 = scanFields(rest, p + 1);
    return {
      fields: Fields.over(fields, s2.fields),
      host: s2.host,
      reason: s2.reasonAt >= 0 ? rest.slice(s2.reasonAt) : rest.slice(s2.end),
    };
  }
  return { fields, host: null, reason: rest.slice(p) };
}

/** `** addr: retry timeout exceeded`: the end of the address's last deferral (see the header). */
function expiry(a: Addresses, id: string, ctx: LineContext, table: MessageTable, notes: AddressNotes, noteKey: string): LineResult {
  const d = notes.deferrals.get(noteKey);
  if (d !== undefined) notes.deferrals.delete(noteKey);
  const o: Deferral = d ?? { reason: '', agent: null, router: null, relay: null, dsn: null, smtpCode: null, remoteHost: null, inReplyTo: null };
  const entry = table.get(id);
  const reason = o.reason === '' ? RETRY_TIMEOUT : `${o.reason}: ${RETRY_TIMEOUT}`;
  return recognised(eventOf(ctx, id, 'expired', a, { ...o, reason }, entry?.from ?? null, entry?.client ?? null, null));
}
