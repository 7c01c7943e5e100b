/**
 * Directory harvest and dictionary attacks: one client network (an IPv4 /24, an IPv6 /64)
 * drawing `user-unknown` refusals for many distinct recipients in a short window. A network
 * becomes a harvest once HARVEST_THRESHOLD distinct recipients were refused within
 * HARVEST_WINDOW_MS of each other (sliding, by the log's times); what it tried before and after
 * that counts too. Fed with inbound user-unknown refusals only (see Diagnosis).
 *
 * Caps, each counted in the report's `summary.overflow`:
 * - HARVEST_NETWORKS_CAP networks tracked at once, least recently active dropped first
 *   (`harvestNetworks`); a network that already is a harvest is kept, up to
 *   HARVEST_FINDINGS_CAP of those (`harvestFindings`);
 * - per network, HARVEST_RECIPIENTS_CAP distinct recipients remembered: past it every new one
 *   is counted as an attempt but not as distinct (`harvestRecipients`); HARVEST_CLIENTS_CAP
 *   client IPs listed; the first HARVEST_SAMPLES addresses and the last one kept.
 */
import type { Mta } from '../event.js';
import { hash52 } from './counters.js';
import { flatCopy } from '../text/flat-copy.js';

/** Distinct recipients refused within HARVEST_WINDOW_MS that make a harvest. */
export const HARVEST_THRESHOLD = 20;
/** The window those must fall in: 10 minutes. */
export const HARVEST_WINDOW_MS = 10 * 60_000;
export const HARVEST_NETWORKS_CAP = 10_000;
export const HARVEST_FINDINGS_CAP = 1_000;
export const HARVEST_RECIPIENTS_CAP = 5_000;
export const HARVEST_CLIENTS_CAP = 16;
export const HARVEST_SAMPLES = 5;

/** One harvest, as the report lists it. */
export interface HarvestFinding {
  mta: Mta;
  /** The one client IP, or its network (`192.0.2.0/24`, `2001:db8:1:2::/64`) when several. */
  client: string;
  /** The client IPs of the network that took part (at most HARVEST_CLIENTS_CAP). */
  clients: string[];
  network: string;
  firstSeen: string;
  lastSeen: string;
  /** Refusals (attempts), and the distinct addresses among them. */
  attempts: number;
  distinctAddresses: number;
  /** The fastest stretch: `peakAddresses` (the threshold) distinct addresses in `peakSeconds` seconds. */
  peakAddresses: number;
  peakSeconds: number;
  /** The first addresses tried, then the last one. */
  sampleAddresses: string[];
  /** The settings that throttle it on this MTA. */
  setting: string;
  advice: string;
  /** fail2ban: a failregex for the refusal line (with `<HOST>`), null where fail2ban does not apply. */
  failregex: string | null;
  /** A command that bans the client IPs now (fail2ban), null where fail2ban does not apply. */
  ban: string | null;
}

/** A refusal the tracker is given. */
export interface HarvestInput {
  mta: Mta;
  ip: string;
  recipient: string;
  /** ms since the epoch. */
  time: number;
  iso: string;
}

/**
 * One client network. The tracker holds up to HARVEST_NETWORKS_CAP of them for the whole run and
 * most try a handful of addresses, so the lists are exact-size arrays replaced when they grow
 * (a pushed-to array keeps room for 17 elements: 10,000 networks' four lists, a Set among them,
 * came to 9.7 of the tracker's 13.8 MB on the 1 GB Postfix bench file) and the recipients'
 * hashes move into a Set only past SEEN_LIST_MAX.
 */
class Network {
  attempts = 0;
  /** Hashes of its distinct recipients, in the order first seen. */
  seen: number[] | Set<number> = NONE;
  clients: string[] = NONE;
  samples: string[] = NONE;
  last = '';
  firstIso = '';
  lastIso = '';
  lastTime = 0;
  firstTime = Infinity;
  /**
   * Times of the last `threshold` new distinct recipients: appended to while fewer, then a ring
   * whose oldest is at `recentAt` (ordered() gives them oldest first).
   */
  recent: number[] = NONE;
  recentAt = 0;
  harvest = false;
  peakMs = Infinity;
  constructor(
    readonly mta: Mta,
    /** `${mta}\0${network}`, its key in the tracker: one flat string for both. */
    readonly key: string,
    readonly threshold: number,
  ) {}

  /** `192.0.2.0/24`, `2001:db8:1:2::/64`. */
  get network(): string {
    return this.key.slice(this.mta.length + 1);
  }

  get distinct(): number {
    return Array.isArray(this.seen) ? this.seen.length : this.seen.size;
  }

  hasSeen(h: number): boolean {
    return Array.isArray(this.seen) ? this.seen.includes(h) : this.seen.has(h);
  }

  addSeen(h: number): void {
    if (!Array.isArray(this.seen)) this.seen.add(h);
    else if (this.seen.length < SEEN_LIST_MAX) this.seen = this.seen.concat(h);
    else this.seen = new Set(this.seen).add(h);
  }

  /** `recent`, oldest first. */
  ordered(): number[] {
    return this.recent.slice(this.recentAt).concat(this.recent.slice(0, this.recentAt));
  }
}

/** Shared by new networks until their first element (every list is replaced, never pushed to). */
const NONE: never[] = Object.freeze([]) as unknown as never[];
/** Recipients' hashes a network keeps in an array (searched in turn) before a Set. */
const SEEN_LIST_MAX = 16;

function networkKey(mta: Mta, network: string): string {
  return `${mta}\0${network}`;
}

/** `192.0.2.0/24` or `2001:db8:1:2::/64` for an IP; null for what is not an IP. */
export function networkOf(ip: string): string | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const raw = ip.toLowerCase().startsWith('ipv6:') ? ip.slice(5) : ip;
  if (!/^[0-9a-f:.]{2,45}$/i.test(raw) || !raw.includes(':')) return null;
  const groups = expandV6(raw);
  if (groups === null) return null;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The eight groups of an IPv6 address (an embedded IPv4 tail counts as two). */
function expandV6(ip: string): string[] | null {
  const halves = ip.toLowerCase().split('::');
  if (halves.length > 2) return null;
  const part = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  const last = tail.length > 0 ? tail : head;
  if (last.length > 0 && last[last.length - 1]!.includes('.')) last.splice(last.length - 1, 1, '0', '0');
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  return groups.every((g) => /^[0-9a-f]{1,4}$/.test(g)) ? groups : null;
}

export class HarvestTracker {
  private readonly networks = new Map<string, Network>();
  /** Harvests moved out of `networks` when it was full. */
  private readonly done: Network[] = [];
  readonly overflow = { harvestNetworks: 0, harvestFindings: 0, harvestRecipients: 0 };
  /**
   * The network of the last refusal, by its client and MTA: an attack comes in runs from one
   * client, and that network is the most recently active already, so a repeat needs no lookup
   * and no reordering. merge() forgets it (it appends networks after it).
   */
  private lastIp = '';
  private lastMta: Mta | null = null;
  private lastNetwork: Network | null = null;

  constructor(
    private readonly threshold = HARVEST_THRESHOLD,
    private readonly windowMs = HARVEST_WINDOW_MS,
    private readonly networksCap = HARVEST_NETWORKS_CAP,
  ) {}

  add(r: HarvestInput): void {
    let n = this.lastNetwork;
    if (n === null || r.ip !== this.lastIp || r.mta !== this.lastMta) {
      this.lastNetwork = null;
      const net = networkOf(r.ip);
      if (net === null) return;
      const key = networkKey(r.mta, net);
      const known = this.networks.get(key);
      if (known === undefined) {
        if (this.networks.size >= this.networksCap) this.evict();
        // A copy: the key is kept for the run, and as built it is a concatenation of three.
        n = new Network(r.mta, flatCopy(key), this.threshold);
      } else {
        // Least recently active first: re-inserting keeps the Map in that order.
        this.networks.delete(known.key);
        n = known;
      }
      this.networks.set(n.key, n);
      this.lastIp = flatCopy(r.ip);
      this.lastMta = r.mta;
      this.lastNetwork = n;
    }
    n.attempts++;
    if (n.clients.length < HARVEST_CLIENTS_CAP && !n.clients.includes(r.ip)) n.clients = n.clients.concat(flatCopy(r.ip));
    if (r.time < n.firstTime) {
      n.firstTime = r.time;
      n.firstIso = r.iso;
    }
    if (r.time >= n.lastTime) {
      n.lastTime = r.time;
      n.lastIso = r.iso;
    }
    const address = r.recipient.toLowerCase();
    // Copies: a kept address must not keep its line (a slice of a large chunk) alive.
    n.last = flatCopy(address);
    const h = hash52(address);
    if (n.hasSeen(h)) return;
    if (n.distinct >= HARVEST_RECIPIENTS_CAP) this.overflow.harvestRecipients++;
    else n.addSeen(h);
    if (n.samples.length < HARVEST_SAMPLES) n.samples = n.samples.concat(n.last);
    if (n.recent.length < this.threshold) n.recent = n.recent.concat(r.time);
    else {
      n.recent[n.recentAt] = r.time;
      n.recentAt = (n.recentAt + 1) % n.recent.length;
    }
    if (n.recent.length === this.threshold) {
      // Lines are not always in time order (several files, a clock step): the span is max - min.
      let lo = Infinity;
      let hi = -Infinity;
      for (const t of n.recent) {
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
      const span = hi - lo;
      if (span <= this.windowMs) {
        n.harvest = true;
        if (span < n.peakMs) n.peakMs = span;
      }
    }
  }

  /** Drops the least recently active network; a harvest is kept in `done` (up to its cap). */
  private evict(): void {
    const first = this.networks.entries().next();
    if (first.done) return;
    const [key, n] = first.value;
    this.networks.delete(key);
    if (!n.harvest) this.overflow.harvestNetworks++;
    else if (this.done.length < HARVEST_FINDINGS_CAP) this.done.push(n);
    else this.overflow.harvestFindings++;
  }

  /** Fold `other` in: its networks' harvests are listed beside ours (not recomputed). */
  merge(other: HarvestTracker): void {
    this.lastNetwork = null;
    for (const n of other.done) this.done.push(n);
    for (const [k, n] of other.networks) {
      if (!this.networks.has(k)) this.networks.set(k, n);
      else if (n.harvest) this.done.push(n);
    }
    this.overflow.harvestNetworks += other.overflow.harvestNetworks;
    this.overflow.harvestFindings += other.overflow.harvestFindings;
    this.overflow.harvestRecipients += other.overflow.harvestRecipients;
  }

  /**
   * What a state file keeps (src/state/): the networks in their order (least recently active
   * first, which eviction follows) and the harvests moved aside, each with its recipients' hashes.
   */
  exportState(): HarvestState {
    return { networks: [...this.networks.values()].map(networkState), done: this.done.map(networkState), overflow: { ...this.overflow } };
  }

  /** The tracker a state file describes (default threshold, window and cap, as Diagnosis makes it). */
  static fromState(s: HarvestState): HarvestTracker {
    const t = new HarvestTracker();
    if (s.networks.length > t.networksCap) throw new Error('more harvest networks than the cap');
    if (s.done.length > HARVEST_FINDINGS_CAP) throw new Error('more harvests than the cap');
    for (const n of s.networks) {
      const network = networkFromState(n, t.threshold);
      if (t.networks.has(network.key)) throw new Error('a harvest network twice');
      t.networks.set(network.key, network);
    }
    for (const n of s.done) t.done.push(networkFromState(n, t.threshold));
    Object.assign(t.overflow, s.overflow);
    return t;
  }

  /** The harvests so far, most distinct addresses first. */
  findings(): HarvestFinding[] {
    const all = [...this.done, ...[...this.networks.values()].filter((n) => n.harvest)];
    return all
      .map((n) => harvestFinding(n))
      .sort((a, b) => b.distinctAddresses - a.distinctAddresses || b.attempts - a.attempts || (a.network < b.network ? -1 : 1));
  }
}

/** One network as a state file holds it; times in ms, `peakMs` null before it is a harvest. */
export interface NetworkState {
  mta: Mta;
  network: string;
  threshold: number;
  attempts: number;
  seen: number[];
  clients: string[];
  samples: string[];
  last: string;
  firstIso: string;
  lastIso: string;
  firstTime: number;
  lastTime: number;
  recent: number[];
  harvest: boolean;
  peakMs: number | null;
}

/** A HarvestTracker as a state file holds it (see exportState). */
export interface HarvestState {
  networks: NetworkState[];
  done: NetworkState[];
  overflow: { harvestNetworks: number; harvestFindings: number; harvestRecipients: number };
}

function networkState(n: Network): NetworkState {
  return {
    mta: n.mta,
    network: n.network,
    threshold: n.threshold,
    attempts: n.attempts,
    seen: [...n.seen],
    clients: [...n.clients],
    samples: [...n.samples],
    last: n.last,
    firstIso: n.firstIso,
    lastIso: n.lastIso,
    // A network exists only after its first refusal, so both times are finite; JSON has no Infinity.
    firstTime: n.firstTime,
    lastTime: n.lastTime,
    recent: n.ordered(),
    harvest: n.harvest,
    peakMs: Number.isFinite(n.peakMs) ? n.peakMs : null,
  };
}

/** `ring`: the size of the tracker's ring of recent times (its threshold). */
function networkFromState(s: NetworkState, ring: number): Network {
  if (s.seen.length > HARVEST_RECIPIENTS_CAP) throw new Error('more harvest recipients than the cap');
  const n = new Network(s.mta, networkKey(s.mta, s.network), s.threshold);
  n.attempts = s.attempts;
  for (const h of s.seen) if (!n.hasSeen(h)) n.addSeen(h);
  n.clients = s.clients.slice(0, HARVEST_CLIENTS_CAP);
  n.samples = s.samples.slice(0, HARVEST_SAMPLES);
  n.last = s.last;
  n.firstIso = s.firstIso;
  n.lastIso = s.lastIso;
  n.firstTime = s.firstTime;
  n.lastTime = s.lastTime;
  n.recent = s.recent.slice(-Math.min(s.threshold, ring));
  n.harvest = s.harvest;
  n.peakMs = s.peakMs ?? Infinity;
  return n;
}

/** What throttles a harvest, per MTA (postconf(5), Exim spec ch. 42 `ratelimit`, Exchange docs). */
const SETTING: Record<Mta, { setting: string; advice: string }> = {
  postfix: {
    setting: 'smtpd_hard_error_limit, smtpd_client_recipient_rate_limit, postscreen',
    advice:
      'Lower smtpd_hard_error_limit (e.g. 5) so the session ends after a few unknown recipients, set smtpd_client_recipient_rate_limit (anvil) and put postscreen in front; ban the client with fail2ban.',
  },
  exim: {
    setting: 'acl_smtp_rcpt ratelimit, smtp_accept_max_per_host',
    advice:
      'In acl_smtp_rcpt, count failed recipients per host with `ratelimit = 10 / 10m / per_rcpt / $sender_host_address` and deny (or drop) past it; ban the client with fail2ban.',
  },
  exchange: {
    setting: 'tarpitting (Set-ReceiveConnector -TarpitInterval), recipient filtering (Set-RecipientFilterConfig -RecipientValidationEnabled)',
    advice:
      'Keep recipient filtering on (RecipientValidationEnabled) and tarpitting on the Internet receive connector, so each unknown recipient costs the client time; block the network at the firewall.',
  },
};

/**
 * fail2ban failregexes (Python re, `<HOST>` is fail2ban's, which searches each line), per MTA:
 * the refusal of an unknown recipient. Exchange's logs are not fail2ban's: its own settings do it.
 */
const FAILREGEX: Record<Mta, string | null> = {
  postfix: String.raw`smtpd\[\d+\]: [^:]+: reject: RCPT from [^[]*\[<HOST>\]: 550 5\.1\.1 <`,
  exim: String.raw` H=[^[]*\[<HOST>\](?::\d+)? [^\n]*rejected RCPT <[^>]*>: (?:Unrouteable address|[Uu]nknown user)`,
  exchange: null,
};

const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function harvestFinding(n: Network): HarvestFinding {
  const { setting, advice } = SETTING[n.mta];
  const samples = [...n.samples];
  if (n.last !== '' && !samples.includes(n.last)) samples.push(n.last);
  const failregex = FAILREGEX[n.mta];
  return {
    mta: n.mta,
    client: n.clients.length === 1 ? n.clients[0]! : n.network,
    clients: [...n.clients],
    network: n.network,
    firstSeen: n.firstIso,
    lastSeen: n.lastIso,
    attempts: n.attempts,
    distinctAddresses: n.distinct,
    peakAddresses: n.threshold,
    peakSeconds: Math.round(n.peakMs / 1000),
    sampleAddresses: samples,
    setting,
    advice,
    failregex,
    // The jail name is the local one; `postfix` / `exim` as in fail2ban's stock jail.conf.
    ban: failregex === null ? null : `fail2ban-client set ${n.mta} banip ${n.clients.map(shQuote).join(' ')}`,
  };
}
