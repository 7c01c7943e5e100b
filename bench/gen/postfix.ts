/**
 * A seeded, deterministic Postfix log generator: an MX and submission host (mx1.example.org)
 * with postscreen, smtpd, an amavis content filter, Dovecot LMTP, and the usual neighbours in
 * the same log (dovecot, amavis, opendkim, postgrey). Every problem it plants uses a phrasing
 * found in real logs or in Postfix's source (postfix-texts.ts), and is reported through
 * `onEvent` so the exact tally of what a correct analyser must find comes with the log.
 *
 * How it works: traffic units (an SMTP session, a local submission, a newsletter…) arrive in
 * time order. Each unit writes its whole future at once (deliveries, retries hours later,
 * bounces) into a time-ordered heap, and lines leave the heap once no later unit can write
 * before them. Memory stays bounded by the mail in flight, so gigabytes stream out.
 */
import { Rng, Zipf, unit } from './rng.js';
import { TimeHeap } from './heap.js';
import { LineFormatter, classicStamp } from './format.js';
import { ArrivalCurve, Mixer } from './mix.js';
import * as T from './postfix-texts.js';
import {
  ALIAS_DOMAIN, DICTIONARY, LOOP_DOMAIN, MAILBOX_DOMAIN, ME, RELAY_DOMAIN, SENDER_ORGS, SENDER_ORG_ZIPF, SHOP_DOMAIN,
  buildHosted, buildRemote, personLocal, randomPublicIp, remoteAddress, spamClient, spamSender,
  type Client, type Domain, type Hosted, type Remote,
} from './world.js';

// ---------------------------------------------------------------- public types

export type Direction = 'inbound' | 'outbound' | 'local';
export type Cause =
  | 'user-unknown' | 'mailbox-disabled' | 'mailbox-full' | 'relay-denied' | 'auth-required' | 'sender-auth-failed'
  | 'blocklisted' | 'access-policy' | 'spam-content' | 'greylisted' | 'rate-limited' | 'message-too-large'
  | 'domain-not-found' | 'connection-failed' | 'protocol-error' | 'mail-loop' | 'other';

/** One event a correct analyser must count (see samples/README.md for the definitions). */
export interface Planted {
  direction: Direction;
  cause: Cause;
  /** The address whose domain keys the finding (orig_to before to); null if the line names none. */
  recipient: string | null;
  /** Which planted phrasing this is, for the README's breakdown. */
  what: string;
}

export interface LogRecord {
  /** Microseconds since the epoch. */
  us: number;
  seq: number;
  program: string;
  pid: number | null;
  text: string;
  planted?: Planted[];
}

export type LogFormat = 'classic' | 'rfc3339';
export type MixName = 'realistic' | 'showcase';

export interface PostfixOptions {
  seed: number;
  /**
   * Traffic units: SMTP sessions (accepted or refused), local submissions, IMAP logins; about
   * 15 lines each. The newsletter (once a day) and mail stuck since before `start` come on top.
   */
  messages: number;
  start: Date;
  format: LogFormat;
  /** Host name in the syslog envelope; default mx1. */
  host?: string;
  /** Time the traffic is spread over; default one day. Lines after start + duration are cut. */
  durationSeconds?: number;
  /** Offset of the host's local time from UTC, for timestamps; default +60 (CET). */
  tzOffsetMinutes?: number;
  /** `realistic` (default) or `showcase`: every kind of problem several times a day. */
  mix?: MixName;
  /** Called for each planted event, in output order, just before its line is yielded. */
  onEvent?: (event: Planted, record: LogRecord) => void;
}

export { LineFormatter } from './format.js';

/** Log lines in time order. */
export function* generatePostfix(opts: PostfixOptions): Generator<string> {
  const fmt = new LineFormatter(opts.format, opts.host ?? ME.host, opts.tzOffsetMinutes ?? 60);
  for (const rec of generatePostfixRecords(opts)) {
    if (rec.planted && opts.onEvent) for (const p of rec.planted) opts.onEvent(p, rec);
    yield fmt.format(rec);
  }
}

/** The same stream before formatting: callers that split by day format each part themselves. */
export function* generatePostfixRecords(opts: PostfixOptions): Generator<LogRecord> {
  const sim = new Sim(opts);
  yield* sim.run(opts.messages);
}

const S = 1_000_000; // microseconds per second
const pad2 = (n: number) => String(n).padStart(2, '0');

// ---------------------------------------------------------------- the simulation

/** Where one recipient of a queued message goes (the result of trivial-rewrite and aliases). */
type Route =
  | { agent: 'lmtp'; to: string; orig?: string }
  | { agent: 'local'; to: string; orig?: string; missingUser?: string }
  | { agent: 'virtual'; to: string }
  | { agent: 'relay'; to: string } // smtp to the internal Exchange behind example.net
  | { agent: 'smtp'; to: string; domain: Domain }
  | { agent: 'error'; to: string; text: string }
  | { agent: 'loop'; to: string; domain: string };

interface Target {
  route: Route;
  state: 'pending' | 'sent' | 'bounced';
  /** The last deferral, reported again if the message expires. */
  lastDeferral?: Planted;
}

interface Msg {
  id: string;
  from: string;
  size: number;
  /** Time the message started arriving (delay= counts from here). */
  arrival: number;
  msgid: string;
  targets: Target[];
  /** From a sender without DKIM (the web shop): Gmail may refuse it. */
  unsigned?: boolean;
  /** A newsletter: Gmail may take it for spam. */
  bulk?: boolean;
  /** When maximal_queue_lifetime runs out. */
  expires?: number;
  /** Deliveries that must not fail (bounce notices): keeps the planted tally exact. */
  safe?: boolean;
}

interface Proc {
  pid: number;
  free: number;
  uses: number;
}

/** One SMTP session against our smtpd: who, what they send, and what we answer per RCPT. */
interface Session {
  service: 'smtpd' | 'submission/smtpd';
  client: Client;
  /** postscreen's verdict before smtpd sees the client (port 25 only). */
  screen?: 'old' | 'new';
  tls: boolean;
  sasl?: string;
  from: string;
  rcpts: RcptPlan[];
  after: 'deliver' | 'milter' | 'multibounce' | 'quit' | 'lost';
  size: number;
  msgid: string;
  /** Through the amavis content filter (port 25 mail). */
  filter: boolean;
  dkim: 'verify' | 'sign' | 'none';
  /** postgrey's log line for accepted recipients. */
  postgrey?: 'whitelist' | { triplet: number };
}

interface RcptPlan {
  to: string;
  reject?: { reply: string; cause: Cause; what: string };
  /** postgrey greylisted this one (logs its own line too). */
  greylist?: boolean;
  routes?: Route[];
}

/**
 * An address's lasting fate, from a hash of the address (so the same person bounces every
 * time): below `unknown` it does not exist, and so on. About 2.5% of the people we write to
 * are gone, which with the rest gives the 5–7% bounce rate of a normal day.
 */
const FATE = {
  unknown: 0.022,
  gmailUnknown: 0.025,
  gmailDisabled: 0.03,
  gmailOverQuota: 0.033,
  yahooDisabled: 0.027,
} as const;

/** A remote server's refusal of one recipient, and what it means. */
interface Refusal {
  reply: T.Reply;
  cause: Cause;
  what: string;
}

/** A refusal of the whole attempt (DNS, connection, or MAIL FROM), before any recipient. */
interface SessionFailure {
  kind: 'dns' | 'connect' | 'mail';
  dsn: string;
  reason: (mx: T.Peer) => string;
  bounce: boolean;
  cause: Cause;
  what: string;
}

/** Runs of more traffic units than this get a proportionally bigger world. */
const SCALE_FROM_UNITS = 20_000;

class Sim {
  private readonly rng: Rng;
  /** 1 up to SCALE_FROM_UNITS units, then units / SCALE_FROM_UNITS. */
  private readonly scale: number;
  private readonly mailboxSet: Set<string>;
  private readonly hosted: Hosted;
  private readonly remote: Remote;
  private readonly heap = new TimeHeap<LogRecord>();
  private seq = 0;
  private readonly start: number;
  private readonly end: number;
  private readonly duration: number;
  private readonly tz: number;
  private nextPid: number;
  private readonly pidBase: number;
  private readonly pidRate: number;
  /** Arrival time of the traffic unit being written. */
  private clock = 0;
  private inode: number;
  private readonly pools = new Map<string, Proc[]>();
  /** smtp connection cache: destination → until when a connection stays open, and its use count. */
  private readonly connCache = new Map<string, { until: number; uses: number }>();
  private readonly qmgrPid: number;
  private readonly pickupPid: number;
  private readonly opendkimPid: number;
  private readonly postgreyPid: number;
  private readonly amavisPids: number[];
  private amavisSerial = 0;
  private readonly mailboxZipf: Zipf;
  private readonly newsletterList: string[];
  /** Shop customers: the freemail providers only. */
  private readonly consumerZipf: Zipf;
  private readonly consumers: Domain[];
  /** Recent smtpd clients, for anvil's statistics lines. */
  private readonly recent: { us: number; ip: string; service: string }[] = [];
  private nextAnvil: number;
  private readonly arrivals: ArrivalCurve;
  private readonly mixName: MixName;
  private readonly mix: Mixer<(t: number) => void>;
  /** Destinations that never answer any more (the expiring mail goes there), and how they fail. */
  private readonly dead = new Map<string, 'Connection timed out' | 'Connection refused'>();
  /** The daily newsletter (cron at 08:30 local) still to send. */
  private readonly newsletterTimes: number[] = [];
  /** Hours when Microsoft lists our IP (S3140), one episode a day. */
  private readonly blockEpisodes: [number, number][] = [];

  constructor(opts: PostfixOptions) {
    const root = new Rng(opts.seed);
    const worldRng = root.fork('world');
    this.rng = root.fork('traffic');
    // Large runs get a bigger world (more people everywhere), so that distinct recipients,
    // senders and clients grow with the log as on a big MX; up to 20,000 units (the samples use
    // 990) the world is the same as always.
    this.scale = Math.max(1, opts.messages / SCALE_FROM_UNITS);
    this.hosted = buildHosted(worldRng, this.scale);
    this.mailboxSet = new Set(this.hosted.mailboxes);
    this.remote = buildRemote(worldRng);
    this.mailboxZipf = new Zipf(this.hosted.mailboxes.length, 0.9);
    this.newsletterList = buildNewsletterList(worldRng, this.remote, this.scale);
    const consumers = this.remote.domains.filter((d) => d.freemail);
    this.consumers = consumers;
    this.consumerZipf = new Zipf(consumers.length, 0, consumers.map((d) => d.weight));
    this.start = opts.start.getTime() * 1000;
    this.duration = (opts.durationSeconds ?? 86400) * S;
    this.end = this.start + this.duration;
    this.tz = opts.tzOffsetMinutes ?? 60;
    this.pidBase = this.rng.int(2000, 30000);
    this.nextPid = this.pidBase;
    this.inode = this.rng.int(0x1000000, 0x1ffffff);
    // The kernel hands out pids in order: ~6 processes per traffic unit, plus the rest of the system.
    this.pidRate = (opts.messages / (this.duration / S)) * 6 + 0.05;
    this.qmgrPid = this.newPid(this.start);
    this.pickupPid = this.newPid(this.start);
    this.opendkimPid = this.rng.int(600, 900);
    this.postgreyPid = this.rng.int(900, 1200);
    this.amavisPids = [this.newPid(this.start), this.newPid(this.start), this.newPid(this.start)];
    this.nextAnvil = this.start + this.rng.int(60, 600) * S;
    this.arrivals = new ArrivalCurve(this.start, this.duration, this.tz);
    this.mixName = opts.mix ?? 'realistic';
    this.mix = this.buildMix(this.mixName);
  }

  *run(units: number): Generator<LogRecord> {
    this.plantExpiring();
    this.planDays();
    for (let i = 0; i < units; i++) {
      const t = this.arrivals.at((i + this.rng.next()) / units);
      this.clock = t;
      this.tick(t);
      yield* this.drain(t);
      this.unit(t);
    }
    this.tick(this.end);
    yield* this.drain(Infinity);
  }

  private *drain(before: number): Generator<LogRecord> {
    for (let top = this.heap.peek(); top && top.us < before; top = this.heap.peek()) yield this.heap.pop()!;
  }

  // ------------------------------------------------------------ primitives

  private log(us: number, program: string, pid: number | null, text: string, planted?: Planted): void {
    if (us < this.start || us >= this.end) return;
    us = Math.floor(us);
    this.heap.push({ us, seq: this.seq++, program, pid, text, ...(planted ? { planted: [planted] } : {}) });
  }

  private logMany(us: number, program: string, pid: number | null, text: string, planted: Planted[]): void {
    if (us < this.start || us >= this.end) return;
    this.heap.push({ us: Math.floor(us), seq: this.seq++, program, pid, text, planted });
  }

  /** Milliseconds as microseconds, uniformly in [lo, hi]. */
  private ms(lo: number, hi: number): number {
    return Math.floor(this.rng.float(lo, hi) * 1000);
  }

  /**
   * A new process id. Pids grow with time; a process started later than the traffic being
   * written (a retry hours ahead) gets the pid the counter will have reached by then.
   */
  private newPid(t: number): number {
    const expected = this.pidBase + Math.floor(((t - this.start) / S) * this.pidRate);
    if (t > this.clock + 60 * S) return wrapPid(expected + this.rng.int(0, 30));
    this.nextPid = Math.max(this.nextPid + this.rng.int(1, 5), expected);
    return wrapPid(this.nextPid);
  }

  /**
   * A process of a Postfix service that is free at `t`. Postfix reuses an idle process for up
   * to max_use (100) clients and lets it exit after max_idle (100 s), so pids repeat for a while.
   */
  private proc(service: string, t: number): Proc {
    let pool = this.pools.get(service);
    if (!pool) this.pools.set(service, (pool = []));
    if (pool.length > 64) pool.splice(0, pool.length, ...pool.filter((p) => p.free > t - 100 * S));
    for (const p of pool) {
      if (p.free <= t && t - p.free < 100 * S && p.uses < 100) {
        p.uses++;
        p.free = t;
        return p;
      }
    }
    const p = { pid: this.newPid(t), free: t, uses: 1 };
    pool.push(p);
    return p;
  }

  private pid(service: string, t: number, busyFor = 0): number {
    const p = this.proc(service, t);
    p.free = t + busyFor;
    return p.pid;
  }

  /** Short queue id: 5 hex digits of the arrival's microseconds, then the queue file's inode. */
  private queueId(us: number): string {
    this.inode += this.rng.int(1, 4);
    return (Math.floor(us % S) & 0xfffff).toString(16).toUpperCase().padStart(5, '0') + this.inode.toString(16).toUpperCase();
  }

  /** Message-ID Postfix itself writes: `<YYYYMMDDhhmmss.QUEUEID@myhostname>`, in UTC. */
  private postfixMsgid(us: number, id: string): string {
    const d = new Date(Math.floor(us / 1000));
    const stamp = `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}`;
    return `${stamp}.${id}@${ME.fqdn}`;
  }

  private foreignMsgid(from: string): string {
    const domain = from.includes('@') ? from.slice(from.lastIndexOf('@') + 1) : ME.fqdn;
    const r = this.rng;
    if (domain === 'gmail.com' || domain === 'googlemail.com') return `CA${r.pick(['+', 'F', 'K', 'M'])}${r.alnum(40)}@mail.gmail.com`;
    if (domain.endsWith('amazonses.com')) return `0102${r.hex(12, false)}-${r.hex(8, false)}-${r.hex(4, false)}-${r.hex(4, false)}-${r.hex(12, false)}-000000@eu-west-1.amazonses.com`;
    return r.weighted<string>([
      [`${r.hex(8, false)}-${r.hex(4, false)}-${r.hex(4, false)}-${r.hex(4, false)}-${r.hex(12, false)}@${domain}`, 3],
      [`${r.alnum(16)}.${r.int(1000, 9999)}@${domain}`, 2],
      [`${r.hex(32, false)}@${domain}`, 1],
    ]);
  }

  private planted(direction: Direction, cause: Cause, recipient: string | null, what: string): Planted {
    return { direction, cause, recipient, what };
  }

  // ------------------------------------------------------------ traffic mix

  /**
   * The traffic mix: what share of units each kind of traffic gets. `realistic` is a plausible
   * day (about 5% of outbound recipients bounce; most refusals are spam); `showcase` plants
   * every kind of problem several times in a day of ~5,000 lines, for the shipped samples.
   * The mixer deals units out in proportion (see Mixer), so even rare kinds show up on time.
   */
  private buildMix(mix: MixName): Mixer<(t: number) => void> {
    const column = mix === 'showcase' ? 2 : 1;
    // [traffic kind, realistic weight, showcase weight]
    const kinds: [(t: number) => void, number, number][] = [
      [(t) => this.inGood(t), 30, 30],
      [(t) => this.inRelayed(t), 3, 3],
      [(t) => this.inGreylisted(t), 3, 3],
      [(t) => this.inRbl(t), 10, 10],
      [(t) => this.inDictionary(t), 3, 4.5],
      [(t) => this.inStaleAlias(t), 2, 4],
      [(t) => this.inPostscreenReject(t), 3, 2],
      [(t) => this.inPregreet(t), 3, 3],
      [(t) => this.inRelayAttempt(t), 2, 2],
      [(t) => this.inAccessDenied(t, 'client'), 0.4, 1.5],
      [(t) => this.inAccessDenied(t, 'sender'), 0.4, 1.5],
      [(t) => this.inAccessDenied(t, 'recipient'), 0.3, 1.5],
      [(t) => this.inSenderDomain(t), 0.5, 1.5],
      [(t) => this.inHeloReject(t), 0.8, 1.5],
      [(t) => this.inSpfFail(t), 0.5, 1.5],
      [(t) => this.inMilterSpam(t), 1.5, 2],
      [(t) => this.inTooBig(t), 0.1, 1.5],
      [(t) => this.inMultiBounce(t), 0.2, 1.5],
      [(t) => this.inLocalUnknown(t), 0.3, 1.5],
      [(t) => this.inRelayUnknown(t), 0.3, 1.5],
      [(t) => this.inSpoofedSender(t), 0.5, 1.5],
      [(t) => this.inLocalTrouble(t, 'ghost'), 0.2, 1.5],
      [(t) => this.inLocalTrouble(t, 'full'), 0.3, 1.5],
      [(t) => this.inLocalTrouble(t, 'alias'), 0.2, 1.5],
      [(t) => this.subSend(t), 15, 13],
      [(t) => this.subBigAttachment(t, 'exchange'), 0.05, 1.5],
      [(t) => this.subBigAttachment(t, 'postfix'), 0.05, 1.5],
      [(t) => this.subRateLimited(t), 0.1, 1],
      [(t) => this.saslBruteForce(t), 4, 3],
      [(t) => this.cron(t), 1, 1],
      [(t) => this.webShop(t), 0.5, 6],
      [(t) => this.webShopInternal(t), 0.1, 1.5],
      [(t) => this.loopingDomain(t), 0.05, 1.5],
      [(t) => this.dovecotNoise(t), 6, 6],
    ];
    return new Mixer(kinds.map((k) => [k[0], k[column]!] as const), this.rng);
  }

  private unit(t: number): void {
    this.mix.next()(t);
  }

  // ------------------------------------------------------------ addresses

  /**
   * Large runs only (null otherwise, without a draw): half the time, an address from a spammer's
   * harvested list, mostly people who never had a mailbox here. Block-list refusals come before
   * the recipient check, so these are refused as blocklisted, not unknown.
   */
  private harvest(): string | null {
    if (this.scale === 1 || !this.rng.chance(0.5)) return null;
    const domain = this.rng.chance(0.7) ? MAILBOX_DOMAIN : ALIAS_DOMAIN;
    return `${personLocal(`harvest-${domain}`, this.rng.int(0, Math.round(50_000 * this.scale)))}@${domain}`;
  }

  private mailbox(): string {
    return this.hosted.mailboxes[this.mailboxZipf.draw(this.rng)]!;
  }

  /** Somebody at one of our domains that exists, and where their mail goes. */
  private hostedRecipient(): { to: string; routes: Route[] } {
    const r = this.rng.next();
    if (r < 0.72) {
      const to = this.mailbox();
      return { to, routes: [{ agent: 'lmtp', to }] };
    }
    if (r < 0.87) {
      const [alias, box] = this.rng.pick([...this.hosted.aliases.entries()]);
      return { to: alias, routes: [{ agent: 'lmtp', to: box, orig: alias }] };
    }
    if (r < 0.92) {
      const to = this.rng.pick(this.hosted.shopBoxes);
      return { to, routes: [{ agent: 'virtual', to }] };
    }
    const to = this.rng.pick(this.hosted.relayUsers);
    return { to, routes: [{ agent: 'relay', to }] };
  }

  /** Where a bounce notice to `sender` goes; these deliveries never fail. */
  private routeFor(address: string): Route {
    const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
    if (domain === MAILBOX_DOMAIN) return { agent: 'lmtp', to: address };
    if (domain === SHOP_DOMAIN) return { agent: 'virtual', to: address };
    if (domain === ME.fqdn) return { agent: 'local', to: address };
    if (domain === RELAY_DOMAIN) return { agent: 'relay', to: address };
    return { agent: 'smtp', to: address, domain: this.remote.byName.get(domain) ?? this.adHocDomain(domain) };
  }

  private adHocDomain(name: string): Domain {
    const d: Domain = { name, kind: 'other', weight: 0, pool: 1, mx: [{ host: `mail.${name}`, ip: randomPublicIp(this.rng) }], tls: 'Trusted' };
    this.remote.byName.set(name, d);
    return d;
  }

  private externalRecipient(): { to: string; domain: Domain } {
    const domain = this.remote.domains[this.remote.zipf.draw(this.rng)]!;
    return { to: remoteAddress(this.rng, domain, this.scale), domain };
  }

  private legitSender(): { client: Client; from: string; org: string } {
    const org = SENDER_ORGS[SENDER_ORG_ZIPF.draw(this.rng)]!;
    return { client: org.make(this.rng), from: org.from(this.rng, this.scale), org: org.org };
  }

  private size(): number {
    return this.rng.weighted<() => number>([
      [() => this.rng.int(1800, 9000), 40],
      [() => this.rng.int(9000, 90000), 45],
      [() => this.rng.int(90000, 3_000_000), 12],
      [() => this.rng.int(5_000_000, 24_000_000), 3],
    ])();
  }

  // ------------------------------------------------------------ SMTP sessions against us

  /**
   * Writes one session: postscreen, smtpd, the per-RCPT verdicts, DATA, and hands an accepted
   * message to the queue. Returns when the session ends.
   */
  private session(t0: number, s: Session): number {
    const c = s.client;
    const r = this.rng;
    let t = t0;
    const prog = `postfix/${s.service}`;
    if (s.service === 'smtpd' && s.screen) t = this.postscreenPass(t, c, s.screen);
    const proc = this.proc(s.service, t);
    this.recent.push({ us: t, ip: c.ip, service: s.service === 'smtpd' ? 'smtpd' : 'submission' });
    if (this.recent.length > 64) this.recent.shift();
    this.log(t, prog, proc.pid, `connect from ${T.addr(c)}`);
    const cmds: [string, number, number][] = [];
    const proto = 'ESMTP';
    t += this.ms(40, 600);
    if (s.tls) {
      t += this.ms(20, 300);
      this.log(t, prog, proc.pid, `Anonymous TLS connection established from ${T.addr(c)}: ${T.smtpdTls(r)}`);
      cmds.push(['ehlo', 2, 2], ['starttls', 1, 1]);
    } else {
      cmds.push(['ehlo', 1, 1]);
    }
    if (s.sasl) cmds.push(['auth', 1, 1]);
    cmds.push(['mail', 1, 1]);
    let qid: string | null = null;
    let clientLine = t;
    const accepted: RcptPlan[] = [];
    for (const rc of s.rcpts) {
      t += this.ms(30, 350);
      if (rc.greylist) {
        this.log(t, 'postgrey', this.postgreyPid, `action=greylist, reason=new, client_name=${c.name}, client_address=${c.ip}/32, sender=${s.from}, recipient=${rc.to}`);
        t += this.ms(1, 8);
      }
      if (rc.reject) {
        const text = T.smtpdReject(qid ?? 'NOQUEUE', 'RCPT', c, rc.reject.reply, { from: s.from, to: rc.to, proto, helo: c.helo });
        this.log(t, prog, proc.pid, text, this.planted('inbound', rc.reject.cause, rc.to, rc.reject.what));
        continue;
      }
      if (s.postgrey === 'whitelist') {
        this.log(t, 'postgrey', this.postgreyPid, `action=pass, reason=client whitelist, client_name=${c.name}, client_address=${c.ip}/32, sender=${s.from}, recipient=${rc.to}`);
      } else if (s.postgrey) {
        this.log(t, 'postgrey', this.postgreyPid, `action=pass, reason=triplet found, delay=${s.postgrey.triplet}, client_name=${c.name}, client_address=${c.ip}/32, sender=${s.from}, recipient=${rc.to}`);
      }
      accepted.push(rc);
      if (qid === null) {
        qid = this.queueId(t);
        clientLine = t;
        const sasl = s.sasl ? `, sasl_method=PLAIN, sasl_username=${s.sasl}` : '';
        this.log(t, prog, proc.pid, `${qid}: client=${T.addr(c)}${sasl}`);
      }
    }
    cmds.push(['rcpt', accepted.length, s.rcpts.length]);
    const last = accepted[accepted.length - 1];
    if (qid !== null && last && s.after === 'deliver') {
      // DATA: a home line uploads ~2 MB/s, a provider's relay ~25 MB/s.
      t += this.ms(80, 900) + Math.floor(s.size / (s.service === 'smtpd' ? 25 : 2));
      const cleanup = this.pid('cleanup', t, this.ms(5, 50));
      this.log(t, 'postfix/cleanup', cleanup, `${qid}: message-id=<${s.msgid}>`);
      this.dkimLines(t + this.ms(1, 30), qid, s);
      const tq = t + this.ms(30, 120);
      this.log(tq, 'postfix/qmgr', this.qmgrPid, `${qid}: from=<${s.from}>, size=${s.size}, nrcpt=${accepted.length} (queue active)`);
      cmds.push(['data', 1, 1], ['quit', 1, 1]);
      const targets = accepted.flatMap((a) => (a.routes ?? []).map((route) => ({ route, state: 'pending' as const })));
      const msg: Msg = { id: qid, from: s.from, size: s.size, arrival: clientLine, msgid: s.msgid, targets };
      if (s.filter) this.viaAmavis(msg, tq, c, accepted);
      else this.deliver(msg, tq, 0);
      t = tq + this.ms(5, 200);
    } else if (qid !== null && last && s.after === 'milter') {
      t += this.ms(300, 2500);
      const cleanup = this.pid('cleanup', t, this.ms(5, 50));
      this.log(t, 'postfix/cleanup', cleanup, `${qid}: message-id=<${s.msgid}>`);
      t += this.ms(200, 1800);
      this.log(t, 'postfix/cleanup', cleanup, T.milterReject(qid, c, '5.7.1 Spam message rejected', s.from, last.to, c.helo), this.planted('inbound', 'spam-content', last.to, 'milter-reject: 5.7.1 Spam message rejected'));
      cmds.push(['data', 0, 1], ['quit', 1, 1]);
    } else if (qid !== null && last && s.after === 'multibounce') {
      t += this.ms(30, 300);
      const text = T.smtpdReject(qid, 'DATA', c, T.multiRecipientBounce, { from: s.from, to: last.to, proto, helo: c.helo });
      this.log(t, prog, proc.pid, text, this.planted('inbound', 'protocol-error', last.to, 'smtpd: Data command rejected: Multi-recipient bounce'));
      cmds.push(['data', 0, 1], ['quit', 1, 1]);
    } else if (s.after === 'lost') {
      t += this.ms(100, 3000);
      this.log(t, prog, proc.pid, `lost connection after RCPT from ${T.addr(c)}`);
    } else {
      if (accepted.length === 0 && r.chance(0.4)) cmds.push(['data', 0, 1]);
      cmds.push(['quit', 1, 1]);
    }
    t += this.ms(5, 150);
    this.log(t, prog, proc.pid, `disconnect from ${T.addr(c)}${T.disconnectStats(cmds)}`);
    proc.free = t;
    return t;
  }

  /** postscreen hands a client to smtpd: PASS OLD from its cache, PASS NEW after greet_wait (6 s). */
  private postscreenPass(t: number, c: Client, verdict: 'old' | 'new'): number {
    const port = this.rng.int(1024, 65535);
    const ps = this.pid('postscreen', t, 10 * S);
    this.log(t, 'postfix/postscreen', ps, `CONNECT from [${c.ip}]:${port} to [${ME.ip}]:25`);
    t += verdict === 'new' ? 6 * S + this.ms(5, 400) : this.ms(1, 60);
    this.log(t, 'postfix/postscreen', ps, `PASS ${verdict === 'new' ? 'NEW' : 'OLD'} [${c.ip}]:${port}`);
    return t + this.ms(1, 15);
  }

  private dkimLines(t: number, qid: string, s: Session): void {
    if (s.dkim === 'sign') {
      const d = s.from.slice(s.from.lastIndexOf('@') + 1);
      this.log(t, 'opendkim', this.opendkimPid, `${qid}: DKIM-Signature field added (s=mail, d=${d})`);
    } else if (s.dkim === 'verify') {
      if (this.rng.chance(0.8)) this.log(t, 'opendkim', this.opendkimPid, `${qid}: DKIM verification successful`);
      else this.log(t, 'opendkim', this.opendkimPid, `${qid}: no signature data`);
    }
  }

  private baseSession(client: Client, from: string, rcpts: RcptPlan[], over: Partial<Session> = {}): Session {
    return {
      service: 'smtpd', client, screen: 'old', tls: this.rng.chance(0.75), from, rcpts, after: 'deliver',
      size: this.size(), msgid: this.foreignMsgid(from), filter: true, dkim: 'verify', ...over,
    };
  }

  private spamSession(rcpts: RcptPlan[], over: Partial<Session> = {}): Session {
    const client = spamClient(this.rng);
    return this.baseSession(client, spamSender(this.rng, client), rcpts, {
      screen: this.rng.chance(0.7) ? 'new' : 'old', tls: this.rng.chance(0.3), after: 'quit', dkim: 'none', ...over,
    });
  }

  /** 1–3 recipients at our domains, each accepted. */
  private goodRcpts(n = this.rng.weighted([[1, 70], [2, 20], [3, 10]])): RcptPlan[] {
    const seen = new Set<string>();
    const out: RcptPlan[] = [];
    for (let i = 0; i < n; i++) {
      const h = this.hostedRecipient();
      if (seen.has(h.to)) continue;
      seen.add(h.to);
      out.push(h);
    }
    return out;
  }

  private reject(reply: string, cause: Cause, what: string): RcptPlan['reject'] {
    return { reply, cause, what };
  }

  // ------------------------------------------------------------ inbound units

  private inGood(t: number): void {
    const { client, from } = this.legitSender();
    this.session(t, this.baseSession(client, from, this.goodRcpts(), { postgrey: this.rng.chance(0.3) ? 'whitelist' : undefined }));
  }

  /** Mail for the relay domain, passed on to the internal Exchange. */
  private inRelayed(t: number): void {
    const { client, from } = this.legitSender();
    const to = this.rng.pick(this.hosted.relayUsers);
    this.session(t, this.baseSession(client, from, [{ to, routes: [{ agent: 'relay', to }] }]));
  }

  /** postgrey: the first attempt is refused; most real senders come back after a few minutes. */
  private inGreylisted(t: number): void {
    const partner = this.rng.chance(0.6);
    const base = partner ? this.legitSender() : null;
    const client = base ? { ...base.client } : spamClient(this.rng);
    const from = base ? base.from : spamSender(this.rng, client);
    const rcpts = this.goodRcpts(this.rng.weighted([[1, 80], [2, 20]]));
    const plan = rcpts.map((rc) => ({
      to: rc.to,
      greylist: true,
      reject: this.reject(T.postgreyReply(rc.to, rc.to.slice(rc.to.indexOf('@') + 1)), 'greylisted', 'postgrey: 450 4.2.0 Greylisted'),
    }));
    const end = this.session(t, this.baseSession(client, from, plan, { screen: partner ? 'old' : 'new', after: 'quit' }));
    if (partner) {
      const wait = this.rng.int(300, 1200) * S + this.ms(0, 999);
      const retry = end + wait;
      const triplet = Math.floor((retry - t) / S);
      this.session(retry, this.baseSession(client, from, rcpts, { postgrey: { triplet } }));
    }
  }

  private inRbl(t: number): void {
    const n = this.rng.weighted([[1, 75], [2, 18], [3, 7]]);
    const rcpts: RcptPlan[] = [];
    for (let i = 0; i < n; i++) {
      const to = this.harvest() ?? (this.rng.chance(0.8) ? this.mailbox() : this.rng.pick([...this.hosted.aliases.keys(), ...this.hosted.staleAliases]));
      rcpts.push({ to });
    }
    const s = this.spamSession(rcpts);
    for (const rc of rcpts) rc.reject = this.reject(T.rblReply(this.rng, s.client.ip), 'blocklisted', 'smtpd: reject_rbl_client … blocked using');
    this.session(t, s);
  }

  /** A directory-harvest run: guessed local parts, mostly at the old brand domain. */
  private inDictionary(t: number): void {
    const domain = this.rng.chance(0.9) ? ALIAS_DOMAIN : MAILBOX_DOMAIN;
    const n = this.rng.int(3, 9);
    const rcpts: RcptPlan[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const local = this.rng.chance(0.6) ? this.rng.pick(DICTIONARY) : personLocal(`guess-${domain}`, this.rng.int(0, Math.round(400 * this.scale)));
      const to = `${local}@${domain}`;
      if (seen.has(to)) continue;
      seen.add(to);
      rcpts.push(this.existingOrUnknown(to));
    }
    this.session(t, this.spamSession(rcpts, { screen: 'new', after: this.rng.chance(0.5) ? 'lost' : 'quit' }));
  }

  /** Accepted (no delivery follows: the client never sends DATA) or refused as unknown. */
  private existingOrUnknown(to: string): RcptPlan {
    if (this.hosted.aliases.has(to) || this.mailboxSet.has(to)) return { to };
    const table = to.endsWith(`@${ALIAS_DOMAIN}`) ? 'virtual alias' : 'virtual mailbox';
    return { to, reject: this.reject(T.userUnknown(to, table), 'user-unknown', `smtpd: User unknown in ${table} table`) };
  }

  /** Mailing lists that still write to people who left years ago. */
  private inStaleAlias(t: number): void {
    const { client, from } = this.legitSender();
    const old = this.rng.chance(0.75);
    const stale = old ? this.rng.pick(this.hosted.staleAliases) : `${personLocal('former-staff-org', this.rng.int(0, 20))}@${MAILBOX_DOMAIN}`;
    const table = old ? 'virtual alias' : 'virtual mailbox';
    const rcpts: RcptPlan[] = this.rng.chance(0.3) ? this.goodRcpts(1) : [];
    rcpts.push({ to: stale, reject: this.reject(T.userUnknown(stale, table), 'user-unknown', `smtpd: User unknown in ${table} table`) });
    this.session(t, this.baseSession(client, from, rcpts, { after: rcpts.length > 1 ? 'deliver' : 'quit' }));
  }

  private inPostscreenReject(t: number): void {
    const c = spamClient(this.rng);
    const from = spamSender(this.rng, c);
    const port = this.rng.int(1024, 65535);
    const ps = this.pid('postscreen', t, 20 * S);
    let u = t;
    this.log(u, 'postfix/postscreen', ps, `CONNECT from [${c.ip}]:${port} to [${ME.ip}]:25`);
    u += this.ms(50, 600);
    this.log(u, 'postfix/postscreen', ps, `DNSBL rank ${this.rng.int(3, 8)} for [${c.ip}]:${port}`);
    const n = this.rng.weighted([[1, 80], [2, 20]]);
    for (let i = 0; i < n; i++) {
      u += this.ms(6000, 9000);
      const to = this.harvest() ?? (this.rng.chance(0.7) ? this.mailbox() : this.rng.pick([...this.hosted.aliases.keys()]));
      const helo = c.helo;
      this.log(u, 'postfix/postscreen', ps, T.postscreenReject(c.ip, port, 'zen.spamhaus.org', from, to, helo), this.planted('inbound', 'blocklisted', to, 'postscreen: blocked using zen.spamhaus.org'));
    }
    u += this.ms(100, 2000);
    this.log(u, 'postfix/postscreen', ps, `DISCONNECT [${c.ip}]:${port}`);
  }

  /** Bots that talk before the greeting: postscreen drops them, no mail is refused. */
  private inPregreet(t: number): void {
    const c = spamClient(this.rng);
    const port = this.rng.int(1024, 65535);
    const ps = this.pid('postscreen', t, 10 * S);
    this.log(t, 'postfix/postscreen', ps, `CONNECT from [${c.ip}]:${port} to [${ME.ip}]:25`);
    const u = t + this.ms(100, 2500);
    if (this.rng.chance(0.7)) {
      const cmd = this.rng.pick([`EHLO ${c.helo}`, 'EHLO User', 'HELO localhost', 'EHLO ylmf-pc']);
      this.log(u, 'postfix/postscreen', ps, `PREGREET ${cmd.length + 2} after ${T.formatTv(u - t)} from [${c.ip}]:${port}: ${cmd}\\r\\n`);
    } else {
      this.log(u, 'postfix/postscreen', ps, `HANGUP after ${T.formatTv(u - t)} from [${c.ip}]:${port} in tests before SMTP handshake`);
    }
    this.log(u + this.ms(0, 5), 'postfix/postscreen', ps, `DISCONNECT [${c.ip}]:${port}`);
  }

  /** Open-relay probes: a stranger asks us to pass mail to someone elsewhere. */
  private inRelayAttempt(t: number): void {
    const { to } = this.externalRecipient();
    const s = this.spamSession([{ to, reject: this.reject(T.relayDenied(to), 'relay-denied', 'smtpd: Relay access denied') }]);
    s.from = this.rng.chance(0.5) ? to : s.from;
    this.session(t, s);
  }

  private inAccessDenied(t: number, which: 'client' | 'sender' | 'recipient'): void {
    const to = which === 'recipient' ? this.rng.pick([`noreply@${MAILBOX_DOMAIN}`, `no-reply@${MAILBOX_DOMAIN}`, `newsletter@${ALIAS_DOMAIN}`]) : this.mailbox();
    const s = this.spamSession([{ to }], { screen: 'old' });
    if (which === 'sender') s.from = `${this.rng.pick(['promo', 'deals', 'info'])}@${this.rng.pick(['bulk-mailer.example', 'cheap-meds.example', 'lottery-win.example'])}`;
    const reply =
      which === 'client' ? T.clientAccessDenied(s.client) : which === 'sender' ? T.senderAccessDenied(s.from) : T.recipientAccessDenied(to);
    s.rcpts[0]!.reject = this.reject(reply, 'access-policy', `smtpd: ${which === 'client' ? 'Client host' : which === 'sender' ? 'Sender address' : 'Recipient address'} rejected: Access denied`);
    this.session(t, s);
  }

  private inSenderDomain(t: number): void {
    const to = this.mailbox();
    const s = this.spamSession([{ to }]);
    s.from = `${this.rng.pick(['info', 'billing', 'admin', 'service'])}@${this.rng.alnum(7).toLowerCase()}-${this.rng.pick(['mail', 'secure', 'invoice'])}.${this.rng.pick(['com', 'net', 'biz'])}`;
    s.rcpts[0]!.reject = this.reject(T.senderDomainNotFound(s.from), 'domain-not-found', 'smtpd: Sender address rejected: Domain not found');
    this.session(t, s);
  }

  private inHeloReject(t: number): void {
    const to = this.mailbox();
    const s = this.spamSession([{ to }]);
    s.client.helo = this.rng.pick(['User', 'localhost', `WIN-${this.rng.alnum(11).toUpperCase()}`, `DESKTOP-${this.rng.alnum(7).toUpperCase()}`, 'ylmf-pc']);
    s.rcpts[0]!.reject = this.reject(T.heloNotFqdn(s.client.helo), 'access-policy', 'smtpd: Helo command rejected: need fully-qualified hostname');
    this.session(t, s);
  }

  /** Forged senders of domains that publish SPF -all, refused by policyd-spf. */
  private inSpfFail(t: number): void {
    const to = this.mailbox();
    const s = this.spamSession([{ to }], { screen: 'old' });
    s.from = `${this.rng.pick(['service', 'security', 'no-reply', 'accounts', 'ceo'])}@${this.rng.pick([MAILBOX_DOMAIN, 'paypal.com', 'dhl.com', 'microsoft.com', 'amazon.com'])}`;
    s.rcpts[0]!.reject = this.reject(T.spfReply(to, s.from, s.client.ip), 'sender-auth-failed', 'policyd-spf: 550 5.7.23 SPF fail');
    this.session(t, s);
  }

  private inMilterSpam(t: number): void {
    const rc = this.goodRcpts(1);
    const s = this.spamSession(rc, { screen: 'old', after: 'milter' });
    this.session(t, s);
  }

  /** SIZE= above message_size_limit (30 MB here): refused at MAIL FROM, before any recipient is known. */
  private inTooBig(t: number): void {
    const client = SENDER_ORGS.find((o) => o.org === 'partner')!.make(this.rng);
    let u = this.postscreenPass(t, client, 'old');
    const proc = this.proc('smtpd', u);
    this.log(u, 'postfix/smtpd', proc.pid, `connect from ${T.addr(client)}`);
    u += this.ms(200, 600);
    this.log(u, 'postfix/smtpd', proc.pid, `Anonymous TLS connection established from ${T.addr(client)}: ${T.smtpdTls(this.rng)}`);
    u += this.ms(50, 300);
    this.log(u, 'postfix/smtpd', proc.pid, T.smtpdReject('NOQUEUE', 'MAIL', client, T.sizeExceeded, { proto: 'ESMTP', helo: client.helo }), this.planted('inbound', 'message-too-large', null, 'smtpd: 552 5.3.4 Message size exceeds fixed limit'));
    u += this.ms(20, 200);
    this.log(u, 'postfix/smtpd', proc.pid, `disconnect from ${T.addr(client)}${T.disconnectStats([['ehlo', 2, 2], ['starttls', 1, 1], ['mail', 0, 1], ['quit', 1, 1]])}`);
    proc.free = u;
  }

  /** A null-sender message to several recipients: reject_multi_recipient_bounce at DATA. */
  private inMultiBounce(t: number): void {
    const rcpts = this.goodRcpts(this.rng.int(2, 4));
    if (rcpts.length < 2) rcpts.push(...this.goodRcpts(2));
    const s = this.spamSession(rcpts.slice(0, 4), { screen: 'old', after: 'multibounce' });
    s.from = '';
    this.session(t, s);
  }

  private inLocalUnknown(t: number): void {
    const to = `${this.rng.pick(['oracle', 'test', 'guest', 'admin1', 'user', 'ftp', 'nagios', 'backup'])}@${ME.fqdn}`;
    this.session(t, this.spamSession([{ to, reject: this.reject(T.userUnknown(to, 'local recipient'), 'user-unknown', 'smtpd: User unknown in local recipient table') }]));
  }

  private inRelayUnknown(t: number): void {
    const { client, from } = this.legitSender();
    const to = `${personLocal('relay-former', this.rng.int(0, 25))}@${RELAY_DOMAIN}`;
    this.session(t, this.baseSession(client, from, [{ to, reject: this.reject(T.userUnknown(to, 'relay recipient'), 'user-unknown', 'smtpd: User unknown in relay recipient table') }], { after: 'quit' }));
  }

  /** A stranger on port 25 using one of our own addresses as sender: reject_sender_login_mismatch. */
  private inSpoofedSender(t: number): void {
    const to = this.mailbox();
    const s = this.spamSession([{ to }], { screen: 'old' });
    s.from = this.mailbox();
    s.rcpts[0]!.reject = this.reject(T.notLoggedIn(s.from), 'auth-required', 'smtpd: Sender address rejected: not logged in');
    this.session(t, s);
  }

  /** Accepted mail that our own delivery agents then cannot deliver. */
  private inLocalTrouble(t: number, which: 'ghost' | 'full' | 'alias'): void {
    const { client, from } = this.legitSender();
    let rc: RcptPlan;
    if (which === 'ghost') {
      const to = this.rng.pick(this.hosted.ghostMailboxes);
      rc = { to, routes: [{ agent: 'lmtp', to }] };
    } else if (which === 'full') {
      const to = this.rng.pick(this.hosted.fullMailboxes);
      rc = { to, routes: [{ agent: 'lmtp', to }] };
    } else {
      const [alias, user] = this.rng.pick(this.hosted.brokenAliases);
      rc = { to: alias, routes: [{ agent: 'local', to: `${user}@${ME.fqdn}`, orig: alias, missingUser: user }] };
    }
    this.session(t, this.baseSession(client, from, [rc]));
  }

  // ------------------------------------------------------------ submission and local units

  private userClient(): Client {
    const ip = randomPublicIp(this.rng);
    const name = this.rng.chance(0.4) ? 'unknown' : `${this.rng.pick(['dsl', 'cpe', 'host', 'p'])}-${ip.replace(/\./g, '-')}.${this.rng.pick(['dyn.kabelnet.example', 'home.fibre.example', 'mobile.lte.example'])}`;
    return { name, ip, helo: this.rng.pick(['[192.168.1.23]', '[10.0.0.12]', 'laptop.fritz.box', 'MacBook-Pro.local', `DESKTOP-${this.rng.alnum(7).toUpperCase()}`]) };
  }

  /** Our users sending through port 587: mostly outside, sometimes a colleague too. */
  private subSend(t: number): void {
    const sasl = this.rng.pick(this.hosted.senders);
    const n = this.rng.weighted([[1, 60], [2, 22], [3, 10], [5, 8]]);
    const rcpts: RcptPlan[] = [];
    for (let i = 0; i < n; i++) {
      if (this.rng.chance(0.12)) {
        rcpts.push(this.goodRcpts(1)[0]!);
        continue;
      }
      const { to, domain } = this.externalRecipient();
      rcpts.push({ to, routes: [{ agent: 'smtp', to, domain }] });
    }
    this.session(t, {
      service: 'submission/smtpd', client: this.userClient(), tls: true, sasl, from: sasl, rcpts, after: 'deliver',
      size: this.size(), msgid: `${this.rng.hex(8, false)}-${this.rng.hex(4, false)}-${this.rng.hex(4, false)}-${this.rng.hex(4, false)}-${this.rng.hex(12, false)}@${MAILBOX_DOMAIN}`,
      filter: false, dkim: 'sign',
    });
  }

  /** A big attachment to a partner whose server has a 10 MB limit (Postfix or Exchange default). */
  private subBigAttachment(t: number, kind: 'exchange' | 'postfix'): void {
    const sasl = this.rng.pick(this.hosted.senders);
    const partners = this.remote.domains.filter((d) => d.kind === kind && !d.quirk);
    const domain = partners[Math.floor(Math.pow(this.rng.next(), 2) * partners.length)]!;
    const to = remoteAddress(this.rng, domain, this.scale);
    this.session(t, {
      service: 'submission/smtpd', client: this.userClient(), tls: true, sasl, from: sasl, rcpts: [{ to, routes: [{ agent: 'smtp', to, domain }] }],
      after: 'deliver', size: this.rng.int(10_600_000, 26_000_000), msgid: `${this.rng.alnum(24)}@${MAILBOX_DOMAIN}`, filter: false, dkim: 'sign',
    });
  }

  /** A hijacked account mailing many strangers: the rate-limit policy stops it part-way. */
  private subRateLimited(t: number): void {
    const sasl = this.rng.pick(this.hosted.senders);
    const n = this.rng.int(4, 9);
    const okCount = this.rng.int(1, 2);
    const rcpts: RcptPlan[] = [];
    for (let i = 0; i < n; i++) {
      const { to, domain } = this.externalRecipient();
      rcpts.push(i < okCount ? { to, routes: [{ agent: 'smtp', to, domain }] } : { to, reject: this.reject(T.rateLimitReply(sasl), 'rate-limited', 'policy: 450 4.7.1 You are sending too many emails') });
    }
    this.session(t, {
      service: 'submission/smtpd', client: this.userClient(), tls: true, sasl, from: sasl, rcpts, after: 'deliver',
      size: this.rng.int(2000, 9000), msgid: `${this.rng.alnum(24)}@${MAILBOX_DOMAIN}`, filter: false, dkim: 'sign',
    });
  }

  /** Password guessing on the submission port: warnings, not mail events. */
  private saslBruteForce(t: number): void {
    const c = { ...spamClient(this.rng), name: 'unknown' };
    const prog = 'postfix/submission/smtpd';
    const proc = this.proc('submission/smtpd', t);
    let u = t;
    this.log(u, prog, proc.pid, `connect from ${T.addr(c)}`);
    const tries = this.rng.weighted([[1, 70], [2, 20], [3, 10]]);
    for (let i = 0; i < tries; i++) {
      u += this.ms(400, 3000);
      this.log(u, prog, proc.pid, `warning: ${T.addr(c)}: SASL ${this.rng.chance(0.8) ? 'LOGIN' : 'PLAIN'} authentication failed: authentication failure`);
    }
    u += this.ms(50, 400);
    const quit = this.rng.chance(0.4);
    if (!quit) this.log(u, prog, proc.pid, `lost connection after AUTH from ${T.addr(c)}`);
    u += this.ms(0, 5);
    this.log(u, prog, proc.pid, `disconnect from ${T.addr(c)}${T.disconnectStats([['ehlo', 1, 1], ['auth', 0, tries], ...(quit ? [['quit', 1, 1] as [string, number, number]] : [])])}`);
    proc.free = u;
  }

  /** sendmail(1) → pickup → cleanup → qmgr, as cron jobs, the shop and the list manager do. */
  private pickup(t: number, uid: number, from: string, routes: Route[], over: Partial<Msg> & { sign?: boolean; msgid?: string }): void {
    const id = this.queueId(t);
    this.log(t, 'postfix/pickup', this.pickupPid, `${id}: uid=${uid} from=<${from}>`);
    const u = t + this.ms(1, 20);
    const msgid = over.msgid ?? this.postfixMsgid(t, id);
    this.log(u, 'postfix/cleanup', this.pid('cleanup', u, this.ms(2, 30)), `${id}: message-id=<${msgid}>`);
    if (over.sign) this.log(u + this.ms(1, 10), 'opendkim', this.opendkimPid, `${id}: DKIM-Signature field added (s=mail, d=${from.slice(from.indexOf('@') + 1)})`);
    else if (from.includes('@')) this.log(u + this.ms(1, 10), 'opendkim', this.opendkimPid, `${id}: no signing table match for '${from}'`);
    const size = over.size ?? this.rng.int(900, 40000);
    const tq = u + this.ms(20, 80);
    this.log(tq, 'postfix/qmgr', this.qmgrPid, `${id}: from=<${from.includes('@') ? from : `${from}@${ME.fqdn}`}>, size=${size}, nrcpt=${routes.length} (queue active)`);
    const msg: Msg = {
      id, from: from.includes('@') ? from : `${from}@${ME.fqdn}`, size, arrival: t, msgid,
      targets: routes.map((route) => ({ route, state: 'pending' })), ...(over.unsigned ? { unsigned: true } : {}), ...(over.bulk ? { bulk: true } : {}),
    };
    this.deliver(msg, tq, 0);
  }

  private newsletter(t: number): void {
    const share = this.rng.float(0.9, 1);
    const routes: Route[] = this.newsletterList
      .filter(() => this.rng.chance(share))
      .map((to) => ({ agent: 'smtp' as const, to, domain: this.remote.byName.get(to.slice(to.indexOf('@') + 1))! }));
    this.pickup(t, 1001, `news-bounces@${MAILBOX_DOMAIN}`, routes, { sign: true, bulk: true, size: this.rng.int(30000, 90000) });
  }

  private cron(t: number): void {
    this.pickup(t, 0, 'root', [{ agent: 'local', to: `root@${ME.fqdn}`, orig: 'root' }], { size: this.rng.int(700, 4000) });
  }

  /** Order mails from the shop, sent without a DKIM signature: Gmail refuses some (5.7.26). */
  private webShop(t: number): void {
    const domain = this.consumers[this.consumerZipf.draw(this.rng)]!;
    const to = remoteAddress(this.rng, domain, this.scale);
    this.pickup(t, 33, `orders@${SHOP_DOMAIN}`, [{ agent: 'smtp', to, domain }], {
      unsigned: true, msgid: `${this.rng.alnum(32)}@${SHOP_DOMAIN}`, size: this.rng.int(6000, 30000),
    });
  }

  /** The shop notifies a sales rep who left: the old alias is gone, so the error agent bounces. */
  private webShopInternal(t: number): void {
    const to = this.rng.pick(this.hosted.staleAliases.slice(0, 6));
    this.pickup(t, 33, `orders@${SHOP_DOMAIN}`, [{ agent: 'error', to, text: 'User unknown in virtual alias table' }], {
      unsigned: true, msgid: `${this.rng.alnum(32)}@${SHOP_DOMAIN}`,
    });
  }

  /** A list address whose MX is us, but lists.example.org is in no domain list. */
  private loopingDomain(t: number): void {
    const sasl = this.rng.pick(this.hosted.senders);
    const to = `${this.rng.pick(['members', 'board', 'announce', 'team'])}@${LOOP_DOMAIN}`;
    this.session(t, {
      service: 'submission/smtpd', client: this.userClient(), tls: true, sasl, from: sasl, rcpts: [{ to, routes: [{ agent: 'loop', to, domain: LOOP_DOMAIN }] }],
      after: 'deliver', size: this.rng.int(3000, 60000), msgid: `${this.rng.alnum(24)}@${MAILBOX_DOMAIN}`, filter: false, dkim: 'sign',
    });
  }

  /** IMAP logins in the same file: other programs an analyser must skip. */
  private dovecotNoise(t: number): void {
    const user = this.mailbox();
    const ip = randomPublicIp(this.rng);
    const mpid = this.newPid(t);
    const session = this.rng.alnum(16);
    if (this.rng.chance(0.1)) {
      this.log(t, 'dovecot', null, `imap-login: Disconnected: Connection closed (auth failed, 1 attempts in 2 secs): user=<${user}>, method=PLAIN, rip=${ip}, lip=${ME.ip}, TLS, session=<${session}>`);
      return;
    }
    this.log(t, 'dovecot', null, `imap-login: Login: user=<${user}>, method=PLAIN, rip=${ip}, lip=${ME.ip}, mpid=${mpid}, TLS, session=<${session}>`);
    const u = t + this.rng.int(2, 1800) * S;
    const inB = this.rng.int(200, 9000);
    const outB = this.rng.int(500, 900000);
    this.log(u, 'dovecot', null, `imap(${user})<${mpid}><${session}>: Logged out in=${inB} out=${outB} deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0`);
  }

  // ------------------------------------------------------------ the queue

  /**
   * content_filter = smtp-amavis:[127.0.0.1]:10024. amavis scans, re-injects through the
   * smtpd on 127.0.0.1:10025 as a new queue file, where address rewriting (aliases) happens.
   */
  private viaAmavis(msg: Msg, tq: number, client: Client, rcpts: RcptPlan[]): void {
    const r = this.rng;
    const scan = this.ms(150, 2500);
    const tr = tq + this.ms(5, 40) + scan;
    const newId = this.queueId(tr);
    const smtpd = this.proc('smtpd-10025', tr);
    this.log(tr, 'postfix/smtpd', smtpd.pid, 'connect from localhost[127.0.0.1]');
    this.log(tr + 200, 'postfix/smtpd', smtpd.pid, `${newId}: client=localhost[127.0.0.1]`);
    const tc = tr + this.ms(2, 20);
    this.log(tc, 'postfix/cleanup', this.pid('cleanup', tc, this.ms(2, 20)), `${newId}: message-id=<${msg.msgid}>`);
    const newSize = msg.size + r.int(600, 1400);
    const tq2 = tc + this.ms(1, 10);
    const routes = msg.targets;
    this.log(tq2, 'postfix/qmgr', this.qmgrPid, `${newId}: from=<${msg.from}>, size=${newSize}, nrcpt=${routes.length} (queue active)`);
    const td = tq2 + this.ms(1, 6);
    this.log(td, 'postfix/smtpd', smtpd.pid, `disconnect from localhost[127.0.0.1]${T.disconnectStats([['ehlo', 1, 1], ['mail', 1, 1], ['rcpt', rcpts.length, rcpts.length], ['data', 1, 1], ['quit', 1, 1]])}`);
    smtpd.free = td;
    const amavisPid = r.pick(this.amavisPids);
    const childId = `(${String(amavisPid).padStart(5, '0')}-${String((this.amavisSerial++ % 99) + 1).padStart(2, '0')})`;
    const hits = r.chance(0.1) ? '-' : (r.float(-3, 4.5)).toFixed(3);
    this.log(td + this.ms(1, 5), 'amavis', amavisPid,
      `${childId} Passed CLEAN {RelayedInbound}, [${client.ip}]:${r.int(1024, 65535)} [${client.ip}] <${msg.from}> -> ${rcpts.map((x) => `<${x.to}>`).join(',')}, Queue-ID: ${msg.id}, Message-ID: <${msg.msgid}>, mail_id: ${r.alnum(12)}, Hits: ${hits}, size: ${msg.size}, queued_as: ${newId}, ${Math.floor(scan / 1000)} ms`);
    const tx = td + this.ms(2, 10);
    const pid = this.pid('smtp', tx, this.ms(1, 5));
    const a = tq - msg.arrival;
    for (const rc of rcpts) {
      const b = this.ms(0, 2);
      const d: [number, number, number, number] = [a, b, 0, tx - tq - b];
      this.log(tx, 'postfix/smtp', pid, T.deliveryLine({
        id: msg.id, to: rc.to, relay: '127.0.0.1[127.0.0.1]:10024', delays: d, dsn: '2.0.0', status: 'sent',
        reason: `250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as ${newId}`,
      }));
    }
    this.log(tx + this.ms(0, 3), 'postfix/qmgr', this.qmgrPid, `${msg.id}: removed`);
    this.deliver({ ...msg, id: newId, size: newSize, arrival: tr }, tq2, 0);
  }

  /**
   * One queue run for a message: every pending recipient is tried once, grouped by next hop.
   * Then the message is done (bounce notice, `removed`), expires, or waits for the next run.
   */
  private deliver(msg: Msg, t: number, attempt: number): void {
    if (attempt > 0) {
      const pending = msg.targets.filter((x) => x.state === 'pending').length;
      this.log(t, 'postfix/qmgr', this.qmgrPid, `${msg.id}: from=<${msg.from}>, size=${msg.size}, nrcpt=${pending} (queue active)`);
    }
    const groups = new Map<string, Target[]>();
    for (const x of msg.targets) {
      if (x.state !== 'pending') continue;
      const r = x.route;
      const key = r.agent === 'smtp' ? `smtp:${r.domain.name}` : r.agent;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(x);
    }
    let done = t;
    for (const group of groups.values()) {
      // smtp_destination_recipient_limit (50): big groups go in several transactions, one after
      // the other over the cached connection (conn_use=2, 3…).
      let end = t;
      for (let i = 0; i < group.length; i += 50) end = this.deliverGroup(msg, group.slice(i, i + 50), i === 0 ? t : end, attempt);
      done = Math.max(done, end);
    }
    const pending = msg.targets.filter((x) => x.state === 'pending');
    if (pending.length === 0) {
      this.finish(msg, done + this.ms(1, 30));
      return;
    }
    if (msg.expires !== undefined && t >= msg.expires) {
      const u = done + this.ms(0, 5);
      const planted = pending.map((x) => ({ ...x.lastDeferral!, what: `qmgr: status=expired (${x.lastDeferral!.what})` }));
      this.logMany(u, 'postfix/qmgr', this.qmgrPid, `${msg.id}: from=<${msg.from}>, status=expired, returned to sender`, planted);
      for (const x of pending) x.state = 'bounced';
      this.finish(msg, u + this.ms(1, 30));
      return;
    }
    // Postfix's backoff: minimal_backoff_time 300 s doubling up to maximal_backoff_time 4000 s.
    const next = done + Math.min(300 * 2 ** attempt, 4000) * S + this.rng.int(0, 300) * S;
    if (next < this.end) this.deliver(msg, next, attempt + 1);
  }

  /** Bounce notice to the sender if anything bounced, then the queue file goes. */
  private finish(msg: Msg, t: number): void {
    const bounced = msg.targets.some((x) => x.state === 'bounced');
    if (!bounced || msg.from === '' || msg.safe) {
      this.log(t, 'postfix/qmgr', this.qmgrPid, `${msg.id}: removed`);
      return;
    }
    const ndr = this.queueId(t);
    const cleanup = this.pid('cleanup', t, this.ms(2, 20));
    this.log(t, 'postfix/cleanup', cleanup, `${ndr}: message-id=<${this.postfixMsgid(t, ndr)}>`);
    const tq = t + this.ms(1, 10);
    const size = 2400 + Math.min(msg.size, 12000) + this.rng.int(0, 600);
    this.log(tq, 'postfix/qmgr', this.qmgrPid, `${ndr}: from=<>, size=${size}, nrcpt=1 (queue active)`);
    this.log(tq + this.ms(0, 3), 'postfix/bounce', this.pid('bounce', tq, this.ms(2, 20)), `${msg.id}: sender non-delivery notification: ${ndr}`);
    this.log(tq + this.ms(4, 12), 'postfix/qmgr', this.qmgrPid, `${msg.id}: removed`);
    const notice: Msg = { id: ndr, from: '', size, arrival: t, msgid: '', targets: [{ route: this.routeFor(msg.from), state: 'pending' }], safe: true };
    this.deliver(notice, tq, 0);
  }

  /** Delivers a group of recipients sharing a next hop; returns when the agent is done. */
  private deliverGroup(msg: Msg, group: Target[], t: number, attempt: number): number {
    const route = group[0]!.route;
    const a = t - msg.arrival;
    const handoff = t + this.ms(1, 40);
    switch (route.agent) {
      case 'smtp':
        return this.deliverRemote(msg, group, route.domain, t, handoff, attempt);
      case 'relay': {
        const mx = { name: ME.exchange.host, ip: ME.exchange.ip };
        const pid = this.pid('smtp', handoff, S);
        const setup = this.ms(15, 80);
        this.log(handoff + setup, 'postfix/smtp', pid, `Untrusted TLS connection established to ${T.addr(mx)}:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)`);
        let u = handoff + setup;
        for (const x of group) {
          u += this.ms(20, 120);
          this.finalLine(msg, x, u, 'postfix/smtp', pid, { relay: `${T.addr(mx)}:25`, delays: [a, handoff - t, setup, u - handoff - setup], dsn: '2.0.0', status: 'sent',
            reason: `250 2.6.0 <${msg.msgid || this.postfixMsgid(t, msg.id)}> [InternalId=${this.rng.int(10 ** 12, 10 ** 13)}, Hostname=EXCH01.example.net] Queued mail for delivery` });
        }
        return u;
      }
      case 'lmtp': {
        const pid = this.pid('lmtp', handoff, S);
        let u = handoff;
        for (const x of group) {
          u += this.ms(8, 90);
          const to = x.route.to;
          const orig = x.route.agent === 'lmtp' ? x.route.orig : undefined;
          const delays: [number, number, number, number] = [a, handoff - t, this.ms(0, 5), u - handoff];
          if (this.hosted.ghostMailboxes.includes(to)) {
            this.finalLine(msg, x, u, 'postfix/lmtp', pid, { relay: ME.lmtp, orig, delays, dsn: '5.1.1', status: 'bounced',
              reason: `host ${ME.lmtp} said: 550 5.1.1 <${to}> User doesn't exist: ${to} (in reply to RCPT TO command)` },
              this.planted('local', 'user-unknown', orig ?? to, "lmtp: 550 5.1.1 User doesn't exist"));
          } else if (this.hosted.fullMailboxes.includes(to) && !msg.safe) {
            this.finalLine(msg, x, u, 'postfix/lmtp', pid, { relay: ME.lmtp, orig, delays, dsn: '5.2.2', status: 'bounced',
              reason: `host ${ME.lmtp} said: 552 5.2.2 <${to}> Quota exceeded (mailbox for user is full) (in reply to end of DATA command)` },
              this.planted('local', 'mailbox-full', orig ?? to, 'lmtp: 552 5.2.2 Quota exceeded'));
          } else {
            const sess = this.rng.alnum(22);
            this.log(u - this.ms(1, 4), 'dovecot', null, `lmtp(${to})<${this.newPid(u)}><${sess}>: msgid=<${msg.msgid || this.postfixMsgid(t, msg.id)}>: saved mail to INBOX`);
            this.finalLine(msg, x, u, 'postfix/lmtp', pid, { relay: ME.lmtp, orig, delays, dsn: '2.0.0', status: 'sent', reason: `250 2.0.0 <${to}> ${sess} Saved` });
          }
        }
        return u;
      }
      case 'local': {
        const pid = this.pid('local', handoff, S);
        let u = handoff;
        for (const x of group) {
          u += this.ms(5, 60);
          const r = x.route.agent === 'local' ? x.route : null;
          const delays: [number, number, number, number] = [a, handoff - t, 0, u - handoff];
          if (r?.missingUser) {
            this.finalLine(msg, x, u, 'postfix/local', pid, { relay: 'local', orig: r.orig, delays, dsn: '5.1.1', status: 'bounced', reason: `unknown user: "${r.missingUser}"` },
              this.planted('local', 'user-unknown', r.orig ?? r.to, 'local: unknown user (alias to a missing user)'));
          } else {
            this.finalLine(msg, x, u, 'postfix/local', pid, { relay: 'local', orig: r?.orig, delays, dsn: '2.0.0', status: 'sent', reason: 'delivered to mailbox' });
          }
        }
        return u;
      }
      case 'virtual': {
        const pid = this.pid('virtual', handoff, S);
        let u = handoff;
        for (const x of group) {
          u += this.ms(3, 30);
          this.finalLine(msg, x, u, 'postfix/virtual', pid, { relay: 'virtual', delays: [a, handoff - t, 0, u - handoff], dsn: '2.0.0', status: 'sent', reason: 'delivered to maildir' });
        }
        return u;
      }
      case 'error': {
        const pid = this.pid('error', handoff, S);
        let u = handoff;
        for (const x of group) {
          u += this.ms(1, 10);
          const text = x.route.agent === 'error' ? x.route.text : '';
          this.finalLine(msg, x, u, 'postfix/error', pid, { relay: 'none', delays: [a, handoff - t, 0, u - handoff], dsn: '5.1.1', status: 'bounced', reason: text },
            this.planted('local', 'user-unknown', x.route.to, `error: ${text}`));
        }
        return u;
      }
      case 'loop': {
        const pid = this.pid('smtp', handoff, S);
        let u = handoff;
        for (const x of group) {
          u += this.ms(2, 40);
          const domain = x.route.agent === 'loop' ? x.route.domain : '';
          this.finalLine(msg, x, u, 'postfix/smtp', pid, { relay: 'none', delays: [a, handoff - t, u - handoff, 0], dsn: '5.4.6', status: 'bounced', reason: T.loopsBack(domain) },
            this.planted('outbound', 'mail-loop', x.route.to, 'smtp: mail for … loops back to myself'));
        }
        return u;
      }
    }
  }

  private finalLine(
    msg: Msg, x: Target, u: number, program: string, pid: number,
    d: { relay: string; orig?: string; connUse?: number; delays: [number, number, number, number]; dsn: string; status: 'sent' | 'bounced' | 'deferred'; reason: string },
    planted?: Planted,
  ): void {
    this.log(u, program, pid, T.deliveryLine({ id: msg.id, to: x.route.to, ...(d.orig ? { origTo: d.orig } : {}), relay: d.relay, ...(d.connUse ? { connUse: d.connUse } : {}), delays: d.delays, dsn: d.dsn, status: d.status, reason: d.reason }), planted);
    if (d.status === 'deferred') x.lastDeferral = planted;
    else x.state = d.status;
  }

  // ------------------------------------------------------------ remote delivery

  /** What a remote destination does with this attempt, before any recipient is sent. */
  private sessionOutcome(msg: Msg, d: Domain, attempt: number, t: number): SessionFailure | null {
    const r = this.rng;
    if (msg.safe) return null;
    const dead = this.dead.get(d.name);
    if (dead) return { kind: 'connect', dsn: '4.4.1', reason: (mx) => T.connectError(mx, dead), bounce: false, cause: 'connection-failed', what: `smtp: connect to …: ${dead}` };
    switch (d.quirk) {
      case 'nx-mx':
        return { kind: 'dns', dsn: '5.4.4', reason: () => T.dnsError(d.name, 'MX', false), bounce: true, cause: 'domain-not-found', what: 'smtp: Host or domain name not found (type=MX)' };
      case 'nx-a':
        return { kind: 'dns', dsn: '5.4.4', reason: () => T.dnsError(d.name, 'A', false), bounce: true, cause: 'domain-not-found', what: 'smtp: Host or domain name not found (type=A)' };
      case 'servfail':
        return attempt < 2 && r.chance(0.75)
          ? { kind: 'dns', dsn: '4.4.3', reason: () => T.dnsError(d.name, 'MX', true), bounce: false, cause: 'domain-not-found', what: 'smtp: Host not found, try again' }
          : { kind: 'dns', dsn: '5.4.4', reason: () => T.dnsError(d.name, 'MX', false), bounce: true, cause: 'domain-not-found', what: 'smtp: Host or domain name not found (type=MX)' };
      case 'timeout':
        if (attempt < 3 && r.chance(0.5)) return { kind: 'connect', dsn: '4.4.1', reason: (mx) => T.connectError(mx, 'Connection timed out'), bounce: false, cause: 'connection-failed', what: 'smtp: connect to …: Connection timed out' };
        break;
      case 'refused':
        if (attempt < 2 && r.chance(0.45)) return { kind: 'connect', dsn: '4.4.1', reason: (mx) => T.connectError(mx, 'Connection refused'), bounce: false, cause: 'connection-failed', what: 'smtp: connect to …: Connection refused' };
        break;
      case 'starttls':
        return { kind: 'mail', dsn: '5.7.0', reason: (mx) => T.said(mx, T.remote.starttlsRequired()), bounce: true, cause: 'auth-required', what: 'remote: 530 5.7.0 Must issue a STARTTLS command first' };
    }
    if (d.kind === 'outlook' && (r.chance(0.01) || this.blockEpisodes.some(([a, b]) => t >= a && t < b))) {
      const reply = T.remote.microsoftBlockList(r, ME.ip);
      return { kind: 'mail', dsn: reply.dsn, reason: (mx) => T.said(mx, reply), bounce: true, cause: 'blocklisted', what: 'microsoft: 550 5.7.1 block list (S3140)' };
    }
    if (d.kind === 'yahoo' && r.chance(attempt === 0 ? 0.3 : 0.25)) {
      // Yahoo's TSS04 is a deferral for the sender's reputation (complaints), not a volume cap.
      const reply = T.remote.yahooDeferred(ME.ip);
      return { kind: 'mail', dsn: reply.dsn, reason: (mx) => T.said(mx, reply), bounce: false, cause: 'blocklisted', what: 'yahoo: 421 4.7.0 [TSS04]' };
    }
    return null;
  }

  /** What the remote says to one recipient (RCPT or end of DATA); null means accepted. */
  private recipientReply(msg: Msg, d: Domain, to: string, attempt: number, index: number): Refusal | null {
    if (msg.safe) return null;
    const r = this.rng;
    const fate = unit(`fate:${to.toLowerCase()}`);
    if (d.quirk === 'greylist' && attempt === 0 && r.chance(0.6)) {
      const pg = unit(`grey:${d.name}`) < 0.5;
      return { reply: pg ? T.remote.postgrey(to, d.name) : T.remote.greylistedMinutes(to), cause: 'greylisted', what: pg ? 'remote: 450 4.2.0 Greylisted (postgrey)' : 'remote: 450 4.7.1 Greylisted for 5 minutes' };
    }
    if (d.quirk === 'rcpt-limit' && index > 0 && attempt === 0) return { reply: T.remote.tooManyRecipients(), cause: 'rate-limited', what: 'remote: 452 4.5.3 Error: too many recipients' };
    switch (d.kind) {
      case 'gmail':
      case 'gworkspace':
        if (fate < FATE.gmailUnknown) return { reply: T.remote.gmailNoSuchUser(r), cause: 'user-unknown', what: 'gmail: 550 5.1.1 NoSuchUser' };
        if (d.kind === 'gmail' && fate < FATE.gmailDisabled) return { reply: T.remote.gmailDisabled(r), cause: 'mailbox-disabled', what: 'gmail: 550 5.2.1 DisabledUser' };
        if (d.kind === 'gmail' && fate < FATE.gmailOverQuota && attempt < 2) return { reply: T.remote.gmailOverQuota(r), cause: 'mailbox-full', what: 'gmail: 452 4.2.2 OverQuotaTemp' };
        if (msg.unsigned && r.chance(0.75)) return { reply: T.remote.gmailUnauthenticated(r, SHOP_DOMAIN, ME.ip), cause: 'sender-auth-failed', what: 'gmail: 550 5.7.26 sender is unauthenticated' };
        if (msg.bulk && r.chance(0.012)) return { reply: T.remote.gmailUnsolicited(r, ME.ip), cause: 'spam-content', what: 'gmail: 550 5.7.1 likely unsolicited mail' };
        return null;
      case 'o365':
        return fate < FATE.unknown ? { reply: T.remote.o365Unknown(r), cause: 'user-unknown', what: 'exchange online: 550 5.4.1 Access denied AS(201806281)' } : null;
      case 'outlook':
        return fate < FATE.unknown ? { reply: T.remote.outlookUnknown(r), cause: 'user-unknown', what: 'outlook.com: 550 5.5.0 mailbox unavailable' } : null;
      case 'yahoo':
        if (fate < FATE.unknown) return { reply: T.remote.yahooUnknown(r, to, d.name), cause: 'user-unknown', what: "yahoo: 554 dd This user doesn't have a … account" };
        if (fate < FATE.yahooDisabled) return { reply: T.remote.yahooDisabled(r, to), cause: 'mailbox-disabled', what: 'yahoo: 554 This mailbox is disabled (554.30)' };
        return null;
      case 'icloud':
        return fate < FATE.unknown ? { reply: T.remote.icloudUnknown(to), cause: 'user-unknown', what: 'icloud: 550 5.1.1 user does not exist' } : null;
      case 'gmx':
        return fate < FATE.unknown ? { reply: T.remote.gmxUnknown(), cause: 'user-unknown', what: 'gmx/web.de: 550 mailbox unavailable' } : null;
      case 'postfix': {
        const table = unit(`table:${d.name}`) < 0.6 ? 'virtual mailbox' : 'local recipient';
        return fate < FATE.unknown ? { reply: T.remote.postfixUnknown(to, table), cause: 'user-unknown', what: `remote postfix: User unknown in ${table} table` } : this.tooLarge(msg, d);
      }
      case 'exchange':
        return fate < FATE.unknown ? { reply: T.remote.exchangeUnknown(), cause: 'user-unknown', what: 'exchange: 550 5.1.10 RecipientNotFound' } : this.tooLarge(msg, d);
      default:
        return fate < FATE.unknown ? { reply: T.remote.genericUnknown(to), cause: 'user-unknown', what: 'remote: 550 5.1.1 User unknown' } : null;
    }
  }

  /** Exchange's default 10 MB receive limit, Postfix's message_size_limit (10240000). */
  private tooLarge(msg: Msg, d: Domain): Refusal | null {
    if (d.kind === 'exchange' && msg.size > 10_485_760) {
      return { reply: T.remote.exchangeTooLarge(), cause: 'message-too-large', what: 'exchange: 552 5.3.4 Message size exceeds fixed maximum message size' };
    }
    if (d.kind === 'postfix' && msg.size > 10_240_000) {
      return { reply: T.remote.postfixTooLarge(), cause: 'message-too-large', what: 'remote postfix: 552 5.3.4 Message size exceeds fixed limit' };
    }
    return null;
  }

  private acceptReply(d: Domain, msg: Msg): string {
    const r = this.rng;
    switch (d.kind) {
      case 'gmail':
      case 'gworkspace':
        return `250 2.0.0 OK  ${Math.floor(this.start / S) + r.int(0, 86400)} ${r.alnum(2).toLowerCase()}${r.int(1, 99)}si${r.int(100000, 9999999)}${r.pick(['ejb', 'wrb', 'qkb', 'edb'])}.${r.int(1, 999)} - gsmtp`;
      case 'outlook':
      case 'o365':
        return `250 2.6.0 <${msg.msgid || this.postfixMsgid(msg.arrival, msg.id)}> [InternalId=${r.int(10 ** 12, 10 ** 13)}, Hostname=${r.pick(['AM0PR10MB', 'DB9PR06MB', 'PAXPR02MB', 'VI1PR07MB'])}${r.int(1000, 9999)}.eurprd${r.pick(['10', '06', '02', '07'])}.prod.outlook.com] ${msg.size + r.int(500, 3000)} bytes in ${r.float(0.02, 0.6).toFixed(3)}, ${r.float(20, 400).toFixed(3)} KB/sec Queued mail for delivery`;
      case 'yahoo':
        return '250 ok dirdel';
      case 'gmx':
        return `250 Requested mail action okay, completed: id=1M${r.alnum(5)}-1${r.alnum(9)}-00${r.alnum(4)}`;
      case 'exchange':
        return `250 2.6.0 <${msg.msgid || this.postfixMsgid(msg.arrival, msg.id)}> [InternalId=${r.int(10 ** 12, 10 ** 13)}, Hostname=${r.pick(['EXCH', 'MAIL', 'SRV-EX'])}${r.int(1, 3).toString().padStart(2, '0')}.${d.name}] Queued mail for delivery`;
      default:
        return `250 2.0.0 Ok: queued as ${r.hex(10)}`;
    }
  }

  /**
   * smtp(8) to a remote domain: one transaction for the group (smtp_destination_recipient_limit
   * is larger than any group here), its TLS line unless a cached connection is reused.
   */
  private deliverRemote(msg: Msg, group: Target[], d: Domain, t: number, handoff: number, attempt: number): number {
    const r = this.rng;
    const a = t - msg.arrival;
    const pid = this.pid('smtp', handoff, 2 * S);
    const session = this.sessionOutcome(msg, d, attempt, handoff);
    const mx = d.mx.length ? r.pick(d.mx.slice(0, 1).concat(r.chance(0.1) ? d.mx.slice(1) : [])) : { host: d.name, ip: '' };
    const peer = { name: mx.host, ip: mx.ip };
    if (session && (session.kind === 'dns' || session.kind === 'connect')) {
      const setup = session.kind === 'dns' ? this.ms(10, 800) : session.reason(peer).includes('timed out') ? 30 * S + this.ms(0, 900) : this.ms(20, 200);
      const u = handoff + setup;
      for (const x of group) {
        const planted = this.planted('outbound', session.cause, x.route.to, session.what);
        this.finalLine(msg, x, u, 'postfix/smtp', pid, { relay: 'none', delays: [a, handoff - t, setup, 0], dsn: session.dsn, status: session.bounce ? 'bounced' : 'deferred', reason: session.reason(peer) }, planted);
      }
      return u;
    }
    // Connection set-up, or reuse of a cached connection to the same destination.
    const cached = this.connCache.get(d.name);
    let connUse = 1;
    let setup: number;
    if (cached && cached.until > handoff && cached.until - handoff < 5 * S && cached.uses < 10 && !session) {
      connUse = cached.uses + 1;
      setup = this.ms(0, 5);
    } else {
      setup = this.ms(40, 900);
      // STARTTLS comes before MAIL FROM, so refusals of MAIL FROM follow a TLS handshake too.
      if (d.tls && d.quirk !== 'starttls') {
        this.log(handoff + setup - this.ms(1, 10), 'postfix/smtp', pid, `${d.tls} TLS connection established to ${T.addr(peer)}:25: ${T.smtpTls(r, peer.name)}`);
      }
    }
    let u = handoff + setup;
    const relay = `${T.addr(peer)}:25`;
    if (session) {
      u += this.ms(20, 200);
      for (const x of group) {
        const planted = this.planted('outbound', session.cause, x.route.to, session.what);
        this.finalLine(msg, x, u, 'postfix/smtp', pid, { relay, delays: [a, handoff - t, setup, u - handoff - setup], dsn: session.dsn, status: session.bounce ? 'bounced' : 'deferred', reason: session.reason(peer) }, planted);
      }
      return u;
    }
    // RCPT replies come first; the accepted ones then share the DATA transfer.
    const refused: [Target, Refusal][] = [];
    const accepted: Target[] = [];
    group.forEach((x, i) => {
      const rep = this.recipientReply(msg, d, x.route.to, attempt, i);
      if (rep) refused.push([x, rep]);
      else accepted.push(x);
    });
    u += this.ms(30, 300);
    const rcptDone = u;
    for (const [x, rep] of refused.filter(([, rep]) => rep.reply.cmd === 'RCPT TO')) {
      const bounce = rep.reply.text.startsWith('5');
      this.finalLine(msg, x, rcptDone, 'postfix/smtp', pid, { relay, connUse, delays: [a, handoff - t, setup, rcptDone - handoff - setup], dsn: rep.reply.dsn, status: bounce ? 'bounced' : 'deferred', reason: T.said(peer, rep.reply) },
        this.planted('outbound', rep.cause, x.route.to, rep.what));
    }
    const dataRefused = refused.filter(([, rep]) => rep.reply.cmd !== 'RCPT TO');
    if (accepted.length + dataRefused.length > 0) {
      u += this.ms(60, 700) + Math.floor(msg.size / 12);
      const ok = this.acceptReply(d, msg);
      for (const x of accepted) {
        this.finalLine(msg, x, u, 'postfix/smtp', pid, { relay, connUse, delays: [a, handoff - t, setup, u - handoff - setup], dsn: '2.0.0', status: 'sent', reason: ok });
      }
      for (const [x, rep] of dataRefused) {
        this.finalLine(msg, x, u, 'postfix/smtp', pid, { relay, connUse, delays: [a, handoff - t, setup, u - handoff - setup], dsn: rep.reply.dsn, status: rep.reply.text.startsWith('5') ? 'bounced' : 'deferred', reason: T.said(peer, rep.reply) },
          this.planted('outbound', rep.cause, x.route.to, rep.what));
      }
    }
    this.connCache.set(d.name, { until: u + 2 * S, uses: connUse });
    return u;
  }

  // ------------------------------------------------------------ background

  /**
   * Mail that was queued days before the log starts and is still deferred: it is retried
   * every maximal_backoff_time (4000 s) and expires after maximal_queue_lifetime (5 days).
   */
  private plantExpiring(): void {
    const days = Math.max(1, Math.round(this.duration / (86400 * S)));
    const deadSites: [string, 'Connection timed out' | 'Connection refused'][] = [
      ['harborview-travel.com', 'Connection timed out'], ['oakmeadow-print.de', 'Connection refused'], ['cedarpoint-legal.co.uk', 'Connection timed out'],
    ];
    for (let k = 0; k < 2 * days; k++) {
      const day = Math.floor(k / 2);
      const expires = this.start + day * 86400 * S + this.rng.int(4 * 3600, 14 * 3600) * S;
      const [dead, error] = deadSites[(k + day) % deadSites.length]!;
      const domain = this.remote.byName.get(dead) ?? this.adHocDomain(dead);
      domain.quirk = undefined;
      const n = 1;
      const targets: Target[] = [];
      for (let i = 0; i < n; i++) {
        const to = `${personLocal(dead, this.rng.int(0, 30))}@${dead}`;
        targets.push({ route: { agent: 'smtp', to, domain }, state: 'pending' });
      }
      const from = this.mailbox();
      const arrival = expires - 5 * 86400 * S + this.ms(0, 999);
      const id = this.queueId(arrival);
      const msg: Msg = { id, from, size: this.rng.int(5000, 60000), arrival, msgid: `${this.rng.alnum(24)}@${MAILBOX_DOMAIN}`, targets, expires };
      this.dead.set(dead, error);
      // The first retry inside the log, then every ~4000 s until expiry.
      const first = Math.max(this.start, expires - Math.floor((expires - this.start) / (4150 * S)) * 4150 * S - this.rng.int(0, 300) * S);
      this.deliver(msg, first, 20);
    }
  }

  /** Things that happen once a day: the newsletter at 08:30, a block-list episode at Microsoft. */
  private planDays(): void {
    const days = Math.max(1, Math.round(this.duration / (86400 * S)));
    const firstMidnight = this.start - ((this.start / S + this.tz * 60) % 86400) * S;
    for (let day = 0; day <= days; day++) {
      const midnight = firstMidnight + day * 86400 * S;
      this.newsletterTimes.push(midnight + (8.5 * 3600 + this.rng.int(0, 1200)) * S + this.ms(0, 999));
      const from = midnight + this.rng.int(9 * 3600, 16 * 3600) * S;
      const minutes = this.mixName === 'showcase' ? this.rng.int(240, 360) : this.rng.int(20, 40);
      this.blockEpisodes.push([from, from + minutes * 60 * S]);
    }
  }

  /** anvil's statistics every 10 minutes, and postscreen's occasional cache cleanup. */
  private tick(t: number): void {
    while (this.newsletterTimes.length > 0 && this.newsletterTimes[0]! < t) {
      const at = this.newsletterTimes.shift()!;
      if (at >= this.start) this.newsletter(at);
    }
    while (this.nextAnvil < t) {
      const at = this.nextAnvil;
      const recent = this.recent.filter((x) => x.us <= at && x.us > at - 600 * S);
      if (recent.length > 0) {
        const pick = recent[Math.floor(this.rng.next() * recent.length)]!;
        const pid = this.pid('anvil', at, 0);
        const when = classicStamp(new Date(Math.floor(pick.us / 1000) + this.tz * 60_000));
        const rate = recent.filter((x) => x.ip === pick.ip && Math.abs(x.us - pick.us) < 60 * S).length;
        this.log(at, 'postfix/anvil', pid, `statistics: max connection rate ${rate}/60s for (${pick.service}:${pick.ip}) at ${when}`);
        this.log(at, 'postfix/anvil', pid, `statistics: max connection count 1 for (${pick.service}:${pick.ip}) at ${when}`);
        this.log(at, 'postfix/anvil', pid, `statistics: max cache size ${Math.min(recent.length, this.rng.int(1, 6))} at ${when}`);
      }
      if (this.rng.chance(0.03)) {
        const ps = this.pid('postscreen', at, 0);
        this.log(at + 1000, 'postfix/postscreen', ps, `cache btree:/var/lib/postfix/postscreen_cache full cleanup: retained=${this.rng.int(150, 900)} dropped=${this.rng.int(0, 40)} entries`);
      }
      this.nextAnvil += 600 * S + this.ms(0, 40);
    }
  }
}

/** Linux's default pid_max on 64-bit systems is 4194304; pids then start again from 300. */
function wrapPid(pid: number): number {
  return pid < 4_194_304 ? pid : 300 + ((pid - 300) % (4_194_304 - 300));
}

/**
 * The list the newsletter goes to: a Zipf sample of the world, plus what years of not removing
 * bounces leave behind (addresses Gmail says do not exist, disabled or full mailboxes, a
 * partner whose server takes one recipient per transaction).
 */
function buildNewsletterList(rng: Rng, remote: Remote, scale: number): string[] {
  const list = new Set<string>();
  // Large runs: a list that grows with the square of the scale (800,000 subscribers at 1 GB,
  // most of the log's distinct recipients, as on a host that sends a big newsletter).
  const size = Math.round(260 * scale * scale * (scale > 1 ? 4 : 1));
  while (list.size < size) list.add(remoteAddress(rng, remote.domains[remote.zipf.draw(rng)]!, scale));
  const gmail = remote.byName.get('gmail.com')!;
  const want = (lo: number, hi: number, n: number, d: Domain) => {
    for (let i = 0, found = 0; found < n && i < 100000; i++) {
      const a = `${personLocal(d.name, 10000 + i)}@${d.name}`;
      const f = unit(`fate:${a}`);
      if (f >= lo && f < hi && !list.has(a)) {
        list.add(a);
        found++;
      }
    }
  };
  want(0, FATE.gmailUnknown, 22, gmail); // NoSuchUser
  want(FATE.gmailUnknown, FATE.gmailDisabled, 4, gmail); // DisabledUser
  want(FATE.gmailDisabled, FATE.gmailOverQuota, 2, gmail); // OverQuotaTemp
  const o365 = remote.domains.find((d) => d.kind === 'o365' && !d.quirk)!;
  want(0, FATE.unknown, 3, o365); // AS(201806281)
  for (const [quirk, n] of [['rcpt-limit', 4], ['starttls', 3]] as const) {
    const d = remote.domains.find((x) => x.quirk === quirk);
    if (d) want(0.2, 1, n, d);
  }
  // Sign-ups with a typo in the domain, never confirmed.
  for (const [name, n] of [['gmial.com', 3], ['gmail.con', 1], ['hotmial.com', 3]] as const) want(0, 1, n, remote.byName.get(name)!);
  // Shuffled so the curated addresses do not all come last.
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
