/**
 * The shapes the aggregator hands out: RunStats in (from the pipeline), Report / Snapshot out.
 * The zod schema for the JSON report lives in src/report/schema.ts and is checked against
 * these types at compile time.
 */
import type { Cause, Direction } from '../classify/types.js';
import type { Action } from '../classify/action.js';
import type { Mta } from '../event.js';
import type { AddressRow } from './address-store.js';
import type { BackscatterFinding } from './backscatter.js';
import type { HarvestFinding } from './harvest.js';

export { Cause, Direction } from '../classify/types.js';
export type { Action } from '../classify/action.js';
export type { BackscatterFinding, BackscatterKind } from './backscatter.js';
export type { HarvestFinding } from './harvest.js';

export interface FileStats {
  path: string;
  /** Detected format (`postfix`, `exim`, `exchange`, or whatever the pipeline reports). */
  format: string;
  lines: number;
  unrecognised: number;
  /** Why reading stopped early, when it did. */
  error?: string;
}

/** A rotation of a followed log: where its content went (`to`: null when deleted or no copy was found). */
export interface FollowRotation {
  path: string;
  to: string | null;
  reason: 'rename' | 'recreate' | 'truncate';
  /** When it was noticed (ISO 8601, UTC). */
  at: string;
}

/** Line-level facts the pipeline counts; the aggregator adds event-level ones. */
export interface RunStats {
  linesRead: number;
  linesRecognised: number;
  linesIgnored: number;
  ignoredByReason: Record<string, number>;
  linesUnrecognised: number;
  invalidUtf8Lines: number;
  oversizedLines: number;
  /** NUL bytes dropped from the input (absent when none: see src/input/lines.ts). */
  nulBytes?: number;
  /** Bytes of a followed log that could not be read (absent when none: see src/input/follow.ts). */
  followLostBytes?: number;
  /** The last rotations of a followed log, oldest first (absent when none; capped, see src/pipeline.ts). */
  followRotations?: FollowRotation[];
  files: FileStats[];
  /** `--since`/`--until`: the window and what it left out (absent without one). */
  window?: WindowSummary;
  /** Memory caps that overflowed upstream (queue-id map …): name → count. */
  overflow: Record<string, number>;
}

/** The time window of a run (src/window.ts): ISO UTC bounds, null when open. */
export interface WindowSummary {
  since: string | null;
  until: string | null;
  eventsOutside: number;
  eventsUntimed: number;
}

export interface EventsByKind {
  reject: number;
  delivery: number;
  notification: number;
}

export interface EventsByDeliveryStatus {
  sent: number;
  bounced: number;
  deferred: number;
  expired: number;
}

export interface Summary {
  linesRead: number;
  linesRecognised: number;
  linesIgnored: number;
  ignoredByReason: Record<string, number>;
  linesUnrecognised: number;
  invalidUtf8Lines: number;
  oversizedLines: number;
  /** Only when some were dropped (keeps the report of a clean log as it was). */
  nulBytes?: number;
  /** Only when some were lost while following. */
  followLostBytes?: number;
  /** Only when the followed log was rotated: the last rotations, oldest first. */
  followRotations?: FollowRotation[];
  eventsByKind: EventsByKind;
  eventsByStatus: EventsByDeliveryStatus;
  files: FileStats[];
  /** Only with `--since`/`--until`: the window and the events it left out. */
  window?: WindowSummary;
  firstSeen: string | null;
  lastSeen: string | null;
  /** Every memory cap that overflowed (upstream ones and the aggregator's own): name → count. */
  overflow: Record<string, number>;
}

export interface AddressCount {
  address: string;
  count: number;
}

/** A host (syslog host name, Exchange server) and the finding's events logged there. */
export interface HostCount {
  host: string;
  count: number;
}

/** A classification rule id and the finding's events it classified. */
export interface RuleCount {
  rule: string;
  count: number;
}

/** One ranked finding, exactly as the JSON report emits it (keys in this order). */
export interface Finding {
  rank: number;
  /** The MTA whose log it comes from: part of the identity (its verify command is that MTA's). */
  mta: Mta;
  direction: Direction;
  /** Null when the events carry no recipient domain; `(other domains)` for the overflow finding. */
  recipientDomain: string | null;
  cause: Cause;
  hint: string;
  /** Some of its mail was lost for good: at least one 5xx refusal, bounce or expiry. */
  permanent: boolean;
  /** Is the fix on this server (`actionable`) or somebody else's doing (`informational`)? See src/classify/action.ts. */
  action: Action;
  /** Why, in one line. */
  actionReason: string;
  /** Outbound bounces and unknown domains: the domain the recipient most likely meant (`gmial.com` → `gmail.com`), else null. */
  suggestion: string | null;
  /** The rule that classified most of its events (ties: the smallest id). */
  rule: string;
  /** Every rule that classified some of its events, with counts, most frequent first. */
  rules: RuleCount[];
  advice: string;
  verify: string;
  smtpCodes: number[];
  enhancedStatus: string[];
  /** Distinct messages affected (see messageKeyOf); `count` is the events (attempts). */
  messages: number;
  count: number;
  distinctRecipients: number;
  distinctSenders: number;
  distinctClients: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** When it began or its rate changed (src/aggregate/onset.ts), or null when neither can be told. */
  onset: string | null;
  /** The onset in words: `began 09:02, none in the 6 days before`, `steady since the log starts`. */
  onsetNote: string;
  /** The server-health line most of its events followed (its likely cause), or null. */
  after: string | null;
  /** The hosts that logged its events, most events first (at most REPORT_HOSTS). */
  hosts: HostCount[];
  topRecipients: AddressCount[];
  examples: string[];
  /** The queue id (Postfix) or message id (Exim, Exchange) of each example, null when none. */
  exampleIds: Array<string | null>;
}

/** A finding of `--compare` (src/report/compare.ts): its identity and deliveries lost at least, before and after. */
export interface ComparedFinding {
  /** Its rank in this report; null for a gone finding. */
  rank: number | null;
  mta: string;
  direction: string;
  recipientDomain: string | null;
  cause: string;
  hint: string;
  /** The host, with `--by host`; else null. */
  host: string | null;
  /** max(messages, distinct recipients) in the earlier report; null for a new finding. */
  lostAtLeastBefore: number | null;
  /** The same in this report; null for a gone finding. */
  lostAtLeastAfter: number | null;
}

/** What changed since an earlier report (`--compare FILE.json`). */
export interface Comparison {
  /** The earlier report's path as given. */
  against: string;
  previousFirstSeen: string | null;
  previousLastSeen: string | null;
  new: ComparedFinding[];
  grew: ComparedFinding[];
  gone: ComparedFinding[];
}

/** `--check-config`: the results of the verify step run on this server, for a finding (by rank). */
export interface FindingCheck {
  rank: number;
  checks: string[];
}

/** One hour of the traffic overview (UTC), what happened in it. */
export interface TrafficHour {
  /** Start of the hour, ISO 8601 UTC. */
  hour: string;
  received: number;
  delivered: number;
  deferred: number;
  bounced: number;
  rejected: number;
}

/** Deliveries to one recipient domain. */
export interface TrafficDomain {
  domain: string;
  delivered: number;
  /** Deferral attempts and bounced recipients. */
  deferred: number;
  bounced: number;
  /** Seconds from arrival to delivery over its delivered recipients; null when the log gives no delay. */
  delayAverage: number | null;
  delayMax: number | null;
}

/** A client that failed SMTP authentication (fail2ban-style). */
export interface AuthFailureClient {
  /** Its IP address, else its name. */
  client: string;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** The user names it tried, when the log names them (at most AUTH_USERNAMES_PER_CLIENT). */
  usernames: string[];
}

/** The traffic overview (src/aggregate/traffic.ts), as the JSON report emits it. */
export interface TrafficReport {
  /** Messages that entered the queue. */
  received: number;
  /** Recipients delivered. */
  delivered: number;
  /** Distinct messages deferred, and deferral attempts (one per recipient and try). */
  deferred: { messages: number; attempts: number };
  /** Recipients bounced, expired ones included. */
  bounced: number;
  /** Of `bounced`, recipients returned after deferrals until the queue lifetime ran out. */
  expired: number;
  /** Distinct messages refused, and refusals (one per recipient at RCPT). */
  rejected: { messages: number; attempts: number };
  /** The distinct message counts are estimates (past DISTINCT_EXACT_CAP). */
  approximate: boolean;
  hourly: TrafficHour[];
  /** Some delivery in the log gave its delay; false: "no delay in this log". */
  delays: boolean;
  /** Most deliveries first (at most TRAFFIC_REPORT_TOP). */
  domains: TrafficDomain[];
  domainsTotal: number;
  /** Senders by messages received, recipients by deliveries. */
  topSenders: AddressCount[];
  topRecipients: AddressCount[];
  authFailures: { total: number; clientsTotal: number; clients: AuthFailureClient[] };
}

/** The MTA started or reloaded: a marker on the timeline. */
export interface Marker {
  time: string | null;
  host: string | null;
  mta: Mta;
  marker: 'start' | 'reload';
  version: string | null;
}

export interface Report {
  /** Only with `--compare`: first, as it is what a second run is read for. */
  comparison?: Comparison;
  summary: Summary;
  findings: Finding[];
  /** Directory harvests / dictionary attacks: a client network guessing addresses (harvest.ts). */
  harvest: HarvestFinding[];
  /** Backscatter risk: mail accepted, then bounced to a stranger (backscatter.ts). */
  backscatter: BackscatterFinding[];
  /** Only with `--check-config` (src/verify/check-config.ts). */
  configChecks?: FindingCheck[];
  traffic: TrafficReport;
  /** Starts and reloads of the MTA, oldest first. */
  markers: Marker[];
}

export interface FindingEventsByStatus {
  reject: number;
  sent: number;
  bounced: number;
  deferred: number;
  expired: number;
}

/** What the JSON report leaves out but the TUI's detail pane shows. */
export interface FindingDetails {
  /** Stable identity of the finding across snapshots (opaque). */
  key: string;
  /** True for the catch-all finding that collects events past the findings cap. */
  catchAll: boolean;
  /** The host of the finding when findings are split by host (`--by host`), else null. */
  host: string | null;
  permanentCount: number;
  temporaryCount: number;
  eventsByStatus: FindingEventsByStatus;
  topRecipients: AddressCount[];
  topSenders: AddressCount[];
  topClients: AddressCount[];
  /**
   * Where its first lines are, for the evidence view: (index in summary.files, line number,
   * byte offset or -1 when unknown) per line, at most EVIDENCE_PER_FINDING (accumulator.ts).
   */
  evidence: Float64Array;
  /** The queue id (message id) of each line of `evidence`, one a line ('' for none). */
  evidenceIds: string;
  /** Lines its events came from, kept in `evidence` or not. */
  evidenceLines: number;
  /**
   * What search looks at besides the identity: top recipients, senders, clients, codes, queue
   * ids; lower case, one value a line.
   */
  search: string;
  /** Which distinct counts are HyperLogLog estimates rather than exact. */
  approximate: { messages: boolean; recipients: boolean; senders: boolean; clients: boolean; topLists: boolean };
  /** Every address kept for the finding (only in a final snapshot of a run that keeps them: --addresses). */
  addresses?: AddressRow[];
}

/** The in-memory snapshot: the report plus `details[i]` for `findings[i]`. Treat as immutable. */
export interface Snapshot extends Report {
  details: FindingDetails[];
}
