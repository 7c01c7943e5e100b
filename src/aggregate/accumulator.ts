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
 * - top recipients / senders / clients: TOPK_CAP keys, then Space-Saving;
 * - hosts: HOSTS_CAP keys, rule ids: RULES_CAP keys, then Space-Saving;
 * - SMTP codes and enhanced status codes: the first CODE_LIST_CAP distinct values;
 * - examples: the first EXAMPLE_CAP raw lines, each cut to EXAMPLE_MAX_CHARS.
 */
import type { MailEvent, Mta } from '../event.js';
import type { Cause, Classification, Direction } from '../classify/types.js';
import { DistinctCounter, hash52, TopK, type TopEntry } from './counters.js';
import {
  clientOf,
  compareTime,
  enhancedStatusOf,
  messageKeyOf,
  normaliseAddress,
  recipientOf,
  senderOf,
  smtpCodeOf,
} from './event-fields.js';
import { isPermanent } from './rank.js';
import type { AddressCount, FindingEventsByStatus, HostCount, RuleCount } from './types.js';
import { flatCopy } from '../text/flat-copy.js';
import { onsetOf, TimeSeries, type MarkerTime, type Onset } from './onset.js';

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
  /** `examplesCut[i]`: examples[i] was cut to EXAMPLE_MAX_CHARS. */
  private readonly examplesCut: boolean[] = [];

  readonly distinctMessages = new DistinctCounter();
  readonly distinctRecipients = new DistinctCounter();
  readonly distinctSenders = new DistinctCounter();
  readonly distinctClients = new DistinctCounter();
  readonly topRecipients = new TopK();
  readonly topSenders = new TopK();
  readonly topClients = new TopK();
  readonly hosts = new TopK(HOSTS_CAP);
  readonly rules = new TopK(RULES_CAP);
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
  constructor(id: FindingIdentity, key: string | ((self: Accumulator) => string) = '') {
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

  add(ev: MailEvent, c: Classification): void {
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
    this.distinctMessages.addHash(hash52(messageKeyOf(ev, c.permanent)));

    const rcpt = recipientOf(ev);
    if (rcpt !== null) {
      const a = normaliseAddress(rcpt);
      const h = hash52(a);
      this.distinctRecipients.addHash(h);
      this.topRecipients.addHashed(a, h);
    }
    const sender = senderOf(ev);
    if (sender !== null) {
      const h = hash52(sender);
      this.distinctSenders.addHash(h);
      this.topSenders.addHashed(sender, h);
    }
    const client = clientOf(ev);
    if (client !== null) {
      const h = hash52(client);
      this.distinctClients.addHash(h);
      this.topClients.addHashed(client, h);
    }
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
    if (this.examples.length < EXAMPLE_CAP) this.addExample(ev.raw);
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
    this.distinctRecipients.merge(other.distinctRecipients);
    this.distinctSenders.merge(other.distinctSenders);
    this.distinctClients.merge(other.distinctClients);
    this.topRecipients.merge(other.topRecipients);
    this.topSenders.merge(other.topSenders);
    this.topClients.merge(other.topClients);
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
      this.examplesCut.push(other.examplesCut[i]!);
    }
  }

  /** SMTP reply codes seen, ascending. */
  smtpCodes(): number[] {
    return [...this.codes].sort((a, b) => a - b);
  }

  /** Enhanced status codes seen, ascending (code-unit order). */
  enhancedStatus(): string[] {
    return [...this.enhanced].sort();
  }

  /** Some of its mail was lost for good (see isPermanent): ranks before temporary ones. */
  get permanent(): boolean {
    return isPermanent(this);
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
        n(this.distinctRecipients.overflowed) +
        n(this.distinctSenders.overflowed) +
        n(this.distinctClients.overflowed),
      topK: n(this.topRecipients.overflowed) + n(this.topSenders.overflowed) + n(this.topClients.overflowed),
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
