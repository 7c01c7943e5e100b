/**
 * Postfix: syslog envelope (parsers/syslog.ts) → program filter → message body (body.ts).
 * Any syslog_name works (`postfix-out/smtp`, `postfix/submission/smtpd`, `mx1/smtpd`), as do
 * message-only lines (log excerpts with the prefix cut off). Lines of other programs in the same
 * file (dovecot, amavis, opendkim, sendmail, …) are ignored with reason `other-program`.
 */
import type { IgnoreReason } from '../../src/event.js';
import { EnvelopeReader, type Envelope, type EnvelopeSpan } from '../syslog.js';
import { scanAsciiEnvelope } from '../syslog-bytes.js';
import { ascii, QUEUE_CLIENT, QUEUE_FROM, QUEUE_REMOVED, queueUpdateAscii, sentDeliveryAscii, startsWith, triageAscii, type QueueSpans } from './triage-ascii.js';
import { parsePeer } from './fields.js';
import {
  FRONT_IGNORED,
  FRONT_PARSE,
  FRONT_UNDECIDED,
  FRONT_UPDATE,
  ignored,
  type FastLogParser,
  type FrontMachine,
  type FrontVerdict,
  type LineContext,
  type LineFront,
  type ParseContext,
  type StateUpdate,
  type FrontContext,
  type FrontResume,
} from '../types.js';
import { PostfixBody, daemonOf, sentDelivery, triage } from './body.js';

/** Postfix daemons and commands that log; a program `something/<daemon>` is Postfix too. */
const DAEMONS = new Set([
  'anvil', 'bounce', 'cleanup', 'discard', 'dnsblog', 'error', 'flush', 'lmtp', 'local', 'master',
  'oqmgr', 'pickup', 'pipe', 'postdrop', 'postfix', 'postfix-script', 'postlog', 'postlogd', 'postmap',
  'postalias', 'postqueue', 'postscreen', 'postsuper', 'proxymap', 'qmgr', 'qmqpd', 'retry', 'scache',
  'sendmail', 'showq', 'smtp', 'smtpd', 'spawn', 'tlsmgr', 'tlsproxy', 'trivial-rewrite', 'verify',
  'virtual', 'smtpd_check', 'postconf', 'postkick', 'postlock', 'postcat', 'posttls-finger',
]);

/** Is this syslog program Postfix? `postfix/smtpd`, `postfix-in/…`, `/postfix-script`, `mx1/smtpd`. */
export function isPostfixProgram(program: string): boolean {
  if (program.startsWith('postfix') || program === '/postfix-script' || program === 'smtpd_check') return true;
  const slash = program.lastIndexOf('/');
  return slash > 0 && DAEMONS.has(program.slice(slash + 1));
}

/** isPostfixProgram(line.slice(at, end)) without the slice (in the common cases). */
function isPostfixProgramAt(line: string, at: number, end: number): boolean {
  const n = end - at;
  if (n >= 7 && line.startsWith('postfix', at)) return true;
  if ((n === 15 && line.startsWith('/postfix-script', at)) || (n === 11 && line.startsWith('smtpd_check', at))) return true;
  const slash = line.lastIndexOf('/', end - 1);
  return slash > at && DAEMONS.has(line.slice(slash + 1, end));
}

const POSTFIX = ascii('postfix');
const POSTFIX_SCRIPT = ascii('/postfix-script');
const SMTPD_CHECK = ascii('smtpd_check');

/** isPostfixProgramAt() on the bytes [at, end) of an ASCII line. */
function isPostfixProgramAscii(b: Uint8Array, at: number, end: number): boolean {
  const n = end - at;
  if (startsWith(b, at, end, POSTFIX)) return true;
  if ((n === 15 && startsWith(b, at, end, POSTFIX_SCRIPT)) || (n === 11 && startsWith(b, at, end, SMTPD_CHECK))) return true;
  let slash = end - 1;
  while (slash > at && b[slash] !== 47 /* / */) slash--;
  // No daemon name is longer than 15 characters; a hostile program name may be megabytes.
  return slash > at && end - slash <= 32 && DAEMONS.has(String.fromCharCode(...b.subarray(slash + 1, end)));
}

/** triage()'s answer when the bytes alone cannot give it (not an everyday envelope): decode the line and ask triage(). */
export const UNDECIDED = 'undecided' as const;

// A message body that only Postfix writes, for message-only lines and format detection.
const BODY_HINT_RE = /^(?:[0-9A-F]{5,16}|[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,20}|NOQUEUE): (?:to=<|from=<|client=|reject: |milter-reject: |removed$|message-id=)/;

/**
 * The stateless half of the Postfix machine for one input (the LineFront of parsers/types.ts):
 * the envelope (with the year inference, which must see every line in order) and the triage of
 * messages that are ignored whatever came before. What it does not settle goes to the machine's
 * parsed() or update() (FrontMachine). Feeding a file through it gives the same results as
 * line() on every line.
 */
export class PostfixFront implements LineFront {
  private readonly envelopes: EnvelopeReader;
  private span: EnvelopeSpan | null = null;
  private env: Envelope | null = null;
  private line = '';
  reason: IgnoreReason = 'blank';
  /** Kinds: QUEUE_FROM (field: the sender), QUEUE_CLIENT (the client text), QUEUE_REMOVED (empty). */
  readonly update: StateUpdate = { kind: 0, keyAt: 0, keyEnd: 0, fieldAt: 0, fieldEnd: 0, extraAt: -1, extraEnd: -1 };
  private readonly queueSpans: QueueSpans = { queueAt: 0, queueEnd: 0, fieldAt: 0, fieldEnd: 0 };

  constructor(ctx: FrontContext) {
    const r = ctx.resume;
    const place = typeof r?.year === 'number' && typeof r.month === 'number' ? { year: r.year, month: r.month } : undefined;
    this.envelopes = new EnvelopeReader(ctx.reference, ctx.year, place);
  }

  /** Where the year inference stands: the front reading on resolves the next stamps as this one would. */
  resume(): FrontResume {
    const place = this.envelopes.yearPlace();
    return place === null ? {} : { year: place.year, month: place.month };
  }

  bytes(b: Uint8Array, start: number, end: number): FrontVerdict {
    const r = this.triageAscii(b, start, end);
    if (r === UNDECIDED) return FRONT_UNDECIDED;
    if (r !== null) {
      this.reason = r;
      return FRONT_IGNORED;
    }
    // Half the lines passed on only record a sender or a client, or forget a queue id.
    const q = this.queueSpans;
    const kind = queueUpdateAscii(b, start + this.bodyAt, end, q);
    if (kind === 0) return FRONT_PARSE;
    const u = this.update;
    u.kind = kind;
    u.keyAt = q.queueAt - start;
    u.keyEnd = q.queueEnd - start;
    u.fieldAt = q.fieldAt - start;
    u.fieldEnd = q.fieldEnd - start;
    return FRONT_UPDATE;
  }

  text(line: string): FrontVerdict {
    const r = this.triage(line);
    if (r === null) return FRONT_PARSE;
    this.reason = r;
    return FRONT_IGNORED;
  }

  /**
   * The reason the machine's line() ignores `text` for, or null when it needs parsed(); then
   * envelope() tells what parsed() needs to know of the line's envelope. After 'other-program',
   * `program` (and `ranges`, when set) still tell the line's program.
   */
  triage(text: string): IgnoreReason | null {
    this.line = text;
    this.span = null;
    this.env = null;
    if (text.length === 0) return 'blank';
    const found = this.envelopes.scan(text);
    if (found === null) return triage(text);
    if (found === this.envelopes.span) {
      const span = found as EnvelopeSpan;
      // Kept for 'other-program' too: the pipeline reads the program to find its MTA.
      this.span = span;
      if (!isPostfixProgramAt(text, span.programAt, span.programEnd)) return 'other-program';
      return triage(text, span.bodyAt);
    }
    const env = found as Envelope;
    this.env = env;
    if (!isPostfixProgram(env.program)) return 'other-program';
    return triage(env.body);
  }

  /**
   * triage() of the ASCII line in bytes [start, end) of `b`, without a string, when it has an
   * everyday envelope (then `ranges`, `time` and `bodyAt` are as triage() leaves them; offsets
   * from `start`); UNDECIDED otherwise (decode the line and call triage()). `host` and
   * `program` are not available after it: read them from the bytes at `ranges`.
   */
  triageAscii(b: Uint8Array, start: number, end: number): IgnoreReason | null | typeof UNDECIDED {
    this.line = '';
    this.span = null;
    this.env = null;
    if (end === start) return 'blank';
    const span = scanAsciiEnvelope(this.envelopes, b, start, end);
    if (span === null) return UNDECIDED;
    this.span = span;
    if (!isPostfixProgramAscii(b, start + span.programAt, start + span.programEnd)) return 'other-program';
    return triageAscii(b, start + span.bodyAt, end);
  }

  /** Where the message of the line triage() last returned null for starts; -1: it has no envelope. */
  get bodyAt(): number {
    if (this.span) return this.span.bodyAt;
    return this.env ? this.line.length - this.env.body.length : -1;
  }

  get time(): string | null {
    return this.span ? this.span.time : this.env ? this.env.time : null;
  }

  /**
   * Where host and program are in the line, for the everyday envelope forms: the span's
   * hostAt/hostEnd (equal: no host), programAt/programEnd (valid until the next line); null for
   * the rarer forms (then use `host` and `program`, which are not always substrings: RFC 5424
   * writes `-` for none).
   */
  get ranges(): Readonly<EnvelopeSpan> | null {
    return this.span;
  }

  get host(): string | null {
    const span = this.span;
    if (span) return span.hostEnd > span.hostAt ? this.line.slice(span.hostAt, span.hostEnd) : null;
    return this.env ? this.env.host : null;
  }

  get program(): string | null {
    const span = this.span;
    if (span) return this.line.slice(span.programAt, span.programEnd);
    return this.env ? this.env.program : null;
  }
}

export const postfixParser: FastLogParser = {
  name: 'postfix',
  ownsProgram: isPostfixProgram,
  fast: {
    front: (ctx) => new PostfixFront(ctx),
    sentDelivery,
    sentDeliveryAscii,
  },

  sniff(line: string): boolean {
    const env = new EnvelopeReader(new Date(0)).read(line);
    if (env) return isPostfixProgram(env.program);
    return BODY_HINT_RE.test(line);
  },

  create(): FrontMachine {
    let envelopes = new EnvelopeReader(new Date());
    const body = new PostfixBody();
    const lc: LineContext = { time: null, host: null, program: null, raw: '', file: '', line: 0 };
    return {
      begin(ctx: ParseContext) {
        // Year inference starts afresh per file: each has its own mtime.
        envelopes = new EnvelopeReader(ctx.reference, ctx.year);
        lc.file = ctx.file;
      },
      line(text: string, no: number) {
        if (text.length === 0) return ignored('blank');
        const env = envelopes.read(text);
        lc.raw = text;
        lc.line = no;
        if (env) {
          if (!isPostfixProgram(env.program)) return ignored('other-program');
          lc.time = env.time;
          lc.host = env.host;
          lc.program = env.program;
          return body.parse(env.body, lc);
        }
        // No envelope: a message-only line, or a wrapped/truncated fragment.
        lc.time = null;
        lc.host = null;
        lc.program = null;
        return body.parse(text, lc);
      },
      parsed(text, no, time, host, program, bodyAt) {
        lc.raw = text;
        lc.line = no;
        lc.time = time;
        lc.host = host;
        lc.program = program;
        return body.parse(bodyAt < 0 ? text : text.slice(bodyAt), lc);
      },
      sent(queueId, to) {
        if (queueId) body.queue.settle(queueId, to);
      },
      update(kind, queueId, field) {
        if (kind === QUEUE_FROM) return body.queue.arrive(queueId, field, true);
        if (kind === QUEUE_CLIENT) body.queue.setClient(queueId, parsePeer(field), true);
        else if (kind === QUEUE_REMOVED) body.queue.remove(queueId);
        return false;
      },
      end() {
        return [];
      },
      overflow() {
        return {
          postfixQueueIdsEvicted: body.queue.evicted,
          postfixDeferralsDropped: body.queue.deferralsDropped,
        };
      },
    };
  },
};

export { daemonOf, sentDelivery };
