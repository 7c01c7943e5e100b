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
import { flatCopy } from '../../src/text/flat-copy.js';
import { lengthPrefixed } from '../../src/text/length-prefixed.js';
import { CappedMap } from '../capped-map.js';

/** Messages remembered at once. A FAIL usually follows its RECEIVE within seconds; expiry within two days. */
export const MAX_MESSAGES = 50_000;

export interface MessageFacts {
  client: Peer | null;
  from: string | null;
}

/**
 * Facts kept past their line, packed into one flat string of their own (a copy: the table holds
 * no line's chunk of the log alive). Every message's facts stay until the cap evicts them, so
 * they outlive the young generation: kept as two objects and three strings, they were 26 MB of
 * the 63 MB the main thread promoted on the 205 MB Exchange bench file, and most of its
 * scavenges' time. The sender, then the client's name and address, each lengthPrefixed(), then
 * the port (`-` or digits and `;`); `x` for no client.
 */
function pack(f: MessageFacts): string {
  const c = f.client;
  return flatCopy(lengthPrefixed(f.from) + (c === null ? 'x' : lengthPrefixed(c.name) + lengthPrefixed(c.ip) + (c.port === null ? '-' : `${c.port};`)));
}

function unpack(k: string): MessageFacts {
  let at = 0;
  const next = (): string | null => {
    if (k.charCodeAt(at) === 45 /* - */) {
      at++;
      return null;
    }
    const colon = k.indexOf(':', at);
    const end = colon + 1 + Number(k.slice(at, colon));
    const s = k.slice(colon + 1, end);
    at = end;
    return s;
  };
  const from = next();
  if (k.charCodeAt(at) === 120 /* x */) return { from, client: null };
  const name = next();
  const ip = next();
  const port = k.charCodeAt(at) === 45 ? null : Number(k.slice(at, k.length - 1));
  return { from, client: { name, ip, port } };
}

export class MessageTable {
  evicted = 0;
  private readonly byInternalId: CappedMap<string>;
  private readonly internalIdByMessageId: CappedMap<string>;

  constructor(cap = MAX_MESSAGES) {
    const count = () => this.evicted++;
    this.byInternalId = new CappedMap(cap, count);
    this.internalIdByMessageId = new CappedMap(cap, count);
  }

  /** A RECEIVE row: who handed the message in, and the envelope sender. */
  received(internalId: string, facts: MessageFacts): void {
    this.byInternalId.set(flatCopy(internalId), pack(facts));
  }

  /** What the message's RECEIVE row said (new objects each call: ask only when needed). */
  get(internalId: string): MessageFacts | undefined {
    const k = this.byInternalId.get(internalId);
    return k === undefined ? undefined : unpack(k);
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
