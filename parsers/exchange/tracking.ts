/**
 * One message tracking record → events, whichever form it came in (native MSGTRK* row,
 * Get-MessageTrackingLog | Export-Csv row, Format-List block). Event ids and sources follow
 * Microsoft Learn "Message tracking" (tables "Event types" and "Source values"); the forms of
 * recipient-status are in status.ts.
 *
 *   FAIL                        → DeliveryEvent `bounced`, one per recipient
 *   DEFER                       → DeliveryEvent `deferred`, one per recipient
 *   DELIVER, SEND, SENDEXTERNAL → DeliveryEvent `sent`, one per recipient (so sent counts exist;
 *                                 a local recipient can show both a SEND to the Mailbox Transport
 *                                 Delivery service and its DELIVER when MSGTRK and MSGTRKMD are read)
 *   DSN                         → NotificationEvent (the notification message itself; its
 *                                 `reference` is the message-id of the message it reports on)
 *   RECEIVE, TRANSFER           → no event; they feed correlation (correlate.ts)
 *   the rest                    → ignored, reasons in NO_EVENT
 */
import type { DeliveryEvent, DeliveryStatus, IgnoreReason, MailEvent, NotificationEvent, Peer } from '../../src/event.js';
import { ignored, recognised, RECOGNISED_NO_EVENT, UNRECOGNISED, type LineResult } from '../types.js';
import type { MessageTable } from './correlate.js';
import { parseStatus, statusFor } from './status.js';

/** A tracking record with the fields events are built from; '' where the record has none. */
export interface TrackingRow {
  /** ISO 8601 UTC, or null when absent or unreadable. */
  time: string | null;
  clientIp: string;
  clientHostname: string;
  serverIp: string;
  serverHostname: string;
  sourceContext: string;
  connectorId: string;
  source: string;
  eventId: string;
  internalId: string;
  messageId: string;
  recipients: string[];
  /** One status per recipient where the record aligns them (status.ts). */
  statuses: string[];
  reference: string;
  subject: string;
  sender: string;
  returnPath: string;
  messageInfo: string;
  /** Export-Csv wrote `System.String[]` instead of Recipients or RecipientStatus. */
  unexpanded: boolean;
}

export interface Provenance {
  raw: string;
  file: string;
  line: number;
}

/**
 * Recipients taken from one record at most. Exchange caps recipients per message (500 by
 * default, MaxRecipientsPerMessage); a longer list is a crafted line, and the rest is counted.
 */
export const MAX_RECIPIENTS_PER_ROW = 1000;

const DELIVERY_STATUS: Record<string, DeliveryStatus> = {
  FAIL: 'bounced',
  DEFER: 'deferred',
  DELIVER: 'sent',
  SEND: 'sent',
  SENDEXTERNAL: 'sent',
};

/**
 * Event ids that are known and not an event of ours, and why:
 * - bookkeeping: the normal life of a message (submission, shadow copies, agent notes, address
 *   resolution and expansion, moderation steps, loading at boot) — nothing refused;
 * - warning: trouble inside Exchange that is not a recipient's outcome: shadow redundancy
 *   failures (HAREDIRECTFAIL), poison and bad mail, throttling, and the hand-off between the
 *   Mailbox Transport Submission and Transport services (SUBMITDEFER/SUBMITFAIL and the Safety
 *   Net resubmits), which Exchange retries and whose final failure for a recipient it logs as FAIL;
 * - content-action: DROP, a message deleted without an NDR (spam, a transport rule's silent delete).
 */
const NO_EVENT: Record<string, IgnoreReason> = {
  AGENTINFO: 'bookkeeping',
  CLIENTSUBMISSION: 'bookkeeping',
  DUPLICATEDELIVER: 'bookkeeping',
  DUPLICATEEXPAND: 'bookkeeping',
  DUPLICATEREDIRECT: 'bookkeeping',
  EXPAND: 'bookkeeping',
  HADISCARD: 'bookkeeping',
  HARECEIVE: 'bookkeeping',
  HAREDIRECT: 'bookkeeping',
  INITMESSAGECREATED: 'bookkeeping',
  LOAD: 'bookkeeping',
  MODERATIONEXPIRE: 'bookkeeping',
  MODERATORAPPROVE: 'bookkeeping',
  MODERATORREJECT: 'bookkeeping',
  MODERATORSALLNDR: 'bookkeeping',
  NOTIFYMAPI: 'bookkeeping',
  NOTIFYSHADOW: 'bookkeeping',
  PROCESS: 'bookkeeping',
  PROCESSMEETINGMESSAGE: 'bookkeeping',
  REDIRECT: 'bookkeeping',
  RESOLVE: 'bookkeeping',
  RESUBMIT: 'bookkeeping',
  SUBMIT: 'bookkeeping',
  SUPPRESSED: 'bookkeeping',
  BADMAIL: 'warning',
  DELIVERFAIL: 'warning',
  HAREDIRECTFAIL: 'warning',
  POISONMESSAGE: 'warning',
  RESUBMITDEFER: 'warning',
  RESUBMITFAIL: 'warning',
  SUBMITDEFER: 'warning',
  SUBMITFAIL: 'warning',
  THROTTLE: 'warning',
  DROP: 'content-action',
};

/** Why map() ignores a row of this event id (any case), or null when it does not ignore it. */
export function ignoreReasonOf(eventId: string): IgnoreReason | null {
  return NO_EVENT[eventId.toUpperCase()] ?? null;
}

/** Does map() make delivery events of a row of this event id (any case)? */
export function isDeliveryEventId(eventId: string): boolean {
  return DELIVERY_STATUS[eventId.toUpperCase()] !== undefined;
}

/** Does map() make a `sent` delivery of a row of this event id (any case)? */
export function isSentEventId(eventId: string): boolean {
  return DELIVERY_STATUS[eventId.toUpperCase()] === 'sent';
}

/** Every event id this module knows (sniffing uses it to recognise a headerless row). */
export const KNOWN_EVENT_IDS: ReadonlySet<string> = new Set([
  ...Object.keys(DELIVERY_STATUS),
  ...Object.keys(NO_EVENT),
  'RECEIVE',
  'TRANSFER',
  'DSN',
]);

export class TrackingMapper {
  /** Recipients beyond MAX_RECIPIENTS_PER_ROW, not turned into events. */
  recipientsDropped = 0;
  /** Export-Csv rows whose Recipients or RecipientStatus said `System.String[]`. */
  unexpandedRows = 0;

  constructor(private readonly table: MessageTable) {}

  map(row: TrackingRow, p: Provenance): LineResult {
    const eventId = row.eventId.toUpperCase();
    if (row.unexpanded) this.unexpandedRows++;
    if (row.recipients.length > MAX_RECIPIENTS_PER_ROW) {
      this.recipientsDropped += row.recipients.length - MAX_RECIPIENTS_PER_ROW;
      row.recipients = row.recipients.slice(0, MAX_RECIPIENTS_PER_ROW);
    }
    const status = DELIVERY_STATUS[eventId];
    if (status) {
      if (status !== 'sent') this.remember(row);
      return recognised(...this.deliveries(row, status, p));
    }
    switch (eventId) {
      case 'RECEIVE':
        this.received(row.internalId, row.messageId, row.clientIp, row.clientHostname, row.sender, row.returnPath);
        return RECOGNISED_NO_EVENT;
      case 'TRANSFER':
        if (row.reference !== '' && row.internalId !== '') this.table.forked(row.reference, row.internalId);
        return RECOGNISED_NO_EVENT;
      case 'DSN':
        return recognised(this.notification(row, p));
    }
    const reason = NO_EVENT[eventId];
    return reason ? ignored(reason) : UNRECOGNISED;
  }

  /** FAIL/DEFER rows name the message for a later DSN row. */
  private remember(row: TrackingRow): void {
    if (row.internalId !== '' && row.messageId !== '') this.table.named(row.messageId, row.internalId);
  }

  /**
   * A RECEIVE row, by its cells as a native row has them (TrackingRow trims the ids and the
   * sender; trimming again changes nothing): it says who sent the message and names it. All
   * map() does with such a row, which gives no event; FrontMachine.update() calls it directly.
   */
  received(internalId: string, messageId: string, clientIp: string, clientHostname: string, sender: string, returnPath: string): void {
    const id = internalId.trim();
    if (id === '') return;
    const name = messageId.trim();
    if (name !== '') this.table.named(name, id);
    this.table.received(id, { client: peerOf(clientIp, clientHostname), from: senderFrom(sender.trim(), returnPath) });
  }

  private deliveries(row: TrackingRow, status: DeliveryStatus, p: Provenance): MailEvent[] {
    const source = row.source.toUpperCase();
    const smtp = source === 'SMTP';
    // An SMTP FAIL on a Receive connector (`SERVER\Connector`; Send connectors have plain names)
    // or by a receive agent (`Sender Id Agent`) is this server refusing what a client sent.
    const receiveSide = smtp && status !== 'sent' && (row.connectorId.includes('\\') || isAgentName(row.sourceContext));
    const sendSide = smtp && !receiveSide;
    const ownFrom = senderOf(row);
    const ownClient = clientOf(row);
    // The RECEIVE row's facts, only for what this row lacks.
    const known = row.internalId === '' || (ownFrom !== null && ownClient !== null) ? undefined : this.table.get(row.internalId);
    const time = row.time;
    // On SMTP sends server-hostname is the destination; message-info names the logging server.
    const host = (sendSide ? loggingServer(row.messageInfo) : null) ?? (row.serverHostname || null);
    const program = source === '' ? row.eventId : `${row.source}/${row.eventId}`;
    const queueId = row.internalId || null;
    const origin = { file: p.file, line: p.line };
    const agent = source === '' ? null : source.toLowerCase();
    const from = ownFrom ?? known?.from ?? null;
    const client = ownClient ?? known?.client ?? null;
    const recipients: (string | null)[] = row.recipients.length > 0 ? row.recipients : [null];
    const events: MailEvent[] = [];
    for (let i = 0; i < recipients.length; i++) {
      const st = parseStatus(statusFor(row.statuses, i, recipients.length));
      let relay: Peer | null = null;
      if (sendSide) {
        // Always a peer on the sending side (all parts may be unknown): classification reads a
        // null relay on an SMTP row as the receiving side.
        relay = { name: row.serverHostname || st.remoteName, ip: row.serverIp || st.remoteIp, port: null };
      } else if (!receiveSide && (st.remoteName !== null || st.remoteIp !== null)) {
        relay = { name: st.remoteName, ip: st.remoteIp, port: null };
      }
      // One literal with every field (no spread): V8 gives all events one fast shape.
      const ev: DeliveryEvent = {
        kind: 'delivery',
        mta: 'exchange',
        time,
        host,
        program,
        queueId,
        raw: p.raw,
        origin,
        status,
        agent,
        router: null,
        to: recipients[i]!,
        origTo: null,
        relay,
        dsn: st.dsn,
        reason: st.reason,
        smtpCode: st.smtpCode,
        remoteHost: receiveSide ? null : (st.remoteName ?? st.remoteIp),
        inReplyTo: null,
        from,
        client,
        // Message tracking logs no per-recipient delay.
        delay: null,
      };
      events.push(ev);
    }
    return events;
  }

  private notification(row: TrackingRow, p: Provenance): MailEvent {
    const ev: NotificationEvent = {
      kind: 'notification',
      mta: 'exchange',
      time: row.time,
      host: row.serverHostname || null,
      program: row.source === '' ? row.eventId : `${row.source}/${row.eventId}`,
      queueId: row.reference === '' ? null : this.table.internalIdOf(row.reference),
      raw: p.raw,
      origin: { file: p.file, line: p.line },
      notice: noticeOf(row.subject),
      recipient: 'sender',
      notificationQueueId: row.internalId || null,
    };
    return ev;
  }
}

/** Exchange's default DSN subjects (English; other organisation languages fall back to non-delivery). */
function noticeOf(subject: string): 'non-delivery' | 'delay' | 'success' {
  if (subject.startsWith('Delivery delayed:')) return 'delay';
  if (subject.startsWith('Delivered:') || subject.startsWith('Relayed:')) return 'success';
  return 'non-delivery';
}

/** `Sender Id Agent`, `Transport Rule Agent`, `Content Filter Agent`: agent names end so. */
function isAgentName(context: string): boolean {
  return context.endsWith(' Agent');
}

function clientOf(row: TrackingRow): Peer | null {
  return peerOf(row.clientIp, row.clientHostname);
}

function peerOf(ip: string, hostname: string): Peer | null {
  if (ip === '' && hostname === '') return null;
  return { name: hostname || null, ip: ip || null, port: null };
}

function senderOf(row: TrackingRow): string | null {
  return senderFrom(row.sender, row.returnPath);
}

/** sender-address (the Sender:/From: header), else the envelope return-path (`<>` → ''). */
function senderFrom(sender: string, returnPath: string): string | null {
  if (sender !== '') return sender;
  const rp = returnPath.trim();
  if (rp === '') return null;
  return rp.startsWith('<') && rp.endsWith('>') ? rp.slice(1, -1) : rp;
}

/**
 * The server that wrote a SEND row: `LSRV=exchange.example.com:TOTAL-HUB=…` in message-info,
 * else the last `SRV=` hop (`…;SRV=host:TOTAL-FE=…;SRV=host:TOTAL-HUB=…`).
 */
export function loggingServer(info: string): string | null {
  let at = info.indexOf('LSRV=');
  let start = at + 5;
  if (at < 0) {
    at = info.lastIndexOf('SRV=');
    if (at < 0) return null;
    start = at + 4;
  }
  let end = start;
  while (end < info.length && end - start < 255) {
    const c = info.charCodeAt(end);
    if (c === 58 /* : */ || c === 59 /* ; */ || c === 124 /* | */ || c === 44 /* , */) break;
    end++;
  }
  return end > start ? info.slice(start, end) : null;
}
