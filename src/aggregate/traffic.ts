/**
 * The traffic overview beside the findings (what pflogsumm prints): messages received,
 * recipients delivered, deferred (messages and attempts), bounced, rejected (messages and
 * attempts); per hour; per recipient domain with delivery delays; top senders and recipients;
 * SASL authentication failures per client, fail2ban-style. Fed by the aggregator with every
 * event (and by the pipeline's sent-delivery shortcut through Aggregator.countSent).
 *
 * Caps (each overflow is counted in the summary's `overflow`):
 * - TRAFFIC_HOURS_CAP hours; a line in an hour past it counts in the totals only (`trafficHours`);
 * - TRAFFIC_DOMAINS_CAP recipient domains; past it they share OTHER_DOMAINS (`trafficDomains`);
 * - TOPK_CAP senders and recipients each (Space-Saving, as the findings' top lists: `topK`
 *   counts the lists that went approximate);
 * - AUTH_CLIENTS_CAP clients with failures; past it new clients count in the total only
 *   (`authClients`), and AUTH_USERNAMES_PER_CLIENT user names each (`authUsernames`);
 * - distinct deferred/rejected messages: exact to DISTINCT_EXACT_CAP, then an estimate.
 */
import type { AuthFailureEvent, DeliveryEvent, MailEvent, RejectEvent } from '../event.js';
import { flatCopy } from '../text/flat-copy.js';
import { DistinctCounter, hash52, TopK, type DistinctState, type TopKState } from './counters.js';
import { compareTime, domainOf, messageHashOf, normaliseAddress } from './event-fields.js';
import type { AuthFailureClient, TrafficDomain, TrafficHour, TrafficReport } from './types.js';

/** Hours kept in the per-hour table: more than a year of a log. */
export const TRAFFIC_HOURS_CAP = 24 * 400;
/** Recipient domains kept for the per-domain table. */
export const TRAFFIC_DOMAINS_CAP = 10_000;
/** Clients with authentication failures kept. */
export const AUTH_CLIENTS_CAP = 10_000;
/** User names kept per client with authentication failures. */
export const AUTH_USERNAMES_PER_CLIENT = 10;
/** Entries of the report's lists (domains, senders, recipients, clients). */
export const TRAFFIC_REPORT_TOP = 100;
/** The bucket of the domains past TRAFFIC_DOMAINS_CAP. */
export const OTHER_DOMAINS = '(other domains)';

export interface Hour {
  received: number;
  delivered: number;
  deferred: number;
  bounced: number;
  rejected: number;
}

export interface Domain {
  delivered: number;
  deferred: number;
  bounced: number;
  /** Deliveries with a delay, their sum and maximum (seconds). */
  delays: number;
  delaySum: number;
  delayMax: number;
}

export interface AuthClient {
  count: number;
  first: string | null;
  last: string | null;
  usernames: string[];
}

export class Traffic {
  received = 0;
  delivered = 0;
  deferrals = 0;
  bounced = 0;
  expired = 0;
  rejected = 0;
  authFailures = 0;
  // Replaced only by fromState().
  private deferredMessages = new DistinctCounter();
  private rejectedMessages = new DistinctCounter();
  private readonly hours = new Map<string, Hour>();
  /** The bucket hour() gave last and its key (`2026-11-22T07`), for the next line of that hour. */
  private lastHour: Hour | null = null;
  private lastHourKey = '';
  private readonly domains = new Map<string, Domain>();
  /** The domain domainNamed() found last by its own name, and its entry. */
  private lastName: string | null = null;
  private lastNamed: Domain | null = null;
  private senders = new TopK();
  private recipients = new TopK();
  private readonly auth = new Map<string, AuthClient>();
  /** Some delivery of the run logged its delay. */
  private delays = false;
  private readonly overflow = { trafficHours: 0, trafficDomains: 0, authClients: 0, authUsernames: 0 };

  /** Any event: the aggregator hands each one here. */
  add(ev: MailEvent): void {
    switch (ev.kind) {
      case 'received':
        return this.arrival(ev.time, ev.from);
      case 'delivery':
        return this.delivery(ev);
      case 'reject':
        return this.reject(ev);
      case 'auth-failure':
        return this.authFailure(ev);
      default:
        return;
    }
  }

  /**
   * A message received from `from` (`''`: the null sender; null: not logged): what a received
   * event adds, for the pipeline's shortcut that builds none.
   */
  arrival(time: string | null, from: string | null): void {
    this.received++;
    const h = this.hour(time);
    if (h) h.received++;
    if (from !== null) this.senders.add(from === '' ? '<>' : normaliseAddress(from));
  }

  /**
   * A recipient delivered (`to` as logged, `delay` in seconds or null): what a sent delivery
   * event adds, for the pipeline's shortcut that builds none.
   */
  sent(time: string | null, to: string | null, delay: number | null): void {
    if (!to) return this.sentKeyed(time, null, 0, null, delay);
    const address = normaliseAddress(to);
    this.sentKeyed(time, address, hash52(address), domainOf(address), delay);
  }

  /**
   * sent() for a caller that has the recipient as counted (normaliseAddress; null: none), its
   * hash52 and its domain already (domainOf gives the same for the address as logged).
   */
  sentKeyed(time: string | null, address: string | null, hash: number, domain: string | null, delay: number | null): void {
    this.delivered++;
    const h = this.hour(time);
    if (h) h.delivered++;
    if (address !== null) this.recipients.addHashed(address, hash);
    const d = this.domainNamed(domain);
    if (d === null) return;
    d.delivered++;
    if (delay !== null) {
      this.delays = true;
      d.delays++;
      d.delaySum += delay;
      if (delay > d.delayMax) d.delayMax = delay;
    }
  }

  private delivery(ev: DeliveryEvent): void {
    if (ev.status === 'sent') return this.sent(ev.time, ev.to, ev.delay);
    const h = this.hour(ev.time);
    const d = this.domain(ev.to);
    if (ev.status === 'deferred') {
      this.deferrals++;
      this.deferredMessages.addHash(messageHashOf(ev, false));
      if (h) h.deferred++;
      if (d) d.deferred++;
    } else {
      // An expiry is the bounce of a recipient that was deferred until it timed out.
      this.bounced++;
      if (ev.status === 'expired') this.expired++;
      if (h) h.bounced++;
      if (d) d.bounced++;
    }
  }

  private reject(ev: RejectEvent): void {
    this.rejected++;
    this.rejectedMessages.addHash(messageHashOf(ev, ev.smtpCode === null || ev.smtpCode >= 500));
    const h = this.hour(ev.time);
    if (h) h.rejected++;
  }

  private authFailure(ev: AuthFailureEvent): void {
    this.authFailures++;
    const key = ev.client?.ip || ev.client?.name || '(unknown)';
    let c = this.auth.get(key);
    if (c === undefined) {
      if (this.auth.size >= AUTH_CLIENTS_CAP) {
        this.overflow.authClients++;
        return;
      }
      c = { count: 0, first: null, last: null, usernames: [] };
      this.auth.set(flatCopy(key), c);
    }
    c.count++;
    if (ev.time !== null) {
      if (c.first === null || compareTime(ev.time, c.first) < 0) c.first = ev.time;
      if (c.last === null || compareTime(ev.time, c.last) > 0) c.last = ev.time;
    }
    const user = ev.username;
    if (user !== null && user !== '' && !c.usernames.includes(user)) {
      if (c.usernames.length < AUTH_USERNAMES_PER_CLIENT) c.usernames.push(flatCopy(user));
      else this.overflow.authUsernames++;
    }
  }

  /** The bucket of `time`'s hour (UTC), or null without a time or past the cap. */
  private hour(time: string | null): Hour | null {
    if (time === null) return null;
    // Lines come in time order mostly: the hour of the last line is the likeliest.
    if (this.lastHour !== null && time.startsWith(this.lastHourKey)) return this.lastHour;
    const key = time.slice(0, 13);
    let h = this.hours.get(key);
    if (h === undefined) {
      if (this.hours.size >= TRAFFIC_HOURS_CAP) {
        this.overflow.trafficHours++;
        return null;
      }
      h = { received: 0, delivered: 0, deferred: 0, bounced: 0, rejected: 0 };
      // A copy: a slice would keep its line's whole chunk alive (see flatCopy).
      this.hours.set(flatCopy(key), h);
    }
    if (key.length === 13) {
      this.lastHourKey = flatCopy(key);
      this.lastHour = h;
    }
    return h;
  }

  private domain(to: string | null): Domain | null {
    return this.domainNamed(domainOf(to));
  }

  private domainNamed(name: string | null): Domain | null {
    if (name === null) return null;
    // Nine sent deliveries in ten go to the domain of the one before (measured on the bench's
    // Postfix log): a comparison instead of hashing a new string for the map.
    if (name === this.lastName) return this.lastNamed;
    let d = this.domains.get(name);
    if (d !== undefined) {
      // A domain's entry never changes once made: safe to remember (a short string, which may
      // keep its line's chunk alive until the next domain).
      this.lastName = name;
      this.lastNamed = d;
    } else {
      let key = name;
      if (this.domains.size >= TRAFFIC_DOMAINS_CAP) {
        this.overflow.trafficDomains++;
        key = OTHER_DOMAINS;
        d = this.domains.get(key);
      }
      if (d === undefined) {
        d = { delivered: 0, deferred: 0, bounced: 0, delays: 0, delaySum: 0, delayMax: 0 };
        this.domains.set(flatCopy(key), d);
      }
    }
    return d;
  }

  /** Add everything `other` counted. Does not change `other`. */
  merge(other: Traffic): void {
    this.received += other.received;
    this.delivered += other.delivered;
    this.deferrals += other.deferrals;
    this.bounced += other.bounced;
    this.expired += other.expired;
    this.rejected += other.rejected;
    this.authFailures += other.authFailures;
    this.deferredMessages.merge(other.deferredMessages);
    this.rejectedMessages.merge(other.rejectedMessages);
    this.senders.merge(other.senders);
    this.recipients.merge(other.recipients);
    this.delays ||= other.delays;
    for (const [k, v] of Object.entries(other.overflow)) this.overflow[k as keyof typeof this.overflow] += v;
    for (const [key, o] of other.hours) {
      const h = this.hours.get(key);
      if (h) for (const f of Object.keys(o) as Array<keyof Hour>) h[f] += o[f];
      else if (this.hours.size < TRAFFIC_HOURS_CAP) this.hours.set(key, { ...o });
      else this.overflow.trafficHours += o.received + o.delivered + o.deferred + o.bounced + o.rejected;
    }
    for (const [key, o] of other.domains) {
      let d = this.domains.get(key);
      if (d === undefined) {
        const k = this.domains.size >= TRAFFIC_DOMAINS_CAP ? OTHER_DOMAINS : key;
        if (k !== key) this.overflow.trafficDomains += o.delivered + o.deferred + o.bounced;
        d = this.domains.get(k);
        if (d === undefined) this.domains.set(k, (d = { delivered: 0, deferred: 0, bounced: 0, delays: 0, delaySum: 0, delayMax: 0 }));
      }
      d.delivered += o.delivered;
      d.deferred += o.deferred;
      d.bounced += o.bounced;
      d.delays += o.delays;
      d.delaySum += o.delaySum;
      if (o.delayMax > d.delayMax) d.delayMax = o.delayMax;
    }
    for (const [key, o] of other.auth) {
      let c = this.auth.get(key);
      if (c === undefined) {
        if (this.auth.size >= AUTH_CLIENTS_CAP) {
          this.overflow.authClients += o.count;
          continue;
        }
        this.auth.set(key, (c = { count: 0, first: null, last: null, usernames: [] }));
      }
      c.count += o.count;
      if (o.first !== null && (c.first === null || compareTime(o.first, c.first) < 0)) c.first = o.first;
      if (o.last !== null && (c.last === null || compareTime(o.last, c.last) > 0)) c.last = o.last;
      for (const u of o.usernames) {
        if (c.usernames.includes(u)) continue;
        if (c.usernames.length < AUTH_USERNAMES_PER_CLIENT) c.usernames.push(u);
        else this.overflow.authUsernames++;
      }
    }
  }

  /** What a state file keeps (src/state/): every counter, map entry and sketch, within their caps. */
  exportState(): TrafficState {
    return {
      received: this.received,
      delivered: this.delivered,
      deferrals: this.deferrals,
      bounced: this.bounced,
      expired: this.expired,
      rejected: this.rejected,
      authFailures: this.authFailures,
      deferredMessages: this.deferredMessages.exportState(),
      rejectedMessages: this.rejectedMessages.exportState(),
      hours: [...this.hours].map(([k, h]) => [k, { ...h }]),
      domains: [...this.domains].map(([k, d]) => [k, { ...d }]),
      senders: this.senders.exportState(),
      recipients: this.recipients.exportState(),
      auth: [...this.auth].map(([k, c]) => [k, { ...c, usernames: [...c.usernames] }]),
      delays: this.delays,
      overflow: { ...this.overflow },
    };
  }

  /** The overview a state file describes; throws on a map longer than its cap (not our file). */
  static fromState(s: TrafficState): Traffic {
    if (s.hours.length > TRAFFIC_HOURS_CAP) throw new Error('more traffic hours than the cap');
    if (s.domains.length > TRAFFIC_DOMAINS_CAP + 1) throw new Error('more traffic domains than the cap');
    if (s.auth.length > AUTH_CLIENTS_CAP) throw new Error('more authentication clients than the cap');
    const t = new Traffic();
    t.received = s.received;
    t.delivered = s.delivered;
    t.deferrals = s.deferrals;
    t.bounced = s.bounced;
    t.expired = s.expired;
    t.rejected = s.rejected;
    t.authFailures = s.authFailures;
    t.deferredMessages = DistinctCounter.fromState(s.deferredMessages);
    t.rejectedMessages = DistinctCounter.fromState(s.rejectedMessages);
    for (const [k, h] of s.hours) t.hours.set(k, { ...h });
    for (const [k, d] of s.domains) t.domains.set(k, { ...d });
    t.senders = TopK.fromState(s.senders);
    t.recipients = TopK.fromState(s.recipients);
    for (const [k, c] of s.auth) t.auth.set(k, { ...c, usernames: c.usernames.slice(0, AUTH_USERNAMES_PER_CLIENT) });
    t.delays = s.delays;
    Object.assign(t.overflow, s.overflow);
    return t;
  }

  /** Overflow counters that are not zero, by name (for the summary's `overflow`). */
  overflowed(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.overflow)) if (v > 0) out[k] = v;
    const topK = (this.senders.overflowed ? 1 : 0) + (this.recipients.overflowed ? 1 : 0);
    if (topK > 0) out.topK = topK;
    return out;
  }

  /** The overview as the reports show it (plain data: safe to send to another thread). */
  report(top = TRAFFIC_REPORT_TOP): TrafficReport {
    const hourly: TrafficHour[] = [...this.hours.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([key, h]) => ({ hour: `${key}:00:00.000Z`, ...h }));
    const domains: TrafficDomain[] = [...this.domains.entries()]
      .map(([domain, d]) => ({
        domain,
        delivered: d.delivered,
        deferred: d.deferred,
        bounced: d.bounced,
        delayAverage: d.delays > 0 ? round2(d.delaySum / d.delays) : null,
        delayMax: d.delays > 0 ? d.delayMax : null,
      }))
      .sort((a, b) => b.delivered - a.delivered || b.deferred + b.bounced - (a.deferred + a.bounced) || cmp(a.domain, b.domain))
      .slice(0, top);
    const clients: AuthFailureClient[] = [...this.auth.entries()]
      .map(([client, c]) => ({ client, count: c.count, firstSeen: c.first, lastSeen: c.last, usernames: [...c.usernames] }))
      .sort((a, b) => b.count - a.count || cmp(a.client, b.client))
      .slice(0, top);
    return {
      received: this.received,
      delivered: this.delivered,
      deferred: { messages: this.deferredMessages.count(), attempts: this.deferrals },
      bounced: this.bounced,
      expired: this.expired,
      rejected: { messages: this.rejectedMessages.count(), attempts: this.rejected },
      approximate: this.deferredMessages.approximate || this.rejectedMessages.approximate,
      hourly,
      delays: this.delays,
      domains,
      domainsTotal: this.domains.size,
      topSenders: this.senders.top(top).map((e) => ({ address: e.value, count: e.count })),
      topRecipients: this.recipients.top(top).map((e) => ({ address: e.value, count: e.count })),
      authFailures: { total: this.authFailures, clientsTotal: this.auth.size, clients },
    };
  }
}

/** A Traffic as a state file holds it (see exportState): maps as [key, value] lists in their order. */
export interface TrafficState {
  received: number;
  delivered: number;
  deferrals: number;
  bounced: number;
  expired: number;
  rejected: number;
  authFailures: number;
  deferredMessages: DistinctState;
  rejectedMessages: DistinctState;
  hours: Array<[string, Hour]>;
  domains: Array<[string, Domain]>;
  senders: TopKState;
  recipients: TopKState;
  auth: Array<[string, AuthClient]>;
  delays: boolean;
  overflow: { trafficHours: number; trafficDomains: number; authClients: number; authUsernames: number };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const round2 = (n: number): number => Math.round(n * 100) / 100;
