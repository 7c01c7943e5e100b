/**
 * Backscatter risk: this server accepted mail it could not deliver and bounced it to the
 * envelope sender, who, for spam, is a forged stranger. Two signs, each a finding per MTA:
 * - `accept-then-bounce`: a permanent bounce of mail from a sender outside our domains that
 *   came in from another host (or whose own delivery here failed: `local` direction);
 * - `null-sender`: our own bounces (sender `<>`) going to addresses outside our domains that
 *   never sent mail through us, seen when they fail or are deferred in turn (Postfix logs the
 *   successful ones through its fast path without the sender, so those are not seen).
 * The fix is the same: refuse unknown recipients at RCPT time, so the client, not we, bounces.
 *
 * Whether an address is a stranger depends on what the whole log teaches (our domains, the
 * senders we send from), so bounces are kept as candidates (BounceCandidates) and judged at
 * snapshot time: the verdict does not depend on the order the files were read in, and merged
 * states judge as one run over all their logs. Cap: CANDIDATES_CAP candidates (one per kind,
 * MTA, finding, address and destination); past it a bounce is judged when it comes with what is
 * known then, into the BackscatterTracker directly, and counted (`backscatterCandidates`).
 * The tracker holds a handful of counters per (kind, MTA); the distinct sets are capped like a finding's.
 */
import type { Mta } from '../event.js';
import { DistinctCounter, hash52, type DistinctState } from './counters.js';
import { flatCopy } from '../text/flat-copy.js';

export type BackscatterKind = 'accept-then-bounce' | 'null-sender';

/** Bounces kept for judging at snapshot time (each with one example line of at most EXAMPLE_MAX). */
export const CANDIDATES_CAP = 10_000;

/** Example lines kept per backscatter finding. */
export const BACKSCATTER_EXAMPLES = 3;
/** Longest example kept, in UTF-16 code units. */
const EXAMPLE_MAX = 1_000;

export interface BackscatterFinding {
  kind: BackscatterKind;
  mta: Mta;
  /** Bounces counted, and the distinct addresses they went to (the senders bounced to). */
  count: number;
  distinctSenders: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** The settings that reject at RCPT time on this MTA. */
  setting: string;
  advice: string;
  examples: string[];
}

const FIX: Record<Mta, { setting: string; advice: string }> = {
  postfix: {
    setting: 'smtpd_reject_unlisted_recipient, local_recipient_maps / virtual_mailbox_maps, relay_recipient_maps',
    advice:
      'Reject unknown recipients at RCPT time: keep smtpd_reject_unlisted_recipient = yes with complete recipient maps, and list the valid addresses of relay domains in relay_recipient_maps, so the sending client bounces, not this server.',
  },
  exim: {
    setting: 'verify = recipient (acl_smtp_rcpt)',
    advice:
      'Add `require verify = recipient` to acl_smtp_rcpt (with callout for domains relayed to an inner server), so unknown recipients are refused at RCPT time instead of bounced later.',
  },
  exchange: {
    setting: 'recipient filtering (Set-RecipientFilterConfig -RecipientValidationEnabled $true)',
    advice:
      'Turn on recipient validation (Set-RecipientFilterConfig -RecipientValidationEnabled $true) on the Internet-facing server, so unknown recipients are refused at RCPT time.',
  },
};

class Tally {
  count = 0;
  senders = new DistinctCounter();
  firstSeen: string | null = null;
  lastSeen: string | null = null;
  readonly examples: string[] = [];
}

/** What one bounce tells the tracker. */
export interface BackscatterInput {
  kind: BackscatterKind;
  mta: Mta;
  /** The address bounced to (the original sender). */
  address: string;
  time: string | null;
  raw: string;
}

export class BackscatterTracker {
  private readonly tallies = new Map<string, Tally>();

  /** One bounce, or `count` of them from `firstSeen` to `time` (a judged candidate). */
  add(b: BackscatterInput, count = 1, firstSeen: string | null = b.time): void {
    const key = `${b.kind}\0${b.mta}`;
    let t = this.tallies.get(key);
    if (t === undefined) this.tallies.set(key, (t = new Tally()));
    t.count += count;
    t.senders.addHash(hash52(b.address.toLowerCase()));
    if (firstSeen !== null && (t.firstSeen === null || firstSeen < t.firstSeen)) t.firstSeen = firstSeen;
    if (b.time !== null && (t.lastSeen === null || b.time > t.lastSeen)) t.lastSeen = b.time;
    // Copies, cut: an example must not keep a large chunk of input alive.
    if (t.examples.length < BACKSCATTER_EXAMPLES) t.examples.push(flatCopy(b.raw.slice(0, EXAMPLE_MAX)));
  }

  merge(other: BackscatterTracker): void {
    for (const [key, o] of other.tallies) {
      let t = this.tallies.get(key);
      if (t === undefined) this.tallies.set(key, (t = new Tally()));
      t.count += o.count;
      t.senders.merge(o.senders);
      if (o.firstSeen !== null && (t.firstSeen === null || o.firstSeen < t.firstSeen)) t.firstSeen = o.firstSeen;
      if (o.lastSeen !== null && (t.lastSeen === null || o.lastSeen > t.lastSeen)) t.lastSeen = o.lastSeen;
      for (const e of o.examples) if (t.examples.length < BACKSCATTER_EXAMPLES) t.examples.push(e);
    }
  }

  /** What a state file keeps (src/state/): each tally with its distinct counter's state. */
  exportState(): BackscatterState {
    return [...this.tallies].map(([key, t]) => {
      const [kind, mta] = key.split('\0') as [BackscatterKind, Mta];
      return { kind, mta, count: t.count, senders: t.senders.exportState(), firstSeen: t.firstSeen, lastSeen: t.lastSeen, examples: [...t.examples] };
    });
  }

  static fromState(s: BackscatterState): BackscatterTracker {
    const b = new BackscatterTracker();
    for (const o of s) {
      const key = `${o.kind}\0${o.mta}`;
      if (b.tallies.has(key)) throw new Error('a backscatter tally twice');
      const t = new Tally();
      t.count = o.count;
      t.senders = DistinctCounter.fromState(o.senders);
      t.firstSeen = o.firstSeen;
      t.lastSeen = o.lastSeen;
      t.examples.push(...o.examples.slice(0, BACKSCATTER_EXAMPLES).map((e) => e.slice(0, EXAMPLE_MAX)));
      b.tallies.set(key, t);
    }
    return b;
  }

  /** Overflowed distinct counters (estimates past their cap). */
  overflowed(): number {
    let n = 0;
    for (const t of this.tallies.values()) if (t.senders.overflowed) n++;
    return n;
  }

  findings(): BackscatterFinding[] {
    return [...this.tallies.entries()]
      .map(([key, t]) => {
        const [kind, mta] = key.split('\0') as [BackscatterKind, Mta];
        return {
          kind,
          mta,
          count: t.count,
          distinctSenders: t.senders.count(),
          firstSeen: t.firstSeen,
          lastSeen: t.lastSeen,
          ...FIX[mta],
          examples: [...t.examples],
        };
      })
      .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.mta < b.mta ? -1 : 1));
  }
}

/** A BackscatterTracker as a state file holds it: one entry per (kind, MTA), at most six. */
export type BackscatterState = Array<{
  kind: BackscatterKind;
  mta: Mta;
  count: number;
  senders: DistinctState;
  firstSeen: string | null;
  lastSeen: string | null;
  examples: string[];
}>;

/** A bounce kept for judging later: who it went to, and what decides whether that is a stranger. */
export interface BounceCandidate {
  kind: BackscatterKind;
  mta: Mta;
  /** The finding the bounce joined (its evidence counts it). */
  finding: string;
  /** The address bounced to, lower case. */
  address: string;
  /** accept-then-bounce: the recipient domain, and whether the delivery failed here (`local`) or came from another host. */
  rcptDomain: string | null;
  local: boolean;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** The line of its earliest bounce (earliest by time, then by text: not by reading order). */
  example: string;
  exampleTime: string | null;
}

/** Is a candidate backscatter, with what the whole log taught (see Diagnosis). */
export type StrangerTest = (c: BounceCandidate) => boolean;

/** Bounces to addresses that may be strangers, judged at snapshot time (module comment). */
export class BounceCandidates {
  private readonly byKey = new Map<string, BounceCandidate>();
  /** The same candidates by finding, so a finding's verdict reads only its own. */
  private readonly byFinding = new Map<string, BounceCandidate[]>();
  /** Bounces past the cap (judged when they came instead). */
  overflowed = 0;

  get size(): number {
    return this.byKey.size;
  }

  /** Keeps the bounce; false when the cap is reached (the caller judges it now). */
  add(c: Omit<BounceCandidate, 'count' | 'firstSeen' | 'lastSeen' | 'example' | 'exampleTime'>, time: string | null, raw: string, count = 1): boolean {
    const key = candidateKey(c);
    const had = this.byKey.get(key);
    if (had === undefined) {
      if (this.byKey.size >= CANDIDATES_CAP) {
        this.overflowed += count;
        return false;
      }
      const example = flatCopy(raw.slice(0, EXAMPLE_MAX));
      const made: BounceCandidate = { ...c, address: flatCopy(c.address), rcptDomain: flatCopy(c.rcptDomain), count, firstSeen: time, lastSeen: time, example, exampleTime: time };
      // The key joins slices of the line; kept as it is, it would keep the line's chunk alive.
      this.byKey.set(flatCopy(key), made);
      const list = this.byFinding.get(c.finding);
      if (list === undefined) this.byFinding.set(c.finding, [made]);
      else list.push(made);
      return true;
    }
    had.count += count;
    if (time !== null) {
      if (had.firstSeen === null || time < had.firstSeen) had.firstSeen = time;
      if (had.lastSeen === null || time > had.lastSeen) had.lastSeen = time;
    }
    if (earlier(time, raw, had.exampleTime, had.example)) {
      had.example = flatCopy(raw.slice(0, EXAMPLE_MAX));
      had.exampleTime = time;
    }
    return true;
  }

  merge(other: BounceCandidates): void {
    for (const c of other.byKey.values()) this.addCandidate(c);
    this.overflowed += other.overflowed;
  }

  /** The candidates a test calls backscatter, added to `into` in time order (examples by time). */
  judge(stranger: StrangerTest, into: BackscatterTracker): void {
    const passing = [...this.byKey.values()].filter(stranger);
    passing.sort((a, b) => (earlier(a.exampleTime, a.example, b.exampleTime, b.example) ? -1 : earlier(b.exampleTime, b.example, a.exampleTime, a.example) ? 1 : 0));
    for (const c of passing) {
      into.add({ kind: c.kind, mta: c.mta, address: c.address, time: c.lastSeen, raw: c.example }, c.count, c.firstSeen);
    }
  }

  /** Bounces of the finding `key` that the test calls backscatter, by kind. */
  countFor(key: string, stranger: StrangerTest): Record<BackscatterKind, number> {
    const out: Record<BackscatterKind, number> = { 'accept-then-bounce': 0, 'null-sender': 0 };
    for (const c of this.byFinding.get(key) ?? []) if (stranger(c)) out[c.kind] += c.count;
    return out;
  }

  exportState(): BounceCandidate[] {
    return [...this.byKey.values()].map((c) => ({ ...c }));
  }

  static fromState(list: BounceCandidate[], overflowed = 0): BounceCandidates {
    if (list.length > CANDIDATES_CAP) throw new Error('more bounce candidates than the cap');
    const b = new BounceCandidates();
    for (const c of list) b.addCandidate(c);
    b.overflowed = overflowed;
    return b;
  }

  private addCandidate(c: BounceCandidate): void {
    const { count, firstSeen, lastSeen, example, exampleTime, ...id } = c;
    if (!this.add(id, exampleTime, example, count)) return;
    // add() took the example's time for first and last; widen to the candidate's own span.
    const k = this.byKey.get(candidateKey(c))!;
    if (firstSeen !== null && (k.firstSeen === null || firstSeen < k.firstSeen)) k.firstSeen = firstSeen;
    if (lastSeen !== null && (k.lastSeen === null || lastSeen > k.lastSeen)) k.lastSeen = lastSeen;
  }
}

function candidateKey(c: Pick<BounceCandidate, 'kind' | 'mta' | 'finding' | 'address' | 'rcptDomain' | 'local'>): string {
  return `${c.kind}\0${c.mta}\0${c.finding}\0${c.address}\0${c.rcptDomain ?? ''}\0${c.local ? 1 : 0}`;
}

/** Is (time a, line a) before (time b, line b)? Unknown times come last; ties by text. */
function earlier(ta: string | null, ra: string, tb: string | null, rb: string): boolean {
  if (ta !== tb) {
    if (ta === null) return false;
    if (tb === null) return true;
    return ta < tb;
  }
  return ra < rb;
}
