/**
 * The JSON report's schema: strict objects, so a misspelt or extra key fails validation. Used
 * by tests and by anybody validating `--json` output. The TypeScript types the aggregator
 * builds (src/aggregate/types.ts) are checked against it at compile time below.
 */
import { z } from 'zod';
import { Cause, Direction, type Report as ReportType } from '../aggregate/types.js';
import { Mta } from '../event.js';

const count = z.number().int().nonnegative();
const time = z.iso.datetime({ offset: true }).nullable();

export const FileStatsSchema = z.strictObject({
  path: z.string(),
  format: z.string(),
  lines: count,
  unrecognised: count,
  error: z.string().optional(),
});

export const SummarySchema = z.strictObject({
  linesRead: count,
  linesRecognised: count,
  linesIgnored: count,
  ignoredByReason: z.record(z.string(), count),
  linesUnrecognised: count,
  invalidUtf8Lines: count,
  oversizedLines: count,
  nulBytes: count.optional(),
  followLostBytes: count.optional(),
  followRotations: z
    .array(
      z.strictObject({
        path: z.string(),
        to: z.string().nullable(),
        reason: z.enum(['rename', 'recreate', 'truncate']),
        at: z.iso.datetime({ offset: true }),
      }),
    )
    .optional(),
  eventsByKind: z.strictObject({ reject: count, delivery: count, notification: count }),
  eventsByStatus: z.strictObject({ sent: count, bounced: count, deferred: count, expired: count }),
  files: z.array(FileStatsSchema),
  window: z
    .strictObject({ since: time, until: time, eventsOutside: count, eventsUntimed: count })
    .optional(),
  firstSeen: time,
  lastSeen: time,
  overflow: z.record(z.string(), count),
});

export const AddressCountSchema = z.strictObject({ address: z.string(), count: count });
export const HostCountSchema = z.strictObject({ host: z.string(), count: count });
export const RuleCountSchema = z.strictObject({ rule: z.string(), count: count });

export const FindingSchema = z.strictObject({
  rank: z.number().int().positive(),
  mta: Mta,
  direction: Direction,
  recipientDomain: z.string().nullable(),
  cause: Cause,
  hint: z.string(),
  permanent: z.boolean(),
  action: z.enum(['actionable', 'informational']),
  actionReason: z.string(),
  suggestion: z.string().nullable(),
  rule: z.string(),
  rules: z.array(RuleCountSchema),
  advice: z.string(),
  verify: z.string(),
  smtpCodes: z.array(z.number().int().min(200).max(599)),
  enhancedStatus: z.array(z.string()),
  messages: z.number().int().positive(),
  count: z.number().int().positive(),
  distinctRecipients: count,
  distinctSenders: count,
  distinctClients: count,
  firstSeen: time,
  lastSeen: time,
  onset: time,
  onsetNote: z.string(),
  after: z.string().nullable(),
  hosts: z.array(HostCountSchema),
  topRecipients: z.array(AddressCountSchema),
  examples: z.array(z.string()),
  exampleIds: z.array(z.string().nullable()),
});

export const ComparedFindingSchema = z.strictObject({
  rank: z.number().int().positive().nullable(),
  mta: z.string(),
  direction: z.string(),
  recipientDomain: z.string().nullable(),
  cause: z.string(),
  hint: z.string(),
  host: z.string().nullable(),
  lostAtLeastBefore: count.nullable(),
  lostAtLeastAfter: count.nullable(),
});

export const ComparisonSchema = z.strictObject({
  against: z.string(),
  previousFirstSeen: z.string().nullable(),
  previousLastSeen: z.string().nullable(),
  new: z.array(ComparedFindingSchema),
  grew: z.array(ComparedFindingSchema),
  gone: z.array(ComparedFindingSchema),
});

export const HarvestSchema = z.strictObject({
  mta: Mta,
  client: z.string(),
  clients: z.array(z.string()),
  network: z.string(),
  firstSeen: z.iso.datetime({ offset: true }),
  lastSeen: z.iso.datetime({ offset: true }),
  attempts: z.number().int().positive(),
  distinctAddresses: z.number().int().positive(),
  peakAddresses: z.number().int().positive(),
  peakSeconds: count,
  sampleAddresses: z.array(z.string()),
  setting: z.string(),
  advice: z.string(),
  failregex: z.string().nullable(),
  ban: z.string().nullable(),
});

export const BackscatterSchema = z.strictObject({
  kind: z.enum(['accept-then-bounce', 'null-sender']),
  mta: Mta,
  count: z.number().int().positive(),
  distinctSenders: count,
  firstSeen: time,
  lastSeen: time,
  setting: z.string(),
  advice: z.string(),
  examples: z.array(z.string()),
});

const hourTime = z.iso.datetime({ offset: true });
const seconds = z.number().nonnegative().nullable();

export const TrafficSchema = z.strictObject({
  received: count,
  delivered: count,
  deferred: z.strictObject({ messages: count, attempts: count }),
  bounced: count,
  expired: count,
  rejected: z.strictObject({ messages: count, attempts: count }),
  approximate: z.boolean(),
  hourly: z.array(
    z.strictObject({ hour: hourTime, received: count, delivered: count, deferred: count, bounced: count, rejected: count }),
  ),
  delays: z.boolean(),
  domains: z.array(
    z.strictObject({ domain: z.string(), delivered: count, deferred: count, bounced: count, delayAverage: seconds, delayMax: seconds }),
  ),
  domainsTotal: count,
  topSenders: z.array(AddressCountSchema),
  topRecipients: z.array(AddressCountSchema),
  authFailures: z.strictObject({
    total: count,
    clientsTotal: count,
    clients: z.array(
      z.strictObject({ client: z.string(), count: count, firstSeen: time, lastSeen: time, usernames: z.array(z.string()) }),
    ),
  }),
});

export const MarkerSchema = z.strictObject({
  time,
  host: z.string().nullable(),
  mta: Mta,
  marker: z.enum(['start', 'reload']),
  version: z.string().nullable(),
});

export const ReportSchema = z.strictObject({
  comparison: ComparisonSchema.optional(),
  summary: SummarySchema,
  findings: z.array(FindingSchema),
  harvest: z.array(HarvestSchema),
  backscatter: z.array(BackscatterSchema),
  traffic: TrafficSchema,
  markers: z.array(MarkerSchema),
  configChecks: z.array(z.strictObject({ rank: z.number().int().positive(), checks: z.array(z.string()) })).optional(),
});

/** Finding keys in report order (the issue fixes these names). */
export const FINDING_KEYS = Object.keys(FindingSchema.shape) as Array<keyof z.infer<typeof FindingSchema>>;
export const SUMMARY_KEYS = Object.keys(SummarySchema.shape) as Array<keyof z.infer<typeof SummarySchema>>;

export type ReportJson = z.infer<typeof ReportSchema>;

// Compile-time check that the schema and the aggregator's types describe the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesTypes: Same<ReportJson, ReportType> = true;
void schemaMatchesTypes;
