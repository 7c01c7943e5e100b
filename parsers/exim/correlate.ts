/**
 * Bounded state kept across lines (and across the inputs of one run):
 *
 * - MessageTable, by Exim message id: the `<=` arrival gives the sender (`from`) and the client
 *   (`H=`) to later `=>`/`**`/`==` lines of the same message; `Completed` frees the entry. Logs
 *   that begin or end mid-stream leave entries behind, so the table is capped and the oldest
 *   entries are evicted (and counted), as in parsers/postfix/correlate.ts.
 * - RejectSignatures: Exim writes each SMTP-time rejection to both mainlog and rejectlog
 *   (log_reject_target defaults to `main:reject`). When both files are read, the second copy of a
 *   rejection (same time, same text, but from a different input) must not count twice. A copy
 *   seen again in the same input is a genuine repeat (a client retrying the same RCPT within one
 *   second) and counts. Signatures are 53-bit hashes, capped; evictions are counted.
 */
import type { Peer } from '../../src/event.js';
import { CappedMap } from '../capped-map.js';
import { flatCopy, flatCopyPeer } from '../../src/text/flat-copy.js';
import { peerOf, scanFields } from './fields.js';

/** Message ids tracked at once. A busy Exim has a few thousand messages in flight; 50k is ample. */
export const MAX_MESSAGE_IDS = 50_000;
/**
 * Rejections remembered for cross-file duplicate detection: enough for a day's mainlog of a busy
 * MX read before its rejectlog (200k × ~40 bytes, taken at start outside the JS heap). Past it,
 * the oldest are dropped (counted as `eximRejectSignaturesEvicted`) and a copy of one of those
 * in the other file would count again.
 */
export const MAX_REJECT_SIGNATURES = 200_000;

export interface MessageEntry {
  from: string | null;
  client: Peer | null;
}

/** Arrival fields longer than this are read at once rather than kept whole (a hostile line). */
const LAZY_FIELDS_MAX = 2048;

/**
 * An entry whose client is read from the arrival's fields (`H=… [ip]…`) only when asked: most
 * messages are delivered and never ask. `fields` is a copy of its own (see flatCopy).
 */
class LazyEntry implements MessageEntry {
  private peer: Peer | null | undefined = undefined;

  constructor(
    public from: string | null,
    private fields: string | null,
  ) {}

  get client(): Peer | null {
    if (this.peer === undefined) {
      this.peer = flatCopyPeer(peerOf(scanFields(this.fields!, 0, true).host));
      this.fields = null;
    }
    return this.peer;
  }

  set client(p: Peer | null) {
    this.peer = p;
    this.fields = null;
  }
}

export class MessageTable {
  evicted = 0;
  private readonly entries: CappedMap<MessageEntry>;

  constructor(cap = MAX_MESSAGE_IDS) {
    this.entries = new CappedMap(cap, () => this.evicted++);
  }

  get(id: string): MessageEntry | undefined {
    return this.entries.get(id);
  }

  /**
   * Records an arrival; the oldest entry is evicted (and counted) past the cap. A repeated
   * arrival (the same line read from two copies of the log) updates the entry where it is and
   * returns false; a new one returns true. What is kept is copied: the strings of a line are
   * slices of its whole read chunk (see flatCopy()).
   */
  arrive(id: string, from: string | null, client: Peer | null): boolean {
    const known = this.entries.get(id);
    if (known) {
      known.from = flatCopy(from);
      known.client = flatCopyPeer(client);
      return false;
    }
    this.entries.set(flatCopy(id), { from: flatCopy(from), client: flatCopyPeer(client) });
    return true;
  }

  /**
   * arrive() for an arrival whose client is still in `fields`, the text after its sender: it is
   * read only if a later line of the message asks for it, and then as arrive() would.
   */
  arriveWithFields(id: string, from: string | null, fields: string, own = false): boolean {
    // Long (hostile) fields, or a message already known (its entry is updated): read at once.
    if (fields.length > LAZY_FIELDS_MAX || this.entries.get(id) !== undefined) return this.arrive(id, from, peerOf(scanFields(fields, 0, true).host));
    // `own`: the strings are not slices of a line (FrontMachine.update()'s), kept as they are.
    this.entries.set(own ? id : flatCopy(id), own ? new LazyEntry(from, fields) : new LazyEntry(flatCopy(from), flatCopy(fields)));
    return true;
  }

  complete(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The duplicate filter's memory lives outside the JS heap. As a Map of boxed 53-bit keys to
 * `{ input, count }` objects it was a large part of the live heap at its cap, each rehash of it
 * a new table, and its upkeep a visible share of the Exim path's CPU time (bench/README.md,
 * "Figures behind the code"). Here: a pool of entries
 * (key, input, count) chained in insertion order (the order the Map evicted in), found through
 * an open-addressing index (linear probing at most half full, deletion by backward shift).
 */
export class RejectSignatures {
  evicted = 0;
  private size = 0;
  // Entries: their signature, input, copies not yet matched, and neighbours in insertion order.
  private readonly keys: Float64Array;
  private readonly inputs: Int32Array;
  private readonly counts: Float64Array;
  private readonly older: Int32Array;
  private readonly newer: Int32Array;
  private oldest = -1;
  private newest = -1;
  /** Entries handed out so far; past `cap`, a call reuses the one it freed (`spare`). */
  private used = 0;
  private spare = -1;
  /** Index slot → entry + 1 (0: empty). */
  private readonly index: Int32Array;
  private readonly mask: number;

  constructor(private readonly cap = MAX_REJECT_SIGNATURES) {
    this.keys = new Float64Array(cap);
    this.inputs = new Int32Array(cap);
    this.counts = new Float64Array(cap);
    this.older = new Int32Array(cap);
    this.newer = new Int32Array(cap);
    let slots = 2;
    while (slots < 2 * cap) slots *= 2;
    this.index = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /**
   * Notes a rejection read from input number `input`; true if it is the copy of one already
   * counted from another input (the caller then ignores it).
   */
  isDuplicate(signature: string, input: number): boolean {
    return this.isDuplicateKey(hash53(signature), input);
  }

  /** isDuplicate(`${time}\u0000${line}`) without making that string (a rejection's signature). */
  isDuplicateOf(time: string, line: string, input: number): boolean {
    return this.isDuplicateKey(hash53Of(time, line), input);
  }

  private isDuplicateKey(key: number, input: number): boolean {
    const e = this.index[this.slotOf(key)]! - 1;
    if (e >= 0) {
      if (this.inputs[e] !== input && this.counts[e]! > 0) {
        this.counts[e]!--;
        return true;
      }
      if (this.inputs[e] === input) {
        this.counts[e]!++;
        return false;
      }
      this.remove(e); // all copies consumed: start afresh under this input
    }
    if (this.size >= this.cap) {
      this.remove(this.oldest);
      this.evicted++;
    }
    this.insert(key, input);
    return false;
  }

  /** The index slot holding `key`, or the empty slot where it would go. */
  private slotOf(key: number): number {
    let i = (key >>> 0) & this.mask;
    for (let e = this.index[i]! - 1; e >= 0 && this.keys[e] !== key; e = this.index[i]! - 1) i = (i + 1) & this.mask;
    return i;
  }

  /** A new newest entry. Each call frees at most one entry before it inserts: that one is reused. */
  private insert(key: number, input: number): void {
    const e = this.spare >= 0 ? this.spare : this.used++;
    this.spare = -1;
    this.keys[e] = key;
    this.inputs[e] = input;
    this.counts[e] = 1;
    this.index[this.slotOf(key)] = e + 1;
    this.older[e] = this.newest;
    this.newer[e] = -1;
    if (this.newest >= 0) this.newer[this.newest] = e;
    else this.oldest = e;
    this.newest = e;
    this.size++;
  }

  private remove(e: number): void {
    const o = this.older[e]!;
    const n = this.newer[e]!;
    if (o >= 0) this.newer[o] = n;
    else this.oldest = n;
    if (n >= 0) this.older[n] = o;
    else this.newest = o;
    this.unindex(this.slotOf(this.keys[e]!));
    this.spare = e;
    this.size--;
  }

  /** Empties slot `i`, moving back the entries after it that probing would no longer reach. */
  private unindex(i: number): void {
    const mask = this.mask;
    for (let j = (i + 1) & mask; this.index[j] !== 0; j = (j + 1) & mask) {
      const home = (this.keys[this.index[j]! - 1]! >>> 0) & mask;
      // The entry at j stays if its home lies cyclically in (i, j]: probing from there reaches j.
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      this.index[i] = this.index[j]!;
      i = j;
    }
    this.index[i] = 0;
  }
}

/** cyrb53: a fast 53-bit string hash (public domain); collisions are negligible at 200k keys. */
export function hash53(str: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return finish53(h1, h2);
}

/** hash53(`${a}\u0000${b}`), reading the two strings where they are. */
export function hash53Of(a: string, b: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < a.length; i++) {
    const ch = a.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1, 2654435761);
  h2 = Math.imul(h2, 1597334677);
  for (let i = 0; i < b.length; i++) {
    const ch = b.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return finish53(h1, h2);
}

function finish53(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * What a delivery process said about one address (message id + address) before its `**`/`==`
 * line, kept until that line reads it:
 *
 * - outputs: `<addr>: <t> transport output: <first line>` (log_output, log_fail_output,
 *   log_defer_output of a pipe transport; deliver.c writes it before the outcome), added to the
 *   outcome's reason, since the command's words (`mailbox quota exceeded`) say more than its
 *   exit code;
 * - deferrals: the last `==` of the address, for the `** <addr>: retry timeout exceeded` that
 *   retry.c writes right after the deferral that went past the retry rule's cutoff (it names no
 *   transport and no reason: the deferral's are its own).
 *
 * Both are normally read within a few lines; each table is capped (oldest evicted, counted).
 */
export const MAX_ADDRESS_NOTES = 10_000;

export interface Deferral {
  reason: string;
  agent: string | null;
  router: string | null;
  relay: Peer | null;
  dsn: string | null;
  smtpCode: number | null;
  remoteHost: string | null;
  inReplyTo: string | null;
}

export class AddressNotes {
  outputsEvicted = 0;
  deferralsEvicted = 0;
  readonly outputs: CappedMap<string>;
  readonly deferrals: CappedMap<Deferral>;

  constructor(cap = MAX_ADDRESS_NOTES) {
    this.outputs = new CappedMap(cap, () => this.outputsEvicted++);
    this.deferrals = new CappedMap(cap, () => this.deferralsEvicted++);
  }
}
