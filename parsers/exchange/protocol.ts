/**
 * SMTP Receive protocol logs (RECV*.LOG, `#Log-type: SMTP Receive Protocol Log`): the SMTP
 * conversation of every session on the Receive connectors that have protocol logging on.
 * Followed: Microsoft Learn "Protocol logging" (Exchange Server 2016/2019/SE; fields date-time,
 * connector-id, session-id, sequence-number, local-endpoint, remote-endpoint, event, data,
 * context; event `+` connect, `-` disconnect, `>` sent, `<` received, `*` information).
 *
 * Rejections at SMTP time by a Receive connector or a receive agent (relay, anonymous
 * submission, recipient filtering, back pressure) are written only here, as the reply to the
 * client's command. Exchange logs pipelined commands before their replies (`<` MAIL FROM,
 * `<` RCPT TO, then `>` 250 Sender OK, `>` 550 Unable to relay), so each session keeps its
 * commands in order and pairs every reply with the oldest command still waiting for one.
 *
 * SMTP Send protocol logs have the same columns with the roles swapped (`>` is our command);
 * their failures are in the message tracking log as FAIL/DEFER, so their rows are ignored.
 */
import { flatCopy } from '../../src/text/flat-copy.js';
import type { MailEvent, Peer, RejectEvent } from '../../src/event.js';
import { ignored, recognised, RECOGNISED_NO_EVENT, UNRECOGNISED, type LineResult } from '../types.js';
import { CappedMap } from '../capped-map.js';
import type { Provenance } from './tracking.js';
import { utcTime } from './time.js';

/** Sessions followed at once. Each lives from connect to disconnect, seconds to minutes. */
export const MAX_SESSIONS = 10_000;
/** Commands awaiting a reply in one session; a client pipelines a few dozen at most. */
const MAX_PENDING = 256;
/** Sequence numbers at which the greeting can be: `+` connect, `*` session permissions, `>` 220. */
const MAX_GREETING_SEQUENCE = 3;

export interface ProtocolRow {
  dateTime: string;
  connectorId: string;
  sessionId: string;
  /** Counter from 0 per session; the greeting is among the first rows. */
  sequence: number;
  remoteEndpoint: string;
  event: string;
  data: string;
  context: string;
}

type Verb = 'EHLO' | 'HELO' | 'MAIL' | 'RCPT' | 'DATA' | 'BDAT' | 'END-OF-MESSAGE' | 'AUTH' | 'STARTTLS' | 'RSET' | 'OTHER';

interface Pending {
  verb: Verb;
  /** MAIL FROM / RCPT TO address; `BDAT … LAST` marks the last chunk. */
  arg: string | null;
}

/** What a session keeps past its row is a copy (flatCopy): a slice would hold the row's chunk of the log alive. */
interface Session {
  helo: string | null;
  proto: string | null;
  from: string | null;
  /** Recipients accepted in the current transaction (the first names an END-OF-MESSAGE reject). */
  firstRecipient: string | null;
  mailRejected: boolean;
  commandSeen: boolean;
  pending: Pending[];
}

const newSession = (): Session => ({
  helo: null,
  proto: null,
  from: null,
  firstRecipient: null,
  mailRejected: false,
  commandSeen: false,
  pending: [],
});

const REPLY_RE = /^([2-5]\d\d)(?:[ -]+|$)/;
const ENHANCED_RE = /^([245]\.\d{1,3}\.\d{1,3})(?:[ ;]+|$)/;

export class ReceiveSessions {
  evicted = 0;
  private readonly sessions: CappedMap<Session>;

  constructor(cap = MAX_SESSIONS) {
    this.sessions = new CappedMap(cap, () => this.evicted++);
  }

  row(r: ProtocolRow, p: Provenance): LineResult {
    switch (r.event) {
      case '+':
        this.sessions.delete(r.sessionId);
        this.session(r.sessionId);
        return ignored('session');
      case '-':
        this.sessions.delete(r.sessionId);
        return ignored('session');
      case '<':
        return this.command(this.session(r.sessionId), r.data);
      case '>':
        return this.reply(this.session(r.sessionId), r, p);
      case '*':
        return ignored(infoReason(`${r.data} ${r.context}`));
      default:
        return UNRECOGNISED;
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  /** The session, created on first sight (a log that starts mid-session has no `+` row for it). */
  private session(id: string): Session {
    let s = this.sessions.get(id);
    if (!s) {
      s = newSession();
      this.sessions.set(flatCopy(id), s);
    }
    return s;
  }

  /** A client command (`<` row): queue it for its reply. */
  private command(s: Session, data: string): LineResult {
    s.commandSeen = true;
    const sp = data.indexOf(' ');
    const word = (sp < 0 ? data : data.slice(0, sp)).toUpperCase();
    let verb: Verb;
    let arg: string | null = null;
    let reason: 'auth' | 'tls' | 'session' | null = null;
    switch (word) {
      case 'EHLO':
      case 'HELO':
        verb = word;
        s.helo = flatCopy(data.slice(5).trim()) || null;
        s.proto = word === 'EHLO' ? 'ESMTP' : 'SMTP';
        break;
      case 'MAIL':
      case 'RCPT':
        verb = word;
        arg = angleAddress(data);
        if (arg !== null) arg = flatCopy(arg);
        break;
      case 'DATA':
        verb = 'DATA';
        break;
      case 'BDAT':
        verb = 'BDAT';
        arg = data.toUpperCase().endsWith(' LAST') ? 'LAST' : null;
        break;
      case 'AUTH':
        verb = 'AUTH';
        reason = 'auth';
        break;
      case 'STARTTLS':
        verb = 'STARTTLS';
        reason = 'tls';
        break;
      case 'RSET':
        verb = 'RSET';
        reason = 'session';
        break;
      default:
        verb = 'OTHER';
        reason = 'session';
    }
    if (s.pending.length >= MAX_PENDING) s.pending.shift();
    s.pending.push({ verb, arg });
    return reason === null ? RECOGNISED_NO_EVENT : ignored(reason);
  }

  /** Our reply (`>` row): pair it with the oldest waiting command. */
  private reply(s: Session, r: ProtocolRow, p: Provenance): LineResult {
    const m = REPLY_RE.exec(r.data);
    if (!m) return ignored('session');
    const code = Number(m[1]);
    const head = s.pending[0];
    // Intermediate replies keep the command waiting: 334 for each AUTH step, 354 before the body.
    if (head && code === 334 && head.verb === 'AUTH') return ignored('auth');
    if (head && code === 354 && head.verb === 'DATA') {
      head.verb = 'END-OF-MESSAGE';
      return ignored('session');
    }
    const cmd = s.pending.shift();
    if (code < 400) {
      if (cmd) this.accepted(s, cmd);
      return cmd?.verb === 'AUTH' ? ignored('auth') : cmd?.verb === 'STARTTLS' ? ignored('tls') : ignored('session');
    }
    let stage: string;
    let to: string | null = null;
    // The refused MAIL FROM names its own sender; later stages use the accepted one.
    let from = s.from;
    switch (cmd?.verb) {
      case undefined:
        // Nothing asked: the greeting refused (back pressure, connection limits) before any
        // command, or a timeout or shutdown notice later in the session (also a reply whose
        // command was before the start of this log: only the first rows can be a greeting).
        if (s.commandSeen || !(r.sequence <= MAX_GREETING_SEQUENCE)) return ignored('session');
        stage = 'CONNECT';
        break;
      case 'MAIL':
        s.mailRejected = true;
        stage = 'MAIL';
        from = cmd.arg;
        break;
      case 'RCPT':
        // `503 5.5.2 Need mail command` after a refused MAIL FROM repeats that refusal.
        if (code === 503 && s.mailRejected) return ignored('session');
        stage = 'RCPT';
        to = cmd.arg;
        break;
      case 'DATA':
      case 'BDAT':
        if (code === 503) return ignored('session');
        stage = cmd.verb === 'BDAT' && cmd.arg === 'LAST' ? 'END-OF-MESSAGE' : cmd.verb;
        to = s.firstRecipient;
        break;
      case 'END-OF-MESSAGE':
        stage = 'END-OF-MESSAGE';
        to = s.firstRecipient;
        break;
      case 'EHLO':
      case 'HELO':
        stage = cmd.verb;
        break;
      case 'AUTH':
        return ignored('auth');
      case 'STARTTLS':
        return ignored('tls');
      default:
        return ignored('session');
    }
    const connectStage = stage === 'CONNECT' || stage === 'HELO' || stage === 'EHLO';
    return recognised(this.reject(s, r, p, code, stage, connectStage ? null : from, to));
  }

  private accepted(s: Session, cmd: Pending): void {
    switch (cmd.verb) {
      case 'MAIL':
        s.from = cmd.arg;
        s.firstRecipient = null;
        s.mailRejected = false;
        break;
      case 'RCPT':
        s.firstRecipient ??= cmd.arg;
        break;
      case 'RSET':
      case 'END-OF-MESSAGE':
        s.from = null;
        s.firstRecipient = null;
        s.mailRejected = false;
        break;
      case 'BDAT':
        if (cmd.arg === 'LAST') s.firstRecipient = null;
        break;
    }
  }

  private reject(s: Session, r: ProtocolRow, p: Provenance, code: number, stage: string, from: string | null, to: string | null): MailEvent {
    let text = r.data.slice(REPLY_RE.exec(r.data)![0].length);
    const e = ENHANCED_RE.exec(text);
    if (e) text = text.slice(e[0].length);
    const slash = r.connectorId.indexOf('\\');
    const ev: RejectEvent = {
      kind: 'reject',
      mta: 'exchange',
      time: utcTime(r.dateTime),
      host: slash > 0 ? r.connectorId.slice(0, slash) : null,
      program: `SmtpReceive/${slash >= 0 ? r.connectorId.slice(slash + 1) : r.connectorId}`,
      queueId: null,
      raw: p.raw,
      origin: { file: p.file, line: p.line },
      via: 'connector',
      stage,
      smtpCode: code,
      enhancedStatus: e ? e[1]! : null,
      text,
      client: endpointPeer(r.remoteEndpoint),
      from,
      to,
      helo: s.helo,
      proto: s.proto,
    };
    return ev;
  }
}

/** `*` rows: TLS negotiation and certificates, authentication results, everything else session. */
function infoReason(text: string): 'tls' | 'auth' | 'session' {
  if (text.includes('TLS') || text.includes('certificate')) return 'tls';
  if (text.includes('AUTH') || text.includes('authentication') || text.includes('Logon')) return 'auth';
  return 'session';
}

/** `MAIL FROM:<a@b> SIZE=1`, `RCPT TO:<a@b>`, `MAIL FROM:<>` → `a@b`, '' ; null when there are no brackets. */
function angleAddress(data: string): string | null {
  const open = data.indexOf('<');
  if (open < 0) {
    const colon = data.indexOf(':');
    const bare = colon < 0 ? '' : data.slice(colon + 1).trim().split(' ')[0]!;
    return bare || null;
  }
  const close = data.indexOf('>', open);
  return close < 0 ? null : data.slice(open + 1, close);
}

/** `192.0.2.1:25`, `[2001:db8::1]:25` (how .NET prints an IPv6 endpoint); other forms keep the whole text as the IP. */
export function endpointPeer(text: string): Peer | null {
  if (text === '') return null;
  let ip = text;
  let portText = '';
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close > 0) {
      ip = text.slice(1, close);
      if (text.charCodeAt(close + 1) === 58) portText = text.slice(close + 2);
    }
  } else {
    const colon = text.indexOf(':');
    if (colon > 0 && colon === text.lastIndexOf(':')) {
      ip = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
  }
  const port = portText === '' ? NaN : Number(portText);
  return { name: null, ip, port: Number.isInteger(port) && port >= 0 && port <= 65535 ? port : null };
}
