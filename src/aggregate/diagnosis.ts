/**
 * Diagnosis beyond counting (issue 18): the evidence the log holds about the findings, kept
 * beside the aggregator, and what it concludes from it at snapshot time:
 * - act or not (src/classify/action.ts) for every finding, from the addresses that received
 *   mail earlier, the domains that accept mail and our own domains;
 * - a typo suggestion (src/classify/typo.ts) for outbound bounces and unknown domains;
 * - directory harvests (harvest.ts) and backscatter risk (backscatter.ts), findings of their own.
 *
 * Fed by the aggregator: `problem` for every classified event (with its finding's key), `sent`
 * for every delivered recipient (the pipeline's shortcut for Postfix's sent lines too).
 *
 * Caps (each overflow counted in `summary.overflow` under the name given):
 * - WORKED_CAP delivered recipients remembered, as 52-bit hashes with the time of their first
 *   delivery (`workedAddresses`);
 * - per finding, REFUSED_PER_FINDING refused addresses with the time of their last refusal
 *   (`refusedAddresses`): "received mail earlier" is judged from these times at snapshot time,
 *   so it does not depend on the order the files were read in, and merged states agree with
 *   one run over all their logs;
 * - ACCEPTING_CAP domains that accepted mail (`acceptingDomains`);
 * - OWN_CAP domains learnt as ours (`ownDomains`), SENDERS_CAP senders we send from, as
 *   hashes (`ownSenders`);
 * - per finding, one small record, so as many as the aggregator has findings (its own cap).
 */
import type { MailEvent, Mta } from '../event.js';
import { decideAction, type Action } from '../classify/action.js';
import type { Cause, Classification, Direction } from '../classify/types.js';
import { suggestAmong, BIG_PROVIDERS, type TypoSuggestion } from '../classify/typo.js';
import { BackscatterTracker, BounceCandidates, type BackscatterFinding, type BackscatterState, type BounceCandidate } from './backscatter.js';
import { hash52 } from './counters.js';
import { HashTimes } from './hash-times.js';
import { domainOf, normaliseAddress, recipientOf } from './event-fields.js';
import { HarvestTracker, type HarvestFinding, type HarvestState } from './harvest.js';
import { flatCopy } from '../text/flat-copy.js';

export const WORKED_CAP = 500_000;
export const ACCEPTING_CAP = 20_000;
export const OWN_CAP = 10_000;
export const SENDERS_CAP = 100_000;
export const REFUSED_PER_FINDING = 1_000;

export interface DiagnosisOptions {
  /** Is `domain` one this server receives mail for (the pipeline's --local-domains and learnt ones)? */
  ours?: (domain: string, mta: Mta) => boolean;
}

/** What a finding needs judged: its identity and counts as the snapshot has them. */
export interface JudgeInput {
  key: string;
  mta: Mta;
  direction: Direction;
  cause: Cause;
  hint: string;
  recipientDomain: string | null;
  distinctClients: number;
  distinctRecipients: number;
  /** Some of its events were bounces or expiries (mail returned to its sender). */
  bounced: boolean;
  topSenders: ReadonlyArray<{ address: string }>;
}

export interface Verdict {
  action: Action;
  actionReason: string;
  suggestion: string | null;
}

export interface FindingEvidence {
  /** Counted as the events came by state files of version 2; 0 since (see `refused`). */
  workedBefore: number;
  acceptedThenBounced: number;
  /** Our own bounces (sender <>) in it, to strangers who never sent through us. */
  bouncesToStrangers: number;
}

interface TypoMemo {
  /** How many of `acceptingList` were compared. */
  checked: number;
  best: TypoSuggestion | null;
}

type Dropped = { workedAddresses: number; acceptingDomains: number; ownDomains: number; ownSenders: number; refusedAddresses: number };

let lastIso: string | null = null;
let lastMs = NaN;
/**
 * A time in ms, or NaN when unknown; state files write NaN as null. Events come in bursts of
 * one time, so the last one parsed is remembered.
 */
function msOf(iso: string | null): number {
  if (iso === null) return NaN;
  if (iso !== lastIso) {
    lastMs = Date.parse(iso);
    lastIso = iso;
  }
  return lastMs;
}
const toJson = (ms: number): number | null => (Number.isNaN(ms) ? null : ms);
const fromJson = (ms: number | null | undefined): number => (ms === null || ms === undefined ? NaN : ms);

const unknownOrGone = (c: Cause): boolean => c === 'user-unknown' || c === 'mailbox-disabled';
const loopback = (ip: string | null): boolean => ip === null || ip.startsWith('127.') || ip === '::1';

/** A Diagnosis as a state file holds it (see exportState). */
export interface DiagnosisState {
  worked: number[];
  /** First delivery time of each of `worked` (ms, null unknown); absent before version 3. */
  workedSince?: Array<number | null>;
  /** Per finding key, its refused addresses' hashes and last refusal times; absent before version 3. */
  refused?: Array<[string, Array<[number, number | null]>]>;
  /** Bounces judged at snapshot time (backscatter.ts) and those past their cap; absent before version 3. */
  bounces?: BounceCandidate[];
  bouncesOverflowed?: number;
  accepting: string[];
  own: string[];
  senders: number[];
  evidence: Array<[string, FindingEvidence]>;
  dropped: Dropped;
  harvest: HarvestState;
  backscatter: BackscatterState;
}

export class Diagnosis {
  // Replaced only by fromState().
  harvest = new HarvestTracker();
  /** Bounces judged when they came (state files of version 2, candidates past their cap). */
  backscatter = new BackscatterTracker();
  bounces = new BounceCandidates();
  /** Delivered recipients (hash) → first delivery (ms, NaN unknown). */
  private readonly worked = new HashTimes();
  /** Per finding key: refused recipients (hash) → last refusal (ms, NaN unknown). */
  private readonly refused = new Map<string, Map<number, number>>();
  private readonly accepting = new Set<string>();
  /** `accepting` in the order learnt: typo memos compare only what came after their last look. */
  private readonly acceptingList: string[] = [];
  private readonly own = new Set<string>();
  private readonly senders = new Set<number>();
  private readonly evidence = new Map<string, FindingEvidence>();
  private readonly typos = new Map<string, TypoMemo>();
  private readonly dropped: Dropped = { workedAddresses: 0, acceptingDomains: 0, ownDomains: 0, ownSenders: 0, refusedAddresses: 0 };

  constructor(private readonly opts: DiagnosisOptions = {}) {}

  /** A recipient received mail at `time`: it works, and its domain accepts mail. */
  sent(to: string | null, time: string | null = null): void {
    if (!to) return;
    const address = normaliseAddress(to);
    this.sentKeyed(hash52(address.toLowerCase()), domainOf(address), time);
  }

  /** sent() for a caller that has the address's lower-case hash52 and its domain already. */
  sentKeyed(lowerHash: number, domain: string | null, time: string | null): void {
    this.noteWorked(lowerHash, msOf(time));
    if (domain !== null && !this.accepting.has(domain)) {
      if (this.accepting.size < ACCEPTING_CAP) {
        const d = flatCopy(domain);
        this.accepting.add(d);
        this.acceptingList.push(d);
      } else this.dropped.acceptingDomains++;
    }
  }

  /** A classified problem event, which joined the finding `key`. */
  problem(ev: MailEvent, c: Classification, key: string): void {
    if (ev.kind === 'notification') return;
    const rcpt = recipientOf(ev);
    const rcptDomain = domainOf(rcpt);
    let e = this.evidence.get(key);
    if (e === undefined) this.evidence.set(key, (e = { workedBefore: 0, acceptedThenBounced: 0, bouncesToStrangers: 0 }));
    if (c.direction !== 'outbound' && unknownOrGone(c.cause) && rcpt !== null) {
      this.noteRefused(key, hash52(normaliseAddress(rcpt).toLowerCase()), msOf(ev.time));
    }
    // Our own bounce (sender <>) goes to the original sender: its domain says nothing of ours.
    const ownBounce = ev.kind === 'delivery' && ev.from === '';
    if (rcptDomain !== null && !ownBounce && (c.direction === 'local' || (c.direction === 'inbound' && unknownOrGone(c.cause)))) {
      this.learnOwn(rcptDomain);
    }
    if (ev.kind === 'reject') {
      if (c.direction === 'inbound' && c.cause === 'user-unknown' && ev.to && ev.client?.ip && ev.time !== null) {
        const time = msOf(ev.time);
        if (!Number.isNaN(time)) this.harvest.add({ mta: ev.mta, ip: ev.client.ip, recipient: ev.to, time, iso: ev.time });
      }
      return;
    }
    // Received mail and authentication failures are the traffic overview's, not evidence here.
    if (ev.kind !== 'delivery') return;
    // A delivery: our bounce of somebody's mail, or our own bounce failing in turn. Who is a
    // stranger is judged at snapshot time (strangerTest); what is known already to be ours is
    // skipped now, as that knowledge only grows.
    const from = ev.from;
    if (from === '') {
      if (rcpt !== null && !this.isOwn(rcptDomain, ev.mta) && !this.senders.has(hash52(normaliseAddress(rcpt).toLowerCase()))) {
        this.bounce(e, { kind: 'null-sender', mta: ev.mta, finding: key, address: normaliseAddress(rcpt).toLowerCase(), rcptDomain, local: false }, ev);
      }
      return;
    }
    if (from === null) return;
    const sender = normaliseAddress(from).toLowerCase();
    const returned = c.permanent && (ev.status === 'bounced' || ev.status === 'expired');
    const local = c.direction === 'local';
    // Outbound mail is somebody's bounce only when its domain is one of ours (a relay domain the
    // next hop refused); otherwise it is our own user's mail, and teaches us a sender below.
    const fromElsewhere = !loopback(ev.client?.ip ?? null) && (c.direction !== 'outbound' || this.isOwn(rcptDomain, ev.mta));
    if (returned && (local || fromElsewhere)) {
      if (!this.isOwn(domainOf(sender), ev.mta) && !this.senders.has(hash52(sender))) {
        this.bounce(e, { kind: 'accept-then-bounce', mta: ev.mta, finding: key, address: sender, rcptDomain, local }, ev);
      }
      return;
    }
    // Outbound mail that is not a stranger's bounced back: we send from this address.
    if (c.direction === 'outbound' && !this.senders.has(hash52(sender))) {
      if (this.senders.size < SENDERS_CAP) this.senders.add(hash52(sender));
      else this.dropped.ownSenders++;
    }
  }

  /** Files a bounce for judging later; past the cap it is judged now, with what is known now. */
  private bounce(e: FindingEvidence, c: Omit<BounceCandidate, 'count' | 'firstSeen' | 'lastSeen' | 'example' | 'exampleTime'>, ev: MailEvent): void {
    if (this.bounces.add(c, ev.time, ev.raw)) return;
    if (!this.strangerTest({ ...c, count: 1, firstSeen: ev.time, lastSeen: ev.time, example: '', exampleTime: ev.time })) return;
    if (c.kind === 'null-sender') e.bouncesToStrangers++;
    else e.acceptedThenBounced++;
    this.backscatter.add({ kind: c.kind, mta: c.mta, address: c.address, time: ev.time, raw: ev.raw });
  }

  /**
   * Is a bounce backscatter, with all the log taught: it went to an address outside our
   * domains that never sent through us and, for accept-then-bounce, the mail failed here or
   * came from another host for one of our domains.
   */
  private readonly strangerTest = (c: BounceCandidate): boolean => {
    if (this.isOwn(domainOf(c.address), c.mta) || this.senders.has(hash52(c.address))) return false;
    return c.kind === 'null-sender' || c.local || this.isOwn(c.rcptDomain, c.mta);
  };

  /** Act or not, and the typo suggestion, for one finding of the snapshot. */
  judge(f: JudgeInput): Verdict {
    const e = this.evidence.get(f.key);
    const domain = f.recipientDomain;
    const accepts = domain !== null && this.accepting.has(domain);
    // A big provider, or the catch-all's `(other domains)`, is nobody's typo.
    const typoCandidate =
      f.direction === 'outbound' &&
      domain !== null &&
      !domain.startsWith('(') &&
      !BIG_PROVIDERS.includes(domain) &&
      (f.cause === 'domain-not-found' || f.bounced);
    const suggestion = typoCandidate && !accepts ? this.typoOf(domain) : null;
    const ownSender = f.topSenders.some((s) => this.isOwn(domainOf(s.address), f.mta));
    const judged = this.bounces.countFor(f.key, this.strangerTest);
    const d = decideAction({
      direction: f.direction,
      cause: f.cause,
      hint: f.hint,
      workedBefore: (e?.workedBefore ?? 0) + this.workedBefore(f.key),
      domainAcceptsMail: accepts,
      suggestion: suggestion?.domain ?? null,
      ownSender,
      distinctClients: f.distinctClients,
      distinctRecipients: f.distinctRecipients,
      acceptedThenBounced: (e?.acceptedThenBounced ?? 0) + judged['accept-then-bounce'],
      bouncesToStrangers: (e?.bouncesToStrangers ?? 0) + judged['null-sender'],
    });
    const reason = suggestion !== null && d.row === 'outbound-typo' ? `${d.reason} (${suggestion.why})` : d.reason;
    return { action: d.action, actionReason: reason, suggestion: suggestion?.domain ?? null };
  }

  harvestFindings(): HarvestFinding[] {
    return this.harvest.findings();
  }

  backscatterFindings(judged = this.judgedBackscatter()): BackscatterFinding[] {
    return judged.findings();
  }

  /**
   * The bounces judged when they came and the candidates judged now, together: a snapshot
   * makes it once and hands it to backscatterFindings() and overflowed().
   */
  judgedBackscatter(): BackscatterTracker {
    const all = new BackscatterTracker();
    all.merge(this.backscatter);
    this.bounces.judge(this.strangerTest, all);
    return all;
  }

  /** Non-zero overflow counts, by the names in the module comment. */
  overflowed(judged = this.judgedBackscatter()): Record<string, number> {
    const out: Record<string, number> = {};
    const all: Record<string, number> = {
      ...this.dropped,
      ...this.harvest.overflow,
      backscatterSenders: judged.overflowed(),
      backscatterCandidates: this.bounces.overflowed,
    };
    for (const [k, v] of Object.entries(all)) if (v > 0) out[k] = v;
    return out;
  }

  /** Adds what `other` learnt (evidence for findings of the same keys adds up). */
  merge(other: Diagnosis): void {
    for (const [h, t] of other.worked.entries()) this.noteWorked(h, t, false);
    for (const [k, m] of other.refused) for (const [h, t] of m) this.noteRefused(k, h, t, false);
    for (const d of other.acceptingList) {
      if (!this.accepting.has(d) && this.accepting.size < ACCEPTING_CAP) {
        this.accepting.add(d);
        this.acceptingList.push(d);
      }
    }
    for (const d of other.own) this.learnOwn(d);
    for (const s of other.senders) if (this.senders.size < SENDERS_CAP) this.senders.add(s);
    for (const [k, o] of other.evidence) {
      const e = this.evidence.get(k);
      if (e === undefined) this.evidence.set(k, { ...o });
      else {
        e.workedBefore += o.workedBefore;
        e.acceptedThenBounced += o.acceptedThenBounced;
        e.bouncesToStrangers += o.bouncesToStrangers;
      }
    }
    for (const [k, v] of Object.entries(other.dropped)) this.dropped[k as keyof Dropped] += v;
    this.harvest.merge(other.harvest);
    this.backscatter.merge(other.backscatter);
    this.bounces.merge(other.bounces);
    this.typos.clear();
  }

  /**
   * What a state file keeps (src/state/): the hash sets as number arrays, the accepting domains
   * in the order learnt (typo suggestions compare them in it), evidence by finding key. The typo
   * memos are a cache and are rebuilt.
   */
  exportState(): DiagnosisState {
    return {
      worked: this.worked.hashes(),
      workedSince: this.worked.timeList().map(toJson),
      refused: [...this.refused].map(([k, m]) => [k, [...m].map(([h, t]) => [h, toJson(t)] as [number, number | null])]),
      accepting: [...this.acceptingList],
      own: [...this.own],
      senders: [...this.senders],
      evidence: [...this.evidence].map(([k, e]) => [k, { ...e }]),
      dropped: { ...this.dropped },
      harvest: this.harvest.exportState(),
      backscatter: this.backscatter.exportState(),
      bounces: this.bounces.exportState(),
      bouncesOverflowed: this.bounces.overflowed,
    };
  }

  /** The diagnosis a state file describes; throws on a set longer than its cap (not our file). */
  static fromState(s: DiagnosisState, opts: DiagnosisOptions = {}): Diagnosis {
    if (s.worked.length > WORKED_CAP) throw new Error('more worked addresses than the cap');
    if (s.accepting.length > ACCEPTING_CAP) throw new Error('more accepting domains than the cap');
    if (s.own.length > OWN_CAP) throw new Error('more own domains than the cap');
    if (s.senders.length > SENDERS_CAP) throw new Error('more own senders than the cap');
    const d = new Diagnosis(opts);
    s.worked.forEach((h, i) => d.worked.set(h, fromJson(s.workedSince?.[i])));
    for (const [k, list] of s.refused ?? []) {
      if (list.length > REFUSED_PER_FINDING) throw new Error('more refused addresses than the cap');
      for (const [h, t] of list) d.noteRefused(k, h, fromJson(t), false);
    }
    for (const a of s.accepting) {
      if (d.accepting.has(a)) continue;
      d.accepting.add(a);
      d.acceptingList.push(a);
    }
    for (const o of s.own) d.own.add(o);
    for (const h of s.senders) d.senders.add(h);
    for (const [k, e] of s.evidence) d.evidence.set(k, { ...e });
    Object.assign(d.dropped, s.dropped);
    d.harvest = HarvestTracker.fromState(s.harvest);
    d.backscatter = BackscatterTracker.fromState(s.backscatter);
    d.bounces = BounceCandidates.fromState(s.bounces ?? [], s.bouncesOverflowed ?? 0);
    return d;
  }

  /**
   * Addresses of the finding `key` that received mail before their (last) refusal. When either
   * time is unknown the order cannot be told: having received mail at all counts.
   */
  private workedBefore(key: string): number {
    const m = this.refused.get(key);
    if (m === undefined) return 0;
    let n = 0;
    for (const [h, r] of m) {
      const w = this.worked.get(h);
      if (w !== undefined && (Number.isNaN(w) || Number.isNaN(r) || w < r)) n++;
    }
    return n;
  }

  /** Keeps the earliest known delivery time (`count` false when merging: no overflow twice). */
  private noteWorked(h: number, ms: number, count = true): void {
    if (!this.worked.keepEarliest(h, ms, this.worked.size < WORKED_CAP) && count) this.dropped.workedAddresses++;
  }

  /** Keeps the latest known refusal time of the address in the finding. */
  private noteRefused(key: string, h: number, ms: number, count = true): void {
    let m = this.refused.get(key);
    // Bounded by the number of findings (the aggregator's cap), each by REFUSED_PER_FINDING.
    if (m === undefined) this.refused.set(key, (m = new Map()));
    const had = m.get(h);
    if (had === undefined) {
      if (m.size < REFUSED_PER_FINDING) m.set(h, ms);
      else if (count) this.dropped.refusedAddresses++;
    } else if (!Number.isNaN(ms) && (Number.isNaN(had) || ms > had)) m.set(h, ms);
  }

  private isOwn(domain: string | null, mta: Mta): boolean {
    if (domain === null) return false;
    return this.own.has(domain) || (this.opts.ours?.(domain, mta) ?? false);
  }

  private learnOwn(domain: string): void {
    if (this.own.has(domain)) return;
    if (this.own.size < OWN_CAP) this.own.add(flatCopy(domain));
    else this.dropped.ownDomains++;
  }

  /**
   * The typo suggestion for a domain, memoised: the domains that accept mail only grow, so a
   * memo compares just those learnt since its last look (snapshots come ten times a second).
   */
  private typoOf(domain: string): TypoSuggestion | null {
    let memo = this.typos.get(domain);
    if (memo === undefined) {
      memo = { checked: 0, best: suggestAmong(domain, BIG_PROVIDERS) };
      // Bounded by the number of findings with a domain (the aggregator's cap).
      this.typos.set(domain, memo);
    }
    if (memo.checked < this.acceptingList.length) {
      memo.best = suggestAmong(domain, this.acceptingList.slice(memo.checked), memo.best);
      memo.checked = this.acceptingList.length;
    }
    return memo.best;
  }
}
