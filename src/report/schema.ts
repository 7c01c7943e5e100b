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
  eventsByKind: z.strictObject({ reject: count, delivery: count, notification: count }),
  eventsByStatus: z.strictObject({ sent: count, bounced: count, deferred: count, expired: count }),
  files: z.array(FileStatsSchema),
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
});

export const MarkerSchema = z.strictObject({
  time,
  host: z.string().nullable(),
  mta: Mta,
  marker: z.enum(['start', 'reload']),
  version: z.string().nullable(),
});

export const ReportSchema = z.strictObject({
  summary: SummarySchema,
  findings: z.array(FindingSchema),
  markers: z.array(MarkerSchema),
});

/** Finding keys in report order (the issue fixes these names). */
export const FINDING_KEYS = Object.keys(FindingSchema.shape) as Array<keyof z.infer<typeof FindingSchema>>;
export const SUMMARY_KEYS = Object.keys(SummarySchema.shape) as Array<keyof z.infer<typeof SummarySchema>>;

export type ReportJson = z.infer<typeof ReportSchema>;

// Compile-time check that the schema and the aggregator's types describe the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesTypes: Same<ReportJson, ReportType> = true;
void schemaMatchesTypes;
