/**
 * The message part of a Postfix line, after the syslog envelope: rejects (smtpd, postscreen,
 * milters, cleanup header/body checks), delivery status lines of every agent, qmgr sender and
 * expiry lines, bounce notifications and `removed`. Texts follow Postfix 2.x–3.x
 * (smtpd_check.c log_whatsup, cleanup_message.c, global/log_adhoc.c, qmgr_active.c, bounce).
 * Non-event lines are listed with their reasons in ignore.ts.
 */
import type {
  AuthFailureEvent,
  DeliveryEvent,
  DeliveryStatus,
  IgnoreReason,
  MailEvent,
  NotificationEvent,
  Peer,
  ReceivedEvent,
  RejectEvent,
} from '../../src/event.js';
import { deliveryEvent, healthEvent, markerEvent } from '../../src/event-builders.js';
import { HEALTH_WARNINGS, postfixHealth, postfixMarker } from './health.js';
import { ignored, recognised, RECOGNISED_NO_EVENT, UNRECOGNISED, type LineContext, type LineResult, type SentSpans } from '../types.js';
import { QueueTable, type Deferral } from './correlate.js';
import { delayOf, parseDeliveryFields, parsePeer, parseRemoteReply, parseReply, parseTrailer, sentRecipient, type Reply, type Trailer } from './fields.js';
import { AFTER_QUEUE_ID, matchPrefix, NO_QUEUE_ID } from './ignore.js';
import { AFTER_QUEUE_ID_EVENTS, byFirstChar, type DispatchEntry } from './dispatch.js';

// Short ids are hex (`3F2A1B4C5D`); long ids (enable_long_queue_ids) use a vowel-free base-52
// alphabet (`44JCRG5tYPzCqt2`), so English words never look like one. `<queue id>` is what
// Postfix's test drivers print.
export const QUEUE_ID_RE = /^(?:[0-9A-F]{5,24}|[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,24}|NOQUEUE|<queue id>): /;
const STAGE_RE = /^[A-Z][A-Z-]{1,24}$/;

/**
 * QUEUE_ID_RE (on `body` from `from` on) without the regex: where the message after
 * `QUEUEID: ` starts, or 0. The token
 * before `: ` is the body's leading run of letters and digits (a queue id never holds anything
 * else), so one scan finds it and two more tell whether it is one.
 */
export function queueIdEnd(body: string, from = 0): number {
  let p = from;
  let hex = true; // every character so far in [0-9A-F]
  let b52 = true; // every character so far in the vowel-free alphabet
  for (const stop = from + 25; p < stop; p++) {
    const c = body.charCodeAt(p);
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
  if (body.charCodeAt(p) !== 58 /* : */ || body.charCodeAt(p + 1) !== 32) {
    return p === from && body.startsWith('<queue id>: ', from) ? from + 12 : 0;
  }
  const n = p - from;
  if ((hex && n >= 5 && n <= 24) || (b52 && n >= 10 && n <= 24) || (n === 7 && body.startsWith('NOQUEUE', from))) return p + 2;
  return 0;
}

/**
 * Refusals that Postfix records only in a `warning:` line (no `reject:` line follows): what the
 * client was told comes from the Postfix source (smtpd.c, cleanup_strerror.c). Each entry: the
 * text after `warning: ` (after the queue id for the first two), the stage, the reply.
 */
const SIZE_EXCEEDED = 'queue file size limit exceeded';
const HOPS_EXCEEDED = 'message rejected: hopcount exceeded';
const RCPT_RATE = 'Recipient address rate limit exceeded: ';
const MAIL_RATE = 'Message delivery request rate limit exceeded: ';
const CONN_RATE = 'Connection rate limit exceeded: ';
const CONN_COUNT = 'Connection concurrency limit exceeded: ';
/** Substrings that make a `warning:` line worth parsing (triage() and triageAscii() pass these on). */
export const WARNING_REFUSALS: readonly string[] = [SIZE_EXCEEDED, HOPS_EXCEEDED, RCPT_RATE, MAIL_RATE, CONN_RATE, CONN_COUNT];

/**
 * smtpd_sasl_glue.c: `warning: %s: SASL %s authentication failed: %s` (namaddr, mechanism,
 * the SASL library's reason), since Postfix 3.x with `, sasl_username=%s` when one was given.
 * The smtp client's `SASL authentication failed` to a relay host is not a client of ours: it
 * stays ignored ('auth').
 */
export const SASL_FAILED = ' authentication failed: ';
const SASL_AT = ': SASL ';
const SASL_USERNAME = ', sasl_username=';

const STATUS: Record<string, DeliveryStatus> = {
  sent: 'sent',
  bounced: 'bounced',
  deferred: 'deferred',
  expired: 'expired',
  SOFTBOUNCE: 'deferred', // soft_bounce = yes turns bounces into deferrals
};

/** The entries of the dispatch table (dispatch.ts) by first character, for parse(). */
const EVENTS_BY_CHAR = byFirstChar(AFTER_QUEUE_ID_EVENTS, (e) => e);
/** Their prefixes by first character, for triage(). */
const EVENT_PREFIXES_BY_CHAR = byFirstChar(AFTER_QUEUE_ID_EVENTS, (e) => e.prefix);

/**
 * Messages (without a queue id) that triage() must pass on although no ignore rule names them:
 * health lines (health.ts) and the master's start and reload lines (timeline markers).
 */
export const HEALTH_OR_MARKER: readonly string[] = ['error: ', 'fatal: ', 'panic: ', 'reload -- version ', 'daemon started -- version '];

/** The syslog pid of the line: the digits in `program[pid]:` of the raw line. */
function pidOf(ctx: LineContext): number | null {
  if (ctx.program === null) return null;
  const at = ctx.raw.indexOf(ctx.program + '[');
  if (at < 0) return null;
  let n = 0;
  let p = at + ctx.program.length + 1;
  for (const stop = p + 10; p < stop; p++) {
    const c = ctx.raw.charCodeAt(p);
    if (c < 48 || c > 57) break;
    n = n * 10 + c - 48;
  }
  return ctx.raw.charCodeAt(p) === 93 /* ] */ ? n : null;
}

/** A health event or timeline marker for a message without a queue id, or null. */
function healthResult(body: string, ctx: LineContext): LineResult | null {
  const h = postfixHealth(body);
  const common = { mta: 'postfix' as const, time: ctx.time, host: ctx.host, program: ctx.program, queueId: null, raw: ctx.raw, origin: { file: ctx.file, line: ctx.line } };
  if (h) return recognised(healthEvent({ ...common, severity: h.severity, problem: h.problem, subject: h.subject, pid: pidOf(ctx), text: h.text }));
  const m = postfixMarker(body);
  // Still counted as bookkeeping, as before markers were shown: the event rides along.
  if (m) return { status: 'ignored', reason: 'bookkeeping', events: [markerEvent({ ...common, marker: m.marker, version: m.version })] };
  return null;
}

/** Last path segment of a program name: `postfix-out/smtp` → `smtp`. */
export function daemonOf(program: string | null): string | null {
  if (!program) return null;
  const slash = program.lastIndexOf('/');
  return slash < 0 ? program : program.slice(slash + 1);
}

/**
 * Without any state: is the message (`text` from `from` on) one that PostfixBody.parse() would
 * ignore, and why? Returns
 * the reason, or null when the message needs parse() (an event, correlation state, or not
 * understood). It mirrors parse() branch by branch and errs only towards null, which is always
 * safe: a message that gets a reason here gets exactly `ignored(reason)` from parse() and
 * changes nothing in the queue table. The pipeline's reader thread uses it to count the many
 * session/TLS/postscreen lines without sending them to the main thread.
 */
export function triage(text: string, from = 0): IgnoreReason | null {
  const qEnd = queueIdEnd(text, from);
  if (qEnd > 0) {
    // A message the dispatch table takes needs parse(); so does any other until an ignore rule names it.
    const prefixes = EVENT_PREFIXES_BY_CHAR[text.charCodeAt(qEnd)];
    if (prefixes !== undefined) for (let i = 0; i < prefixes.length; i++) if (text.startsWith(prefixes[i]!, qEnd)) return null;
    return matchPrefix(AFTER_QUEUE_ID, text, qEnd);
  }
  if (text.startsWith('proxy-reject: ', from) || text.startsWith('proxy-accept: ', from)) return null;
  if (text.startsWith('warning: ', from)) {
    for (let i = 0; i < WARNING_REFUSALS.length; i++) if (text.indexOf(WARNING_REFUSALS[i]!, from) >= 0) return null;
    if (text.indexOf(SASL_FAILED, from) >= 0) return null;
    for (let i = 0; i < HEALTH_WARNINGS.length; i++) if (text.indexOf(HEALTH_WARNINGS[i]!, from) >= 0) return null;
    return text.indexOf('SASL', from) >= 0 || text.indexOf('authentication failed', from) >= 0 ? 'auth' : 'warning';
  }
  if (HEALTH_OR_MARKER.some((p) => text.startsWith(p, from))) return null;
  return matchPrefix(NO_QUEUE_ID, text, from);
}

/**
 * A shortcut for the pipeline: when the message (`text` from `from` on) is a delivery line that
 * PostfixBody.parse() turns into one `sent` delivery event and nothing else, where its queue id
 * and recipient are in `text` (valid until the next call); else null. parse() then only
 * settles that recipient of the queue id (PostfixMachine.sent() does the same), and a sent
 * delivery is counted, not classified. A third of a busy log's lines are these.
 */
export function sentDelivery(text: string, from = 0): Readonly<SentSpans> | null {
  const qEnd = queueIdEnd(text, from);
  if (qEnd === 0 || !text.startsWith('to=', qEnd)) return null;
  const f = sentRecipient(text, qEnd);
  if (f === null) return null;
  const id = sent;
  // NOQUEUE and the test drivers' `<queue id>` are no queue id.
  id.queueAt = from;
  id.queueEnd = text.startsWith('NOQUEUE: ', from) || text.startsWith('<queue id>: ', from) ? -1 : qEnd - 2;
  id.toAt = f.toAt;
  id.toEnd = f.toEnd;
  id.origAt = f.origAt;
  id.origEnd = f.origEnd;
  id.delay = delayOf(text, f) ?? -1;
  return id;
}

const sent: SentSpans = { queueAt: 0, queueEnd: 0, toAt: 0, toEnd: 0, origAt: -1, origEnd: -1, delay: -1, here: false };

/*
 * Events on the hot paths are written out as typed object literals rather than through the
 * factories with `{ ...common, … }`: V8 builds a literal with a spread property by property
 * (a dictionary-mode detour), which cost a fifth of the run time. The objects are the same.
 */
export class PostfixBody {
  readonly queue = new QueueTable();

  parse(body: string, ctx: LineContext): LineResult {
    const qEnd = queueIdEnd(body);
    if (qEnd > 0) {
      const token = body.slice(0, qEnd - 2);
      const queueId = token === 'NOQUEUE' || token === '<queue id>' ? null : token;
      return this.afterQueueId(body.slice(qEnd), queueId, ctx);
    }
    // Before-queue filter results appear without a queue id in some excerpts.
    if (body.startsWith('proxy-reject: ') || body.startsWith('proxy-accept: ')) return this.afterQueueId(body, null, ctx);
    if (body.startsWith('warning: ')) {
      const refusal = this.warningRefusal(body, ctx);
      if (refusal) return refusal;
      const failure = authFailure(body, ctx);
      if (failure) return recognised(failure);
      const health = healthResult(body, ctx);
      if (health) return health;
      return ignored(body.includes('SASL') || body.includes('authentication failed') ? 'auth' : 'warning');
    }
    const health = healthResult(body, ctx);
    if (health) return health;
    // An error, fatal or panic line that is not about the server (`fatal: usage: …`).
    if (body.startsWith('error: ') || body.startsWith('fatal: ') || body.startsWith('panic: ')) return ignored('warning');
    const reason = matchPrefix(NO_QUEUE_ID, body);
    return reason ? ignored(reason) : UNRECOGNISED;
  }

  private afterQueueId(rest: string, queueId: string | null, ctx: LineContext): LineResult {
    const entries = EVENTS_BY_CHAR[rest.charCodeAt(0)];
    if (entries !== undefined) {
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i]!;
        if (!rest.startsWith(entry.prefix)) continue;
        const r = this.dispatch(entry, rest, queueId, ctx);
        if (r !== null) return r;
      }
    }
    const reason = matchPrefix(AFTER_QUEUE_ID, rest);
    return reason ? ignored(reason) : UNRECOGNISED;
  }

  /** The handler of a dispatch entry whose prefix `rest` starts with; null: it declines the message. */
  private dispatch(entry: DispatchEntry, rest: string, queueId: string | null, ctx: LineContext): LineResult | null {
    switch (entry.handler) {
      case 'delivery':
        return this.delivery(rest, queueId, ctx);
      case 'qmgr-from':
        return this.qmgrFrom(rest, queueId, ctx);
      case 'client': {
        if (!queueId) return null;
        const end = rest.indexOf(', ');
        this.queue.setClient(queueId, parsePeer(rest.slice(7, end < 0 ? rest.length : end)));
        return RECOGNISED_NO_EVENT;
      }
      case 'removed':
        if (rest !== 'removed' && !rest.startsWith('removed ')) return null;
        if (queueId) this.queue.remove(queueId);
        return RECOGNISED_NO_EVENT;
      case 'reject':
        return this.reject(rest, entry.prefix.length, queueId, ctx);
      case 'pickup': {
        // pickup: `uid=1000 from=<user>` — mail submitted with sendmail(1)
        if (!queueId) return null;
        const f = rest.indexOf(' from=<');
        const e = f > 0 ? rest.indexOf('>', f + 7) : -1;
        if (e <= 0) return null;
        this.queue.setFrom(queueId, rest.slice(f + 7, e));
        return RECOGNISED_NO_EVENT;
      }
      case 'notice': {
        const [notice, recipient] = entry.notice!;
        const ev: NotificationEvent = {
          kind: 'notification',
          mta: 'postfix',
          time: ctx.time,
          host: ctx.host,
          program: ctx.program,
          queueId,
          raw: ctx.raw,
          origin: { file: ctx.file, line: ctx.line },
          notice,
          recipient,
          notificationQueueId: rest.slice(entry.prefix.length) || null,
        };
        return recognised(ev);
      }
    }
  }


  /**
   * A refusal that only a warning records, or null for any other warning:
   * `warning: QUEUEID: queue file size limit exceeded` (smtpd or cleanup: the data outgrew
   * message_size_limit without a SIZE declaration; 552 5.3.4), `warning: QUEUEID: message
   * rejected: hopcount exceeded` (cleanup, hopcount_limit; 554 5.4.0), and anvil's
   * `warning: Recipient address rate limit exceeded: N from host[ip] for service S` (450 4.7.1 at
   * RCPT), `warning: Message delivery request rate limit exceeded: …` (450 4.7.1 at MAIL) and
   * `warning: Connection rate|concurrency limit exceeded: …` (421 4.7.0 at CONNECT).
   * The warnings of one message count once, whichever daemons logged them.
   */
  private warningRefusal(body: string, ctx: LineContext): LineResult | null {
    const qEnd = queueIdEnd(body, 9);
    if (qEnd > 0) {
      const rest = body.slice(qEnd);
      const size = rest === SIZE_EXCEEDED;
      if (!size && rest !== HOPS_EXCEEDED) return null;
      const token = body.slice(9, qEnd - 2);
      const queueId = token === 'NOQUEUE' ? null : token;
      const entry = queueId ? this.queue.upsert(queueId) : undefined;
      if (entry?.refused) return RECOGNISED_NO_EVENT;
      if (entry) entry.refused = true;
      const daemon = daemonOf(ctx.program);
      const reply: Reply = size
        ? { code: 552, enhanced: '5.3.4', text: SIZE_EXCEEDED }
        : { code: 554, enhanced: '5.4.0', text: HOPS_EXCEEDED };
      const trailer: Trailer = { end: 0, from: entry?.from ?? null, to: null, proto: null, helo: null };
      return recognised(rejectOf(ctx, queueId, daemon === 'cleanup' ? 'cleanup' : 'smtpd', 'END-OF-MESSAGE', reply, trailer, entry?.client ?? null));
    }
    const rcpt = body.startsWith(RCPT_RATE, 9);
    const mail = !rcpt && body.startsWith(MAIL_RATE, 9);
    if (!rcpt && !mail && !body.startsWith(CONN_RATE, 9) && !body.startsWith(CONN_COUNT, 9)) return null;
    const fromAt = body.indexOf(' from ', 9);
    const forAt = body.lastIndexOf(' for service ');
    if (fromAt < 0 || forAt < fromAt) return null;
    const client = parsePeer(body.slice(fromAt + 6, forAt));
    const shown = client.ip ?? client.name ?? '';
    const reply: Reply = rcpt
      ? { code: 450, enhanced: '4.7.1', text: `Error: too many recipients from ${shown}` }
      : mail
        ? { code: 450, enhanced: '4.7.1', text: `Error: too much mail from ${shown}` }
        : { code: 421, enhanced: '4.7.0', text: `Error: too many connections from ${shown}` };
    const trailer: Trailer = { end: 0, from: null, to: null, proto: null, helo: null };
    return recognised(rejectOf(ctx, null, 'smtpd', rcpt ? 'RCPT' : mail ? 'MAIL' : 'CONNECT', reply, trailer, client));
  }

  /** The fields every event has (for the rare expiry lines; the hot paths spell them out). */
  private common(ctx: LineContext, queueId: string | null) {
    return {
      mta: 'postfix' as const,
      time: ctx.time,
      host: ctx.host,
      program: ctx.program,
      queueId,
      raw: ctx.raw,
      origin: { file: ctx.file, line: ctx.line },
    };
  }

  /**
   * `reject: RCPT from host[ip]: 550 5.1.1 <x>: Recipient address rejected: …; from=<s> to=<r> proto=ESMTP helo=<h>`
   * `milter-reject: END-OF-MESSAGE from host[ip]: 5.7.1 Spam message rejected; from=<…> …`
   * `reject: header Subject: … from host[ip]; from=<s> to=<r> proto=ESMTP helo=<h>: 5.7.1 text` (cleanup)
   * `proxy-reject: END-OF-MESSAGE: 554 text; from=<…> …` (before-queue content filter)
   */
  private reject(rest: string, at: number, queueId: string | null, ctx: LineContext): LineResult {
    const daemon = daemonOf(ctx.program);
    const milter = at === 15;
    if (rest.startsWith('header ', at) || rest.startsWith('body ', at)) {
      return this.contentReject(rest, at, queueId, ctx);
    }
    const fromAt = rest.indexOf(' from ', at);
    const colonAt = rest.indexOf(': ', at);
    let stage: string;
    let client: Peer | null = null;
    let replyAt: number;
    if (fromAt > 0 && (colonAt < 0 || fromAt < colonAt)) {
      stage = rest.slice(at, fromAt);
      const close = rest.indexOf(']', fromAt + 6);
      if (close < 0) return UNRECOGNISED;
      let peerEnd = close + 1;
      if (rest.charCodeAt(peerEnd) === 58 /* : */ && rest.charCodeAt(peerEnd + 1) !== 32) {
        const sp = rest.indexOf(': ', peerEnd + 1);
        if (sp < 0) return UNRECOGNISED;
        peerEnd = sp;
      }
      if (!rest.startsWith(': ', peerEnd)) return UNRECOGNISED;
      client = parsePeer(rest.slice(fromAt + 6, peerEnd));
      replyAt = peerEnd + 2;
    } else if (colonAt > 0) {
      stage = rest.slice(at, colonAt);
      replyAt = colonAt + 2;
    } else {
      return UNRECOGNISED;
    }
    if (!STAGE_RE.test(stage)) return UNRECOGNISED;
    const trailer = parseTrailer(rest, replyAt);
    const reply = parseReply(rest.slice(replyAt, trailer.end));
    const via: RejectEvent['via'] = milter
      ? 'milter'
      : daemon === 'postscreen' || (daemon === null && rest.startsWith('[', fromAt + 6))
        ? 'postscreen'
        : daemon === 'cleanup'
          ? 'cleanup'
          : 'smtpd';
    return recognised(rejectOf(ctx, queueId, via, stage, reply, trailer, client));
  }

  /** cleanup header_checks/body_checks REJECT: the reply comes last, after the trailer. */
  private contentReject(rest: string, at: number, queueId: string | null, ctx: LineContext): LineResult {
    const semi = rest.lastIndexOf('; from=<');
    const replySep = rest.lastIndexOf('>: ');
    if (semi < 0 || replySep < semi) return UNRECOGNISED;
    const stage = rest.startsWith('header ', at) ? 'header' : 'body';
    const fromAt = rest.lastIndexOf(' from ', semi);
    const client = fromAt > at ? parsePeer(rest.slice(fromAt + 6, semi)) : null;
    const trailer = parseTrailer(rest.slice(0, replySep + 1), semi);
    const reply = parseReply(rest.slice(replySep + 3));
    const shown = client && (client.ip !== null || client.name !== 'local') ? client : null;
    return recognised(rejectOf(ctx, queueId, 'cleanup', stage, reply, trailer, shown));
  }

  /** `to=<…>, [orig_to=<…>, ]relay=…, …, dsn=…, status=… (reason)` from any delivery agent. */
  private delivery(rest: string, queueId: string | null, ctx: LineContext): LineResult {
    const f = parseDeliveryFields(rest);
    if (!f) return UNRECOGNISED;
    const status = STATUS[f.status];
    if (!status) {
      // Address verification probes report deliverable/undeliverable, never a real delivery.
      // (`undeliverable-but-not-cached` when the verify cache is off).
      return f.status.startsWith('deliverable') || f.status.startsWith('undeliverable')
        ? ignored('address-probe')
        : UNRECOGNISED;
    }
    const agent = daemonOf(ctx.program);
    const relay = f.relay === null || f.relay === 'none' ? null : parsePeer(f.relay);
    const entry = queueId ? this.queue.get(queueId) : undefined;
    if (queueId) {
      if (status === 'deferred') {
        const d: Deferral = { to: f.to, origTo: f.origTo, agent, relay, dsn: f.dsn, reason: f.reason, raw: ctx.raw };
        this.queue.remember(queueId, d);
      } else {
        this.queue.settle(queueId, f.to);
      }
    }
    const remote = parseRemoteReply(f.reason);
    const ev: DeliveryEvent = {
      kind: 'delivery',
      mta: 'postfix',
      time: ctx.time,
      host: ctx.host,
      program: ctx.program,
      queueId,
      raw: ctx.raw,
      origin: { file: ctx.file, line: ctx.line },
      status,
      agent,
      router: null,
      to: f.to,
      origTo: f.origTo,
      relay,
      dsn: f.dsn,
      reason: f.reason,
      smtpCode: remote.code,
      remoteHost: remote.remoteHost,
      inReplyTo: remote.inReplyTo,
      from: entry?.from ?? null,
      client: entry?.client ?? null,
      delay: f.delay,
    };
    return recognised(ev);
  }

  /**
   * qmgr `from=<s>, size=123, nrcpt=2 (queue active)` records the sender;
   * `from=<s>, status=expired, returned to sender` ends every recipient still deferred.
   */
  private qmgrFrom(rest: string, queueId: string | null, ctx: LineContext): LineResult {
    const end = rest.indexOf('>, ', 6);
    if (end < 0) return UNRECOGNISED;
    const from = rest.slice(6, end);
    const tail = rest.slice(end + 3);
    if (tail.startsWith('size=')) {
      // qmgr logs this each time the message enters the active queue (again after each
      // deferral): the first time for its queue id is its arrival.
      if (!queueId || !this.queue.arrive(queueId, from)) return RECOGNISED_NO_EVENT;
      const entry = this.queue.get(queueId);
      const ev: ReceivedEvent = {
        kind: 'received',
        mta: 'postfix',
        time: ctx.time,
        host: ctx.host,
        program: ctx.program,
        queueId,
        raw: ctx.raw,
        origin: { file: ctx.file, line: ctx.line },
        from,
        size: numberAfter(tail, 'size='),
        nrcpt: numberAfter(tail, 'nrcpt='),
        client: entry?.client ?? null,
      };
      return recognised(ev);
    }
    if (!tail.startsWith('status=expired')) return UNRECOGNISED;
    const entry = queueId ? this.queue.get(queueId) : undefined;
    const client = entry?.client ?? null;
    const events: MailEvent[] = [];
    const base = { ...this.common(ctx, queueId), status: 'expired' as const, from, client };
    for (const d of entry?.deferred?.values() ?? []) {
      const remote = parseRemoteReply(d.reason);
      events.push(
        deliveryEvent({
          ...base,
          agent: d.agent,
          router: null,
          to: d.to,
          origTo: d.origTo,
          relay: d.relay,
          dsn: d.dsn,
          reason: d.reason,
          smtpCode: remote.code,
          remoteHost: remote.remoteHost,
          inReplyTo: remote.inReplyTo,
          delay: null,
        }),
      );
    }
    if (entry?.deferred) entry.deferred.clear();
    if (events.length === 0) {
      // The deferrals happened before this log began: the recipients are unknown.
      events.push(
        deliveryEvent({
          ...base,
          agent: daemonOf(ctx.program),
          router: null,
          to: null,
          origTo: null,
          relay: null,
          dsn: null,
          reason: tail.slice(tail.indexOf(', ') + 2) || 'returned to sender',
          smtpCode: null,
          remoteHost: null,
          inReplyTo: null,
          delay: null,
        }),
      );
    }
    return recognised(...events);
  }
}

/** A reject event from its parts; an object literal of one shape, for V8's sake (no spread). */
function rejectOf(
  ctx: LineContext,
  queueId: string | null,
  via: RejectEvent['via'],
  stage: string,
  reply: Reply,
  trailer: Trailer,
  client: Peer | null,
): RejectEvent {
  return {
    kind: 'reject',
    mta: 'postfix',
    time: ctx.time,
    host: ctx.host,
    program: ctx.program,
    queueId,
    raw: ctx.raw,
    origin: { file: ctx.file, line: ctx.line },
    via,
    stage,
    smtpCode: reply.code,
    enhancedStatus: reply.enhanced,
    text: reply.text,
    client,
    from: trailer.from,
    to: trailer.to,
    helo: trailer.helo,
    proto: trailer.proto,
  };
}

/** The digits after `key` in `text` (`size=1234, nrcpt=2 (queue active)`), or null. */
function numberAfter(text: string, key: string): number | null {
  const at = text.indexOf(key);
  if (at < 0) return null;
  let end = at + key.length;
  while (end < text.length && end - at < 20 && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  return end > at + key.length ? Number(text.slice(at + key.length, end)) : null;
}

/**
 * `warning: host[ip]: SASL LOGIN authentication failed: reason[, sasl_username=user]`
 * (`body` starts at `warning: `), or null for any other warning.
 */
function authFailure(body: string, ctx: LineContext): AuthFailureEvent | null {
  const sasl = body.indexOf(SASL_AT, 9);
  if (sasl < 0) return null;
  const failed = body.indexOf(SASL_FAILED, sasl + SASL_AT.length);
  if (failed < 0) return null;
  const mechanism = body.slice(sasl + SASL_AT.length, failed);
  if (mechanism.length === 0 || mechanism.length > 100 || mechanism.includes(' ')) return null;
  const client = parsePeer(body.slice(9, sasl));
  let text = body.slice(failed + SASL_FAILED.length);
  let username: string | null = null;
  const u = text.lastIndexOf(SASL_USERNAME);
  if (u >= 0) {
    username = text.slice(u + SASL_USERNAME.length);
    text = text.slice(0, u);
  }
  return {
    kind: 'auth-failure',
    mta: 'postfix',
    time: ctx.time,
    host: ctx.host,
    program: ctx.program,
    queueId: null,
    raw: ctx.raw,
    origin: { file: ctx.file, line: ctx.line },
    client,
    mechanism,
    username,
    text,
  };
}
