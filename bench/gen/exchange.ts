/**
 * A seeded, deterministic Exchange message tracking log generator for benchmarks: the native
 * MSGTRK CSV of an Exchange Server 2019 Mailbox server (EX01.example.com, hosting example.com)
 * with its `#` header block and the 30 fields of 2016/2019, for one day of traffic of any size.
 *
 * Rows follow Microsoft's "Message tracking" documentation and samples/exchange (see
 * /work/shared/corpus/exchange/FORMAT-NOTES.md): SMTP RECEIVE (+ AGENT AGENTINFO) and
 * STOREDRIVER DELIVER for mail from the Internet; STOREDRIVER RECEIVE and SMTP SENDEXTERNAL
 * for mail our users send; SMTP DEFER then SENDEXTERNAL for retries; FAIL rows (ROUTING
 * RecipNotFound, STOREDRIVER mailbox full, SMTP remote 550 5.1.1, DNS NonExistentDomain,
 * QUEUE Expired, AGENT transport rule, Sender ID) each followed by its DSN. Times are UTC.
 */
import { TimeHeap } from './heap.js';
import { ArrivalCurve, Mixer } from './mix.js';
import { Rng, unit } from './rng.js';
import { SENDER_ORGS, SENDER_ORG_ZIPF, buildRemote, personLocal, randomPublicIp, remoteAddress, spamClient, spamSender, type Domain, type Remote } from './world.js';

export interface ExchangeOptions {
  seed: number;
  /** Traffic units (a message in or out): about 2.5 rows each. */
  messages: number;
  start: Date;
  durationSeconds?: number;
}

const S = 1_000_000;
const DOMAIN = 'example.com';
const SERVER = 'EX01';
const SERVER_FQDN = 'EX01.example.com';
const SERVER_IP = '192.0.2.10';
const VERSION = '15.02.1544.004';
const FIELDS =
  'date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version';
const SUBJECTS = [
  'Meeting notes', 'Invoice 4711', 'Re: Lunch?', 'Quote request', 'Weekly newsletter', 'Your order has shipped', 'Slides',
  'Re: contract, final version', 'FW: "Project X" kickoff', 'Password expiry reminder', 'Holiday schedule', 'Status', 'Reorder',
];
/** Runs of more traffic units than this get a proportionally bigger world (as the Postfix generator). */
const SCALE_FROM_UNITS = 20_000;

interface Row {
  us: number;
  seq: number;
  text: string;
}

/** One tracking-log row's fields, by name; the rest are empty. */
interface Fields {
  clientIp?: string;
  clientHost?: string;
  serverIp?: string;
  serverHost?: string;
  sourceContext?: string;
  connector?: string;
  source: string;
  event: string;
  internalId: number;
  messageId: string;
  networkId: string;
  recipients: string[];
  status?: string;
  bytes: number;
  reference?: string;
  subject: string;
  sender: string;
  returnPath: string;
  messageInfo?: string;
  directionality: 'Incoming' | 'Originating';
  customData?: string;
}

/** RFC 4180 cell: quoted when it holds a comma, a quote or a line break. */
function cell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The file: the header block, then rows in time order. */
export function* generateExchange(opts: ExchangeOptions): Generator<string> {
  yield* new ExchangeSim(opts).run();
}

interface Msg {
  internalId: number;
  messageId: string;
  networkId: string;
  subject: string;
  sender: string;
  bytes: number;
}

class ExchangeSim {
  private readonly rng: Rng;
  private readonly remote: Remote;
  private readonly heap = new TimeHeap<Row>();
  private seq = 0;
  private readonly start: number;
  private readonly end: number;
  private readonly scale: number;
  private readonly users: string[];
  private readonly full: Set<string>;
  private readonly arrivals: ArrivalCurve;
  private readonly mix: Mixer<(t: number) => void>;
  private internalId: number;

  constructor(private readonly opts: ExchangeOptions) {
    const root = new Rng(opts.seed);
    const world = root.fork('exchange-world');
    this.rng = root.fork('exchange-traffic');
    this.remote = buildRemote(world);
    this.scale = Math.max(1, opts.messages / SCALE_FROM_UNITS);
    const n = Math.round(60 * this.scale * this.scale);
    this.users = [...new Set(Array.from({ length: n }, (_, i) => personLocal(DOMAIN, i)))];
    // A few mailboxes over quota (from the quiet end of the list, as in the Postfix generator).
    this.full = new Set([7, 23, 41].map((i) => `${this.users[Math.min(this.users.length - 1, Math.floor((i / 60) * this.users.length))]!}@${DOMAIN}`));
    this.start = opts.start.getTime() * 1000;
    this.end = this.start + (opts.durationSeconds ?? 86400) * S;
    this.internalId = this.rng.int(73_000_000_000, 74_000_000_000);
    this.arrivals = new ArrivalCurve(this.start, this.end - this.start, 0);
    const kinds: [(t: number) => void, number][] = [
      [(t) => this.inbound(t), 45],
      [(t) => this.outbound(t), 35],
      [(t) => this.internal(t), 10],
      [(t) => this.senderId(t), 2],
      [(t) => this.transportRule(t), 1],
    ];
    this.mix = new Mixer(kinds, this.rng);
  }

  *run(): Generator<string> {
    const d = new Date(this.start / 1000);
    yield '#Software: Microsoft Exchange Server';
    yield `#Version: ${VERSION}`;
    yield '#Log-type: Message Tracking Log';
    yield `#Date: ${d.toISOString()}`;
    yield `#Fields: ${FIELDS}`;
    const units = this.opts.messages;
    for (let i = 0; i < units; i++) {
      const t = this.arrivals.at((i + this.rng.next()) / units);
      yield* this.drain(t);
      this.mix.next()(t);
    }
    yield* this.drain(Infinity);
  }

  private *drain(before: number): Generator<string> {
    for (let top = this.heap.peek(); top && top.us < before; top = this.heap.peek()) yield this.heap.pop()!.text;
  }

  private iso(us: number): string {
    return new Date(Math.floor(us / 1000)).toISOString();
  }

  private row(us: number, f: Fields): void {
    if (us < this.start || us >= this.end) return;
    us = Math.floor(us);
    const cells = [
      this.iso(us), f.clientIp ?? '', f.clientHost ?? '', f.serverIp ?? '', f.serverHost ?? '', f.sourceContext ?? '', f.connector ?? '',
      f.source, f.event, String(f.internalId), f.messageId, f.networkId, f.recipients.join(';'), f.status ?? '', String(f.bytes),
      String(f.recipients.length), '', f.reference ?? '', f.subject, f.sender, f.returnPath, f.messageInfo ?? '', f.directionality,
      '', '', '', f.customData ?? '', 'Email', this.guid(), VERSION,
    ];
    this.heap.push({ us, seq: this.seq++, text: cells.map(cell).join(',') });
  }

  private ms(lo: number, hi: number): number {
    return Math.floor(this.rng.float(lo, hi) * 1000);
  }

  private guid(): string {
    const h = this.rng.hex(32, false);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  private user(): string {
    return `${this.users[Math.floor(Math.pow(this.rng.next(), 2) * this.users.length)]!}@${DOMAIN}`;
  }

  private msg(sender: string, host: string): Msg {
    return {
      internalId: this.internalId++,
      messageId: `<${this.rng.hex(32, false)}@${host}>`,
      networkId: this.guid(),
      subject: this.rng.pick(SUBJECTS),
      sender,
      bytes: this.rng.int(3000, 2_000_000),
    };
  }

  private latency(us: number): string {
    const f = () => this.rng.float(0.02, 0.5).toFixed(3);
    return `${this.iso(us - 2 * S)};LSRV=${SERVER_FQDN}:TOTAL-HUB=${this.rng.float(0.3, 3).toFixed(3)}|SMR=${f()}|CAT=${f()}|QDE=${this.rng.float(0.1, 2).toFixed(3)}|SMS=${f()}`;
  }

  private base(m: Msg, recipients: string[], directionality: Fields['directionality']) {
    return {
      internalId: m.internalId, messageId: m.messageId, networkId: m.networkId, recipients, bytes: m.bytes, subject: m.subject,
      sender: m.sender, returnPath: m.sender, directionality,
    };
  }

  private storeContext(us: number): string {
    return `MDB:${this.guid()}, Mailbox:${this.guid()}, Event:${this.rng.int(1_000_000, 9_999_999)}, MessageClass:IPM.Note, CreationTime:${this.iso(us - S)}, ClientType:MOMT`;
  }

  /** The NDR Exchange sends for a failed message (a DSN row). */
  private dsn(us: number, m: Msg, to: string, directionality: Fields['directionality']): string {
    const ndr = this.msg(`MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@${DOMAIN}`, SERVER_FQDN);
    this.row(us + this.ms(100, 400), {
      serverHost: SERVER, source: 'DSN', event: 'DSN', internalId: ndr.internalId, messageId: ndr.messageId, networkId: ndr.networkId,
      recipients: [to], bytes: this.rng.int(8000, 40000), reference: m.messageId, subject: `Undeliverable: ${m.subject}`,
      sender: ndr.sender, returnPath: '<>', directionality,
    });
    return ndr.messageId;
  }

  // ------------------------------------------------------------ traffic

  /** From the Internet to 1–3 mailboxes; an unknown recipient fails in ROUTING, a full mailbox in STOREDRIVER. */
  private inbound(t: number): void {
    const org = SENDER_ORGS[SENDER_ORG_ZIPF.draw(this.rng)]!;
    const c = org.make(this.rng);
    const from = org.from(this.rng, this.scale);
    const m = this.msg(from, from.slice(from.indexOf('@') + 1));
    const n = this.rng.weighted([[1, 80], [2, 15], [3, 5]]);
    const rcpts: string[] = [];
    const gone = new Set<string>();
    for (let i = 0; i < n; i++) {
      if (this.rng.chance(0.03)) {
        // An address of someone who left: no longer in the directory.
        const r = `${personLocal(`former-${DOMAIN}`, this.rng.int(0, Math.round(300 * this.scale)))}.old@${DOMAIN}`;
        gone.add(r);
        rcpts.push(r);
      } else {
        rcpts.push(this.user());
      }
    }
    const session = `08DD${this.rng.hex(12)};${this.iso(t - this.ms(100, 800))};0`;
    this.row(t, {
      ...this.base(m, rcpts, 'Incoming'), clientIp: c.ip, clientHost: c.name === 'unknown' ? `[${c.ip}]` : c.name, serverIp: SERVER_IP, serverHost: SERVER,
      sourceContext: session, connector: `${SERVER}\\Default Frontend ${SERVER}`, source: 'SMTP', event: 'RECEIVE', messageInfo: '0cA: ',
      customData: `S:FromEntity=Internet;S:DeliveryPriority=Normal;S:AccountForest=${DOMAIN}`,
    });
    let u = t + this.ms(50, 400);
    if (this.rng.chance(0.5)) {
      this.row(u, {
        ...this.base(m, rcpts, 'Incoming'), serverHost: SERVER, sourceContext: 'Transport Rule Agent', source: 'AGENT', event: 'AGENTINFO',
        customData: `S:TRA=ETRI|ruleId=8a3c2f10-0b1d-4c5e-9f6a-1b2c3d4e5f60|st=11/1/2026 9:00:00 AM|action=SetHeader|sev=1|mode=Enforce`,
      });
    }
    u += this.ms(100, 900);
    const ok: string[] = [];
    for (const r of rcpts) {
      if (gone.has(r)) {
        this.row(u, {
          ...this.base(m, [r], 'Incoming'), serverHost: SERVER, source: 'ROUTING', event: 'FAIL', status: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
          reference: this.dsn(u, m, from, 'Incoming'),
        });
      } else if (this.full.has(r) && this.rng.chance(0.5)) {
        this.row(u, {
          ...this.base(m, [r], 'Incoming'), serverHost: SERVER, source: 'STOREDRIVER', event: 'FAIL', status: '550 5.2.2 STOREDRV.Deliver: mailbox full',
          reference: this.dsn(u, m, from, 'Incoming'),
        });
      } else {
        ok.push(r);
      }
    }
    if (ok.length > 0) {
      this.row(u, {
        ...this.base(m, ok, 'Incoming'), clientIp: SERVER_IP, clientHost: SERVER_FQDN, serverIp: SERVER_IP, serverHost: SERVER,
        sourceContext: this.storeContext(u), source: 'STOREDRIVER', event: 'DELIVER', messageInfo: this.latency(u),
      });
    }
  }

  /** A user writes to 1–2 Internet recipients: SENDEXTERNAL, or FAIL / DEFER with the remote's reply. */
  private outbound(t: number): void {
    const from = this.user();
    const m = this.msg(from, SERVER_FQDN);
    const n = this.rng.weighted([[1, 85], [2, 15]]);
    const rcpts: Array<{ to: string; domain: Domain }> = [];
    for (let i = 0; i < n; i++) {
      const domain = this.remote.domains[this.remote.zipf.draw(this.rng)]!;
      rcpts.push({ to: remoteAddress(this.rng, domain, this.scale), domain });
    }
    const clientIp = `192.0.2.${this.rng.int(100, 199)}`;
    this.row(t, {
      ...this.base(m, rcpts.map((r) => r.to), 'Originating'), clientIp, clientHost: SERVER_FQDN, serverIp: SERVER_IP, serverHost: SERVER,
      sourceContext: this.storeContext(t), source: 'STOREDRIVER', event: 'RECEIVE', status: 'To', messageInfo: '04I: ',
      customData: `S:DeliveryPriority=Normal;S:AccountForest=${DOMAIN}`,
    });
    let u = t + this.ms(500, 4000);
    for (const { to, domain } of rcpts) {
      const mx = domain.mx[0];
      const fate = unit(`fate:${to}`);
      const r = this.rng.next();
      if (!mx) {
        this.row(u, {
          ...this.base(m, [to], 'Originating'), serverHost: SERVER, source: 'DNS', event: 'FAIL', status: '554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain',
          reference: this.dsn(u, m, from, 'Originating'), messageInfo: this.latency(u),
        });
      } else if (fate < 0.025) {
        const reply = domain.kind === 'o365' || domain.kind === 'outlook'
          ? `550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [${this.rng.alnum(12)}.eurprd04.prod.outlook.com]`
          : `550 5.1.1 <${to}>: Recipient address rejected: User unknown in virtual mailbox table`;
        this.row(u, {
          ...this.base(m, [to], 'Originating'), clientIp: SERVER_IP, clientHost: SERVER_FQDN, serverIp: mx.ip, serverHost: mx.host,
          connector: 'Internet Send Connector', source: 'SMTP', event: 'FAIL',
          status: `[{LED=${reply}};{MSG=};{FQDN=${mx.host}};{IP=${mx.ip}};{LRT=}]`, reference: this.dsn(u, m, from, 'Originating'),
          messageInfo: this.latency(u), customData: 'S:IsSmtpResponseFromExternalServer=True',
        });
      } else if (r < 0.03) {
        this.row(u, {
          ...this.base(m, [to], 'Originating'), clientIp: SERVER_IP, clientHost: SERVER_FQDN, connector: 'Internet Send Connector', source: 'SMTP',
          event: 'DEFER', status: '[{LED=451 4.4.0 Primary target IP address responded with: "421 4.2.1 Unable to connect." Attempted failover to alternate host, but that did not succeed.};{MSG=};{FQDN=};{IP=};{LRT=}]',
          messageInfo: this.latency(u),
        });
        this.send(m, to, mx, u + this.rng.int(600, 3600) * S);
      } else {
        this.send(m, to, mx, u);
      }
      u += this.ms(20, 300);
    }
  }

  private send(m: Msg, to: string, mx: { host: string; ip: string }, at: number): void {
    this.row(at, {
      ...this.base(m, [to], 'Originating'), clientIp: SERVER_IP, clientHost: SERVER_FQDN, serverIp: mx.ip, serverHost: mx.host,
      sourceContext: `;250 2.0.0 OK ${Math.floor(at / S)} ${this.rng.alnum(6).toLowerCase()} - gsmtp;ClientSubmitTime:${this.iso(at - 3 * S)}`,
      connector: 'Internet Send Connector', source: 'SMTP', event: 'SENDEXTERNAL', status: '250 2.1.5 Recipient OK', messageInfo: this.latency(at),
      customData: `S:E2ELatency=${this.rng.float(1, 9).toFixed(3)};S:ToEntity=Internet;S:IsSmtpResponseFromExternalServer=True;S:DeliveryPriority=Normal;S:AccountForest=${DOMAIN}`,
    });
  }

  /** Between two of our mailboxes: STOREDRIVER RECEIVE, then DELIVER. */
  private internal(t: number): void {
    const from = this.user();
    const to = this.user();
    const m = this.msg(from, SERVER_FQDN);
    this.row(t, {
      ...this.base(m, [to], 'Originating'), clientIp: `192.0.2.${this.rng.int(100, 199)}`, clientHost: SERVER_FQDN, serverIp: SERVER_IP, serverHost: SERVER,
      sourceContext: this.storeContext(t), source: 'STOREDRIVER', event: 'RECEIVE', status: 'To', messageInfo: '04I: ',
      customData: `S:DeliveryPriority=Normal;S:AccountForest=${DOMAIN}`,
    });
    const u = t + this.ms(300, 2000);
    this.row(u, {
      ...this.base(m, [to], 'Originating'), clientIp: SERVER_IP, clientHost: SERVER_FQDN, serverIp: SERVER_IP, serverHost: SERVER,
      sourceContext: this.storeContext(u), source: 'STOREDRIVER', event: 'DELIVER', messageInfo: this.latency(u),
    });
  }

  /** The Sender Id agent refuses a forged sender on the Receive connector (no NDR). */
  private senderId(t: number): void {
    const c = spamClient(this.rng);
    const m = this.msg(spamSender(this.rng, c), randomPublicIp(this.rng));
    this.row(t, {
      ...this.base(m, [this.user()], 'Incoming'), clientIp: c.ip, clientHost: `[${c.ip}]`, serverIp: SERVER_IP, serverHost: SERVER,
      sourceContext: 'Sender Id Agent', connector: `${SERVER}\\Default Frontend ${SERVER}`, source: 'SMTP', event: 'FAIL',
      status: '550 5.7.1 Sender ID (PRA) Not Permitted',
    });
  }

  /** A transport rule rejects a message from the Internet. */
  private transportRule(t: number): void {
    const c = spamClient(this.rng);
    const m = this.msg(spamSender(this.rng, c), 'newsletter.example');
    m.subject = 'You have WON, claim now';
    const to = this.user();
    this.row(t, {
      ...this.base(m, [to], 'Incoming'), serverHost: SERVER, sourceContext: 'Transport Rule Agent', source: 'AGENT', event: 'FAIL',
      status: '550 5.7.1 TRANSPORT.RULES.RejectMessage; the message was rejected by organization policy', reference: this.dsn(t, m, m.sender, 'Incoming'),
      customData: 'S:TRA=ETR|ruleId=2f0e1d2c-3b4a-5968-7a8b-9c0d1e2f3a4b|st=11/1/2026 9:00:00 AM|action=RejectMessage|sev=1|mode=Enforce',
    });
  }
}
