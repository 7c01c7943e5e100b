/**
 * `--events FILE|-`: every rejection, bounce and deferral as one JSON object per line, named
 * after the Elastic Common Schema where ECS has a field for it (`@timestamp`, `host.name`,
 * `event.*`, `email.*`, `source.ip`, `destination.domain`) and under `maillog.*` for what is
 * ours. schema/events.schema.json describes each line; test/report/events.test.ts holds the
 * output to it. Every string is sanitised: these lines end up in terminals, search engines and
 * chat alerts. The same flat record (FlatEvent) feeds the ClickHouse sink.
 */
import { openSync } from 'node:fs';
import type { Classification } from '../classify/types.js';
import type { MailEvent } from '../event.js';
import { clientOf, domainOf, enhancedStatusOf, normaliseAddress, recipientOf, senderOf, smtpCodeOf } from '../aggregate/event-fields.js';
import { sanitize } from '../text/sanitize.js';
import { BufferedFd, type LineSink } from './line-sink.js';

/** What an event did, as ECS `event.action` says it. */
export type EventAction = 'rejected' | 'bounced' | 'deferred' | 'expired';

/** One problem event with its classification, flat and sanitised: what every event output is made from. */
export interface FlatEvent {
  /** ISO 8601 UTC, or null when the line carried no time. */
  time: string | null;
  host: string | null;
  mta: string;
  direction: string;
  action: EventAction;
  /** 5xx refusal, bounce or expiry: the mail is lost. */
  permanent: boolean;
  cause: string;
  hint: string;
  rule: string;
  queueId: string | null;
  /** `<>` for the null sender. */
  sender: string | null;
  recipient: string | null;
  /** The recipient's domain, lower case. */
  domain: string | null;
  clientIp: string | null;
  clientName: string | null;
  /** Client as the findings count it: its IP, else its name. */
  client: string | null;
  smtpCode: number | null;
  enhancedStatus: string | null;
  /** The reply text (rejections) or the delivery status text (bounces, deferrals). */
  text: string;
}

const clean = (v: string | null | undefined): string | null => (v === null || v === undefined || v === '' ? null : sanitize(v));

function actionOf(ev: MailEvent): EventAction {
  if (ev.kind !== 'delivery') return 'rejected';
  return ev.status === 'deferred' ? 'deferred' : ev.status === 'expired' ? 'expired' : 'bounced';
}

/** The flat record of a classified problem event. */
export function flatEvent(ev: MailEvent, c: Classification): FlatEvent {
  const rcpt = recipientOf(ev);
  const peer = ev.kind === 'reject' || ev.kind === 'delivery' ? ev.client : null;
  return {
    time: ev.time,
    host: clean(ev.host),
    mta: ev.mta,
    direction: c.direction,
    action: actionOf(ev),
    permanent: c.permanent,
    cause: c.cause,
    hint: sanitize(c.hint),
    rule: sanitize(c.rule),
    queueId: clean(ev.queueId),
    sender: clean(senderOf(ev)),
    recipient: rcpt === null ? null : clean(normaliseAddress(rcpt)),
    domain: clean(domainOf(rcpt)),
    clientIp: clean(peer?.ip),
    clientName: clean(peer?.name),
    client: clean(clientOf(ev)),
    smtpCode: smtpCodeOf(ev),
    enhancedStatus: clean(enhancedStatusOf(ev)),
    text: sanitize(ev.kind === 'reject' ? ev.text : ev.kind === 'delivery' ? ev.reason : ''),
  };
}

/** ECS `email.direction` for ours: a local delivery that failed stays inside the organisation. */
const ECS_DIRECTION: Record<string, string> = { inbound: 'inbound', outbound: 'outbound', local: 'internal' };

/**
 * The ECS document of one event. Absent values are left out (ECS documents carry no nulls),
 * except under `maillog.*`, whose keys are always there.
 */
export function ecsEvent(f: FlatEvent): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  if (f.time !== null) doc['@timestamp'] = f.time;
  if (f.host !== null) doc.host = { name: f.host };
  const code = f.enhancedStatus ?? (f.smtpCode === null ? null : String(f.smtpCode));
  doc.event = {
    kind: 'event',
    category: ['email'],
    type: ['info'],
    action: f.action,
    outcome: 'failure',
    ...(code !== null ? { code } : {}),
  };
  const email: Record<string, unknown> = { direction: ECS_DIRECTION[f.direction] ?? 'unknown' };
  if (f.queueId !== null) email.local_id = f.queueId;
  if (f.sender !== null) email.from = { address: [f.sender] };
  if (f.recipient !== null) email.to = { address: [f.recipient] };
  doc.email = email;
  if (f.clientIp !== null || f.clientName !== null) {
    doc.source = { ...(f.clientIp !== null ? { ip: f.clientIp } : {}), ...(f.clientName !== null ? { domain: f.clientName } : {}) };
  }
  if (f.domain !== null) doc.destination = { domain: f.domain };
  doc.maillog = {
    mta: f.mta,
    direction: f.direction,
    permanent: f.permanent,
    cause: f.cause,
    hint: f.hint,
    rule: f.rule,
    smtp_code: f.smtpCode,
    enhanced_status: f.enhancedStatus,
    reply_text: f.text,
  };
  return doc;
}

/** One NDJSON line. */
export const ecsLine = (f: FlatEvent): string => JSON.stringify(ecsEvent(f)) + '\n';

/**
 * The `--events` output: a file (created or truncated) or, for `-`, the writer the caller
 * gives (standard output, written with its own checks). Lines are written as soon as the
 * current batch of input is done, so a follow run's events arrive as they happen; the first
 * failed write stops the output and is said by close().
 */
export class EventsWriter {
  private readonly out: LineSink;

  constructor(
    readonly target: string,
    stdout?: (text: string) => void,
  ) {
    if (target === '-') {
      if (!stdout) throw new Error('no writer for standard output');
      this.out = { write: stdout, close: () => null };
    } else {
      this.out = new BufferedFd(openSync(target, 'w'));
    }
  }

  add(f: FlatEvent): void {
    this.out.write(ecsLine(f));
  }

  /** Writes what is buffered; why the output is incomplete, or null. */
  close(): string | null {
    return this.out.close();
  }
}
