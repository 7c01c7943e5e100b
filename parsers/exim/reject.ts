/**
 * Exim's SMTP-time refusals → RejectEvent. Texts follow Exim 4.x smtp_in.c
 * (smtp_handle_acl_fail: `[host fields] [F=<s>] [temporarily ]rejected <what>[: <log message>]`
 * where <what> is `RCPT <r>`, `MAIL <s>`, `EHLO or HELO <h>`, `connection in "connect" ACL`,
 * `DATA`, `after DATA`, `during MIME ACL checks`, `AUTH <mech>`, `VRFY <x>`, …; the synchronization
 * checks; `rejected MAIL FROM:<s> H=…: message too big`; `rejected EHLO from …: syntactically
 * invalid argument(s)`; log_connect_tls_drop `dropped by 'connect' ACL`), receive.c (`rejected from
 * <s> H=…: message too big: read=… max=…`, non-SMTP ACL, local_scan()) and the spec's
 * "Log files" chapter.
 *
 * Exim does not log the reply code it sent for ACL refusals: smtpCode/enhancedStatus are read only
 * from a log message that begins with one (`452 4.5.3 Try again`, custom ACL `message = 550 …`),
 * else null. `text` is the log text from `rejected`/`temporarily rejected` (or `SMTP protocol
 * synchronization error`, `dropped by`, …) to the end, unchanged, so the permanent/temporary
 * distinction (`temporarily rejected` is a 4xx) stays readable; only host fields that Exim puts
 * in the middle of a few forms (`rejected MAIL FROM:<s> H=…: message too big`) are cut out.
 * `via` is `acl` for every refusal by Exim's SMTP receiver, `milter` for local_scan() (the
 * compiled-in content scanner hook used by SA-Exim).
 */
import type { RejectEvent } from '../../src/event.js';
import type { LineContext } from '../types.js';
import { boundedIndexOf, leadingReply, peerOf, readHost, scanFields, tokenEnd, unangle, type HostField, type ScanResult } from './fields.js';

/** ACL place names (globals.c acl_wherenames) that name an SMTP command directly. */
const COMMAND_STAGES = new Set(['AUTH', 'VRFY', 'EXPN', 'ETRN', 'ATRN', 'STARTTLS', 'QUIT', 'NOTQUIT', 'MAILAUTH', 'WELLKNOWN', 'PRDR']);
/** SMTP verbs a synchronization error can name. */
const SMTP_VERBS = new Set([
  'HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'RSET', 'QUIT', 'NOOP', 'VRFY', 'EXPN', 'ETRN', 'AUTH', 'STARTTLS', 'HELP', 'ATRN',
]);
const MAX_QUOTED_COMMAND = 2048;

/** What a refusal is made of: readers start from partsOf() and fill in what the line tells. */
interface Parts {
  stage: string;
  text: string;
  reasonAt: number;
  source: string;
  host: HostField | null;
  from: string | null;
  to: string | null;
  helo: string | null;
  proto: string | null;
  via: RejectEvent['via'];
}

/** Parts of a refusal by `host` (its HELO name included); sender, recipient and protocol unknown. */
function partsOf(source: string, stage: string, text: string, host: HostField | null): Parts {
  return { stage, text, reasonAt: -1, source, host, from: null, to: null, helo: host?.helo ?? null, proto: null, via: 'acl' };
}

/** The event: one object literal of one shape (an object spread would give V8 a dictionary-mode object). */
function build(p: Parts, queueId: string | null, ctx: LineContext): RejectEvent {
  const reply = p.reasonAt >= 0 ? leadingReply(p.source, p.reasonAt) : { code: null, enhanced: null };
  return {
    kind: 'reject',
    mta: 'exim',
    time: ctx.time,
    host: ctx.host,
    program: ctx.program,
    queueId,
    raw: ctx.raw,
    origin: { file: ctx.file, line: ctx.line },
    via: p.via,
    stage: p.stage,
    smtpCode: reply.code,
    enhancedStatus: reply.enhanced,
    text: p.text,
    client: peerOf(p.host),
    from: p.from,
    to: p.to,
    helo: p.helo,
    proto: p.proto,
  };
}

/** `: ` at `end` or later (the ACL's log message follows it); -1 if there is none. */
function reasonAfter(text: string, end: number): number {
  if (text.startsWith(': ', end)) return end + 2;
  const i = text.indexOf(': ', end);
  return i < 0 ? -1 : i + 2;
}

/** An ACL argument: `<a@b>` (possibly `<>`), or a bare token (older Exim / anonymised logs). */
function readArg(text: string, at: number): { value: string; end: number } {
  if (text.charCodeAt(at) === 60 /* < */) {
    const close = boundedIndexOf(text, '>', at + 1, 1024);
    if (close > 0) return { value: text.slice(at + 1, close), end: close + 1 };
  }
  let e = tokenEnd(text, at);
  if (e > at + 1 && text.charCodeAt(e - 1) === 58 /* : */) e--;
  return { value: text.slice(at, e), end: e };
}

/**
 * `[fields] [temporarily ]rejected …` or `[fields] dropped by 'connect' ACL: …` with the verb at
 * `at` (after the fields that `scan` read). Null if the shape is not one Exim writes.
 */
export function fieldReject(text: string, at: number, scan: ScanResult | null, queueId: string | null, ctx: LineContext): RejectEvent | null {
  const parts = partsOf(text, '', '', scan?.host ?? null);
  const F = scan?.fields.F;
  if (F !== undefined) parts.from = unangle(F);
  parts.proto = scan?.fields.P ?? null;
  /** The event, its text the whole refusal unless a branch cut host fields out of it. */
  const p = (stage: string, reasonAt: number, whole = text.slice(at)): RejectEvent => {
    parts.stage = stage;
    parts.reasonAt = reasonAt;
    parts.text = whole;
    return build(parts, queueId, ctx);
  };
  if (text.startsWith('dropped by ', at)) return p('CONNECT', reasonAfter(text, at));
  const temp = text.startsWith('temporarily ', at);
  const r = temp ? at + 12 : at;
  if (!text.startsWith('rejected ', r) && !(text.length === r + 8 && text.endsWith('rejected'))) return null;
  const v = r + 9;

  if (text.startsWith('RCPT ', v)) {
    const a = readArg(text, v + 5);
    parts.to = a.value;
    return p('RCPT', reasonAfter(text, a.end));
  }
  if (text.startsWith('MAIL FROM:<', v)) {
    // smtp_in.c: `rejected MAIL FROM:<s> H=…: message too big: size=… max=…`
    const a = readArg(text, v + 10);
    const s = scanFields(text, a.end + 1);
    if (s.reasonAt < 0) return null;
    parts.from = a.value;
    if (s.host) {
      parts.host = s.host;
      parts.helo = s.host.helo ?? parts.helo;
    }
    return p('MAIL', s.reasonAt, `${text.slice(at, a.end)}: ${text.slice(s.reasonAt)}`);
  }
  if (text.startsWith('MAIL from ', v) || text.startsWith('EHLO from ', v) || text.startsWith('HELO from ', v)) {
    // `rejected MAIL from <host>: no HELO/EHLO given`, `rejected EHLO from <host>: syntactically invalid argument(s): …`
    const h = readHost(text, v + 10);
    if (!text.startsWith(': ', h.end)) return null;
    parts.host = h.host;
    parts.helo = h.host.helo;
    return p(text.slice(v, v + 4), h.end + 2, `${text.slice(at, v + 4)}: ${text.slice(h.end + 2)}`);
  }
  if (text.startsWith('MAIL command ', v)) {
    // `rejected MAIL command H=…: too many messages in one connection`
    const s = scanFields(text, v + 13);
    if (s.reasonAt < 0) return null;
    parts.host = s.host;
    parts.helo = s.host?.helo ?? null;
    return p('MAIL', s.reasonAt, `${text.slice(at, v + 12)}: ${text.slice(s.reasonAt)}`);
  }
  if (text.startsWith('MAIL ', v)) {
    const a = readArg(text, v + 5);
    parts.from = a.value;
    return p('MAIL', reasonAfter(text, a.end));
  }
  if (text.startsWith('EHLO or HELO ', v)) {
    const colon = text.indexOf(': ', v + 13);
    parts.helo ??= text.slice(v + 13, colon < 0 ? text.length : colon);
    return p('HELO', colon < 0 ? -1 : colon + 2);
  }
  if (text.startsWith('connection', v)) return p('CONNECT', reasonAfter(text, v));
  if (text.startsWith('after DATA', v) || text.startsWith('during MIME ACL checks', v)) {
    return p('END-OF-MESSAGE', reasonAfter(text, v));
  }
  if (text.startsWith('DATA', v) && (text.length === v + 4 || text.startsWith(': ', v + 4))) return p('DATA', reasonAfter(text, v));
  if (text.startsWith('DKIM', v)) return p('END-OF-MESSAGE', reasonAfter(text, v));
  if (text.startsWith('by non-SMTP ACL', v)) return p('NON-SMTP', reasonAfter(text, v));
  if (text.startsWith('by local_scan()', v)) {
    const smtp = parts.proto !== null ? parts.proto.includes('smtp') : parts.host !== null;
    parts.via = 'milter';
    return p(smtp ? 'END-OF-MESSAGE' : 'NON-SMTP', reasonAfter(text, v));
  }
  if (text.startsWith('from <', v)) {
    // receive.c: `rejected from <s> H=…: message too big: read=… max=…` (also `Too many "Received" headers`)
    const a = readArg(text, v + 5);
    const s = text.startsWith(': ', a.end) ? null : scanFields(text, a.end + 1);
    const reasonAt = s ? s.reasonAt : a.end + 2;
    if (reasonAt < 0) return null;
    parts.from = a.value;
    if (s?.host) {
      parts.host = s.host;
      parts.helo = s.host.helo ?? parts.helo;
    }
    return p('END-OF-MESSAGE', reasonAt, `${text.slice(at, a.end)}: ${text.slice(reasonAt)}`);
  }
  if (text.charCodeAt(v) === 34 /* " */) {
    // helo_verify: `[temporarily ]rejected "EHLO name" from <host>`
    const q = boundedIndexOf(text, '" from ', v + 1, MAX_QUOTED_COMMAND);
    if (q < 0) return null;
    const cmd = text.slice(v + 1, q);
    const sp = cmd.indexOf(' ');
    const h = readHost(text, q + 7);
    parts.host = h.host;
    parts.helo = sp > 0 ? cmd.slice(sp + 1) : h.host.helo;
    return p(verbOf(cmd), -1, text.slice(at, q + 1));
  }
  const word = text.slice(v, tokenEnd(text, v));
  const bare = word.endsWith(':') ? word.slice(0, -1) : word;
  if (COMMAND_STAGES.has(bare)) return p(bare, reasonAfter(text, v));
  return null;
}

/** `HELO x` → `HELO`; anything that is not an SMTP verb → `UNKNOWN`. */
function verbOf(cmd: string): string {
  const sp = cmd.indexOf(' ');
  const w = (sp < 0 ? cmd : cmd.slice(0, sp)).toUpperCase();
  return SMTP_VERBS.has(w) ? w : 'UNKNOWN';
}

const SYNC = 'SMTP protocol synchronization error (';

/**
 * Refusals that do not start with host fields. Null if `text` is none of them.
 *  `SMTP protocol synchronization error (…): rejected "cmd" H=… next input="…"`
 *  `SMTP protocol synchronization error (…): rejected connection from H=… input="…"`
 *  `too many recipients: message rejected: sender=<s> H=…` (and `excess temporarily rejected`)
 *  `unqualified sender rejected: <s> H=…`, `unqualified recipient rejected: <r> H=…`
 *  `refused connection from <host> (host_reject_connection)` (also `temporarily refused …`)
 *  `local_scan() function timed out - message temporarily rejected (size N)` (also `crashed`)
 */
export function otherReject(text: string, queueId: string | null, ctx: LineContext): RejectEvent | null {
  if (text.startsWith(SYNC)) {
    const r = boundedIndexOf(text, '): rejected', SYNC.length, 200);
    if (r < 0) return null;
    const p = r + 11;
    if (text.startsWith(' "', p)) {
      let q = boundedIndexOf(text, '" H=', p + 2, MAX_QUOTED_COMMAND);
      if (q < 0) q = boundedIndexOf(text, '" U=', p + 2, MAX_QUOTED_COMMAND);
      if (q < 0) return null;
      const s = scanFields(text, q + 2);
      return build(partsOf(text, verbOf(text.slice(p + 2, q)), text.slice(0, q + 1), s.host), queueId, ctx);
    }
    if (text.startsWith(' connection from ', p)) {
      const s = scanFields(text, p + 17);
      return build(partsOf(text, 'CONNECT', text.slice(0, p) + ' connection', s.host), queueId, ctx);
    }
    // Cut short after `rejected` (seen in hand-edited logs): the refused command is unknown.
    if (p === text.length) return build(partsOf(text, 'UNKNOWN', text, null), queueId, ctx);
    return null;
  }
  if (text.startsWith('too many recipients: ')) {
    const i = boundedIndexOf(text, ': sender=<', 20, 80);
    if (i < 0) return null;
    const a = readArg(text, i + 9);
    const parts = partsOf(text, 'RCPT', text.slice(0, i), scanFields(text, a.end + 1).host);
    parts.from = a.value;
    return build(parts, queueId, ctx);
  }
  if (text.startsWith('unqualified ')) {
    const i = boundedIndexOf(text, ' rejected: <', 11, 40);
    if (i < 0) return null;
    const a = readArg(text, i + 11);
    const sender = text.startsWith('unqualified sender', 0);
    const parts = partsOf(text, sender ? 'MAIL' : 'RCPT', text.slice(0, a.end), scanFields(text, a.end + 1).host);
    if (sender) parts.from = a.value;
    else parts.to = a.value;
    return build(parts, queueId, ctx);
  }
  if (text.startsWith('refused connection from ') || text.startsWith('temporarily refused connection from ')) {
    // host_reject_connection / tcp wrappers: `refused connection from <host> (host_reject_connection)`
    const at = text.indexOf(' from ') + 6;
    const h = readHost(text, at);
    return build(partsOf(text, 'CONNECT', text.slice(0, at - 6) + text.slice(h.end), h.host), queueId, ctx);
  }
  if (text.startsWith('local_scan() function ') && text.includes(' - message temporarily rejected')) {
    const parts = partsOf(text, 'END-OF-MESSAGE', text, null);
    parts.via = 'milter';
    return build(parts, queueId, ctx);
  }
  return null;
}
