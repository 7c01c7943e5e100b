/**
 * Bounded per-message state, so that a FAIL or DEFER row that lacks the client and the sender
 * (ROUTING and STOREDRIVER rows often do) gets them from the message's RECEIVE row, and a DSN
 * row (the notification message itself, whose `reference` is the original's message-id) can
 * name the message it reports on.
 *
 * Keyed by internal-message-id (Microsoft Learn "Message tracking": assigned by the server that
 * is processing the message, so unique within one server's logs; logs of several servers fed in
 * one run could collide, which at worst lends a FAIL the client of another server's message).
 * Exchange logs no "removed" event, so nothing is freed: the maps are capped, and the least
 * recently used entry is evicted (and counted) past the cap.
 */
import type { Peer } from '../../src/event.js';
import { flatCopy, flatCopyPeer } from '../../src/text/flat-copy.js';
import { CappedMap } from '../capped-map.js';

/** Messages remembered at once. A FAIL usually follows its RECEIVE within seconds; expiry within two days. */
export const MAX_MESSAGES = 50_000;

export interface MessageFacts {
  client: Peer | null;
  from: string | null;
}

/** Facts kept past their line: copies (flatCopy), so the table holds no line's chunk of the log alive. */
function ownFacts(f: MessageFacts): MessageFacts {
  return { client: flatCopyPeer(f.client), from: flatCopy(f.from) };
}

export class MessageTable {
  evicted = 0;
  private readonly byInternalId: CappedMap<MessageFacts>;
  private readonly internalIdByMessageId: CappedMap<string>;

  constructor(cap = MAX_MESSAGES) {
    const count = () => this.evicted++;
    this.byInternalId = new CappedMap(cap, count);
    this.internalIdByMessageId = new CappedMap(cap, count);
  }

  /** A RECEIVE row: who handed the message in, and the envelope sender. */
  received(internalId: string, facts: MessageFacts): void {
    this.byInternalId.set(flatCopy(internalId), ownFacts(facts));
  }

  get(internalId: string): MessageFacts | undefined {
    return this.byInternalId.get(internalId);
  }

  /** TRANSFER: recipients moved to a forked message, whose `reference` is the original's internal id. */
  forked(originalId: string, forkId: string): boolean {
    const facts = this.byInternalId.get(originalId);
    if (facts) this.byInternalId.set(flatCopy(forkId), facts);
    return facts !== undefined;
  }

  /** Remember which internal id a message-id had on this server (for DSN rows). */
  named(messageId: string, internalId: string): void {
    this.internalIdByMessageId.set(flatCopy(messageId), flatCopy(internalId));
  }

  internalIdOf(messageId: string): string | null {
    return this.internalIdByMessageId.get(messageId) ?? null;
  }

  get size(): number {
    return this.byInternalId.size;
  }
}
