/**
 * A seeded, deterministic Exim main log generator for benchmarks: a Debian `exim4` MX and
 * submission host (mx1.example.org, Exim 4.98, default Debian log_selector: no +pid, local
 * time without a zone, 4.97+ long message ids) for one day of traffic of any size.
 *
 * Every line shape is one found in real Exim logs and in samples/exim (see
 * /work/shared/corpus/exim): arrivals `<=`, deliveries `=>` / `->`, deferrals `==`, bounces
 * `**`, `Completed`, RCPT refusals (`Unrouteable address`, `relay not permitted`, DNSBL,
 * `Sender verify failed`, greylisting, rate limits), refusals after DATA, remote `550 5.1.1`
 * replies, bounce messages `<= <> R=<id>`, authenticator failures, queue runs. Built like the
 * Postfix generator: traffic units arrive in time order and write their future into a time heap.
 */
import { TimeHeap } from './heap.js';
import { ArrivalCurve, Mixer } from './mix.js';
import { Rng, unit } from './rng.js';
import {
  DICTIONARY, SENDER_ORGS, SENDER_ORG_ZIPF, buildRemote, personLocal, randomPublicIp, remoteAddress, spamClient, spamSender,
  type Client, type Domain, type Remote,
} from './world.js';

export interface EximOptions {
  seed: number;
  /** Traffic units (an SMTP session, a submission, a cron mail…): about 4 lines each. */
  messages: number;
  start: Date;
  host?: string;
  durationSeconds?: number;
  /** Offset of the host's local time from UTC; default +60. */
  tzOffsetMinutes?: number;
}

const S = 1_000_000;
const DOMAIN = 'example.org';
const FQDN = 'mx1.example.org';
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TLS_IN = 'X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no';
const TLS_OUT = 'X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes';
/** Runs of more traffic units than this get a proportionally bigger world (as the Postfix generator). */
const SCALE_FROM_UNITS = 20_000;

interface Line {
  us: number;
  seq: number;
  text: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function b62(n: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = B62[n % 62] + s;
    n = Math.floor(n / 62);
  }
  return s;
}

/** Log lines in time order. */
export function* generateExim(opts: EximOptions): Generator<string> {
  yield* new EximSim(opts).run();
}

class EximSim {
  private readonly rng: Rng;
  private readonly remote: Remote;
  private readonly heap = new TimeHeap<Line>();
  private seq = 0;
  private readonly start: number;
  private readonly end: number;
  private readonly tz: number;
  private readonly scale: number;
  private readonly users: string[];
  private readonly arrivals: ArrivalCurve;
  private readonly mix: Mixer<(t: number) => void>;
  private pid: number;
  private nextQueueRun: number;
  private lastSecond = -1;
  private lastStamp = '';

  constructor(private readonly opts: EximOptions) {
    const root = new Rng(opts.seed);
    const world = root.fork('exim-world');
    this.rng = root.fork('exim-traffic');
    this.remote = buildRemote(world);
    this.scale = Math.max(1, opts.messages / SCALE_FROM_UNITS);
    const n = Math.round(60 * this.scale * this.scale);
    this.users = [...new Set(Array.from({ length: n }, (_, i) => personLocal(DOMAIN, i)))];
    this.start = opts.start.getTime() * 1000;
    this.end = this.start + (opts.durationSeconds ?? 86400) * S;
    this.tz = opts.tzOffsetMinutes ?? 60;
    this.pid = this.rng.int(2000, 9000);
    this.nextQueueRun = this.start + this.rng.int(60, 1800) * S;
    this.arrivals = new ArrivalCurve(this.start, this.end - this.start, this.tz);
    const kinds: [(t: number) => void, number][] = [
      [(t) => this.inGood(t), 34],
      [(t) => this.submission(t), 18],
      [(t) => this.rbl(t), 12],
      [(t) => this.dictionary(t), 4],
      [(t) => this.relayAttempt(t), 3],
      [(t) => this.senderVerify(t), 2],
      [(t) => this.greylisted(t), 3],
      [(t) => this.rateLimited(t), 0.5],
      [(t) => this.spamAfterData(t), 1.5],
      [(t) => this.authFailure(t), 5],
      [(t) => this.noise(t), 3],
      [(t) => this.cron(t), 1],
    ];
    this.mix = new Mixer(kinds, this.rng);
  }

  *run(): Generator<string> {
    const units = this.opts.messages;
    for (let i = 0; i < units; i++) {
      const t = this.arrivals.at((i + this.rng.next()) / units);
      while (this.nextQueueRun < t) this.queueRun();
      yield* this.drain(t);
      this.mix.next()(t);
    }
    while (this.nextQueueRun < this.end) this.queueRun();
    yield* this.drain(Infinity);
  }

  private *drain(before: number): Generator<string> {
    for (let top = this.heap.peek(); top && top.us < before; top = this.heap.peek()) {
      const line = this.heap.pop()!;
      yield `${this.stamp(line.us)} ${line.text}`;
    }
  }

  /** `2026-11-22 10:00:00` in the host's local time (Debian's default: no zone, no millisec). */
  private stamp(us: number): string {
    const second = Math.floor(us / S);
    if (second !== this.lastSecond) {
      const d = new Date(second * 1000 + this.tz * 60_000);
      this.lastStamp = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
      this.lastSecond = second;
    }
    return this.lastStamp;
  }

  private log(us: number, text: string): void {
    if (us < this.start || us >= this.end) return;
    this.heap.push({ us: Math.floor(us), seq: this.seq++, text });
  }

  private ms(lo: number, hi: number): number {
    return Math.floor(this.rng.float(lo, hi) * 1000);
  }

  /** A 4.97+ message id: base-62 time, pid and sub-second part (`1xUvBX-00000000FYw-00Rj`). */
  private msgId(us: number): string {
    this.pid += this.rng.int(1, 7);
    return `${b62(Math.floor(us / S), 6)}-${b62(this.pid, 11)}-${b62(Math.floor((us % S) / 500), 4)}`;
  }

  private user(): string {
    return this.users[Math.floor(Math.pow(this.rng.next(), 2) * this.users.length)]!;
  }

  private remoteRcpt(): { to: string; domain: Domain } {
    const domain = this.remote.domains[this.remote.zipf.draw(this.rng)]!;
    return { to: remoteAddress(this.rng, domain, this.scale), domain };
  }

  private hostOf(c: Client): string {
    return c.name === 'unknown' ? `(${c.helo}) [${c.ip}]` : `${c.name} [${c.ip}]`;
  }

  private port(): number {
    return this.rng.int(1024, 65535);
  }

  // ------------------------------------------------------------ inbound

  /** Mail from a known sender to 1–3 local users, delivered at once. */
  private inGood(t: number): void {
    const org = SENDER_ORGS[SENDER_ORG_ZIPF.draw(this.rng)]!;
    const c = org.make(this.rng);
    const from = org.from(this.rng, this.scale);
    const id = this.msgId(t);
    const d = from.slice(from.lastIndexOf('@') + 1);
    if (this.rng.chance(0.4)) this.log(t, `${id} DKIM: d=${d} s=mail2026 c=relaxed/relaxed a=rsa-sha256 b=2048 [verification succeeded]`);
    const size = this.rng.int(2000, 400_000);
    this.log(t, `${id} <= ${from} H=${c.name === 'unknown' ? `(${c.helo})` : c.name} [${c.ip}] P=esmtps ${TLS_IN} S=${size} id=${this.rng.alnum(16)}@${d}`);
    let u = t + this.ms(100, 1500);
    const n = this.rng.weighted([[1, 75], [2, 18], [3, 7]]);
    for (let i = 0; i < n; i++) {
      const user = this.user();
      this.log(u, `${id} ${i === 0 ? '=>' : '->'} ${user} <${user}@${DOMAIN}> R=local_user T=mail_spool`);
      u += this.ms(1, 30);
    }
    this.log(u, `${id} Completed`);
  }

  /** A block-listed client: refused at RCPT. */
  private rbl(t: number): void {
    const c = spamClient(this.rng);
    const from = spamSender(this.rng, c);
    const port = this.port();
    const n = this.rng.weighted([[1, 75], [2, 18], [3, 7]]);
    let u = t;
    for (let i = 0; i < n; i++) {
      const to = this.rng.chance(0.6) ? `${this.user()}@${DOMAIN}` : `${personLocal(`harvest-${DOMAIN}`, this.rng.int(0, Math.round(50_000 * this.scale)))}@${DOMAIN}`;
      const why = this.rng.chance(0.7)
        ? `rejected because ${c.ip} is in a black list at zen.spamhaus.org`
        : `"JunkMail rejected - ${this.hostOf(c)}:${port} is in an RBL: https://www.spamhaus.org/query/ip/${c.ip}"`;
      this.log(u, `H=${this.hostOf(c)}:${port} F=<${from}> rejected RCPT <${to}>: ${why}`);
      u += this.ms(50, 900);
    }
  }

  /** Guessed addresses: `Unrouteable address` for each. */
  private dictionary(t: number): void {
    const c = spamClient(this.rng);
    const from = spamSender(this.rng, c);
    const port = this.port();
    let u = t;
    for (let i = this.rng.int(3, 9); i > 0; i--) {
      const local = this.rng.chance(0.6) ? this.rng.pick(DICTIONARY) : personLocal(`guess-${DOMAIN}`, this.rng.int(0, Math.round(2000 * this.scale)));
      this.log(u, `H=${this.hostOf(c)}:${port} F=<${from}> rejected RCPT <${local}@${DOMAIN}>: Unrouteable address`);
      u += this.ms(200, 1500);
    }
  }

  private relayAttempt(t: number): void {
    const c = spamClient(this.rng);
    const { to } = this.remoteRcpt();
    const from = this.rng.chance(0.5) ? to : spamSender(this.rng, c);
    this.log(t, `H=${this.hostOf(c)}:${this.port()} F=<${from}> rejected RCPT <${to}>: relay not permitted`);
  }

  /** Callout verification of a forged sender: the detail line, then the refusal. */
  private senderVerify(t: number): void {
    const c = spamClient(this.rng);
    const from = `${this.rng.pick(['billing', 'admin', 'ghost', 'info'])}@${this.rng.alnum(7).toLowerCase()}.example`;
    const h = `H=(${c.helo}) [${c.ip}]:${this.port()}`;
    const why = this.rng.pick(['Unrouteable address', 'all relevant MX records point to non-existent hosts', 'Unknown user']);
    this.log(t, `${h} sender verify fail for <${from}>: ${why}`);
    this.log(t + this.ms(0, 5), `${h} F=<${from}> rejected RCPT <${this.user()}@${DOMAIN}>: Sender verify failed`);
  }

  /** Greylisted on first sight; a real sender comes back after a few minutes and is delivered. */
  private greylisted(t: number): void {
    const org = SENDER_ORGS[SENDER_ORG_ZIPF.draw(this.rng)]!;
    const c = org.make(this.rng);
    const from = org.from(this.rng, this.scale);
    const user = this.user();
    const h = `H=${c.name === 'unknown' ? `(${c.helo})` : c.name} [${c.ip}]`;
    this.log(t, `${h}:${this.port()} ${TLS_IN} F=<${from}> temporarily rejected RCPT <${user}@${DOMAIN}>: greylisted - please try again in 5 minutes`);
    if (this.rng.chance(0.7)) {
      const u = t + this.rng.int(300, 1200) * S;
      const id = this.msgId(u);
      this.log(u, `${id} <= ${from} ${h} P=esmtps ${TLS_IN} S=${this.rng.int(2000, 90_000)} id=${this.rng.alnum(16)}@${from.slice(from.indexOf('@') + 1)}`);
      this.log(u + this.ms(100, 900), `${id} => ${user} <${user}@${DOMAIN}> R=local_user T=mail_spool`);
      this.log(u + this.ms(900, 1000), `${id} Completed`);
    }
  }

  private rateLimited(t: number): void {
    const c = { name: `mail.${this.rng.alnum(6).toLowerCase()}.example`, ip: randomPublicIp(this.rng) };
    let u = t;
    for (let i = this.rng.int(2, 5); i > 0; i--) {
      this.log(u, `H=${c.name} [${c.ip}]:${this.port()} ${TLS_IN} F=<news@${c.name.slice(5)}> temporarily rejected RCPT <${this.user()}@${DOMAIN}>: Sender rate overlimit - ${this.rng.float(100, 150).toFixed(1)} / 1h / per_rcpt`);
      u += this.ms(100, 800);
    }
  }

  private spamAfterData(t: number): void {
    const c = spamClient(this.rng);
    const from = spamSender(this.rng, c);
    const id = this.msgId(t);
    const why = this.rng.chance(0.85)
      ? `This message scored ${this.rng.float(10, 30).toFixed(1)} spam points.`
      : `This message contains a virus (Win.Trojan.Agent-${this.rng.int(1000000, 9999999)}) or other harmful content.`;
    this.log(t, `${id} H=(${c.helo}) [${c.ip}]:${this.port()} ${TLS_IN} F=<${from}> rejected after DATA: ${why}`);
  }

  // ------------------------------------------------------------ outbound

  /** A user sends to 1–3 remote recipients; some bounce, some are deferred first. */
  private submission(t: number): void {
    const user = this.user();
    const from = `${user}@${DOMAIN}`;
    const c = { ip: randomPublicIp(this.rng), helo: this.rng.pick(['[192.168.1.23]', 'laptop.fritz.box', 'MacBook-Pro.local']) };
    const id = this.msgId(t);
    const size = this.rng.int(2000, 2_000_000);
    this.log(t, `${id} <= ${from} H=(${c.helo}) [${c.ip}]:${this.port()} P=esmtpsa ${TLS_IN} A=dovecot_plain:${user} S=${size} id=${this.rng.alnum(20)}@${DOMAIN}`);
    let u = t + this.ms(200, 2500);
    let bounced = false;
    let pending = 0;
    let first = true;
    const n = this.rng.weighted([[1, 70], [2, 20], [3, 10]]);
    for (let i = 0; i < n; i++) {
      const { to, domain } = this.remoteRcpt();
      const mx = domain.mx[0];
      const peer = mx ? `${mx.host} [${mx.ip}]` : `${domain.name} [${randomPublicIp(this.rng)}]`;
      const fate = unit(`fate:${to}`);
      const r = this.rng.next();
      if (!mx) {
        this.log(u, `${id} ** ${to}: Unrouteable address`);
        bounced = true;
      } else if (fate < 0.025) {
        const reply = domain.kind === 'gmail'
          ? `550-5.1.1 The email account that you tried to reach does not exist. Please try\\n550-5.1.1 double-checking the recipient's email address for typos or\\n550 5.1.1 https://support.google.com/mail/?p=NoSuchUser ${this.rng.alnum(10)} - gsmtp`
          : `550 5.1.1 <${to}>: Recipient address rejected: User unknown in virtual mailbox table`;
        this.log(u, `${id} ** ${to} R=dnslookup T=remote_smtp H=${peer} ${TLS_OUT}: SMTP error from remote mail server after RCPT TO:<${to}>: ${reply}`);
        bounced = true;
      } else if (r < 0.02) {
        this.log(u, `${id} ** ${to} R=dnslookup T=remote_smtp H=${peer} ${TLS_OUT}: SMTP error from remote mail server after end of data: 552 5.2.2 <${to}>: Recipient address rejected: Mailbox full`);
        bounced = true;
      } else if (r < 0.05) {
        this.log(u, `${id} == ${to} R=dnslookup T=remote_smtp defer (-44) H=${peer}: SMTP error from remote mail server after RCPT TO:<${to}>: 451 4.7.1 <${to}>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/${domain.name}.html`);
        this.later(id, to, peer, u + this.rng.int(600, 1800) * S);
        pending++;
      } else if (r < 0.065) {
        this.log(u, `${id} H=${peer} Connection timed out`);
        this.log(u, `${id} == ${to} R=dnslookup T=remote_smtp defer (110): Connection timed out`);
        this.later(id, to, peer, u + this.rng.int(1800, 3600) * S);
        pending++;
      } else {
        this.log(u, `${id} ${first ? '=>' : '->'} ${to} R=dnslookup T=remote_smtp H=${peer} ${TLS_OUT} C="250 2.0.0 Ok: queued as ${this.rng.alnum(10)}"`);
        first = false;
      }
      u += this.ms(20, 400);
    }
    if (bounced) this.bounce(id, user, u);
    if (pending === 0) this.log(u + this.ms(0, 5), `${id} Completed`);
  }

  /** A deferred recipient delivered at a later queue run (then the message is complete). */
  private later(id: string, to: string, peer: string, at: number): void {
    this.log(at, `${id} => ${to} R=dnslookup T=remote_smtp H=${peer} ${TLS_OUT} C="250 2.0.0 Ok: queued as ${this.rng.alnum(10)}"`);
    this.log(at + this.ms(1, 5), `${id} Completed`);
  }

  /** The bounce message Exim writes to the local sender. */
  private bounce(parent: string, user: string, t: number): void {
    const id = this.msgId(t);
    this.log(t, `${id} <= <> R=${parent} U=Debian-exim P=local S=${this.rng.int(3000, 12000)}`);
    this.log(t + this.ms(5, 50), `${id} => ${user} <${user}@${DOMAIN}> R=local_user T=mail_spool`);
    this.log(t + this.ms(50, 60), `${id} Completed`);
  }

  private cron(t: number): void {
    const id = this.msgId(t);
    this.log(t, `${id} <= root@${FQDN} U=root P=local S=${this.rng.int(700, 4000)}`);
    this.log(t + this.ms(5, 50), `${id} => admin <root@${FQDN}> R=local_user T=mail_spool`);
    this.log(t + this.ms(50, 60), `${id} Completed`);
  }

  // ------------------------------------------------------------ background

  private authFailure(t: number): void {
    const ip = randomPublicIp(this.rng);
    this.log(t, `dovecot_login authenticator failed for (User) [${ip}]:${this.port()}: 535 Incorrect authentication data (set_id=${this.rng.pick(['admin', 'info', 'test', 'sales', 'user'])})`);
  }

  private noise(t: number): void {
    const ip = randomPublicIp(this.rng);
    if (this.rng.chance(0.6)) this.log(t, `no host name found for IP address ${ip}`);
    else this.log(t, `TLS error on connection from (User) [${ip}]:${this.port()} (SSL_accept): error:0A000126:SSL routines::unexpected eof while reading`);
  }

  /** The daemon's queue runner every 30 minutes (-q30m). */
  private queueRun(): void {
    const t = this.nextQueueRun;
    const pid = this.pid++;
    this.log(t, `Start queue run: pid=${pid}`);
    this.log(t + this.ms(500, 3000), `End queue run: pid=${pid}`);
    this.nextQueueRun += 1800 * S;
  }
}
