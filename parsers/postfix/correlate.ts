/**
 * Bounded per-queue-id state, so a delivery line knows the sender (qmgr `from=<…>`) and the
 * client that submitted the message (smtpd `client=…`), and an expiry knows which recipients
 * were still deferred. Entries are freed at `removed`; logs that start or end mid-stream leave
 * entries behind, so the map is capped and the oldest entries are evicted (and counted).
 */
import type { Peer } from '../../src/event.js';
import { flatCopy, flatCopyPeer } from '../../src/text/flat-copy.js';
import { CappedMap } from '../capped-map.js';

/** Queue ids tracked at once. A busy MX has a few thousand messages in flight; 50k is ample. */
export const MAX_QUEUE_IDS = 50_000;
/** Deferred recipients remembered per message (for expiry). */
export const MAX_DEFERRED_PER_MESSAGE = 100;

export interface Deferral {
  to: string;
  origTo: string | null;
  agent: string | null;
  relay: Peer | null;
  dsn: string | null;
  reason: string;
  raw: string;
}

export interface QueueEntry {
  from: string | null;
  client: Peer | null;
  deferred: Map<string, Deferral> | null;
  /** A warning-only refusal (size, hop count) was already counted for this message: smtpd and cleanup may both log one. */
  refused?: boolean;
  /** qmgr has logged its `from=<…>, size=…` once: later ones are retries, not arrivals. */
  arrived?: boolean;
}

export class QueueTable {
  evicted = 0;
  deferralsDropped = 0;
  private readonly entries: CappedMap<QueueEntry>;

  constructor(cap = MAX_QUEUE_IDS) {
    this.entries = new CappedMap(cap, () => this.evicted++);
  }

  get(id: string): QueueEntry | undefined {
    return this.entries.get(id);
  }

  /**
   * The entry for `id`, created (and the oldest evicted past the cap) if new. `own`, here and
   * below: the strings are not slices of a line (FrontMachine.update()'s), kept as they are.
   */
  upsert(id: string, own = false): QueueEntry {
    let e = this.entries.get(id);
    if (!e) {
      e = { from: null, client: null, deferred: null };
      this.entries.set(own ? id : flatCopy(id), e);
    }
    return e;
  }

  setFrom(id: string, from: string): void {
    this.upsert(id).from = flatCopy(from);
  }

  /**
   * qmgr's `from=<s>, size=…` for `id`: records the sender; true the first time for this id
   * (the message's arrival), false for the same message entering the active queue again.
   */
  arrive(id: string, from: string, own = false): boolean {
    const e = this.upsert(id, own);
    e.from = own ? from : flatCopy(from);
    if (e.arrived) return false;
    e.arrived = true;
    return true;
  }

  setClient(id: string, client: Peer, own = false): void {
    this.upsert(id, own).client = own ? client : flatCopyPeer(client);
  }

  remember(id: string, d: Deferral): void {
    const e = this.upsert(id);
    e.deferred ??= new Map();
    if (!e.deferred.has(d.to) && e.deferred.size >= MAX_DEFERRED_PER_MESSAGE) {
      this.deferralsDropped++;
      return;
    }
    const kept: Deferral = {
      to: flatCopy(d.to),
      origTo: flatCopy(d.origTo),
      agent: flatCopy(d.agent),
      relay: flatCopyPeer(d.relay),
      dsn: flatCopy(d.dsn),
      reason: flatCopy(d.reason),
      raw: flatCopy(d.raw),
    };
    e.deferred.set(kept.to, kept);
  }

  /** A recipient was finally delivered or bounced: it will not expire. */
  settle(id: string, to: string): void {
    this.entries.get(id)?.deferred?.delete(to);
  }

  remove(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
