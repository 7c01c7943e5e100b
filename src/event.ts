/**
 * The normalised mail event: the one contract between the parsers (parsers/*) and everything
 * after them (classify, aggregate, report). Parsers build events through the typed factories
 * of event-builders.ts; the zod schemas validate them in tests and at debug boundaries, never
 * per line, and are not loaded at run time (only this module's types are used there).
 */
import { z } from 'zod';

export const Mta = z.enum(['postfix', 'exim', 'exchange']);
export type Mta = z.infer<typeof Mta>;

/**
 * Where the line came from; tests strip it before comparing events. `offset` is where the line
 * starts in its input (bytes, decompressed for gzip), set by the pipeline, not by the parsers: the
 * evidence view reads the line back from there (src/input/evidence.ts). Absent when unknown.
 */
export const Origin = z.strictObject({
  file: z.string(),
  line: z.number().int().positive(),
  offset: z.number().int().nonnegative().optional(),
});

/** A network peer as MTAs log it: `name[ip]:port`; any part may be missing. */
export const Peer = z.strictObject({
  name: z.string().nullable(),
  ip: z.string().nullable(),
  port: z.number().int().nullable(),
});
export type Peer = z.infer<typeof Peer>;

const common = {
  mta: Mta,
  /** ISO 8601 in UTC (`…Z`), or null when the line carries no time (message-only lines). */
  time: z.iso.datetime({ offset: true }).nullable(),
  /** Host name from the syslog envelope, when there is one. */
  host: z.string().nullable(),
  /** Program as logged, e.g. `postfix-out/smtp`, `postfix/submission/smtpd`. */
  program: z.string().nullable(),
  /** Queue id (Postfix) or message id (Exim, Exchange) this line belongs to, if any. */
  queueId: z.string().nullable(),
  /** The whole physical line, unmodified (examples are sanitised at display time). */
  raw: z.string(),
  origin: Origin,
};

/** SMTP stage at which this server refused a client. Postfix adds more over time, so open-ended. */
export const Stage = z.string().min(1);

/**
 * This server refused something at SMTP time: smtpd restrictions, postscreen, a milter,
 * cleanup header/body checks. 4xx codes are temporary refusals (greylisting, rate limits).
 */
export const RejectEvent = z.strictObject({
  kind: z.literal('reject'),
  ...common,
  via: z.enum(['smtpd', 'postscreen', 'milter', 'cleanup', 'acl', 'connector']),
  stage: Stage,
  smtpCode: z.number().int().min(200).max(599).nullable(),
  enhancedStatus: z.string().nullable(),
  /** Reply text after the codes, with `; from=<…> to=<…>` trailers removed. */
  text: z.string(),
  client: Peer.nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  helo: z.string().nullable(),
  proto: z.string().nullable(),
});
export type RejectEvent = z.infer<typeof RejectEvent>;

export const DeliveryStatus = z.enum(['sent', 'bounced', 'deferred', 'expired']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/**
 * One recipient's delivery attempt by a delivery agent (smtp, lmtp, local, virtual, pipe,
 * error, …). `from` and `client` come from correlation by queue id and may be null.
 */
export const DeliveryEvent = z.strictObject({
  kind: z.literal('delivery'),
  ...common,
  status: DeliveryStatus,
  /** Delivery agent: Postfix's daemon (`smtp`, `local`, `virtual`, …), Exim's transport (T=). */
  agent: z.string().nullable(),
  /** Exim's router (R=) that handled the address; null for Postfix. */
  router: z.string().nullable(),
  /** Null only for an expiry whose deferred recipients were never seen (log began mid-way). */
  to: z.string().nullable(),
  origTo: z.string().nullable(),
  relay: Peer.nullable(),
  dsn: z.string().nullable(),
  /** Text inside the status parentheses: the remote reply or the local reason. */
  reason: z.string(),
  /** Remote SMTP reply code, when the reason carries one (`host … said: 550 5.1.1 …`). */
  smtpCode: z.number().int().min(200).max(599).nullable(),
  /** The remote host named in `host X[ip] said:` (may differ from relay). */
  remoteHost: z.string().nullable(),
  /** `(in reply to RCPT TO command)` → `RCPT TO`. */
  inReplyTo: z.string().nullable(),
  from: z.string().nullable(),
  client: Peer.nullable(),
  /**
   * Seconds from the message's arrival to this attempt, when the log gives it (Postfix
   * `delay=`, Exim `QT=` with log_selector +queue_time); null otherwise.
   */
  delay: z.number().nonnegative().nullable(),
});
export type DeliveryEvent = z.infer<typeof DeliveryEvent>;

/** This server generated a bounce or delay notice (`sender non-delivery notification: ID`). */
export const NotificationEvent = z.strictObject({
  kind: z.literal('notification'),
  ...common,
  notice: z.enum(['non-delivery', 'delivery-status', 'delay', 'success']),
  recipient: z.enum(['sender', 'postmaster']),
  notificationQueueId: z.string().nullable(),
});
export type NotificationEvent = z.infer<typeof NotificationEvent>;

/**
 * A message entered this server's queue, once per message: Postfix qmgr's first
 * `from=<s>, size=N, nrcpt=M (queue active)` of a queue id, Exim's `<=` line, Exchange's
 * RECEIVE / SUBMIT tracking events. For the traffic overview, never a finding.
 */
export const ReceivedEvent = z.strictObject({
  kind: z.literal('received'),
  ...common,
  /** Envelope sender; `''` is the null sender (`<>`); null when not logged. */
  from: z.string().nullable(),
  /** Message size in bytes, when logged. */
  size: z.number().int().nonnegative().nullable(),
  /** Number of recipients, when logged. */
  nrcpt: z.number().int().nonnegative().nullable(),
  client: Peer.nullable(),
});
export type ReceivedEvent = z.infer<typeof ReceivedEvent>;

/**
 * A client failed SMTP authentication (Postfix smtpd `warning: host[ip]: SASL LOGIN
 * authentication failed: …`, Exim `… authenticator failed for … 535 Incorrect authentication
 * data (set_id=…)`). For the fail2ban-style list in the traffic overview, never a finding.
 */
export const AuthFailureEvent = z.strictObject({
  kind: z.literal('auth-failure'),
  ...common,
  client: Peer.nullable(),
  /** SASL mechanism (`LOGIN`, `PLAIN`) or Exim authenticator name, when logged. */
  mechanism: z.string().nullable(),
  /** The user name tried, when logged (Postfix `sasl_username=`, Exim `set_id=`). */
  username: z.string().nullable(),
  /** The failure's reason as logged. */
  text: z.string(),
});
export type AuthFailureEvent = z.infer<typeof AuthFailureEvent>;


export const HealthSeverity = z.enum(['warning', 'error', 'fatal', 'panic']);
export type HealthSeverity = z.infer<typeof HealthSeverity>;

/**
 * What a server-health line says is wrong, by the MTA's own phrasing (see parsers/postfix/health.ts
 * and parsers/exim/health.ts for the texts behind each).
 */
export const HealthProblem = z.enum([
  'table-unavailable', // a lookup table cannot be opened (`hash:/etc/postfix/transport is unavailable`)
  'table-stale', // `database /etc/postfix/x.db is older than source file /etc/postfix/x`
  'lookup-error', // a lookup failed or deferred (`… lookup error for "…"`, Exim `lookup … DEFER`)
  'milter-unavailable', // a milter does not answer (`milter …: can't read SMFIC_… reply packet header`)
  'service-unavailable', // a policy or other service does not answer (`problem talking to server …`)
  'tls-config', // certificate, key or CA file cannot be loaded
  'queue-space', // the queue file system is full or cannot be written
  'config-error', // the configuration itself is wrong (bad parameter, unknown table type, Exim configuration error)
  'other', // any other error, fatal or panic
]);
export type HealthProblem = z.infer<typeof HealthProblem>;

/**
 * The MTA says something is wrong with the server itself: a Postfix `warning:` (only those
 * that name a broken table, service, certificate or queue), `error:`, `fatal:` or `panic:`
 * line, an Exim panic or configuration error. No mail is refused by this line itself, though
 * the refusals that follow it often come from it.
 */
export const HealthEvent = z.strictObject({
  kind: z.literal('health'),
  ...common,
  severity: HealthSeverity,
  problem: HealthProblem,
  /** What it is about, as logged: the table (`hash:/etc/postfix/transport`), service or file; null when the line names none. */
  subject: z.string().nullable(),
  /** The process that logged it (syslog pid), to tie it to the refusals of the same session. */
  pid: z.number().int().nullable(),
  /** The message after the severity (`hash:/etc/postfix/transport is unavailable. open database …`). */
  text: z.string(),
});
export type HealthEvent = z.infer<typeof HealthEvent>;

/** The MTA was (re)started or reloaded: a marker on the timeline. */
export const MarkerEvent = z.strictObject({
  kind: z.literal('marker'),
  ...common,
  marker: z.enum(['start', 'reload']),
  /** The version the line names (`3.7.11`, `4.96`), if any. */
  version: z.string().nullable(),
});
export type MarkerEvent = z.infer<typeof MarkerEvent>;

export const MailEvent = z.discriminatedUnion('kind', [
  RejectEvent,
  DeliveryEvent,
  NotificationEvent,
  ReceivedEvent,
  AuthFailureEvent,
  HealthEvent,
  MarkerEvent,
]);
export type MailEvent = z.infer<typeof MailEvent>;
export type EventKind = MailEvent['kind'];

// Typed construction for parsers and tests lives in event-builders.ts, which imports only the
// types of this module: building events must not load the schema library at run time.
export {
  authFailureEvent,
  deliveryEvent,
  healthEvent,
  markerEvent,
  notificationEvent,
  receivedEvent,
  rejectEvent,
} from './event-builders.js';

/** Why a known line is deliberately not an event. Counted per reason in the summary. */
export const IgnoreReason = z.enum([
  'other-program', // dovecot, amavis, opendkim, sendmail … in the same file
  'session', // connect/disconnect/lost connection/timeouts: no mail refused
  'bookkeeping', // message-id=, statistics, anvil, scache, pickup, master start/stop
  'tls', // TLS handshakes and certificate verification
  'auth', // SASL authentication chatter and failures (not a mail rejection)
  'warning', // warnings and informational notices from Postfix itself
  'postscreen-triage', // postscreen PASS/DNSBL rank/PREGREET/… before any reject
  'content-action', // header/body checks that do not refuse (warn, info, prepend, redirect, filter, hold)
  'not-enforced', // reject_warning: (warn_if_reject): logged as a rehearsal, mail accepted
  'address-probe', // address verification probes (status=deliverable|undeliverable)
  'blank', // empty line
  'header', // file header / continuation rows that belong to a previous record
]);
export type IgnoreReason = z.infer<typeof IgnoreReason>;
