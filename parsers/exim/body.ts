/**
 * The Exim text after the stamp (envelope.ts): a message line (`<id> <= …`, `<id> ** …`,
 * `<id> Completed`, `<id> H=… rejected after DATA`, …) or a line without a message id (SMTP-time
 * rejections, connection and daemon chatter). Dispatches to delivery.ts (flagged lines),
 * reject.ts (refusals) and ignore.ts (known non-events); anything else is unrecognised.
 *
 * Each rejection counts once (log.c writes it to the main and the reject log):
 *  - Exim's own files: the copy of a rejection already counted from the other of mainlog and
 *    rejectlog (same time and text, another input; correlate.ts RejectSignatures) is ignored as
 *    `bookkeeping`.
 *  - syslog: both copies arrive in one stream, the reject copy right after the main one from the
 *    same process (`syslog_duplication`, on by default); a line of that process repeating the
 *    entry just read is that copy (`bookkeeping`). Lines are told apart per `stream` (host,
 *    program and pid).
 * A rejection of a message (after DATA, message_size_limit while reading, local_scan) names no
 * recipient; its rejectlog entry lists them (log_selector rejected_header, on by default) on the
 * lines that follow: `Envelope-to: <r>` and up to four `    <r>`. Such an entry is held and
 * counted once per recipient listed (dumpLine()). A copy without that list (the mainlog's) waits
 * for its rejectlog copy until the end of the run (Exim's own files, when the run reads more
 * than one: the rejectlog may be read after the mainlog) or until its stream writes its next line
 * (syslog, or a run of one input), then counts once with no recipient.
 */
import type { AuthFailureEvent, IgnoreReason, RejectEvent } from '../../src/event.js';
import type { MailEvent } from '../../src/event.js';
import { flatCopy, ownCopy } from '../../src/text/flat-copy.js';
import { CappedMap } from '../capped-map.js';
import { ignored, recognised, RECOGNISED_NO_EVENT, UNRECOGNISED, withEvents, type LineContext, type LineResult } from '../types.js';
import { AddressNotes, MessageTable, RejectSignatures } from './correlate.js';
import { arrival, delivery, messageIdLength, transportOutput } from './delivery.js';
import { peerOf, readHost, scanFields } from './fields.js';
import { eximHealth, eximMarker, eximPid } from './health.js';
import { healthEvent, markerEvent } from '../../src/event-builders.js';
import { isAuthFailure, matchPrefix, MESSAGE_RULES, PLAIN_RULES, protocolErrorReason } from './ignore.js';
import { fieldReject, otherReject } from './reject.js';

/** Flags of message lines (spec "Log line flags"), each followed by a space. */
const FLAGS = new Set(['<=', '(=', '=>', '->', '>>', '*>', '**', '==']);

/** The stream of Exim's own log files (one writer's lines, in order). */
export const FILE_STREAM = '';

/**
 * Rejections whose copy without recipients waits for its rejectlog copy (Exim's own files), and
 * streams with an entry open (syslog: a few per busy process). Past the caps the oldest is let go
 * (counted): a held rejection then counts without recipients.
 */
export const MAX_HELD_REJECTS = 10_000;
export const MAX_OPEN_STREAMS = 1_024;

/** The last rejection a stream wrote, while its copy or its recipient list may follow. */
interface Open {
  /** The entry's text (after the stamp), to know its syslog copy. */
  text: string;
  sig: string;
  /** The rejection of a message, until its recipients are read; null when already counted. */
  held: RejectEvent | null;
  recipients: number;
  /** Syslog: the reject copy has been read. */
  sawCopy: boolean;
  /** Exim's own files: the recipient list was read (count it once more at most: none). */
  stream: string;
}

export class EximBody {
  readonly messages = new MessageTable();
  /** Signatures of the rejections read, for their copies in another input; null until needed. */
  private signatures: RejectSignatures | null = null;
  /** The run reads one input: no rejection can be a copy from another (ParseContext.alone). */
  private alone = false;
  readonly notes = new AddressNotes();
  /** Number of the input being read (LineMachine.begin counts them), for duplicate detection. */
  input = 0;
  heldEvicted = 0;
  openEvicted = 0;
  private readonly open: CappedMap<Open>;
  private readonly held: CappedMap<RejectEvent>;
  /** Events let go by a cap, handed out with the next line's result. */
  private out: MailEvent[] = [];

  constructor() {
    this.open = new CappedMap<Open>(MAX_OPEN_STREAMS, (_k, o) => {
      this.openEvicted++;
      this.close(o);
    });
    this.held = new CappedMap<RejectEvent>(MAX_HELD_REJECTS, (_k, ev) => {
      this.heldEvicted++;
      this.out.push(ev);
    });
  }

  /** A new input begins: its lines are no header dump of the last input's entry. */
  beginInput(alone = false): void {
    this.input++;
    this.alone = alone;
    const o = this.open.get(FILE_STREAM);
    if (o !== undefined) {
      this.open.delete(FILE_STREAM);
      this.close(o);
    }
  }

  /**
   * What parse() does first for an entry line of Exim's own files: the entry before it is over
   * (for the fast path's shortcuts, which settle such a line without parse()). Events that a cap
   * lets go come with the next line's result.
   */
  closeFileEntry(): void {
    const prior = this.open.get(FILE_STREAM);
    if (prior !== undefined) {
      this.open.delete(FILE_STREAM);
      this.close(prior);
    }
  }

  /** What parse() does with `<id> Completed`, for the fast path (after closeFileEntry()). */
  completed(id: string): void {
    this.messages.complete(id);
  }

  /**
   * What parse() does with a plain arrival (EXIM_ARRIVAL: sender `from`, `fields` the text after
   * it), for the fast path (after closeFileEntry()); true when it would give a received event.
   * The strings are FrontMachine.update()'s, of their own: kept without copies.
   */
  arrived(id: string, from: string, fields: string): boolean {
    return this.messages.arriveWithFields(id, from, fields, true);
  }

  /** What a sent delivery's line does to the state, for the fast path (after closeFileEntry()). */
  sent(id: string, to: string): void {
    const notes = this.notes;
    if (notes.outputs.size === 0 && notes.deferrals.size === 0) return;
    const key = `${id} ${to}`;
    // Each delete hashes the key: none where a table is empty (transport outputs mostly are).
    if (notes.outputs.size > 0) notes.outputs.delete(key);
    if (notes.deferrals.size > 0) notes.deferrals.delete(key);
  }

  /** An entry line (not a rejectlog header line) of `stream`. */
  parse(text: string, ctx: LineContext, stream: string = FILE_STREAM): LineResult {
    const prior = this.open.get(stream);
    if (prior !== undefined) {
      // syslog: the reject copy of the entry this process just wrote.
      if (stream !== FILE_STREAM && !prior.sawCopy && text === prior.text) {
        prior.sawCopy = true;
        return this.drain(ignored('bookkeeping'));
      }
      this.open.delete(stream);
      this.close(prior);
    }
    const idLen = messageIdLength(text, 0);
    const r = idLen > 0 ? this.message(text, idLen, ctx, stream) : this.other(text, text, null, ctx, stream);
    return this.drain(withEmbeddedHealth(r, text, ctx));
  }

  /**
   * A header line of a rejectlog entry (dump.ts): `Envelope-to: <r>` and `    <r>` give the
   * recipients of the rejection held open in `stream`, one event each; the rest is `header`.
   */
  dumpLine(text: string, stream: string = FILE_STREAM): LineResult {
    const o = this.open.get(stream);
    if (o?.held) {
      const start = text.startsWith('Envelope-to: <') ? 14 : text.startsWith('    <') ? 5 : -1;
      const end = start < 0 ? -1 : text.indexOf('>', start);
      if (end > start && end === text.length - 1) {
        o.recipients++;
        const to = text.slice(start, end);
        // The line stays a header line (as counted before); it only carries the event.
        return this.drain(withEvents(ignored('header'), [{ ...o.held, to: to === '' ? null : to }]));
      }
    }
    return this.drain(ignored('header'));
  }

  /** Held rejections still waiting at the end of the run: each counts once, without recipients. */
  end(): MailEvent[] {
    for (const o of [...this.openValues()]) this.close(o);
    const events = [...this.out];
    this.out = [];
    for (const ev of this.heldValues()) events.push(ev);
    return events;
  }

  private *openValues(): Generator<Open> {
    for (const k of this.open.keys()) {
      const o = this.open.get(k);
      if (o) {
        this.open.delete(k);
        yield o;
      }
    }
  }

  private *heldValues(): Generator<RejectEvent> {
    for (const k of this.held.keys()) {
      const ev = this.held.get(k);
      if (ev) yield ev;
    }
  }

  /**
   * An entry's stream moved on: a held rejection without recipients waits or counts now. It
   * waits only for a copy another input may bring: in a run of one input it counts now, in its
   * place among the log's events (held to the end, ten thousand of them were 12 MB of a 1 GB
   * mainlog's heap, and they reached the aggregator after everything else).
   */
  private close(o: Open): void {
    if (o.held === null || o.recipients > 0) return;
    if (o.stream === FILE_STREAM && !this.alone) this.held.set(o.sig, o.held);
    else this.out.push(o.held);
  }

  private drain(r: LineResult): LineResult {
    if (this.out.length === 0) return r;
    const events = this.out;
    this.out = [];
    return withEvents(r, events);
  }

  private message(text: string, idLen: number, ctx: LineContext, stream: string): LineResult {
    const id = text.slice(0, idLen);
    const rest = text.slice(idLen + 1);
    const flag = rest.slice(0, 2);
    if (rest.charCodeAt(2) === 32 && FLAGS.has(flag)) {
      const after = rest.slice(3);
      return flag === '<=' || flag === '(=' ? arrival(after, id, ctx, this.messages) : delivery(flag, after, id, ctx, this.messages, this.notes);
    }
    if (rest === 'Completed' || rest.startsWith('Completed ')) {
      this.messages.complete(id);
      return RECOGNISED_NO_EVENT;
    }
    const reason = matchPrefix(MESSAGE_RULES, rest);
    if (reason) return ignored(reason);
    // `addr: error ignored` — a failed bounce discarded (ignore_bounce_errors_after, noerror).
    if (rest.includes(': error ignored')) return ignored('bookkeeping');
    if (transportOutput(rest, id, this.notes)) return RECOGNISED_NO_EVENT;
    return this.other(text, rest, id, ctx, stream);
  }

  /** Lines that may or may not carry a message id: refusals and their neighbours. */
  private other(line: string, text: string, id: string | null, ctx: LineContext, stream: string): LineResult {
    const c0 = text.charCodeAt(0);
    const c1 = text.charCodeAt(1);
    // Host/user/sender fields first: `H=…`, `U=…`, `F=…` then a verb.
    if (c1 === 61 /* = */ && (c0 === 72 /* H */ || c0 === 85 /* U */ || c0 === 70 /* F */)) {
      const scan = scanFields(text, 0);
      if (scan.reasonAt < 0) {
        const ev = fieldReject(text, scan.end, scan, id, ctx);
        if (ev) return this.reject(ev, line, ctx, stream);
        const verb = text.slice(scan.end, scan.end + 24);
        if (verb.startsWith('Warning: ') || verb.startsWith('sender verify ') || verb.startsWith('recipient verify ')) {
          return ignored('warning');
        }
        if (verb.startsWith('incomplete transaction')) return ignored('session');
        // `H=… F=<s> RCPT <r>: discarded by RCPT ACL`: accepted with 250, then dropped silently.
        if (verb.startsWith('RCPT ') && text.includes(': discarded by ', scan.end)) return ignored('content-action');
        if (verb.startsWith('SMTP protocol error') || verb.startsWith('AUTH ')) return ignored('auth');
      }
      // `<id> H=mx [ip] Connection refused`, `<id> H=mx [ip]: SMTP error from remote …`: per-host
      // errors of a delivery attempt; the `==`/`**` line that follows carries the outcome.
      if (id !== null && scan.host !== null && text.startsWith('H=')) return ignored('session');
      return UNRECOGNISED;
    }
    if (text.startsWith('rejected ') || text.startsWith('temporarily rejected ')) {
      const ev = fieldReject(text, 0, null, id, ctx);
      return ev ? this.reject(ev, line, ctx, stream) : UNRECOGNISED;
    }
    const ev = otherReject(text, id, ctx);
    if (ev) return this.reject(ev, line, ctx, stream);
    const health = eximHealthResult(text, id, ctx);
    if (health) return health;
    if (id === null) {
      const reason = matchPrefix(PLAIN_RULES, text) ?? protocolErrorReason(text);
      if (reason) return ignored(reason);
      if (text.startsWith('exim ') && text.includes(' daemon started')) return ignored('bookkeeping');
    } else if (isHostThenText(text)) {
      // Older per-host form without `H=`: `<id> mx.example [2001:db8::1] Network is unreachable`.
      return ignored('session');
    }
    if (isAuthFailure(text)) {
      const ev = authFailure(text, ctx);
      return ev ? this.once(ev, line, ctx, stream) : ignored('auth');
    }
    return UNRECOGNISED;
  }

  /** Rejection signatures dropped at their cap before a copy could match them. */
  get signaturesEvicted(): number {
    return this.signatures?.evicted ?? 0;
  }

  /**
   * Is this rejection the copy of one counted from another input (same time and line)? A run
   * of one input has none, and then keeps no signatures.
   */
  private isCopy(ctx: LineContext, line: string): boolean {
    if (this.alone) return false;
    return (this.signatures ??= new RejectSignatures()).isDuplicateOf(ctx.time ?? '', line, this.input);
  }

  /**
   * An authentication failure, which log.c writes to the main and the reject log like a
   * rejection: its copy counts once, as reject() tells (no recipient list follows it).
   */
  private once(ev: AuthFailureEvent, line: string, ctx: LineContext, stream: string): LineResult {
    const copy = this.isCopy(ctx, line);
    if (stream !== FILE_STREAM) {
      const sig = signature(ctx, line);
      this.open.set(flatCopy(stream), { text: flatCopy(line), sig: flatCopy(sig), held: null, recipients: 0, sawCopy: false, stream });
    }
    return copy ? ignored('bookkeeping') : recognised(ev);
  }

  private reject(ev: RejectEvent, line: string, ctx: LineContext, stream: string): LineResult {
    // A rejection of a message (it has an id but names no recipient) may be followed by its
    // recipient list (rejectlog, syslog reject copy).
    const ofMessage = ev.to === null && ev.queueId !== null;
    // Same time and same text as a rejection counted from another input: the rejectlog copy of a
    // mainlog line (or the other way round). `bookkeeping`, since the IgnoreReason enum has no
    // "duplicate"; the event was already counted once.
    const copy = this.isCopy(ctx, line);
    if (stream === FILE_STREAM) {
      if (!ofMessage) return copy ? ignored('bookkeeping') : recognised(ev);
      const sig = signature(ctx, line);
      // The mainlog copy of this rejection may be waiting for this (rejectlog) copy's recipients.
      const waiting = copy ? this.held.get(sig) : undefined;
      if (copy && waiting === undefined) return ignored('bookkeeping');
      if (waiting !== undefined) this.held.delete(sig);
      this.open.set(stream, { text: '', sig: flatCopy(sig), held: waiting ?? kept(ev), recipients: 0, sawCopy: true, stream });
      return copy ? ignored('bookkeeping') : RECOGNISED_NO_EVENT;
    }
    // syslog: remembered so that its reject copy (the next line of this process) is known.
    const sig = signature(ctx, line);
    this.open.set(flatCopy(stream), { text: flatCopy(line), sig: flatCopy(sig), held: !copy && ofMessage ? kept(ev) : null, recipients: 0, sawCopy: false, stream });
    if (copy) return ignored('bookkeeping');
    return ofMessage ? RECOGNISED_NO_EVENT : recognised(ev);
  }
}

/** A rejection's signature: its time and line (RejectSignatures.isDuplicateOf() hashes the same without the string). */
function signature(ctx: LineContext, line: string): string {
  return `${ctx.time ?? ''}\u0000${line}`;
}

/**
 * A rejection to keep beyond its line, with strings of its own: a line's strings are slices of
 * its whole read chunk (see src/text/flat-copy.ts), which a kept slice would keep alive.
 */
function kept(ev: RejectEvent): RejectEvent {
  return ownCopy(ev);
}

/** `name [addr] text` (a host then its bracketed address), as older Exim logged per-host errors. */
function isHostThenText(text: string): boolean {
  const sp = text.indexOf(' ');
  if (sp <= 0 || sp > 255 || text.charCodeAt(sp + 1) !== 91 /* [ */) return false;
  const close = text.indexOf('] ', sp + 2);
  return close > sp + 2 && close - sp < 48;
}

const AUTH_FAILED_FOR = ' authenticator failed for ';
const SET_ID = ' (set_id=';

/**
 * smtp_in.c: `%s authenticator failed for %s: %s` — the authenticator's name, the client
 * (host_and_ident: `name (helo) [ip]:port`, maybe `I=[…]:port` after it) and the reply sent,
 * `535 Incorrect authentication data` with ` (set_id=%s)` when the client gave a user name.
 * Null when the client part cannot be read (then the line stays ignored as 'auth').
 */
function authFailure(text: string, ctx: LineContext): AuthFailureEvent | null {
  const sp = text.indexOf(' ');
  if (sp <= 0 || !text.startsWith(AUTH_FAILED_FOR, sp)) return null;
  const { host, end } = readHost(text, sp + AUTH_FAILED_FOR.length);
  const client = peerOf(host);
  if (client === null) return null;
  // The reply follows the first `: ` after the client (and its I= field, when logged).
  const colon = text.indexOf(': ', end);
  let reply = colon < 0 ? '' : text.slice(colon + 2);
  let username: string | null = null;
  const setId = reply.lastIndexOf(SET_ID);
  if (setId >= 0 && reply.endsWith(')')) {
    username = reply.slice(setId + SET_ID.length, -1);
    reply = reply.slice(0, setId);
  }
  return {
    kind: 'auth-failure',
    mta: 'exim',
    time: ctx.time,
    host: ctx.host,
    program: ctx.program,
    queueId: null,
    raw: ctx.raw,
    origin: { file: ctx.file, line: ctx.line },
    client,
    mechanism: text.slice(0, sp),
    username,
    text: reply,
  };
}

/**
 * Exim 4.96 writes no line of its own when a lookup file cannot be opened (search.c only sets
 * the error text): the text ends the refusal or deferral it caused (`temporarily rejected RCPT
 * <r>: failed to open /etc/exim4/x for linear search: …`, `<id> == r R=x defer (-1): failed to
 * expand "…": failed to open …`). Such a line also yields the health event, first, so that the
 * refusal after it names it as its likely cause. Copies counted once (no events) yield none.
 */
function withEmbeddedHealth(r: LineResult, text: string, ctx: LineContext): LineResult {
  if (r.status !== 'recognised' || r.events.length === 0) return r;
  const at = text.indexOf('failed to open ');
  if (at < 0) return r;
  const first = r.events[0]!;
  if (first.kind !== 'reject' && first.kind !== 'delivery') return r;
  const h = eximHealth(text.slice(at));
  if (h === null) return r;
  const ev = healthEvent({
    mta: 'exim',
    time: ctx.time,
    host: ctx.host,
    program: ctx.program,
    queueId: first.queueId,
    raw: ctx.raw,
    origin: { file: ctx.file, line: ctx.line },
    severity: h.severity,
    problem: h.problem,
    subject: h.subject,
    pid: eximPid(ctx.raw),
    text: text.slice(at),
  });
  return { status: 'recognised', events: [ev, ...r.events] };
}

/** A health event or a timeline marker (daemon start, SIGHUP re-exec) for the text, or null. */
function eximHealthResult(text: string, id: string | null, ctx: LineContext): LineResult | null {
  const common = { mta: 'exim' as const, time: ctx.time, host: ctx.host, program: ctx.program, queueId: id, raw: ctx.raw, origin: { file: ctx.file, line: ctx.line } };
  const h = eximHealth(text);
  if (h) return recognised(healthEvent({ ...common, severity: h.severity, problem: h.problem, subject: h.subject, pid: eximPid(ctx.raw), text }));
  if (id !== null) return null;
  const m = eximMarker(text);
  // Counted as bookkeeping, as before markers were shown: the event rides along.
  if (m) return { status: 'ignored', reason: 'bookkeeping', events: [markerEvent({ ...common, marker: m.marker, version: m.version })] };
  return null;
}

/** A context for the pure readers called by ignoredEntry(): their events are thrown away. */
const NO_CONTEXT: LineContext = { time: null, host: null, program: null, raw: '', file: '', line: 0 };

/**
 * The reason EximBody.parse() ignores the entry `text` (after the stamp) for whatever came
 * before it, or null when it may do anything else (then the line needs parse()). Follows
 * message() and other() step by step, taking only the branches that touch no state; the
 * fast path's front uses it (test/parsers/exim/cheap-path.test.ts holds the two together).
 */
export function ignoredEntry(text: string): IgnoreReason | null {
  const idLen = messageIdLength(text, 0);
  if (idLen > 0) {
    const f = idLen + 1;
    if (text.charCodeAt(f + 2) === 32 && FLAGS.has(text.slice(f, f + 2))) return text.startsWith('*>', f) ? 'bookkeeping' : null;
    const rest = text.slice(f);
    if (rest === 'Completed' || rest.startsWith('Completed ')) return null;
    const reason = matchPrefix(MESSAGE_RULES, rest);
    if (reason) return reason;
    if (rest.includes(': error ignored')) return 'bookkeeping';
    // transportOutput() and other() with an id: left to parse().
    return null;
  }
  // other() without an id, up to its first branch with state (an authentication failure's copy).
  const c0 = text.charCodeAt(0);
  if (text.charCodeAt(1) === 61 /* = */ && (c0 === 72 /* H */ || c0 === 85 /* U */ || c0 === 70 /* F */)) return null;
  if (text.startsWith('rejected ') || text.startsWith('temporarily rejected ')) return null;
  if (otherReject(text, null, NO_CONTEXT) !== null) return null;
  if (eximHealth(text) !== null || eximMarker(text) !== null) return null;
  const reason = matchPrefix(PLAIN_RULES, text) ?? protocolErrorReason(text);
  if (reason) return reason;
  if (text.startsWith('exim ') && text.includes(' daemon started')) return 'bookkeeping';
  return null;
}
