/**
 * `--state FILE`: the run's mergeable state, so per-host cron jobs can send a few kilobytes
 * instead of raw logs and `maillog-doctor merge` gives the fleet's report. The file is gzipped
 * JSON: `{format: "maillog-doctor-state", version, …}` with the line counts (RunStats) and the
 * aggregator (counts, first/last seen, and per finding the exact value hashes or HyperLogLog
 * registers and the Space-Saving summaries; see counters.ts), the traffic overview (traffic.ts)
 * and the diagnosis' evidence (diagnosis.ts, harvest.ts, backscatter.ts). Merging states gives the counts of
 * one run over all the logs exactly, and the distinct counts exactly while every counter is
 * below its cap (registers merge exactly past it: the estimate is the one of the union).
 * A file that is not such a state, of another version, or damaged, is refused in one line.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { Aggregator, emptyRunStats, type AggregatorState } from '../aggregate/aggregator.js';
import type { RunStats } from '../aggregate/types.js';
import { CAUSES, DIRECTIONS } from '../classify/names.js';
import { describeSystemError, InputError } from '../errors.js';
import { startsGzip } from '../input/gzip.js';
import { writeFileAtomic } from '../report/atomic-write.js';

export const STATE_FORMAT = 'maillog-doctor-state';
/**
 * Bumped whenever the layout changes. Version 2 added the traffic overview and the diagnosis'
 * evidence, version 3 each finding's time series and likely causes and the timeline markers,
 * version 4 the top lists' admission sketches (all optional: an older file reads with them
 * empty); a reader refuses any other.
 */
export const STATE_VERSION = 4;
/** The versions this reader takes. */
const READABLE_VERSIONS: readonly number[] = [1, 2, 3, 4];
/** Largest state file read (uncompressed): far above any real run (5,000 findings at their caps). */
const MAX_STATE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

const count = z.number().int().nonnegative();
const hash = z.number().int().nonnegative().max(2 ** 52);
const mta = z.enum(['postfix', 'exim', 'exchange']);
const time = z.string().nullable();
const Distinct = z.strictObject({
  cap: z.number().int().positive(),
  hashes: z.array(hash).optional(),
  hll: z.strictObject({ p: z.number().int().min(4).max(18), registers: z.string() }).optional(),
});
const Top = z.strictObject({
  cap: z.number().int().positive(),
  spilled: z.boolean(),
  entries: z.array(z.tuple([z.string(), count])),
  sketch: z.base64().optional(),
});
const Acc = z.strictObject({
  id: z.strictObject({
    mta,
    host: z.string().nullable(),
    direction: z.enum(DIRECTIONS),
    recipientDomain: z.string().nullable(),
    cause: z.enum(CAUSES),
    hint: z.string(),
    catchAll: z.boolean(),
  }),
  count,
  permanentCount: count,
  temporaryCount: count,
  eventsByStatus: z.strictObject({ reject: count, sent: count, bounced: count, deferred: count, expired: count }),
  advice: z.string().nullable(),
  verify: z.string().nullable(),
  firstSeen: time,
  lastSeen: time,
  examples: z.array(z.string()),
  exampleIds: z.array(z.string().nullable()).optional(),
  examplesCut: z.array(z.boolean()),
  distinctMessages: Distinct,
  distinctRecipients: Distinct,
  distinctSenders: Distinct,
  distinctClients: Distinct,
  topRecipients: Top,
  topSenders: Top,
  topClients: Top,
  hosts: Top,
  rules: Top,
  codes: z.array(z.number().int()),
  enhanced: z.array(z.string()),
  codesDropped: z.boolean(),
  evidence: z.strictObject({ refs: z.array(z.number()), ids: z.array(z.string()), lines: count }).optional(),
  queueIds: z.array(z.string()).optional(),
  series: z
    .strictObject({ width: z.number().int().positive(), coarsened: count, buckets: z.array(z.tuple([z.number().int(), count])) })
    .optional(),
  causes: Top.optional(),
});
const Marker = z.strictObject({
  time,
  host: z.string().nullable(),
  mta,
  marker: z.enum(['start', 'reload']),
  version: z.string().nullable(),
});
const Hour = z.strictObject({ received: count, delivered: count, deferred: count, bounced: count, rejected: count });
const Domain = z.strictObject({
  delivered: count,
  deferred: count,
  bounced: count,
  delays: count,
  delaySum: z.number().nonnegative(),
  delayMax: z.number().nonnegative(),
});
const AuthClient = z.strictObject({ count, first: time, last: time, usernames: z.array(z.string()) });
const Traffic = z.strictObject({
  received: count,
  delivered: count,
  deferrals: count,
  bounced: count,
  expired: count,
  rejected: count,
  authFailures: count,
  deferredMessages: Distinct,
  rejectedMessages: Distinct,
  hours: z.array(z.tuple([z.string(), Hour])),
  domains: z.array(z.tuple([z.string(), Domain])),
  senders: Top,
  recipients: Top,
  auth: z.array(z.tuple([z.string(), AuthClient])),
  delays: z.boolean(),
  overflow: z.strictObject({ trafficHours: count, trafficDomains: count, authClients: count, authUsernames: count }),
});
const Network = z.strictObject({
  mta,
  network: z.string(),
  threshold: z.number().int().positive().max(10_000),
  attempts: count,
  seen: z.array(hash),
  clients: z.array(z.string()),
  samples: z.array(z.string()),
  last: z.string(),
  firstIso: z.string(),
  lastIso: z.string(),
  firstTime: z.number(),
  lastTime: z.number(),
  recent: z.array(z.number()),
  harvest: z.boolean(),
  peakMs: z.number().nonnegative().nullable(),
});
const Diagnosis = z.strictObject({
  worked: z.array(hash),
  workedSince: z.array(z.number().nullable()).optional(),
  refused: z.array(z.tuple([z.string(), z.array(z.tuple([hash, z.number().nullable()]))])).optional(),
  accepting: z.array(z.string()),
  own: z.array(z.string()),
  senders: z.array(hash),
  evidence: z.array(z.tuple([z.string(), z.strictObject({ workedBefore: count, acceptedThenBounced: count, bouncesToStrangers: count })])),
  dropped: z.strictObject({ workedAddresses: count, acceptingDomains: count, ownDomains: count, ownSenders: count, refusedAddresses: count.optional() }),
  harvest: z.strictObject({
    networks: z.array(Network),
    done: z.array(Network),
    overflow: z.strictObject({ harvestNetworks: count, harvestFindings: count, harvestRecipients: count }),
  }),
  backscatter: z.array(
    z.strictObject({
      kind: z.enum(['accept-then-bounce', 'null-sender']),
      mta,
      count,
      senders: Distinct,
      firstSeen: time,
      lastSeen: time,
      examples: z.array(z.string()),
    }),
  ),
  bounces: z
    .array(
      z.strictObject({
        kind: z.enum(['accept-then-bounce', 'null-sender']),
        mta,
        finding: z.string(),
        address: z.string(),
        rcptDomain: z.string().nullable(),
        local: z.boolean(),
        count: count.min(1),
        firstSeen: time,
        lastSeen: time,
        example: z.string(),
        exampleTime: time,
      }),
    )
    .optional(),
  bouncesOverflowed: count.optional(),
});
const File = z.strictObject({ path: z.string(), format: z.string(), lines: count, unrecognised: count, error: z.string().optional() });
const Run = z.strictObject({
  linesRead: count,
  linesRecognised: count,
  linesIgnored: count,
  ignoredByReason: z.record(z.string(), count),
  linesUnrecognised: count,
  invalidUtf8Lines: count,
  oversizedLines: count,
  nulBytes: count.optional(),
  followLostBytes: count.optional(),
  files: z.array(File),
  overflow: z.record(z.string(), count),
});
const StateFile = z.strictObject({
  format: z.literal(STATE_FORMAT),
  version: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(STATE_VERSION)]),
  /** The maillog-doctor that wrote it (for the user; not checked). */
  writtenBy: z.string(),
  run: Run,
  aggregator: z.strictObject({
    byHost: z.boolean(),
    findingsCap: z.number().int().positive(),
    foldedEvents: count,
    eventsByKind: z.strictObject({ reject: count, delivery: count, notification: count }),
    eventsByStatus: z.strictObject({ sent: count, bounced: count, deferred: count, expired: count }),
    firstSeen: time,
    lastSeen: time,
    findings: z.array(Acc),
    traffic: Traffic.optional(),
    diagnosis: Diagnosis.optional(),
    markers: z.array(Marker).optional(),
    markersDropped: count.optional(),
  }),
});

export interface RunState {
  aggregator: Aggregator;
  stats: RunStats;
}

/** The bytes of a state file. */
export function encodeState(aggregator: Aggregator, stats: RunStats, writtenBy: string): Buffer {
  const doc = { format: STATE_FORMAT, version: STATE_VERSION, writtenBy, run: stats, aggregator: aggregator.exportState() };
  return gzipSync(JSON.stringify(doc));
}

/** Writes the state atomically (no half-written file on error or Ctrl-C). */
export async function writeState(path: string, aggregator: Aggregator, stats: RunStats, writtenBy: string): Promise<void> {
  await writeFileAtomic(path, encodeState(aggregator, stats, writtenBy));
}

/** A state from its bytes; throws InputError(path, one line) for anything else. */
export function decodeState(path: string, bytes: Buffer): RunState {
  let text: string;
  try {
    if (!startsGzip(bytes)) throw new Error('not gzip');
    text = gunzipSync(bytes, { maxOutputLength: MAX_STATE_BYTES }).toString('utf8');
  } catch {
    throw new InputError(path, 'not a maillog-doctor state file (written with --state)');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new InputError(path, 'damaged state file: not JSON inside');
  }
  const head = doc as { format?: unknown; version?: unknown } | null;
  if (head === null || typeof head !== 'object' || head.format !== STATE_FORMAT) {
    throw new InputError(path, 'not a maillog-doctor state file (written with --state)');
  }
  if (typeof head.version !== 'number' || !READABLE_VERSIONS.includes(head.version)) {
    throw new InputError(path, `state file version ${String(head.version)}: this maillog-doctor reads version ${READABLE_VERSIONS.join(' or ')} (use the version that wrote it)`);
  }
  const parsed = StateFile.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(path, `damaged state file: ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  try {
    return { aggregator: Aggregator.fromState(parsed.data.aggregator as AggregatorState), stats: parsed.data.run as RunStats };
  } catch (err) {
    throw new InputError(path, `damaged state file: ${(err as Error).message}`);
  }
}

export function readState(path: string): RunState {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new InputError(path, describeSystemError(err));
  }
  return decodeState(path, bytes);
}

/** Line counts of two runs together: sums, the files one after the other, overflow per name. */
export function mergeRunStats(a: RunStats, b: RunStats): RunStats {
  const out = emptyRunStats();
  for (const s of [a, b]) {
    out.linesRead += s.linesRead;
    out.linesRecognised += s.linesRecognised;
    out.linesIgnored += s.linesIgnored;
    out.linesUnrecognised += s.linesUnrecognised;
    out.invalidUtf8Lines += s.invalidUtf8Lines;
    out.oversizedLines += s.oversizedLines;
    if (s.nulBytes) out.nulBytes = (out.nulBytes ?? 0) + s.nulBytes;
    if (s.followLostBytes) out.followLostBytes = (out.followLostBytes ?? 0) + s.followLostBytes;
    for (const [k, v] of Object.entries(s.ignoredByReason)) out.ignoredByReason[k] = (out.ignoredByReason[k] ?? 0) + v;
    for (const [k, v] of Object.entries(s.overflow)) out.overflow[k] = (out.overflow[k] ?? 0) + v;
    out.files.push(...s.files.map((f) => ({ ...f })));
  }
  return out;
}

/**
 * The states of several runs as one. Findings split by host and findings that are not cannot
 * be merged (one line saying which file differs).
 */
export function mergeStates(states: Array<{ path: string; state: RunState }>): RunState {
  const [first, ...rest] = states;
  if (!first) throw new Error('no state to merge');
  const aggregator = new Aggregator({ byHost: first.state.aggregator.byHost, findingsCap: first.state.aggregator.findingsCap });
  let stats = emptyRunStats();
  for (const { path, state } of [first, ...rest]) {
    if (state.aggregator.byHost !== aggregator.byHost) {
      throw new InputError(path, `its findings are ${state.aggregator.byHost ? '' : 'not '}split by host (--by host) and those of ${first.path} are${aggregator.byHost ? '' : ' not'}: run all with the same --by`);
    }
    aggregator.merge(state.aggregator);
    stats = mergeRunStats(stats, state.stats);
  }
  return { aggregator, stats };
}
