/**
 * Folds classified events into findings and summary counters. A finding is the set of events
 * with the same (MTA, direction, recipient domain, cause, hint), and host too when split by host
 * (`byHost`; by default one fleet view, each finding listing its hosts): findings of different
 * MTAs never merge, as their settings and verify commands differ. Its counters live in an
 * Accumulator, its order in rank.ts. `snapshot` builds an immutable Report (plus details for the
 * TUI) and may be called as often as the caller likes; `merge` combines aggregators built apart.
 *
 * Cap: at most FINDINGS_CAP distinct findings. Past it, an event whose finding does not exist
 * yet goes into one catch-all finding per MTA + direction + cause (hosts merged), recipient
 * domain `(other domains)`, and is counted in `summary.overflow.findings`. The other overflow
 * names the summary can carry: `distinctCounters`, `topK`, `codeLists`, `examples`, `hosts`,
 * `rules` (see accumulator.ts), next to whatever the pipeline reports in RunStats.overflow.
 */
import type { MailEvent, Mta } from '../event.js';
import type { Cause, Classification, Direction } from '../classify/types.js';
import { Accumulator, asAddressCounts, EvidenceBudget, type AccumulatorState, type FindingIdentity } from './accumulator.js';
import { Diagnosis, type DiagnosisState } from './diagnosis.js';
import { hash52 } from './counters.js';
import { compareTime, domainOf, normaliseAddress, recipientDomain } from './event-fields.js';
import { IdentityIndex } from './identity-index.js';
import { AddressStore, newAddressBudget, type AddressBudget } from './address-store.js';
import type { MarkerTime } from './onset.js';
import { RecentHealth } from './recent-health.js';
import { flatCopy } from '../text/flat-copy.js';
import { rankFindings, type Rankable } from './rank.js';
import { Traffic, type TrafficState } from './traffic.js';
import type {
  Marker,
  EventsByDeliveryStatus,
  EventsByKind,
  Finding,
  FindingDetails,
  RunStats,
  Snapshot,
  Summary,
} from './types.js';

/** Distinct findings kept before new ones fold into the catch-all findings. */
export const FINDINGS_CAP = 5_000;
/** Recipient domain of the catch-all findings. */
export const OTHER_DOMAINS = '(other domains)';
/** Recipients listed per finding in the report. */
export const REPORT_TOP_RECIPIENTS = 5;
/** Entries per top list in FindingDetails. */
export const DETAIL_TOP = 10;
/** Hosts listed per finding in the report (each with its count; HOSTS_CAP are counted). */
export const REPORT_HOSTS = 10;
/**
 * Timeline markers (MTA starts and reloads) kept; past it the oldest are dropped and counted in
 * `summary.overflow.markers`. A server reloaded every hour for a month needs 720.
 */
export const MARKERS_CAP = 1_000;
/** An Exim daemon logs `daemon started` right after the SIGHUP that re-executed it: one marker, the reload. */
const RESTART_AFTER_RELOAD_MS = 10_000;

export interface AggregatorOptions {
  findingsCap?: number;
  /** Split findings by host (`--by host`): the host becomes part of a finding's identity. */
  byHost?: boolean;
  /** Keep every address of every finding (`--addresses`, `--suppression-list`; see address-store.ts). */
  addresses?: boolean;
  /** Is a recipient domain one this server receives mail for? (see Diagnosis) */
  ours?: (domain: string, mta: Mta) => boolean;
}

/**
 * Map key of a finding, and its identity for the live view's trends (FindingDetails.key): the
 * one key function, catch-alls included. MTA, direction and cause are enum strings without NUL;
 * the host (only when split by host: h, or n for none) and the hint are length-prefixed; the
 * domain comes last with a one-letter tag (d: a domain, n: none, o: catch-all, which has
 * neither host nor hint), so no two identities share a key.
 */
function findingKey(id: Pick<FindingIdentity, 'mta' | 'host' | 'direction' | 'cause' | 'hint' | 'recipientDomain' | 'catchAll'>, byHost: boolean): string {
  if (id.catchAll) return `${id.mta}\0\0${id.direction}\0${id.cause}\0\0o`;
  const host = !byHost ? '' : id.host === null ? 'n' : `h${id.host.length}:${id.host}`;
  const head = `${id.mta}\0${host}\0${id.direction}\0${id.cause}\0${id.hint.length}:${id.hint}\0`;
  return id.recipientDomain === null ? `${head}n` : `${head}d${id.recipientDomain}`;
}

/** RunStats with every counter at zero: for tests and for a snapshot before any input. */
export function emptyRunStats(): RunStats {
  return {
    linesRead: 0,
    linesRecognised: 0,
    linesIgnored: 0,
    ignoredByReason: {},
    linesUnrecognised: 0,
    invalidUtf8Lines: 0,
    oversizedLines: 0,
    files: [],
    overflow: {},
  };
}

/** A report with nothing in it: what the live view shows before the analysis has produced anything. */
export function emptySnapshot(): Snapshot {
  return new Aggregator().snapshot(emptyRunStats());
}

/** An aggregator as a state file holds it (src/state/). */
export interface AggregatorState {
  byHost: boolean;
  findingsCap: number;
  foldedEvents: number;
  eventsByKind: EventsByKind;
  eventsByStatus: EventsByDeliveryStatus;
  firstSeen: string | null;
  lastSeen: string | null;
  findings: AccumulatorState[];
  /** The traffic overview; absent in files of version 1 (read as empty). */
  traffic?: TrafficState;
  /** The diagnosis' evidence; absent in files of version 1 (read as empty). */
  diagnosis?: DiagnosisState;
  /** Timeline markers (starts, reloads) and those dropped past the cap; absent before version 3. */
  markers?: Marker[];
  markersDropped?: number;
}

export class Aggregator {
  readonly findingsCap: number;
  readonly byHost: boolean;
  /** Every finding by its stable key (see findingKey), catch-alls included. */
  private readonly findings = new Map<string, Accumulator>();
  /** Regular findings by identity, for `add`. */
  private readonly index = new IdentityIndex<Accumulator>();
  /** Number of non-catch-all findings in `findings`. */
  private regular = 0;
  private foldedEvents = 0;
  private readonly eventsByKind: EventsByKind = { reject: 0, delivery: 0, notification: 0 };
  private readonly eventsByStatus: EventsByDeliveryStatus = { sent: 0, bounced: 0, deferred: 0, expired: 0 };
  private firstSeen: string | null = null;
  private lastSeen: string | null = null;
  /** The run's address budget, when addresses are kept. */
  private readonly addressBudget: AddressBudget | null;
  /** Evidence beyond the counts: act or not, typos, harvests, backscatter (diagnosis.ts). */
  readonly diagnosis: Diagnosis;
  /** Evidence places and queue ids all findings may keep (see accumulator.ts). */
  private readonly budget = new EvidenceBudget();
  /** Index in the run's list of files of each input by name (the latest of that name). */
  private readonly fileIndex = new Map<string, number>();
  /** The traffic overview, fed with every event (see traffic.ts). */
  readonly traffic = new Traffic();
  /** Starts and reloads in the order seen (at most MARKERS_CAP). */
  private readonly markers: Marker[] = [];
  private markersDropped = 0;
  /** Health lines seen last per host, for the likely cause of the refusals after them. */
  private readonly recent = new RecentHealth();

  constructor(options: AggregatorOptions = {}) {
    this.findingsCap = options.findingsCap ?? FINDINGS_CAP;
    this.byHost = options.byHost ?? false;
    this.addressBudget = options.addresses ? newAddressBudget() : null;
    this.diagnosis = new Diagnosis({ ours: options.ours });
  }

  /**
   * Count one event. With a classification it joins its finding; without one (sent mail,
   * notifications, anything classify passed over) it only counts in the summary. Returns the
   * key of the finding it joined (FindingDetails.key; null without a classification), so that
   * the live view's trends use the finding's own identity: always the same string object for
   * one finding, so a map lookup by it is cheap.
   */
  /** The input `path` is the run's file number `index` (summary.files[index]): events name their file by path. */
  beginFile(path: string, index: number): void {
    this.fileIndex.set(path, index);
  }

  add(ev: MailEvent, c: Classification | null): string | null {
    if (ev.kind === 'marker') {
      this.addMarker({ time: ev.time, host: ev.host, mta: ev.mta, marker: ev.marker, version: ev.version });
      return null;
    }
    if (ev.kind === 'delivery') {
      this.eventsByKind.delivery++;
      this.eventsByStatus[ev.status]++;
    } else if (ev.kind === 'reject') this.eventsByKind.reject++;
    else if (ev.kind === 'notification') this.eventsByKind.notification++;
    // Health lines are not mail: only the span of the log, the likely cause of the refusals
    // after them and their own finding count them.
    else if (ev.kind === 'health') this.recent.note(ev);
    // Received mail and authentication failures are the traffic overview's only: the summary's
    // counts and time span stay those of deliveries, refusals, notices and health lines.
    if (ev.time !== null && ev.kind !== 'received' && ev.kind !== 'auth-failure') this.seen(ev.time, ev.time);
    if (ev.kind === 'delivery' && ev.status === 'sent') {
      this.delivered(ev.time, ev.to, ev.origTo, ev.delay);
      if (c === null) return null;
    } else {
      this.traffic.add(ev);
      if (c === null) return null;
    }
    const domain = recipientDomain(ev);
    const host = this.byHost ? ev.host : null;
    let acc = this.index.get(ev.mta, host, c.direction, c.cause, c.hint, domain);
    if (acc === undefined) {
      acc = this.open({ mta: ev.mta, host, direction: c.direction, cause: c.cause, hint: c.hint, recipientDomain: domain }, 1);
    }
    acc.add(ev, c, this.fileIndex.get(ev.origin.file) ?? -1);
    if (ev.kind !== 'health') {
      const cause = this.recent.causeOf(ev);
      if (cause !== null) acc.noteCause(cause);
      this.diagnosis.problem(ev, c, acc.key);
    }
    return acc.key;
  }

  /** A recipient received mail: the diagnosis's evidence that the address works. */
  sentTo(to: string | null, origTo: string | null = null, time: string | null = null): void {
    this.diagnosis.sent(to, time);
    if (origTo !== null && origTo !== to) this.diagnosis.sent(origTo, time);
  }

  /**
   * A sent delivery to `to` in the traffic overview and the diagnosis (sentTo). Both count the
   * address and its domain; they are read here once, and hashed once when the address has no
   * capitals (the diagnosis hashes it lower-cased, the top list as counted). `plain`, `known`:
   * see countSent().
   */
  private delivered(time: string | null, to: string | null, origTo: string | null, delay: number | null, plain = -1, known = 0): void {
    if (!to) {
      this.traffic.sent(time, to, delay);
      this.sentTo(to, origTo, time);
      return;
    }
    let address = to;
    let lowerHash = known;
    let hash = known;
    let domain: string | null;
    if (plain >= 0) {
      // No capitals (the reader thread looked, and hashed it): the address as logged is the one
      // counted and its own lower-cased form; its domain follows the `@` at plain - 1.
      domain = plain > 0 && plain < to.length ? to.slice(plain) : null;
    } else {
      address = normaliseAddress(to);
      const lower = address.toLowerCase();
      lowerHash = hash52(lower);
      hash = lower === address ? lowerHash : hash52(address);
      domain = domainOf(address);
    }
    this.traffic.sentKeyed(time, address, hash, domain, delay);
    this.diagnosis.sentKeyed(lowerHash, domain, time);
    if (origTo !== null && origTo !== to) this.diagnosis.sent(origTo, time);
  }


  /** A start or reload of the MTA: a marker on the timeline. */
  addMarker(m: Marker): void {
    if (m.time === null) return;
    const prev = this.markers[this.markers.length - 1];
    if (
      prev !== undefined &&
      m.marker === 'start' &&
      prev.marker === 'reload' &&
      prev.host === m.host &&
      prev.mta === m.mta &&
      prev.time !== null &&
      Date.parse(m.time) - Date.parse(prev.time) <= RESTART_AFTER_RELOAD_MS
    ) {
      if (prev.version === null) prev.version = m.version;
      return;
    }
    if (this.markers.length >= MARKERS_CAP) {
      this.markers.shift();
      this.markersDropped++;
    }
    this.markers.push({ ...m, host: flatCopy(m.host) });
  }

  /**
   * What add() does with a sent delivery, for callers that know only its time, recipient and
   * delay: the pipeline settles sent deliveries without building their events. `plain` and
   * `hash`: a recipient without capitals, as the batch says (batch.ts: 1 + where its last `@`
   * is, and its hash52); -1 when not known.
   */
  countSent(time: string | null, to: string, origTo: string | null, delay: number | null, plain = -1, hash = 0): void {
    this.eventsByKind.delivery++;
    this.eventsByStatus.sent++;
    if (time !== null) this.seen(time, time);
    this.delivered(time, to, origTo, delay, plain, hash);
  }

  /**
   * What add() does with a received event, for the pipeline's shortcut that builds none (the
   * reader thread passes qmgr's `from=<…>, size=…` lines on as queue id and sender).
   */
  countReceived(time: string | null, from: string): void {
    this.traffic.arrival(time, from);
  }

  /** Add everything `other` counted. Does not change `other`. Both must group alike (byHost). */
  merge(other: Aggregator): void {
    if (other.byHost !== this.byHost) throw new Error('cannot merge findings split by host with findings that are not');
    for (const k of Object.keys(this.eventsByKind) as Array<keyof EventsByKind>) {
      this.eventsByKind[k] += other.eventsByKind[k];
    }
    for (const k of Object.keys(this.eventsByStatus) as Array<keyof EventsByDeliveryStatus>) {
      this.eventsByStatus[k] += other.eventsByStatus[k];
    }
    if (other.firstSeen !== null) this.seen(other.firstSeen, other.lastSeen!);
    this.traffic.merge(other.traffic);
    this.foldedEvents += other.foldedEvents;
    this.diagnosis.merge(other.diagnosis);
    for (const m of other.markers) this.addMarker(m);
    this.markersDropped += other.markersDropped;
    if (other.markers.length > 0) this.markers.sort((a, b) => compareTime(a.time ?? '', b.time ?? ''));
    for (const [key, o] of other.findings) {
      let acc = o.catchAll
        ? this.findings.get(key)
        : this.index.get(o.mta, o.host, o.direction, o.cause, o.hint, o.recipientDomain);
      if (acc === undefined) {
        const id: FindingIdentity = {
          mta: o.mta,
          host: o.host,
          direction: o.direction,
          cause: o.cause,
          hint: o.hint,
          recipientDomain: o.recipientDomain,
          catchAll: o.catchAll,
        };
        acc = this.open(id, o.count);
      }
      acc.merge(o);
    }
  }

  exportState(): AggregatorState {
    return {
      byHost: this.byHost,
      findingsCap: this.findingsCap,
      foldedEvents: this.foldedEvents,
      eventsByKind: { ...this.eventsByKind },
      eventsByStatus: { ...this.eventsByStatus },
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      findings: [...this.findings.values()].map((a) => a.exportState()),
      traffic: this.traffic.exportState(),
      diagnosis: this.diagnosis.exportState(),
      markers: this.markers.map((m) => ({ ...m })),
      markersDropped: this.markersDropped,
    };
  }

  /**
   * The aggregator a state file describes. Its findings are re-opened one by one, so a state
   * holding more than the cap (a foreign file) folds the rest into the catch-alls as add() would.
   */
  static fromState(s: AggregatorState): Aggregator {
    const agg = new Aggregator({ byHost: s.byHost, findingsCap: s.findingsCap });
    Object.assign(agg.eventsByKind, s.eventsByKind);
    Object.assign(agg.eventsByStatus, s.eventsByStatus);
    if (s.firstSeen !== null && s.lastSeen !== null) agg.seen(s.firstSeen, s.lastSeen);
    agg.foldedEvents = s.foldedEvents;
    const loose = new Aggregator({ byHost: s.byHost, findingsCap: s.findingsCap });
    for (const f of s.findings) {
      const acc = Accumulator.fromState(f, (a) => findingKey(a, s.byHost));
      loose.findings.set(acc.key, acc);
      if (!acc.catchAll) loose.index.set(acc.mta, acc.host, acc.direction, acc.cause, acc.hint, acc.recipientDomain, acc);
    }
    // merge() opens each finding as add() would (cap, catch-alls), then folds its counters in.
    const { eventsByKind, eventsByStatus, firstSeen, lastSeen, foldedEvents } = agg;
    agg.merge(loose);
    // Merged into the still empty ones of `agg` (the aggregator's own are readonly): the same state.
    if (s.traffic) agg.traffic.merge(Traffic.fromState(s.traffic));
    if (s.diagnosis) agg.diagnosis.merge(Diagnosis.fromState(s.diagnosis));
    for (const m of s.markers ?? []) agg.addMarker(m);
    agg.markersDropped += s.markersDropped ?? 0;
    Object.assign(agg.eventsByKind, eventsByKind);
    Object.assign(agg.eventsByStatus, eventsByStatus);
    agg.firstSeen = firstSeen;
    agg.lastSeen = lastSeen;
    agg.foldedEvents = foldedEvents;
    return agg;
  }

  /** Number of findings held, catch-alls included. */
  get size(): number {
    return this.findings.size;
  }

  /**
   * The report as of now, ranked, with the run's line counts from the pipeline. `withAddresses`:
   * each finding's details carry every address kept (when the run keeps them), for the final
   * report; the live view's frequent snapshots leave them out.
   */
  snapshot(run: RunStats, withAddresses = false): Snapshot {
    const ranked = rankFindings([...this.findings.entries()].map(([key, acc]) => ({ key, acc, ...rankFields(acc) })));
    const overflow = { distinctCounters: 0, topK: 0, codeLists: 0, examples: 0, hosts: 0, rules: 0, onsetSeries: 0 };
    const markerTimes: MarkerTime[] = this.markers.map((m) => ({ time: m.time!, marker: m.marker, host: m.host }));
    // Judged once for the whole snapshot (a sort of up to CANDIDATES_CAP bounces).
    const backscatter = this.diagnosis.judgedBackscatter();
    const findings: Finding[] = [];
    const details: FindingDetails[] = [];
    for (const { rank, item } of ranked) {
      const { key, acc } = item;
      const o = acc.overflowed();
      overflow.distinctCounters += o.distinctCounters;
      overflow.topK += o.topK;
      overflow.codeLists += o.codeLists;
      overflow.examples += o.examples;
      overflow.hosts += o.hosts;
      overflow.rules += o.rules;
      const topSenders = asAddressCounts(acc.senders.list.top(DETAIL_TOP));
      const verdict = this.diagnosis.judge({
        key,
        mta: acc.mta,
        direction: acc.direction,
        cause: acc.cause,
        hint: acc.hint,
        recipientDomain: acc.catchAll ? null : acc.recipientDomain,
        distinctClients: acc.clients.count(),
        distinctRecipients: item.distinctRecipients,
        bounced: acc.eventsByStatus.bounced + acc.eventsByStatus.expired > 0,
        topSenders,
      });
      overflow.onsetSeries += o.onsetSeries;
      const onset = acc.onset(this.firstSeen, this.lastSeen, markerTimes);
      findings.push({
        rank,
        mta: acc.mta,
        direction: acc.direction,
        recipientDomain: acc.recipientDomain,
        cause: acc.cause,
        hint: acc.hint,
        permanent: item.permanent,
        action: verdict.action,
        actionReason: verdict.actionReason,
        suggestion: verdict.suggestion,
        rule: acc.rule,
        rules: acc.ruleCounts(),
        advice: acc.advice ?? '',
        verify: acc.verify ?? '',
        smtpCodes: acc.smtpCodes(),
        enhancedStatus: acc.enhancedStatus(),
        messages: item.messages,
        count: acc.count,
        distinctRecipients: item.distinctRecipients,
        distinctSenders: acc.senders.count(),
        distinctClients: acc.clients.count(),
        firstSeen: acc.firstSeen,
        lastSeen: acc.lastSeen,
        onset: onset.onset,
        onsetNote: onset.note,
        after: acc.likelyCause,
        hosts: acc.hostCounts(REPORT_HOSTS),
        topRecipients: asAddressCounts(acc.recipients.list.top(REPORT_TOP_RECIPIENTS)),
        examples: [...acc.examples],
        exampleIds: [...acc.exampleIds],
      });
      details.push({
        key,
        catchAll: acc.catchAll,
        host: acc.host,
        permanentCount: acc.permanentCount,
        temporaryCount: acc.temporaryCount,
        eventsByStatus: { ...acc.eventsByStatus },
        topRecipients: asAddressCounts(acc.recipients.list.top(DETAIL_TOP)),
        topSenders,
        topClients: asAddressCounts(acc.clients.list.top(DETAIL_TOP)),
        evidence: acc.evidenceRefs(),
        evidenceIds: acc.evidenceIds(),
        evidenceLines: acc.evidenceLines,
        search: acc.searchText(),
        approximate: {
          messages: acc.distinctMessages.approximate,
          recipients: acc.recipients.approximate,
          senders: acc.senders.approximate,
          clients: acc.clients.approximate,
          topLists: acc.recipients.list.overflowed || acc.senders.list.overflowed || acc.clients.list.overflowed,
        },
        ...(withAddresses && acc.addresses ? { addresses: acc.addresses.list() } : {}),
      });
    }
    const summary: Summary = {
      linesRead: run.linesRead,
      linesRecognised: run.linesRecognised,
      linesIgnored: run.linesIgnored,
      ignoredByReason: { ...run.ignoredByReason },
      linesUnrecognised: run.linesUnrecognised,
      invalidUtf8Lines: run.invalidUtf8Lines,
      oversizedLines: run.oversizedLines,
      ...(run.nulBytes ? { nulBytes: run.nulBytes } : {}),
      ...(run.followLostBytes ? { followLostBytes: run.followLostBytes } : {}),
      ...(run.followRotations?.length ? { followRotations: run.followRotations.map((r) => ({ ...r })) } : {}),
      eventsByKind: { ...this.eventsByKind },
      eventsByStatus: { ...this.eventsByStatus },
      files: run.files.map((f) => ({
        path: f.path,
        format: f.format,
        lines: f.lines,
        unrecognised: f.unrecognised,
        ...(f.error !== undefined ? { error: f.error } : {}),
      })),
      ...(run.window ? { window: { ...run.window } } : {}),
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      overflow: mergeOverflow(
        mergeOverflow(run.overflow, {
          findings: this.foldedEvents,
          ...overflow,
          addresses: this.addressBudget?.dropped ?? 0,
          ...this.diagnosis.overflowed(backscatter),
          evidence: this.budget.refsDropped,
          queueIds: this.budget.queueIdsDropped,
          markers: this.markersDropped,
          recentHealthHosts: this.recent.evicted,
        }),
        this.traffic.overflowed(),
      ),
    };
    return {
      summary,
      findings,
      harvest: this.diagnosis.harvestFindings(),
      backscatter: this.diagnosis.backscatterFindings(backscatter),
      markers: this.markers.map((m) => ({ ...m })),
      details,
      traffic: this.traffic.report(),
    };
  }

  /** Create the accumulator for an identity, or route to the catch-all when the cap is reached. */
  private open(id: FindingIdentity, events: number): Accumulator {
    const acc = this.openAccumulator(id, events);
    if (this.addressBudget && !acc.addresses) acc.addresses = new AddressStore(this.addressBudget);
    return acc;
  }

  private openAccumulator(id: FindingIdentity, events: number): Accumulator {
    if (id.catchAll) {
      const ck = findingKey(id, this.byHost);
      const acc = new Accumulator(id, ck, this.budget);
      this.findings.set(ck, acc);
      return acc;
    }
    if (this.regular < this.findingsCap) {
      // Keyed by the accumulator's own copies of host and domain (not slices of a line).
      const acc = new Accumulator(id, (a) => findingKey(a, this.byHost), this.budget);
      this.findings.set(acc.key, acc);
      this.index.set(acc.mta, acc.host, acc.direction, acc.cause, acc.hint, acc.recipientDomain, acc);
      this.regular++;
      return acc;
    }
    this.foldedEvents += events;
    const ck = findingKey({ ...id, catchAll: true }, this.byHost);
    let acc = this.findings.get(ck);
    if (acc === undefined) {
      acc = new Accumulator({ ...id, host: null, recipientDomain: OTHER_DOMAINS, catchAll: true }, ck, this.budget);
      this.findings.set(ck, acc);
    }
    return acc;
  }

  private seen(first: string, last: string): void {
    if (this.firstSeen === null || compareTime(first, this.firstSeen) < 0) this.firstSeen = first;
    if (this.lastSeen === null || compareTime(last, this.lastSeen) > 0) this.lastSeen = last;
  }
}

/** What rank.ts orders by; the distinct counts are read once here and reused in the report. */
function rankFields(acc: Accumulator): Rankable {
  return {
    messages: acc.distinctMessages.count(),
    distinctRecipients: acc.recipients.count(),
    permanent: acc.permanent,
    count: acc.count,
    mta: acc.mta,
    host: acc.host,
    direction: acc.direction,
    recipientDomain: acc.recipientDomain,
    cause: acc.cause,
    hint: acc.hint,
  };
}

/** Upstream overflow counts plus the aggregator's own non-zero ones (same names add up). */
function mergeOverflow(upstream: Record<string, number>, own: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = { ...upstream };
  for (const [k, v] of Object.entries(own)) if (v > 0) out[k] = (out[k] ?? 0) + v;
  return out;
}
