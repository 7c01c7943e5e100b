/**
 * Field readers for Exim log texts: the `KEY=value` items of arrival, delivery and reject lines
 * (spec "Summary of Fields in Log Lines"; deliver.c delivery_log/deferral_log/failure_log,
 * host.c host_and_ident), the `H=` host in all its shapes, and remote SMTP replies quoted in
 * bounce and defer reasons. Hand-written scanners: each step moves forward, every search is
 * bounded by the next space or done once per line, so a crafted 1 MB line stays linear.
 */
import { enhancedEnd, replyCodeAt } from '../../src/text/smtp-reply.js';
import type { Peer } from '../../src/event.js';

/** `H=` as Exim logs it: `name (helo) [ip]:port`, `(helo) [ip]`, `[ip]`, `name [ip]*`, `name`. */
export interface HostField {
  peer: Peer;
  /** The name the client gave in HELO/EHLO (the parenthesised part), if logged. */
  helo: string | null;
}

/**
 * The fields the parser reads, with `<>` and quotes removed (undefined: not in the line). The
 * others are stepped over without being kept: one object shape for every line, and no string
 * made for a value nobody reads.
 */
export class Fields {
  C: string | undefined = undefined;
  F: string | undefined = undefined;
  P: string | undefined = undefined;
  QT: string | undefined = undefined;
  R: string | undefined = undefined;
  S: string | undefined = undefined;
  T: string | undefined = undefined;

  /** `a` with the fields `b` has put over it (as an object spread of the two would). */
  static over(a: Fields, b: Fields): Fields {
    const f = new Fields();
    f.C = b.C ?? a.C;
    f.F = b.F ?? a.F;
    f.P = b.P ?? a.P;
    f.QT = b.QT ?? a.QT;
    f.R = b.R ?? a.R;
    f.S = b.S ?? a.S;
    f.T = b.T ?? a.T;
    return f;
  }
}

/** Which of Fields a key of `len` characters at `at` is: its index in KEPT, or -1 (not kept; `H` is read apart). */
function keptKey(text: string, at: number, len: number): number {
  const c = text.charCodeAt(at);
  if (len === 2) return c === 81 /* Q */ && text.charCodeAt(at + 1) === 84 /* T */ ? QT : -1;
  if (len !== 1) return -1;
  switch (c) {
    case 67: return C;
    case 70: return F;
    case 80: return P;
    case 82: return R;
    case 83: return S;
    case 84: return T;
    default: return -1;
  }
}
const C = 0, F = 1, P = 2, QT = 3, R = 4, S = 5, T = 6;

function keep(fields: Fields, k: number, value: string): void {
  switch (k) {
    case C: fields.C = value; break;
    case F: fields.F = value; break;
    case P: fields.P = value; break;
    case QT: fields.QT = value; break;
    case R: fields.R = value; break;
    case S: fields.S = value; break;
    case T: fields.T = value; break;
  }
}

export interface ScanResult {
  fields: Fields;
  host: HostField | null;
  /** Where scanning stopped: the first token that is not a field (or the text's length). */
  end: number;
  /** Start of the reason after a `: ` or ` : ` separator, or -1 if none was met. */
  reasonAt: number;
}

// Field keys Exim writes (A, C, Ci, CV, D, DKIM, DN, DT, F, H, I, id, K, L, M8S, P, PRDR, PRX,
// PS, Q, QT, R, RT, S, SNI, ST, T, TFO, U, X, SPF, DMARC) are 1–5 letters or digits.
const MAX_KEY = 5;
/** Bare flag items that may stand between fields. */
const FLAGS = new Set(['K', 'L', 'L-', 'PRDR', 'DS', 'TFO', 'TFO*', '*']);

/** An ASCII letter or digit: what field keys and message ids are made of. */
export function isAlnum(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** Longest address and HELO name looked for inside `<…>` and `(…)`; longer runs are not fields. */
const MAX_ADDRESS = 1024;
const MAX_HELO = 300;

/** `text.indexOf(needle, from)` limited to `limit` characters, so repeated calls stay linear. */
export function boundedIndexOf(text: string, needle: string, from: number, limit: number): number {
  const i = text.slice(from, from + limit + needle.length).indexOf(needle);
  return i < 0 ? -1 : from + i;
}

/** End of the token at `at`: the next space, or the text's length. */
export function tokenEnd(text: string, at: number): number {
  const sp = text.indexOf(' ', at);
  return sp < 0 ? text.length : sp;
}

/**
 * Reads `KEY=value` items from `at`. Strict mode stops at the first token that is neither a field
 * nor a flag (that is where a verb like `rejected` or `defer` begins); lenient mode skips such
 * tokens (arrival and delivery lines end with `for a@x b@y` and other free items). Both stop at
 * a reason separator: a lone `:` token (Exim 4.99+ ` : `) or a value ending in `:` (older `: `).
 */
export function scanFields(text: string, at: number, lenient = false): ScanResult {
  const fields = new Fields();
  let host: HostField | null = null;
  let pos = at;
  const len = text.length;
  while (pos < len) {
    // A separator token `:` followed by a space or the end.
    if (text.charCodeAt(pos) === 58 /* : */ && (pos + 1 === len || text.charCodeAt(pos + 1) === 32)) {
      return { fields, host, end: pos, reasonAt: Math.min(pos + 2, len) };
    }
    let eq = -1;
    for (let i = pos; i < len && i <= pos + MAX_KEY; i++) {
      const c = text.charCodeAt(i);
      if (c === 61 /* = */) {
        eq = i > pos ? i : -1;
        break;
      }
      if (!isAlnum(c)) break;
    }
    if (eq < 0) {
      const te = tokenEnd(text, pos);
      if (lenient || FLAGS.has(text.slice(pos, te))) {
        pos = te + 1;
        continue;
      }
      return { fields, host, end: pos, reasonAt: -1 };
    }
    const v = eq + 1;
    let next: number; // index just after the value
    if (eq - pos === 1 && text.charCodeAt(pos) === 72 /* H */) {
      const h = readHost(text, v);
      host = h.host;
      next = h.end;
    } else {
      const k = keptKey(text, pos, eq - pos);
      const c = text.charCodeAt(v);
      if (c === 34 /* " */) {
        const q = readQuoted(text, v);
        keep(fields, k, q.value);
        next = q.end;
      } else if (c === 60 /* < */ && (k === F || k === P)) {
        const close = boundedIndexOf(text, '>', v + 1, MAX_ADDRESS);
        const e = close < 0 ? tokenEnd(text, v) : close + 1;
        keep(fields, k, text.slice(v + 1, close < 0 ? e : close));
        next = e;
      } else {
        next = tokenEnd(text, v);
        if (text.charCodeAt(next - 1) === 58 /* : */ && next - 1 > v) {
          if (k >= 0) keep(fields, k, text.slice(v, next - 1));
          return { fields, host, end: next - 1, reasonAt: Math.min(next + 1, len) };
        }
        if (k >= 0) keep(fields, k, text.slice(v, next));
      }
    }
    if (next >= len) return { fields, host, end: len, reasonAt: -1 };
    const after = text.charCodeAt(next);
    if (after === 58 /* : */ && (next + 1 === len || text.charCodeAt(next + 1) === 32)) {
      return { fields, host, end: next, reasonAt: Math.min(next + 2, len) };
    }
    if (after !== 32) {
      // Something glued to the value (`"…"x`): not a field list we understand; stop here.
      return { fields, host, end: next, reasonAt: -1 };
    }
    pos = next + 1;
  }
  return { fields, host, end: len, reasonAt: -1 };
}

/**
 * A `"…"` value (C=, DN=, T= on arrivals): Exim escapes `"` and `\` with a backslash in C=;
 * the closing quote is one followed by a space, a colon or the end. Unterminated: to the end.
 */
function readQuoted(text: string, at: number): { value: string; end: number } {
  const len = text.length;
  let i = at + 1;
  let escaped = false;
  let out = '';
  let runStart = i;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (escaped) {
      escaped = false;
      continue;
    }
    if (c === 92 /* \ */) {
      const n = text.charCodeAt(i + 1);
      if (n === 34 || n === 92) {
        out += text.slice(runStart, i);
        runStart = i + 1;
        escaped = true;
      }
      continue;
    }
    if (c === 34) {
      const n = i + 1 < len ? text.charCodeAt(i + 1) : 32;
      if (n === 32 || n === 58) {
        return { value: out + text.slice(runStart, i), end: i + 1 };
      }
    }
  }
  return { value: out + text.slice(runStart), end: len };
}

/**
 * `H=` value at `at`. Shapes (host_and_ident, d_hostlog): `name [ip]`, `name (helo) [ip]`,
 * `(helo) [ip]`, `[ip]`, `name DS [ip]`, each `[ip]` optionally followed by `:port` and `*`,
 * and a bare `name` for local transports. A `[` left unclosed before the next space (a cut or
 * hand-edited line) is read as far as the space, minus a trailing `:`.
 */
export function readHost(text: string, at: number): { host: HostField; end: number } {
  let pos = at;
  let name: string | null = null;
  let helo: string | null = null;
  let ip: string | null = null;
  let port: number | null = null;
  const c = text.charCodeAt(pos);
  if (c !== 91 /* [ */ && c !== 40 /* ( */) {
    const e = tokenEnd(text, pos);
    // `H=name:` (reason follows) — leave the colon for the caller.
    const stop = text.charCodeAt(e - 1) === 58 && e - 1 > pos ? e - 1 : e;
    name = text.slice(pos, stop) || null;
    pos = stop;
    if (stop < e) return { host: { peer: { name, ip, port }, helo }, end: pos };
  }
  const parenAt = text.charCodeAt(pos) === 40 ? pos : text.startsWith(' (', pos) ? pos + 1 : -1;
  if (parenAt >= 0) {
    // HELO names may hold brackets (`([10.0.0.1])`); the closing `)` is followed by a space.
    let close = boundedIndexOf(text, ') ', parenAt + 1, MAX_HELO);
    if (close < 0 && text.endsWith(')')) close = text.length - 1;
    if (close > parenAt) {
      helo = text.slice(parenAt + 1, close);
      pos = close + 1;
    }
  }
  if (text.startsWith(' DS [', pos)) pos += 3;
  const bracketAt = text.charCodeAt(pos) === 91 ? pos : text.startsWith(' [', pos) ? pos + 1 : -1;
  if (bracketAt >= 0) {
    const e = tokenEnd(text, bracketAt);
    const close = bracketAt + text.slice(bracketAt, e).lastIndexOf(']');
    if (close > bracketAt) {
      ip = text.slice(bracketAt + 1, close) || null;
      pos = close + 1;
      if (text.charCodeAt(pos) === 58 /* : */) {
        let d = pos + 1;
        while (d < e && d - pos <= 5 && isDigit(text.charCodeAt(d))) d++;
        if (d > pos + 1) {
          port = Number(text.slice(pos + 1, d));
          if (port > 65535) port = null;
          pos = d;
        }
      }
      if (text.charCodeAt(pos) === 42 /* * */) pos++;
    } else {
      // Unclosed bracket: `[4.4.4.4:` — an address-looking run up to the space.
      const stop = text.charCodeAt(e - 1) === 58 ? e - 1 : e;
      const inner = text.slice(bracketAt + 1, stop);
      if (looksLikeIp(inner)) {
        ip = inner;
        pos = stop;
      }
    }
  }
  return { host: { peer: { name, ip, port }, helo }, end: pos };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function looksLikeIp(s: string): boolean {
  if (s.length === 0 || s.length > 45) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(isDigit(c) || c === 46 || c === 58 || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** The peer of an `H=` field; null when it names neither a host nor an address. */
export function peerOf(h: HostField | null): Peer | null {
  if (!h) return null;
  return h.peer.name === null && h.peer.ip === null ? null : h.peer;
}

/** `F=<a@b>` / `F=a@b` / `F=<>` value as an address (`<>` is the null sender, ''). */
export function unangle(v: string): string {
  return v.length >= 2 && v.charCodeAt(0) === 60 && v.charCodeAt(v.length - 1) === 62 ? v.slice(1, -1) : v;
}

export interface Reply {
  code: number | null;
  enhanced: string | null;
}

/**
 * A reply at the start of `text`: `550 5.1.1 …`, `550-5.1.1 …` (first line of a multi-line
 * reply, Exim keeps the rest as a literal `\n550 …`), `452 4.5.3 …`, `599 Main code`. The
 * enhanced code counts only with the reply's class (`550 5.1.1`, not `550 4.1.1`).
 */
export function leadingReply(text: string, at = 0): Reply {
  const code = replyCodeAt(text, at);
  if (code === null) return { code: null, enhanced: null };
  const end = at + 3 === text.length ? 0 : enhancedEnd(text, at + 4);
  const sameClass = text.charCodeAt(at + 4) === text.charCodeAt(at);
  return { code, enhanced: end > 0 && sameClass ? text.slice(at + 4, end) : null };
}

export interface RemoteError {
  /** The remote host that replied: `host NAME [ip]:` in the text (older Exim), else null. */
  remoteHost: string | null;
  remoteIp: string | null;
  code: number | null;
  enhanced: string | null;
  /** SMTP command the reply answered, normalised: `RCPT TO`, `MAIL FROM`, `end of DATA`, … */
  inReplyTo: string | null;
}

const NO_REMOTE: RemoteError = Object.freeze({ remoteHost: null, remoteIp: null, code: null, enhanced: null, inReplyTo: null });

// smtp transport (transports/smtp.c): "SMTP error from remote mail server after …" (4.x), older
// "SMTP error from remote mailer after …"; lmtp transport: "LMTP error after …".
const REMOTE_PREFIXES = ['SMTP error from remote mail server after ', 'SMTP error from remote mailer after ', 'LMTP error after '];

/**
 * Reads the remote reply quoted in a bounce/defer reason:
 * `SMTP error from remote mail server after RCPT TO:<x@y>: 550 5.1.1 …` (4.93+, host in H=),
 * `… after end of data: host mx.y [192.0.2.1]: 554 …` (≤4.92), `… after pipelined RCPT TO:<…>: …`.
 */
export function remoteError(reason: string): RemoteError {
  let at = -1;
  let p = -1;
  for (const prefix of REMOTE_PREFIXES) {
    at = reason.indexOf(prefix);
    if (at >= 0) {
      p = at + prefix.length;
      break;
    }
  }
  if (at < 0) return NO_REMOTE;
  if (reason.startsWith('pipelined ', p)) p += 10;
  const cmdStart = p;
  let colon: number;
  if (reason.startsWith('RCPT TO:<', p) || reason.startsWith('MAIL FROM:<', p)) {
    const close = reason.indexOf('>', p);
    colon = close < 0 ? -1 : reason.indexOf(': ', close);
  } else {
    colon = reason.indexOf(': ', p);
  }
  const cmd = reason.slice(cmdStart, colon < 0 ? reason.length : colon);
  const inReplyTo = commandName(cmd);
  if (colon < 0) return { ...NO_REMOTE, inReplyTo };
  let r = colon + 2;
  let remoteHost: string | null = null;
  let remoteIp: string | null = null;
  if (reason.startsWith('host ', r)) {
    const h = readHost(reason, r + 5);
    if (reason.startsWith(': ', h.end)) {
      remoteHost = h.host.peer.name;
      remoteIp = h.host.peer.ip;
      r = h.end + 2;
    }
  }
  const reply = leadingReply(reason, r);
  return { remoteHost, remoteIp, code: reply.code, enhanced: reply.enhanced, inReplyTo };
}

/** `RCPT TO:<x>` → `RCPT TO`, `end of data` → `end of DATA`, `EHLO host` → `EHLO`. */
export function commandName(cmd: string): string | null {
  if (cmd.startsWith('RCPT TO')) return 'RCPT TO';
  if (cmd.startsWith('MAIL FROM')) return 'MAIL FROM';
  if (cmd === 'end of data') return 'end of DATA';
  if (cmd === 'initial connection') return 'initial connection';
  const sp = cmd.indexOf(' ');
  const word = sp < 0 ? cmd : cmd.slice(0, sp);
  return /^[A-Za-z]{2,10}$/.test(word) ? word.toUpperCase() : null;
}
