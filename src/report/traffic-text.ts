/**
 * The traffic overview as lines of plain text (no colour), for the text report's "Traffic"
 * section and the interactive view's overview (key `t`), which shows the same lines. Every
 * string from a log goes through `sanitize`; counts use plural().
 */
import type { AddressCount, TrafficReport } from '../aggregate/types.js';
import { plural } from '../text/plural.js';
import { sanitize } from '../text/sanitize.js';
import { displayWidth, fit, truncate, wrap } from '../text/width.js';

export interface TrafficTextOptions {
  /** Entries shown per list (domains, senders, recipients, clients). */
  top?: number;
}

/** Entries shown per list by default. */
export const TRAFFIC_TEXT_TOP = 5;
/** Past this many hours the per-hour table is folded into the 24 hours of the day. */
export const HOURS_SHOWN = 24;

/** Seconds as `0.38 s`, `12 s`, `3.2 min`, `5.1 h`, `2.0 d`. */
export function duration(s: number | null): string {
  if (s === null) return '-';
  if (s < 10) return `${Math.round(s * 100) / 100} s`;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}

/** True when the overview has anything to show. */
export function hasTraffic(t: TrafficReport): boolean {
  return t.received + t.delivered + t.deferred.attempts + t.bounced + t.rejected.attempts + t.authFailures.total > 0;
}

/** The one-line totals: `12 received, 30 delivered, 3 deferred (7 attempts), …`. */
export function trafficTotals(t: TrafficReport): string {
  const parts = [`${t.received} received`, `${t.delivered} delivered`];
  parts.push(`${t.deferred.messages} deferred${t.deferred.attempts !== t.deferred.messages ? ` (${plural(t.deferred.attempts, 'attempt')})` : ''}`);
  parts.push(`${t.bounced} bounced${t.expired > 0 ? ` (${t.expired} expired)` : ''}`);
  parts.push(`${t.rejected.messages} rejected${t.rejected.attempts !== t.rejected.messages ? ` (${plural(t.rejected.attempts, 'refusal')})` : ''}`);
  return parts.join(', ') + (t.approximate ? ' (distinct message counts estimated)' : '');
}

function labelled(label: string, text: string, width: number): string[] {
  const head = `  ${label.padEnd(12)}`;
  const room = Math.max(10, width - displayWidth(head));
  return wrap(text, room).map((l, i) => (i === 0 ? head : ' '.repeat(head.length)) + l);
}

function columns(rows: string[][], right: boolean[], width: number, indent: number): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => displayWidth(r[c]!))));
  return rows.map((r) =>
    truncate(' '.repeat(indent) + r.map((cell, c) => fit(cell, widths[c]!, right[c] ?? false)).join('  ').trimEnd(), width),
  );
}

function addresses(list: AddressCount[], top: number): string {
  return list
    .slice(0, top)
    .map((a) => `${sanitize(a.address)} (${a.count})`)
    .join(', ');
}

/** The "Traffic" section: a title line, then indented lines at most `width` columns wide. */
export function trafficLines(t: TrafficReport, width: number, options: TrafficTextOptions = {}): string[] {
  const top = options.top ?? TRAFFIC_TEXT_TOP;
  const out: string[] = ['Traffic'];
  if (!hasTraffic(t)) {
    out.push('  nothing received, delivered or refused in this log');
    return out;
  }
  out.push(...labelled('messages:', trafficTotals(t), width));

  if (t.hourly.length > 0) {
    const folded = t.hourly.length > HOURS_SHOWN;
    const rows = [[folded ? 'hour (UTC, all days)' : 'hour (UTC)', 'received', 'delivered', 'deferred', 'bounced', 'rejected']];
    if (folded) {
      const byHour = Array.from({ length: 24 }, () => [0, 0, 0, 0, 0]);
      for (const h of t.hourly) {
        const k = Number(h.hour.slice(11, 13));
        const b = byHour[k]!;
        b[0]! += h.received;
        b[1]! += h.delivered;
        b[2]! += h.deferred;
        b[3]! += h.bounced;
        b[4]! += h.rejected;
      }
      byHour.forEach((b, k) => rows.push([`${String(k).padStart(2, '0')}:00`, ...b.map(String)]));
    } else {
      for (const h of t.hourly) {
        rows.push([`${h.hour.slice(0, 10)} ${h.hour.slice(11, 16)}`, `${h.received}`, `${h.delivered}`, `${h.deferred}`, `${h.bounced}`, `${h.rejected}`]);
      }
    }
    out.push('  per hour:');
    out.push(...columns(rows, [false, true, true, true, true, true], width, 4));
  }

  if (t.domains.length > 0) {
    const shown = t.domains.slice(0, top);
    const rows = [['recipient domain', 'delivered', 'deferred', 'bounced', 'avg delay', 'max delay']];
    for (const d of shown) {
      rows.push([sanitize(d.domain), `${d.delivered}`, `${d.deferred}`, `${d.bounced}`, duration(d.delayAverage), duration(d.delayMax)]);
    }
    out.push(`  per domain: ${t.domainsTotal > shown.length ? `top ${shown.length} of ${plural(t.domainsTotal, 'domain')}` : plural(t.domainsTotal, 'domain')}${t.delays ? '' : '; no delay in this log'}`);
    out.push(...columns(rows, [false, true, true, true, true, true], width, 4));
  }
  if (t.topSenders.length > 0) out.push(...labelled('senders:', addresses(t.topSenders, top), width));
  if (t.topRecipients.length > 0) out.push(...labelled('recipients:', addresses(t.topRecipients, top), width));

  const a = t.authFailures;
  if (a.total > 0) {
    out.push(`  auth failures: ${plural(a.total, 'SASL failure')} from ${plural(a.clientsTotal, 'client')}`);
    const rows = [['client', 'failures', 'first seen', 'last seen', 'user names tried']];
    for (const c of a.clients.slice(0, top)) {
      rows.push([sanitize(c.client), `${c.count}`, c.firstSeen ?? '-', c.lastSeen ?? '-', c.usernames.length > 0 ? c.usernames.map(sanitize).join(', ') : '-']);
    }
    out.push(...columns(rows, [false, true, false, false, false], width, 4));
  }
  return out.map((l) => truncate(l, width));
}
