/**
 * The shapes the aggregator hands out: RunStats in (from the pipeline), Report / Snapshot out.
 * The zod schema for the JSON report lives in src/report/schema.ts and is checked against
 * these types at compile time.
 */
import type { Cause, Direction } from '../classify/types.js';
import type { Mta } from '../event.js';

export { Cause, Direction } from '../classify/types.js';

export interface FileStats {
  path: string;
  /** Detected format (`postfix`, `exim`, `exchange`, or whatever the pipeline reports). */
  format: string;
  lines: number;
  unrecognised: number;
  /** Why reading stopped early, when it did. */
  error?: string;
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
  files: FileStats[];
  /** Memory caps that overflowed upstream (queue-id map …): name → count. */
  overflow: Record<string, number>;
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
  eventsByKind: EventsByKind;
  eventsByStatus: EventsByDeliveryStatus;
  files: FileStats[];
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
  summary: Summary;
  findings: Finding[];
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
  /** Which distinct counts are HyperLogLog estimates rather than exact. */
  approximate: { messages: boolean; recipients: boolean; senders: boolean; clients: boolean; topLists: boolean };
}

/** The in-memory snapshot: the report plus `details[i]` for `findings[i]`. Treat as immutable. */
export interface Snapshot extends Report {
  details: FindingDetails[];
}
