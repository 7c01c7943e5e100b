/**
 * The Exim text after the stamp (envelope.ts): a message line (`<id> <= …`, `<id> ** …`,
 * `<id> Completed`, `<id> H=… rejected after DATA`, …) or a line without a message id (SMTP-time
 * rejections, connection and daemon chatter). Dispatches to delivery.ts (flagged lines),
 * reject.ts (refusals) and ignore.ts (known non-events); anything else is unrecognised.
 * Rejections also pass through the duplicate filter (correlate.ts RejectSignatures): the copy of
 * a rejection already counted from the other of mainlog/rejectlog is ignored as `bookkeeping`.
 */
import type { RejectEvent } from '../../src/event.js';
import { ignored, recognised, RECOGNISED_NO_EVENT, UNRECOGNISED, type LineContext, type LineResult } from '../types.js';
import { MessageTable, RejectSignatures } from './correlate.js';
import { arrival, delivery, messageIdLength } from './delivery.js';
import { scanFields } from './fields.js';
import { isAuthFailure, matchPrefix, MESSAGE_RULES, PLAIN_RULES, protocolErrorReason } from './ignore.js';
import { fieldReject, otherReject } from './reject.js';

/** Flags of message lines (spec "Log line flags"), each followed by a space. */
const FLAGS = new Set(['<=', '(=', '=>', '->', '>>', '*>', '**', '==']);

export class EximBody {
  readonly messages = new MessageTable();
  readonly rejects = new RejectSignatures();
  /** Number of the input being read (LineMachine.begin counts them), for duplicate detection. */
  input = 0;

  parse(text: string, ctx: LineContext): LineResult {
    const idLen = messageIdLength(text, 0);
    if (idLen > 0) return this.message(text, idLen, ctx);
    return this.other(text, text, null, ctx);
  }

  private message(text: string, idLen: number, ctx: LineContext): LineResult {
    const id = text.slice(0, idLen);
    const rest = text.slice(idLen + 1);
    const flag = rest.slice(0, 2);
    if (rest.charCodeAt(2) === 32 && FLAGS.has(flag)) {
      const after = rest.slice(3);
      return flag === '<=' || flag === '(=' ? arrival(after, id, ctx, this.messages) : delivery(flag, after, id, ctx, this.messages);
    }
    if (rest === 'Completed' || rest.startsWith('Completed ')) {
      this.messages.complete(id);
      return RECOGNISED_NO_EVENT;
    }
    const reason = matchPrefix(MESSAGE_RULES, rest);
    if (reason) return ignored(reason);
    // `addr: error ignored` — a failed bounce discarded (ignore_bounce_errors_after, noerror).
    if (rest.includes(': error ignored')) return ignored('bookkeeping');
    return this.other(text, rest, id, ctx);
  }

  /** Lines that may or may not carry a message id: refusals and their neighbours. */
  private other(line: string, text: string, id: string | null, ctx: LineContext): LineResult {
    const c0 = text.charCodeAt(0);
    const c1 = text.charCodeAt(1);
    // Host/user/sender fields first: `H=…`, `U=…`, `F=…` then a verb.
    if (c1 === 61 /* = */ && (c0 === 72 /* H */ || c0 === 85 /* U */ || c0 === 70 /* F */)) {
      const scan = scanFields(text, 0);
      if (scan.reasonAt < 0) {
        const ev = fieldReject(text, scan.end, scan, id, ctx);
        if (ev) return this.reject(ev, line, ctx);
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
      return ev ? this.reject(ev, line, ctx) : UNRECOGNISED;
    }
    const ev = otherReject(text, id, ctx);
    if (ev) return this.reject(ev, line, ctx);
    if (id === null) {
      const reason = matchPrefix(PLAIN_RULES, text) ?? protocolErrorReason(text);
      if (reason) return ignored(reason);
      if (text.startsWith('exim ') && text.includes(' daemon started')) return ignored('bookkeeping');
    } else if (isHostThenText(text)) {
      // Older per-host form without `H=`: `<id> mx.example [2001:db8::1] Network is unreachable`.
      return ignored('session');
    }
    if (isAuthFailure(text)) return ignored('auth');
    return UNRECOGNISED;
  }

  private reject(ev: RejectEvent, line: string, ctx: LineContext): LineResult {
    // Same time and same text as a rejection counted from another input: the rejectlog copy of a
    // mainlog line (or the other way round). `bookkeeping`, since the IgnoreReason enum has no
    // "duplicate"; the event was already counted once.
    if (this.rejects.isDuplicate(`${ctx.time ?? ''}\u0000${line}`, this.input)) return ignored('bookkeeping');
    return recognised(ev);
  }
}

/** `name [addr] text` (a host then its bracketed address), as older Exim logged per-host errors. */
function isHostThenText(text: string): boolean {
  const sp = text.indexOf(' ');
  if (sp <= 0 || sp > 255 || text.charCodeAt(sp + 1) !== 91 /* [ */) return false;
  const close = text.indexOf('] ', sp + 2);
  return close > sp + 2 && close - sp < 48;
}
