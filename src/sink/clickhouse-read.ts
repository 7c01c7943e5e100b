/**
 * `--from-clickhouse URL [--since …]`: the findings of the whole fleet, read back from the
 * tables of clickhouse-schema.ts and shaped as the report of one run (Snapshot), so the same
 * text, JSON and CSV reports and the interactive view show them. Counts and codes come from the
 * aggregated view (exact); distinct messages, recipients, senders and clients are its merged
 * uniqCombined states (exact while small, then an estimate within ClickHouse's documented
 * error); hosts with their counts from the view by host; rule counts and the top lists with
 * their counts from the events table (18.16's topK gives values without counts).
 */
import type { Cause, Direction, Finding, FindingDetails, Snapshot } from '../aggregate/types.js';
import { DETAIL_TOP, REPORT_HOSTS, REPORT_TOP_RECIPIENTS } from '../aggregate/aggregator.js';
import { RULES_CAP } from '../aggregate/accumulator.js';
import { rankFindings } from '../aggregate/rank.js';
import { Traffic } from '../aggregate/traffic.js';
import type { Mta } from '../event.js';
import { decideAction, type Action } from '../classify/action.js';
import { clickhouseQuery, type ClickHouseTarget } from './clickhouse.js';
import { schemaNames } from './clickhouse-schema.js';

export interface ReadOptions {
  /** Only events from the start of this hour on. */
  since?: Date;
  /** Only events before the end of this hour (the view holds hours). */
  until?: Date;
  /** A finding per host (`--by host`). */
  byHost?: boolean;
}

/**
 * `2026-11-22`, `2026-11-22T06:00`, `2026-11-22 06:00:00Z`, or a span back from now: `90m`,
 * `24h`, `7d` (also written `-90m`, as the log run's --since takes it).
 */
export function parseSince(v: string, now = Date.now()): Date | null {
  const span = /^-?([0-9]{1,6})([mhd])$/.exec(v);
  if (span) return new Date(now - Number(span[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[span[2] as 'm' | 'h' | 'd']);
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?(Z|[+-][0-9]{2}:[0-9]{2})?$/.test(v)) return null;
  // A date or time without a zone is UTC, as every time the reports show.
  const iso = v.replace(' ', 'T');
  const d = new Date(/(Z|[+-][0-9]{2}:[0-9]{2})$/.test(iso) ? iso : iso.length === 10 ? `${iso}T00:00:00Z` : `${iso}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

const IDENTITY = ['mta', 'direction', 'domain', 'cause', 'hint'];

type Row = Record<string, unknown>;

async function rows(t: ClickHouseTarget, query: string): Promise<Row[]> {
  const text = await clickhouseQuery(t, `${query}\nFORMAT JSONEachRow`);
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Row);
}

const num = (v: unknown): number => Number(v);
const str = (v: unknown): string => String(v ?? '');
const iso = (v: unknown): string | null => (num(v) > 0 ? new Date(num(v) * 1000).toISOString() : null);

/** Act or not for a finding read back from the engine: its identity and counts, no history. */
function actionOf(
  f: { direction: Direction; cause: Cause; hint: string; distinctRecipients: number },
  distinctClients: number,
): { action: Action; actionReason: string } {
  const d = decideAction({
    direction: f.direction,
    cause: f.cause,
    hint: f.hint,
    workedBefore: 0,
    domainAcceptsMail: false,
    suggestion: null,
    ownSender: false,
    distinctClients,
    distinctRecipients: f.distinctRecipients,
    acceptedThenBounced: 0,
    bouncesToStrangers: 0,
  });
  return { action: d.action, actionReason: d.reason };
}

/** The snapshot of everything in the tables since `o.since`. */
export async function readFindings(t: ClickHouseTarget, o: ReadOptions = {}): Promise<Snapshot> {
  const n = schemaNames(t.table);
  const since = o.since ? Math.floor(o.since.getTime() / 1000) : null;
  const until = o.until ? Math.floor(o.until.getTime() / 1000) : null;
  // Whole hours, as the view holds them: the events table is cut the same way so both agree.
  const hourConds = [
    ...(since === null ? [] : [`hour >= toStartOfHour(toDateTime(${since}))`]),
    ...(until === null ? [] : [`hour < toStartOfHour(toDateTime(${until}) + 3599)`]),
  ];
  const hourWhere = hourConds.length === 0 ? '' : `WHERE ${hourConds.join(' AND ')}`;
  const timeWhere = `WHERE ${['1', ...hourConds.map((c) => c.replace(/^hour/, 'toStartOfHour(time)'))].join(' AND ')}`;
  const group = o.byHost ? [...IDENTITY, 'host'] : IDENTITY;
  const groupBy = group.join(', ');
  const keyOf = (r: Row): string => group.map((k) => str(r[k])).join('\0');

  const [findings, hosts, statuses, ...tops] = await Promise.all([
    rows(
      t,
      `SELECT ${groupBy},
  countMerge(events) AS count, sumMerge(permanent_events) AS permanent_count,
  uniqCombinedMerge(messages) AS messages, uniqCombinedIfMerge(recipients) AS recipients,
  uniqCombinedIfMerge(senders) AS senders, uniqCombinedIfMerge(clients) AS clients,
  toUnixTimestamp(minIfMerge(first_seen)) AS first_seen, toUnixTimestamp(maxIfMerge(last_seen)) AS last_seen,
  groupUniqArrayIfMerge(smtp_codes) AS codes, groupUniqArrayIfMerge(enhanced_status) AS enhanced,
  anyMerge(advice) AS advice, argMinMerge(verify) AS verify, groupArrayMerge(3)(examples) AS examples
FROM ${n.findings} ${hourWhere}
GROUP BY ${groupBy}`,
    ),
    rows(t, `SELECT ${[...group, ...(o.byHost ? [] : ['host'])].join(', ')}, countMerge(events) AS count FROM ${n.findings} ${hourWhere} GROUP BY ${[...group, ...(o.byHost ? [] : ['host'])].join(', ')}`),
    rows(t, `SELECT ${groupBy}, action, count() AS count FROM ${n.events} ${timeWhere} GROUP BY ${groupBy}, action`),
    ...(
      [
        ['rule', RULES_CAP],
        ['recipient', DETAIL_TOP],
        ['sender', DETAIL_TOP],
        ['client', DETAIL_TOP],
      ] as const
    ).map(([col, top]) =>
      rows(
        t,
        `SELECT ${groupBy}, ${col} AS value, count() AS count FROM ${n.events} ${timeWhere} AND ${col} != ''
GROUP BY ${groupBy}, value ORDER BY count DESC, value LIMIT ${top} BY ${groupBy}`,
      ),
    ),
  ]);

  const lists = (list: Row[]) => {
    const m = new Map<string, Array<{ value: string; count: number }>>();
    for (const r of list) {
      const k = keyOf(r);
      let l = m.get(k);
      if (!l) m.set(k, (l = []));
      l.push({ value: str(r.value), count: num(r.count) });
    }
    // ClickHouse sorts strings by bytes; the report by code unit: the same for what tops share a count, in practice, but be exact.
    for (const l of m.values()) l.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    return m;
  };
  const [rules, recipients, senders, clients] = tops.map(lists) as [ReturnType<typeof lists>, ReturnType<typeof lists>, ReturnType<typeof lists>, ReturnType<typeof lists>];
  const hostLists = new Map<string, Array<{ host: string; count: number }>>();
  for (const r of hosts) {
    if (str(r.host) === '') continue;
    const k = keyOf(r);
    let l = hostLists.get(k);
    if (!l) hostLists.set(k, (l = []));
    l.push({ host: str(r.host), count: num(r.count) });
  }
  const byStatus = new Map<string, FindingDetails['eventsByStatus']>();
  const summaryStatus = { sent: 0, bounced: 0, deferred: 0, expired: 0 };
  let rejects = 0;
  for (const r of statuses) {
    const k = keyOf(r);
    let s = byStatus.get(k);
    if (!s) byStatus.set(k, (s = { reject: 0, sent: 0, bounced: 0, deferred: 0, expired: 0 }));
    const a = str(r.action);
    const c = num(r.count);
    if (a === 'rejected') {
      s.reject += c;
      rejects += c;
    } else if (a === 'bounced' || a === 'deferred' || a === 'expired') {
      s[a] += c;
      summaryStatus[a] += c;
    }
  }

  const items = findings.map((r) => {
    const k = keyOf(r);
    const permanentCount = num(r.permanent_count);
    return {
      key: k,
      r,
      messages: num(r.messages),
      distinctRecipients: num(r.recipients),
      permanent: permanentCount > 0,
      permanentCount,
      count: num(r.count),
      mta: str(r.mta) as Mta,
      host: o.byHost ? str(r.host) || null : null,
      direction: str(r.direction) as Direction,
      recipientDomain: str(r.domain) || null,
      cause: str(r.cause) as Cause,
      hint: str(r.hint),
    };
  });
  const out: Finding[] = [];
  const details: FindingDetails[] = [];
  let firstSeen: string | null = null;
  let lastSeen: string | null = null;
  for (const { rank, item } of rankFindings(items)) {
    const r = item.r;
    const ruleList = rules.get(item.key) ?? [];
    const top = (m: Map<string, Array<{ value: string; count: number }>>, n: number) =>
      (m.get(item.key) ?? []).slice(0, n).map((e) => ({ address: e.value, count: e.count }));
    const hostList = (hostLists.get(item.key) ?? []).sort((a, b) => b.count - a.count || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
    const first = iso(r.first_seen);
    const last = iso(r.last_seen);
    if (first !== null && (firstSeen === null || first < firstSeen)) firstSeen = first;
    if (last !== null && (lastSeen === null || last > lastSeen)) lastSeen = last;
    out.push({
      rank,
      mta: item.mta,
      direction: item.direction,
      recipientDomain: item.recipientDomain,
      cause: item.cause,
      hint: item.hint,
      permanent: item.permanent,
      // The engine keeps no per-address history: decide from the identity and counts alone.
      ...actionOf(item, num(r.clients)),
      suggestion: null,
      // No per-minute series or health lines in the engine: no onset or likely cause.
      onset: null,
      onsetNote: '',
      after: null,
      rule: ruleList[0]?.value ?? '',
      rules: ruleList.map((e) => ({ rule: e.value, count: e.count })),
      advice: str(r.advice),
      verify: str(r.verify),
      smtpCodes: (r.codes as number[]).map(Number).sort((a, b) => a - b),
      enhancedStatus: (r.enhanced as string[]).map(String).sort(),
      messages: item.messages,
      count: item.count,
      distinctRecipients: item.distinctRecipients,
      distinctSenders: num(r.senders),
      distinctClients: num(r.clients),
      firstSeen: first,
      lastSeen: last,
      hosts: hostList.slice(0, REPORT_HOSTS),
      topRecipients: top(recipients, REPORT_TOP_RECIPIENTS),
      examples: (r.examples as string[]).map(String),
      // The engine keeps the example lines, not their queue ids.
      exampleIds: (r.examples as string[]).map(() => null),
    });
    details.push({
      key: `clickhouse\0${item.key}`,
      catchAll: false,
      host: item.host,
      permanentCount: item.permanentCount,
      temporaryCount: item.count - item.permanentCount,
      eventsByStatus: byStatus.get(item.key) ?? { reject: 0, sent: 0, bounced: 0, deferred: 0, expired: 0 },
      topRecipients: top(recipients, DETAIL_TOP),
      topSenders: top(senders, DETAIL_TOP),
      topClients: top(clients, DETAIL_TOP),
      // uniqCombined is exact for small sets and an estimate past them; say estimate throughout.
      approximate: { messages: true, recipients: true, senders: true, clients: true, topLists: false },
      // No places in log files here: the evidence view shows the examples; search looks at the
      // top lists and codes the engine returned.
      evidence: new Float64Array(0),
      evidenceIds: '',
      evidenceLines: 0,
      search: [
        ...top(recipients, DETAIL_TOP),
        ...top(senders, DETAIL_TOP),
        ...top(clients, DETAIL_TOP),
      ]
        .map((e) => e.address)
        .concat((r.codes as number[]).map(String), (r.enhanced as string[]).map(String))
        .join('\n')
        .toLowerCase(),
    });
  }
  const delivery = summaryStatus.bounced + summaryStatus.deferred + summaryStatus.expired;
  return {
    harvest: [],
    backscatter: [],
    markers: [],
    // The engine holds problem events only: no traffic to give an overview of.
    traffic: new Traffic().report(),
    summary: {
      linesRead: 0,
      linesRecognised: 0,
      linesIgnored: 0,
      ignoredByReason: {},
      linesUnrecognised: 0,
      invalidUtf8Lines: 0,
      oversizedLines: 0,
      eventsByKind: { reject: rejects, delivery, notification: 0 },
      eventsByStatus: summaryStatus,
      files: [{ path: `clickhouse ${new URL(t.url).host} ${t.table}`, format: 'clickhouse', lines: 0, unrecognised: 0 }],
      firstSeen,
      lastSeen,
      overflow: {},
    },
    findings: out,
    details,
  };
}
