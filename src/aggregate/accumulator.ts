/**
 * One finding's state: every event with the same identity (MTA, host when split by host,
 * direction, recipient domain, cause, hint) goes through `add`; `merge` combines two
 * accumulators of the same finding (files or workers aggregated apart). Adding A's events then
 * B's into one accumulator gives the same result as merging B into A, as long as no cap
 * overflowed (after that, estimates agree within error).
 *
 * Caps (each overflow is reported, see `overflowed()`):
 * - distinct messages / recipients / senders / clients: exact to DISTINCT_EXACT_CAP, then
 *   HyperLogLog;
 * - top recipients / senders / clients: TOPK_CAP keys, then Space-Saving behind an admission
 *   sketch (counters.ts TopK: 32 B per key of its cap, once overflowed);
 * - hosts: HOSTS_CAP keys, rule ids: RULES_CAP keys, then Space-Saving;
 * - SMTP codes and enhanced status codes: the first CODE_LIST_CAP distinct values;
 * - examples: the first EXAMPLE_CAP raw lines, each cut to EXAMPLE_MAX_CHARS, with their queue id;
 * - evidence: where its first EVIDENCE_PER_FINDING lines are (file, line, offset), within a run's
 *   EVIDENCE_TOTAL (shared by all findings through an EvidenceBudget); the lines past either are
 *   counted (`evidenceLines` says how many there were, `summary.overflow.evidence` how many
 *   were not kept);
 * - queue ids (for search): the first QUEUE_IDS_PER_FINDING distinct ones, within a run's
 *   QUEUE_IDS_TOTAL (`summary.overflow.queueIds` counts those not kept).
 */
import type { MailEvent, Mta } from '../event.js';
import type { Cause, Classification, Direction } from '../classify/types.js';
import { DistinctCounter, TopK, ValueCounts, type DistinctState, type TopEntry, type TopKState } from './counters.js';
import {
  clientOf,
  compareTime,
  enhancedStatusOf,
  messageHashOf,
  normaliseAddress,
  recipientOf,
  senderOf,
  smtpCodeOf,
} from './event-fields.js';
import type { AddressStore } from './address-store.js';
import { findingIsPermanent } from './rank.js';
import type { AddressCount, FindingEventsByStatus, HostCount, RuleCount } from './types.js';
import { flatCopy } from '../text/flat-copy.js';
import { onsetOf, TimeSeries, type MarkerTime, type Onset, type TimeSeriesState } from './onset.js';

/** Distinct SMTP codes / enhanced codes kept per finding. */
export const CODE_LIST_CAP = 20;
/** Raw example lines kept per finding. */
export const EXAMPLE_CAP = 3;
/** Longest example kept, in UTF-16 code units; longer lines are cut and end with `…`. */
export const EXAMPLE_MAX_CHARS = 4_096;
/**
 * Hosts counted per finding. A fleet has a few dozen; past this, Space-Saving keeps the most
 * frequent (a log with a host name per line cannot grow a finding without bound).
 */
export const HOSTS_CAP = 100;
/** Rule ids counted per finding: a finding's events come from a few rules of a fixed table. */
export const RULES_CAP = 32;
/** Likely causes (server-health lines a refusal followed, see recent-health.ts) counted per finding. */
export const CAUSES_CAP = 8;
/** Hint shown on a catch-all finding whose events had different hints. */
export const VARIOUS_HINTS = '(various)';
/** Lines of a finding whose place is kept for the evidence view (24 bytes each). */
export const EVIDENCE_PER_FINDING = 2_000;
/** Places kept over all findings of a run: 4.8 MB, copied into each snapshot for the view. */
export const EVIDENCE_TOTAL = 200_000;
/** Distinct queue ids (message ids) kept per finding, for search. */
export const QUEUE_IDS_PER_FINDING = 1_000;
/** Queue ids kept over all findings of a run. */
export const QUEUE_IDS_TOTAL = 100_000;
/** Top recipients, senders and clients (each) that search looks at. */
export const SEARCH_PER_LIST = 200;

/**
 * What all findings of one aggregator may still keep of evidence places and queue ids, and what
 * did not fit (overflow counts).
 */
export class EvidenceBudget {
  refsLeft: number;
  refsDropped = 0;
  queueIdsLeft: number;
  queueIdsDropped = 0;
  constructor(refs = EVIDENCE_TOTAL, queueIds = QUEUE_IDS_TOTAL) {
    this.refsLeft = refs;
    this.queueIdsLeft = queueIds;
  }
}

export interface FindingIdentity {
  mta: Mta;
  /** The host, when findings are split by host (`--by host`); else null. */
  host: string | null;
  direction: Direction;
  recipientDomain: string | null;
  cause: Cause;
  hint: string;
  /** A catch-all collects findings past the cap: its hint becomes `(various)` when they differ. */
  catchAll?: boolean;
}

/** Which caps this accumulator hit. */
export interface AccumulatorOverflow {
  distinctCounters: number;
  topK: number;
  codeLists: number;
  examples: number;
  hosts: number;
  rules: number;
  /** Onset series whose buckets were widened (onset.ts). */
  onsetSeries: number;
}

/** An accumulator as a state file holds it (src/state/): everything merge() reads. */
export interface AccumulatorState {
  id: Required<FindingIdentity>;
  count: number;
  permanentCount: number;
  temporaryCount: number;
  eventsByStatus: FindingEventsByStatus;
  advice: string | null;
  verify: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  examples: string[];
  /** The queue id of each example (absent in state files written before it was kept). */
  exampleIds?: Array<string | null>;
  examplesCut: boolean[];
  distinctMessages: DistinctState;
  distinctRecipients: DistinctState;
  distinctSenders: DistinctState;
  distinctClients: DistinctState;
  topRecipients: TopKState;
  topSenders: TopKState;
  topClients: TopKState;
  hosts: TopKState;
  rules: TopKState;
  codes: number[];
  enhanced: string[];
  codesDropped: boolean;
  /** Evidence places (file index, line, offset) flat, their queue ids, the lines counted (absent before version 2). */
  evidence?: { refs: number[]; ids: string[]; lines: number };
  /** Its distinct queue ids, for search (absent before version 2). */
  queueIds?: string[];
  /** Its event counts over time, for the onset (absent before version 3). */
  series?: TimeSeriesState;
  /** The server-health lines its events followed (absent before version 3). */
  causes?: TopKState;
}

export class Accumulator {
  readonly mta: Mta;
  readonly host: string | null;
  readonly direction: Direction;
  readonly recipientDomain: string | null;
  readonly cause: Cause;
  readonly catchAll: boolean;
  hint: string;
  /** The aggregator's key of this finding (FindingDetails.key); '' when it gave none. */
  readonly key: string;

  count = 0;
  permanentCount = 0;
  temporaryCount = 0;
  readonly eventsByStatus: FindingEventsByStatus = { reject: 0, sent: 0, bounced: 0, deferred: 0, expired: 0 };
  /** Advice and verify of the first event added. */
  advice: string | null = null;
  verify: string | null = null;
  firstSeen: string | null = null;
  lastSeen: string | null = null;
  readonly examples: string[] = [];
  /** The queue id (message id) of each example's event, null when it has none. */
  readonly exampleIds: Array<string | null> = [];
  /** `examplesCut[i]`: examples[i] was cut to EXAMPLE_MAX_CHARS. */
  private readonly examplesCut: boolean[] = [];
  /** Places of its first lines: (file index, line, offset or -1) per line, in the order added. */
  private refs = new Float64Array(48);
  private refCount = 0;
  /** The queue id of each kept line ('' for none), parallel to `refs`. */
  private readonly refIds: string[] = [];
  private refIdsCache: { count: number; text: string } | null = null;
  /** Lines its events came from (a line with several events counts once when they follow each other). */
  evidenceLines = 0;
  private lastFile = -2;
  private lastLine = -1;
  /** Distinct queue ids of its events, for search (see QUEUE_IDS_PER_FINDING). */
  private readonly queueIds = new Set<string>();
  private searchCache: { key: string; text: string } | null = null;
  private readonly budget: EvidenceBudget;

  // Replaced only by fromState().
  distinctMessages = new DistinctCounter();
  /** Its events' recipients, senders and clients: top lists and distinct counts (ValueCounts). */
  recipients = new ValueCounts();
  senders = new ValueCounts();
  clients = new ValueCounts();
  hosts = new TopK(HOSTS_CAP);
  rules = new TopK(RULES_CAP);

  /** Every address of the finding, when the run keeps them (--addresses; see address-store.ts). */
  addresses: AddressStore | null = null;
  /** When its events happened, for the onset (onset.ts; capped there). */
  readonly series = new TimeSeries();
  /** The server-health lines its events followed (recent-health.ts), most frequent first. */
  readonly causes = new TopK(CAUSES_CAP);
  private lastTime: string | null = null;
  private lastMs = 0;
  private onsetCache: { key: string; value: Onset } | null = null;

  private readonly codes = new Set<number>();
  private readonly enhanced = new Set<string>();
  private codesDropped = false;

  /** `key` may be worked out from the accumulator, whose host and domain are copies of their own. */
  constructor(id: FindingIdentity, key: string | ((self: Accumulator) => string) = '', budget = new EvidenceBudget()) {
    this.budget = budget;
    this.mta = id.mta;
    // A map key for the rest of the run, as the domain below.
    this.host = flatCopy(id.host);
    this.direction = id.direction;
    // A map key for the rest of the run (the aggregator's index uses it): a copy, not a slice of a line.
    this.recipientDomain = flatCopy(id.recipientDomain);
    this.cause = id.cause;
    this.hint = id.hint;
    this.catchAll = id.catchAll ?? false;
    this.key = typeof key === 'string' ? key : key(this);
  }

  /** `file`: the index of the event's input in the run's list of files (-1: unknown). */
  add(ev: MailEvent, c: Classification, file = -1): void {
    const kept = this.addRef(file, ev.origin.line, ev.origin.offset ?? -1, ev.queueId);
    if (ev.queueId !== null) this.addQueueId(ev.queueId, kept);
    if (this.count === 0) {
      this.advice = c.advice;
      this.verify = c.verify;
    }
    this.count++;
    if (this.catchAll && c.hint !== this.hint) this.hint = VARIOUS_HINTS;
    if (c.permanent) this.permanentCount++;
    else this.temporaryCount++;
    if (ev.kind === 'reject') this.eventsByStatus.reject++;
    else if (ev.kind === 'delivery') this.eventsByStatus[ev.status]++;
    this.rules.add(c.rule);
    if (ev.host !== null) this.hosts.add(ev.host);
    this.distinctMessages.addHash(messageHashOf(ev, c.permanent));

    const rcpt = recipientOf(ev);
    if (rcpt !== null) this.recipients.add(normaliseAddress(rcpt));
    const sender = senderOf(ev);
    if (sender !== null) this.senders.add(sender);
    const client = clientOf(ev);
    if (client !== null) this.clients.add(client);
    const code = smtpCodeOf(ev);
    if (code !== null) this.addCode(code);
    const enh = enhancedStatusOf(ev);
    if (enh) this.addEnhanced(enh);
    if (ev.time !== null) {
      this.seen(ev.time, ev.time);
      // Events of one second come in runs: parse each distinct time once.
      if (ev.time !== this.lastTime) {
        this.lastTime = ev.time;
        this.lastMs = Date.parse(ev.time);
      }
      this.series.add(this.lastMs);
    }
    if (this.examples.length < EXAMPLE_CAP) {
      this.addExample(ev.raw);
      this.exampleIds.push(flatCopy(ev.queueId));
    }
    this.addresses?.add(ev, c);
  }

  /** One of its events followed a server-health line saying `cause` (recent-health.ts). */
  noteCause(cause: string): void {
    this.causes.add(cause);
  }

  /** The likely cause most of its events followed, or null. */
  get likelyCause(): string | null {
    return this.causes.top(1)[0]?.value ?? null;
  }

  /** Its onset (onset.ts) over the log span [logFirst, logLast]; worked out again only when something changed. */
  onset(logFirst: string | null, logLast: string | null, markers: readonly MarkerTime[]): Onset {
    const key = `${this.count}\0${logFirst}\0${logLast}\0${markers.length}`;
    if (this.onsetCache !== null && this.onsetCache.key === key) return this.onsetCache.value;
    const hosts = new Set(this.hosts.top(HOSTS_CAP).map((e) => e.value));
    const value = onsetOf(this.series, logFirst, logLast, markers, hosts);
    this.onsetCache = { key, value };
    return value;
  }

  /** Fold `other` (a later part of the same finding) into this one. Does not change `other`. */
  merge(other: Accumulator): void {
    if (other.count === 0) return;
    if (this.count === 0) {
      this.advice = other.advice;
      this.verify = other.verify;
    }
    if (this.catchAll && other.hint !== this.hint) this.hint = VARIOUS_HINTS;
    this.count += other.count;
    this.permanentCount += other.permanentCount;
    this.temporaryCount += other.temporaryCount;
    for (const k of Object.keys(this.eventsByStatus) as Array<keyof FindingEventsByStatus>) {
      this.eventsByStatus[k] += other.eventsByStatus[k];
    }
    this.distinctMessages.merge(other.distinctMessages);
    this.recipients.merge(other.recipients);
    this.senders.merge(other.senders);
    this.clients.merge(other.clients);
    this.hosts.merge(other.hosts);
    this.rules.merge(other.rules);
    this.series.merge(other.series);
    this.causes.merge(other.causes);
    for (const code of other.codes) this.addCode(code);
    for (const e of other.enhanced) this.addEnhanced(e);
    this.codesDropped ||= other.codesDropped;
    if (other.firstSeen !== null) this.seen(other.firstSeen, other.lastSeen!);
    for (let i = 0; i < other.examples.length && this.examples.length < EXAMPLE_CAP; i++) {
      this.examples.push(other.examples[i]!);
      this.exampleIds.push(other.exampleIds[i] ?? null);
      this.examplesCut.push(other.examplesCut[i]!);
    }
    if (this.addresses && other.addresses) this.addresses.merge(other.addresses);
    // Places and queue ids: the other's come after ours, as if its events were added after.
    const lines = this.evidenceLines + other.evidenceLines;
    for (let i = 0; i < other.refCount; i++) {
      this.addRef(other.refs[3 * i]!, other.refs[3 * i + 1]!, other.refs[3 * i + 2]!, other.refIds[i] || null);
    }
    // The other's lines it did not keep itself are not kept here either.
    this.budget.refsDropped += other.evidenceLines - other.refCount;
    this.evidenceLines = lines;
    // Its ids are copies of its own already.
    for (const q of other.queueIds) this.addQueueId(q, q);
  }

  /**
   * Where its kept lines are: (file index, line, offset or -1) per line, a copy (it crosses to
   * the view's thread in a snapshot).
   */
  evidenceRefs(): Float64Array {
    return this.refs.slice(0, this.refCount * 3);
  }

  /** The queue id of each kept line ('' for none), one a line: one string for the snapshot. */
  evidenceIds(): string {
    if (this.refIdsCache?.count !== this.refCount) this.refIdsCache = { count: this.refCount, text: this.refIds.join('\n') };
    return this.refIdsCache.text;
  }

  /**
   * Everything search looks at besides the identity, lower case, one value a line: top
   * recipients, senders and clients, SMTP and enhanced codes, queue ids. One string (not a list)
   * because it goes into every snapshot; rebuilt only when one of its sources changed.
   */
  searchText(): string {
    const key = `${this.recipients.list.keysVersion}/${this.senders.list.keysVersion}/${this.clients.list.keysVersion}/${this.codes.size}/${this.enhanced.size}/${this.queueIds.size}`;
    if (this.searchCache?.key === key) return this.searchCache.text;
    const values = [
      ...this.recipients.list.someKeys(SEARCH_PER_LIST),
      ...this.senders.list.someKeys(SEARCH_PER_LIST),
      ...this.clients.list.someKeys(SEARCH_PER_LIST),
      ...this.codes,
      ...this.enhanced,
      ...this.queueIds,
    ];
    // Newlines never occur in a value (lines are cut on them): a word cannot match across two.
    const text = values.join('\n').toLowerCase();
    this.searchCache = { key, text };
    return text;
  }

  /** The copy of `id` kept with the place, or null when none was (see addQueueId). */
  private addRef(file: number, line: number, offset: number, id: string | null): string | null {
    // Several events of one line (recipients of one rejection) are one line of evidence.
    if (file === this.lastFile && line === this.lastLine) return null;
    this.lastFile = file;
    this.lastLine = line;
    this.evidenceLines++;
    if (this.refCount >= EVIDENCE_PER_FINDING || this.budget.refsLeft <= 0) {
      this.budget.refsDropped++;
      return null;
    }
    this.budget.refsLeft--;
    if ((this.refCount + 1) * 3 > this.refs.length) {
      const bigger = new Float64Array(Math.min(EVIDENCE_PER_FINDING * 3, this.refs.length * 2));
      bigger.set(this.refs);
      this.refs = bigger;
    }
    const at = this.refCount++ * 3;
    this.refs[at] = file;
    this.refs[at + 1] = line;
    this.refs[at + 2] = offset;
    // A copy: the id may be a slice of its line. Newlines cannot occur in it (lines are cut on them).
    // A message's lines come in runs (a newsletter's bounces: tens of thousands of one queue id
    // in one finding), so the previous place's string is shared when the id is the same.
    const prev = this.refCount > 1 ? this.refIds[this.refCount - 2]! : null;
    const own = id === null ? null : id === prev ? prev : flatCopy(id);
    this.refIds.push(own ?? '');
    return own;
  }

  /** `kept`: the copy of `q` its place keeps (addRef()), null: none; the two lists share it. */
  private addQueueId(q: string, kept: string | null): void {
    if (this.queueIds.has(q)) return;
    if (this.queueIds.size >= QUEUE_IDS_PER_FINDING || this.budget.queueIdsLeft <= 0) {
      this.budget.queueIdsDropped++;
      return;
    }
    this.budget.queueIdsLeft--;
    this.queueIds.add(kept ?? flatCopy(q));
  }


  exportState(): AccumulatorState {
    return {
      id: {
        mta: this.mta, host: this.host, direction: this.direction, recipientDomain: this.recipientDomain,
        cause: this.cause, hint: this.hint, catchAll: this.catchAll,
      },
      count: this.count,
      permanentCount: this.permanentCount,
      temporaryCount: this.temporaryCount,
      eventsByStatus: { ...this.eventsByStatus },
      advice: this.advice,
      verify: this.verify,
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      examples: [...this.examples],
      exampleIds: [...this.exampleIds],
      examplesCut: [...this.examplesCut],
      distinctMessages: this.distinctMessages.exportState(),
      distinctRecipients: this.recipients.distinct().exportState(),
      distinctSenders: this.senders.distinct().exportState(),
      distinctClients: this.clients.distinct().exportState(),
      topRecipients: this.recipients.list.exportState(),
      topSenders: this.senders.list.exportState(),
      topClients: this.clients.list.exportState(),
      hosts: this.hosts.exportState(),
      rules: this.rules.exportState(),
      codes: [...this.codes],
      enhanced: [...this.enhanced],
      codesDropped: this.codesDropped,
      evidence: { refs: [...this.refs.subarray(0, this.refCount * 3)], ids: [...this.refIds], lines: this.evidenceLines },
      queueIds: [...this.queueIds],
      series: this.series.exportState(),
      causes: this.causes.exportState(),
    };
  }

  /** The accumulator a state file describes; `key` as for the constructor. */
  static fromState(s: AccumulatorState, key: string | ((self: Accumulator) => string) = ''): Accumulator {
    const a = new Accumulator(s.id, key);
    a.hint = s.id.hint;
    a.count = s.count;
    a.permanentCount = s.permanentCount;
    a.temporaryCount = s.temporaryCount;
    Object.assign(a.eventsByStatus, s.eventsByStatus);
    a.advice = s.advice;
    a.verify = s.verify;
    a.firstSeen = s.firstSeen;
    a.lastSeen = s.lastSeen;
    a.examples.push(...s.examples.slice(0, EXAMPLE_CAP));
    a.examplesCut.push(...s.examples.slice(0, EXAMPLE_CAP).map((_, i) => s.examplesCut[i] === true));
    a.exampleIds.push(...s.examples.slice(0, EXAMPLE_CAP).map((_, i) => s.exampleIds?.[i] ?? null));
    a.distinctMessages = DistinctCounter.fromState(s.distinctMessages);
    a.recipients = new ValueCounts(TopK.fromState(s.topRecipients), DistinctCounter.fromState(s.distinctRecipients));
    a.senders = new ValueCounts(TopK.fromState(s.topSenders), DistinctCounter.fromState(s.distinctSenders));
    a.clients = new ValueCounts(TopK.fromState(s.topClients), DistinctCounter.fromState(s.distinctClients));
    a.hosts = TopK.fromState(s.hosts);
    a.rules = TopK.fromState(s.rules);
    for (const c of s.codes) a.addCode(c);
    for (const e of s.enhanced) a.addEnhanced(e);
    a.codesDropped = s.codesDropped;
    if (s.evidence) {
      const kept = Math.min(EVIDENCE_PER_FINDING, Math.floor(s.evidence.refs.length / 3));
      // Never below the initial size: addRef() grows it by doubling.
      a.refs = new Float64Array(Math.max(a.refs.length, kept * 3));
      a.refs.set(s.evidence.refs.slice(0, kept * 3));
      a.refCount = kept;
      for (let i = 0; i < kept; i++) a.refIds.push(s.evidence.ids[i] ?? '');
      // Lines counted but not kept stay counted: merge() reports them as dropped.
      a.evidenceLines = Math.max(s.evidence.lines, kept);
    }
    for (const q of (s.queueIds ?? []).slice(0, QUEUE_IDS_PER_FINDING)) a.queueIds.add(q);
    if (s.series) a.series.merge(TimeSeries.fromState(s.series));
    if (s.causes) a.causes.merge(TopK.fromState(s.causes));
    return a;
  }

  /** SMTP reply codes seen, ascending. */
  smtpCodes(): number[] {
    return [...this.codes].sort((a, b) => a - b);
  }

  /** Enhanced status codes seen, ascending (code-unit order). */
  enhancedStatus(): string[] {
    return [...this.enhanced].sort();
  }

  /** Some of its mail was lost for good (see findingIsPermanent): ranks before temporary ones. */
  get permanent(): boolean {
    return findingIsPermanent(this);
  }

  /** The rule that classified most of its events (ties: the smallest id), '' before any. */
  get rule(): string {
    return this.rules.top(1)[0]?.value ?? '';
  }

  /** Each rule id with its count, most frequent first. */
  ruleCounts(): RuleCount[] {
    return this.rules.top(RULES_CAP).map((e) => ({ rule: e.value, count: e.count }));
  }

  /** The `n` hosts with the most events. */
  hostCounts(n: number): HostCount[] {
    return this.hosts.top(n).map((e) => ({ host: e.value, count: e.count }));
  }

  overflowed(): AccumulatorOverflow {
    const n = (b: boolean): number => (b ? 1 : 0);
    return {
      distinctCounters:
        n(this.distinctMessages.overflowed) +
        n(this.recipients.overflowed) +
        n(this.senders.overflowed) +
        n(this.clients.overflowed),
      topK: n(this.recipients.list.overflowed) + n(this.senders.list.overflowed) + n(this.clients.list.overflowed),
      codeLists: n(this.codesDropped),
      examples: this.examplesCut.filter(Boolean).length,
      hosts: n(this.hosts.overflowed),
      rules: n(this.rules.overflowed),
      onsetSeries: n(this.series.coarsened > 0),
    };
  }

  private addCode(code: number): void {
    if (this.codes.has(code)) return;
    if (this.codes.size >= CODE_LIST_CAP) this.codesDropped = true;
    else this.codes.add(code);
  }

  private addEnhanced(e: string): void {
    if (this.enhanced.has(e)) return;
    if (this.enhanced.size >= CODE_LIST_CAP) this.codesDropped = true;
    else this.enhanced.add(e);
  }

  private seen(first: string, last: string): void {
    if (this.firstSeen === null || compareTime(first, this.firstSeen) < 0) this.firstSeen = first;
    if (this.lastSeen === null || compareTime(last, this.lastSeen) > 0) this.lastSeen = last;
  }

  private addExample(raw: string): void {
    if (raw.length <= EXAMPLE_MAX_CHARS) {
      // A copy: a line may be a slice of a large chunk string, which the example would keep alive.
      this.examples.push(flatCopy(raw));
      this.examplesCut.push(false);
      return;
    }
    let end = EXAMPLE_MAX_CHARS - 1;
    const last = raw.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--; // do not split a surrogate pair
    // A copy, so the kept example does not hold the whole long line in memory.
    const cut = flatCopy(raw.slice(0, end) + '…');
    this.examples.push(cut);
    this.examplesCut.push(true);
  }
}

/** TopK entries as the report lists them. */
export function asAddressCounts(entries: TopEntry[]): AddressCount[] {
  return entries.map((e) => ({ address: e.value, count: e.count }));
}
