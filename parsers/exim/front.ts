/**
 * The fast path of the Exim parser (parsers/types.ts FastPath): the front that runs on the reader
 * thread, and the sent-delivery shortcut. The front settles lines of Exim's own log files (the
 * stamp, then the text) that parse() ignores whatever came before (ignoredEntry() in body.ts),
 * and sends `<id> Completed` and plain arrivals on as state updates (update() does what parse()
 * does to the state before them, see below); every other line goes to the machine, lines
 * in a syslog form or without a stamp whole (parsed() reads them as line() does: the year
 * inference and the per-process streams of syslog lines stay the machine's).
 *
 * What an ignored line would still have done to the machine: end the rejectlog entry before it
 * (its header lines then no longer add recipients) and mark that a header dump may follow. So
 * the front passes on the first stamped line after a line that may have opened an entry (a
 * message line that is not a delivery or arrival) and after any line without a stamp.
 */
import type { IgnoreReason } from '../../src/event.js';
import { FRONT_IGNORED, FRONT_PARSE, FRONT_UNDECIDED, FRONT_UPDATE, type FrontVerdict, type LineFront, type SentSpans, type StateUpdate } from '../types.js';
import { ignoredEntry } from './body.js';
import { messageIdLength, readAddresses, eximDuration } from './delivery.js';
import { otherProgramAfterStamp, StampReader, syslogAfterStamp } from './envelope.js';
import { isAlnum, scanFields } from './fields.js';

/** FRONT_UPDATE kind of `<id> Completed` (key: the message id; no field). */
export const EXIM_COMPLETED = 1;
/**
 * FRONT_UPDATE kind of a plain arrival `<id> <= sender …` (key: the message id; field: the
 * sender; extra: the text after it, whose `H=` is the client later lines of the message read).
 */
export const EXIM_ARRIVAL = 2;

const COMPLETED = [67, 111, 109, 112, 108, 101, 116, 101, 100]; // `Completed`
const DKIM = [68, 75, 73, 77, 58, 32]; // `DKIM: `

/** Length of an Exim message id at byte `at` followed by a space (messageIdLength() on bytes), or 0. */
function messageIdLengthAscii(b: Uint8Array, at: number, end: number): number {
  if (at + 17 > end || !alnumBytes(b, at, 6) || b[at + 6] !== 45) return 0;
  if (b[at + 13] === 45 && alnumBytes(b, at + 7, 6) && alnumBytes(b, at + 14, 2) && b[at + 16] === 32) return 16;
  if (at + 24 <= end && b[at + 18] === 45 && alnumBytes(b, at + 7, 11) && alnumBytes(b, at + 19, 4) && b[at + 23] === 32) return 23;
  return 0;
}

/** Are the `n` bytes from `from` ASCII letters and digits? (Not a closure: one a call was garbage.) */
function alnumBytes(b: Uint8Array, from: number, n: number): boolean {
  for (let i = from; i < from + n; i++) if (!isAlnum(b[i]!)) return false;
  return true;
}

function bytesAre(b: Uint8Array, at: number, end: number, want: readonly number[]): boolean {
  if (at + want.length > end) return false;
  for (let i = 0; i < want.length; i++) if (b[at + i] !== want[i]) return false;
  return true;
}

/**
 * Could parse() of this entry text (after the stamp) open a rejectlog entry? Only a rejection of
 * a message does (it has an id, names no recipient, and its recipients may follow); flagged
 * lines and `Completed` never do.
 */
function mayOpenEntry(text: string): boolean {
  const idLen = messageIdLength(text, 0);
  if (idLen === 0) return false;
  const f = idLen + 1;
  if (text.charCodeAt(f + 2) === 32) {
    const c0 = text.charCodeAt(f);
    const c1 = text.charCodeAt(f + 1);
    // <= (= => -> >> *> ** ==
    if ((c1 === 61 && (c0 === 60 || c0 === 40 || c0 === 61)) || (c1 === 62 && (c0 === 61 || c0 === 45 || c0 === 62 || c0 === 42)) || (c0 === 42 && c1 === 42)) return false;
  }
  return !text.startsWith('Completed', f);
}

export class EximFront implements LineFront {
  private readonly stamps = new StampReader();
  /** The next stamped line goes to the machine whatever it is (see the module's comment). */
  private passNext = true;
  reason: IgnoreReason = 'blank';
  readonly update: StateUpdate = { kind: 0, keyAt: 0, keyEnd: 0, fieldAt: 0, fieldEnd: 0, extraAt: -1, extraEnd: -1 };
  time: string | null = null;
  bodyAt = -1;
  readonly ranges = null;
  readonly host = null;
  readonly program = null;

  bytes(b: Uint8Array, start: number, end: number): FrontVerdict {
    if (end === start) {
      this.reason = 'blank';
      return FRONT_IGNORED;
    }
    const stampEnd = this.stamps.readAscii(b, start, end);
    if (stampEnd !== 20) return FRONT_UNDECIDED;
    const at = start + 20;
    const idLen = messageIdLengthAscii(b, at, end);
    if (idLen === 0) return FRONT_UNDECIDED;
    const restAt = at + idLen + 1;
    // `<id> Completed`: the message is done (the id and the text hold no space, so this is no syslog form).
    if (end - restAt === COMPLETED.length && bytesAre(b, restAt, end, COMPLETED)) {
      return this.updated(EXIM_COMPLETED, idLen, 20 + idLen, 20 + idLen, -1, -1);
    }
    // `<id> <= sender …`: arrival() gives one received event for it (or none for a repeat) and
    // records the message. Not the null sender's: its arrival may be a bounce (`R=<parent>`),
    // which is also a notification. (`<=` is no syslog program: no syslog form either.)
    if (b[restAt] === 60 && b[restAt + 1] === 61 && b[restAt + 2] === 32) {
      const senderAt = restAt + 3;
      let sp = senderAt;
      while (sp < end && b[sp] !== 32) sp++;
      if (sp > senderAt && !(sp - senderAt === 2 && b[senderAt] === 60 && b[senderAt + 1] === 62)) {
        return this.updated(EXIM_ARRIVAL, idLen, senderAt - start, sp - start, Math.min(sp + 1, end) - start, end - start);
      }
    }
    // `<id> DKIM: …`: `DKIM:` is not a syslog program, and no `]:` ends it.
    if (!this.passNext && bytesAre(b, restAt, end, DKIM)) {
      this.reason = 'bookkeeping';
      return FRONT_IGNORED;
    }
    return FRONT_UNDECIDED;
  }

  /**
   * A stamped line of Exim's own files that only updates the state of the message whose id
   * (`idLen` long) follows the stamp; field and second field as offsets in the line (-1: none).
   */
  private updated(kind: number, idLen: number, fieldAt: number, fieldEnd: number, extraAt: number, extraEnd: number): FrontVerdict {
    this.passNext = false;
    this.time = this.stamps.time;
    this.bodyAt = 20;
    const u = this.update;
    u.kind = kind;
    u.keyAt = 20;
    u.keyEnd = 20 + idLen;
    u.fieldAt = fieldAt;
    u.fieldEnd = fieldEnd;
    u.extraAt = extraAt;
    u.extraEnd = extraEnd;
    return FRONT_UPDATE;
  }

  text(line: string): FrontVerdict {
    this.bodyAt = -1;
    this.time = null;
    if (line.length === 0) {
      this.reason = 'blank';
      return FRONT_IGNORED;
    }
    const c = line.charCodeAt(0);
    const stamp = c >= 48 && c <= 57 ? this.stamps.read(line) : null;
    if (stamp === null || syslogAfterStamp(line, stamp.end) !== null || otherProgramAfterStamp(line, stamp.end)) {
      // Not a line of Exim's own files: the machine reads it whole.
      this.passNext = true;
      return FRONT_PARSE;
    }
    const text = line.slice(stamp.end);
    const reason = ignoredEntry(text);
    if (reason !== null && !this.passNext) {
      this.reason = reason;
      return FRONT_IGNORED;
    }
    this.passNext = reason === null && mayOpenEntry(text);
    this.time = stamp.time;
    this.bodyAt = stamp.end;
    return FRONT_PARSE;
  }
}

const SENT: SentSpans = { queueAt: 0, queueEnd: 0, toAt: 0, toEnd: 0, origAt: -1, origEnd: -1, delay: -1, here: false };

/**
 * FastPath.sentDelivery: `<id> => addr …` (and `->`, `>>`) of Exim's own files. A transport
 * other than SMTP delivered on this machine (`here`): the pipeline learns the server's domains
 * from that as it would from the event (src/classify/local-domains.ts). `from` is where the
 * front found the text after the stamp; lines it passed whole (syslog forms) are not taken.
 */
export function sentDelivery(text: string, from: number): Readonly<SentSpans> | null {
  if (from < 19) return null;
  const idLen = messageIdLength(text, from);
  if (idLen === 0) return null;
  const f = from + idLen + 1;
  const c0 = text.charCodeAt(f);
  if (text.charCodeAt(f + 1) !== 62 /* > */ || text.charCodeAt(f + 2) !== 32 || !(c0 === 61 || c0 === 45 || c0 === 62)) return null;
  // A lookup failure at the end of the line adds a health event (body.ts withEmbeddedHealth()).
  if (text.includes('failed to open ', f)) return null;
  const restAt = f + 3;
  const rest = text.slice(restAt);
  const a = readAddresses(rest);
  if (a === null) return null;
  const s = scanFields(rest, a.end + 1, true);
  const t = s.fields.T;
  let delay = -1;
  const qt = s.fields.QT;
  if (qt !== undefined) {
    const d = eximDuration(qt);
    if (d !== null) {
      // The batch carries hundredths of a second: anything finer is read by parse().
      if (Math.round(d * 100) / 100 !== d || d * 100 >= 0x7fffffff) return null;
      delay = d;
    }
  }
  SENT.queueAt = from;
  SENT.queueEnd = from + idLen;
  SENT.toAt = restAt;
  SENT.toEnd = restAt + a.to.length;
  SENT.origAt = a.origAt < 0 ? -1 : restAt + a.origAt;
  SENT.origEnd = a.origAt < 0 ? -1 : restAt + a.origAt + a.origTo!.length;
  SENT.delay = delay;
  // The event's agent is `T=`; src/classify/exim.ts deliversHere() reads it the same way.
  SENT.here = t !== undefined && !t.includes('smtp');
  return SENT;
}
