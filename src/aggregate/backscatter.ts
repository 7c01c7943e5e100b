/**
 * Backscatter risk: this server accepted mail it could not deliver and bounced it to the
 * envelope sender, who, for spam, is a forged stranger. Two signs, each a finding per MTA:
 * - `accept-then-bounce`: a permanent bounce of mail from a sender outside our domains that
 *   came in from another host (or whose own delivery here failed: `local` direction);
 * - `null-sender`: our own bounces (sender `<>`) going to addresses outside our domains that
 *   never sent mail through us, seen when they fail or are deferred in turn (Postfix logs the
 *   successful ones through its fast path without the sender, so those are not seen).
 * The fix is the same: refuse unknown recipients at RCPT time, so the client, not we, bounces.
 * State is a handful of counters per (kind, MTA); the distinct sets are capped like a finding's.
 */
import type { Mta } from '../event.js';
import { DistinctCounter, hash52, type DistinctState } from './counters.js';
import { flatCopy } from '../text/flat-copy.js';

export type BackscatterKind = 'accept-then-bounce' | 'null-sender';

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

  add(b: BackscatterInput): void {
    const key = `${b.kind}\0${b.mta}`;
    let t = this.tallies.get(key);
    if (t === undefined) this.tallies.set(key, (t = new Tally()));
    t.count++;
    t.senders.addHash(hash52(b.address.toLowerCase()));
    if (b.time !== null) {
      if (t.firstSeen === null || b.time < t.firstSeen) t.firstSeen = b.time;
      if (t.lastSeen === null || b.time > t.lastSeen) t.lastSeen = b.time;
    }
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
