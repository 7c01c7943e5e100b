/**
 * The ClickHouse tables for `--clickhouse` (`maillog-doctor clickhouse-schema` prints them): a
 * MergeTree of raw events (one row per rejection, bounce or deferral, as clickhouseRow() makes
 * it), and a materialized view that folds every insert into an AggregatingMergeTree by (hour,
 * host, mta, direction, domain, cause, hint), holding the states the findings are read from:
 * countState, uniqCombined states of messages, recipients, senders and clients (uniqCombined
 * merges across hours, hosts and shards like our HyperLogLog registers), topK states of
 * recipients and clients, first and last seen, the codes, advice, verify and example lines.
 * The `-If` combinators leave out empty values ('' stands for "unknown": the rows have no
 * Nullable columns, which ORDER BY and the view's key cannot take). Written for and checked
 * against ClickHouse 18.16 (Debian 12's package): DateTime (seconds), no LowCardinality, no
 * DateTime64; test/sink/clickhouse.test.ts runs it.
 */
import { Command, CommanderError } from 'commander';
import type { CommandIo } from '../commands/types.js';
import { EXIT, UsageError } from '../errors.js';
import { DEFAULT_TABLE, TABLE_RE } from './clickhouse.js';

/** Top entries kept per hour and group in the view's topK states. */
export const VIEW_TOP_K = 10;

export interface SchemaNames {
  events: string;
  findings: string;
  view: string;
}

export const schemaNames = (table: string): SchemaNames => ({ events: table, findings: `${table}_findings`, view: `${table}_findings_mv` });

/** The DDL, one statement per element (the HTTP interface takes one at a time). */
export function clickhouseSchema(table = DEFAULT_TABLE): string[] {
  const n = schemaNames(table);
  return [
    `CREATE TABLE IF NOT EXISTS ${n.events}
(
    time DateTime,              -- when the MTA logged it (UTC); 0 when the line had no time
    time_known UInt8,
    host String,                -- syslog host or Exchange server; '' when unknown
    mta String,                 -- postfix, exim, exchange
    direction String,           -- inbound, outbound, local
    action String,              -- rejected, bounced, deferred, expired
    permanent UInt8,            -- 5xx, bounced or expired: the mail is lost
    cause String,
    hint String,
    rule String,
    queue_id String,
    message_key String,         -- tells messages apart as the report does (hashed)
    sender String,              -- '<>' for the null sender
    recipient String,
    domain String,              -- the recipient's domain, lower case
    client_ip String,
    client_name String,
    client String,              -- client_ip, else client_name
    smtp_code UInt16,           -- 0 when none
    enhanced_status String,
    reply_text String,
    advice String,
    verify String,
    raw String                  -- the log line, control characters stripped
)
ENGINE = MergeTree()
PARTITION BY toYYYYMM(time)
ORDER BY (host, mta, cause, time)`,
    `CREATE TABLE IF NOT EXISTS ${n.findings}
(
    hour DateTime,
    host String,
    mta String,
    direction String,
    domain String,
    cause String,
    hint String,
    events AggregateFunction(count),
    permanent_events AggregateFunction(sum, UInt8),
    messages AggregateFunction(uniqCombined, String),
    recipients AggregateFunction(uniqCombinedIf, String, UInt8),
    senders AggregateFunction(uniqCombinedIf, String, UInt8),
    clients AggregateFunction(uniqCombinedIf, String, UInt8),
    top_recipients AggregateFunction(topKIf(${VIEW_TOP_K}), String, UInt8),
    top_clients AggregateFunction(topKIf(${VIEW_TOP_K}), String, UInt8),
    first_seen AggregateFunction(minIf, DateTime, UInt8),
    last_seen AggregateFunction(maxIf, DateTime, UInt8),
    smtp_codes AggregateFunction(groupUniqArrayIf, UInt16, UInt8),
    enhanced_status AggregateFunction(groupUniqArrayIf, String, UInt8),
    advice AggregateFunction(any, String),
    verify AggregateFunction(argMin, String, DateTime),
    examples AggregateFunction(groupArray(3), String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, host, mta, direction, domain, cause, hint)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${n.view} TO ${n.findings} AS
SELECT
    toStartOfHour(time) AS hour, host, mta, direction, domain, cause, hint,
    countState() AS events,
    sumState(permanent) AS permanent_events,
    uniqCombinedState(message_key) AS messages,
    uniqCombinedIfState(recipient, recipient != '') AS recipients,
    uniqCombinedIfState(sender, sender != '') AS senders,
    uniqCombinedIfState(client, client != '') AS clients,
    topKIfState(${VIEW_TOP_K})(recipient, recipient != '') AS top_recipients,
    topKIfState(${VIEW_TOP_K})(client, client != '') AS top_clients,
    minIfState(time, time_known) AS first_seen,
    maxIfState(time, time_known) AS last_seen,
    groupUniqArrayIfState(smtp_code, smtp_code != 0) AS smtp_codes,
    groupUniqArrayIfState(enhanced_status, enhanced_status != '') AS enhanced_status,
    anyState(advice) AS advice,
    argMinState(verify, time) AS verify,
    groupArrayState(3)(raw) AS examples
FROM ${n.events}
GROUP BY hour, host, mta, direction, domain, cause, hint`,
  ];
}

/** `maillog-doctor clickhouse-schema [--clickhouse-table NAME]`: the DDL, statements ending in `;`. */
export async function clickhouseSchemaCommand(args: string[], io: CommandIo): Promise<number> {
  const cmd = new Command('maillog-doctor clickhouse-schema')
    .description('print the ClickHouse tables --clickhouse writes into (pipe into clickhouse-client --multiquery)')
    .option('--clickhouse-table <name>', 'the events table (the findings table and view are named after it)', DEFAULT_TABLE)
    .exitOverride()
    .configureOutput({ writeErr: (s) => io.warn(s.trim()) });
  try {
    cmd.parse(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw err;
  }
  const table = cmd.opts<{ clickhouseTable: string }>().clickhouseTable;
  if (!TABLE_RE.test(table)) throw new UsageError(`--clickhouse-table: not a table name: ${table}`);
  const failed = await io.print(clickhouseSchema(table).map((s) => `${s};\n`).join('\n'));
  return failed ? EXIT.inputError : EXIT.ok;
}
