/**
 * The answer key: planted events summed per (direction, recipient domain, cause), which is how
 * maillog-doctor groups its findings, plus a breakdown by planted phrasing for people.
 */
import type { Cause, Direction, Planted } from './postfix.js';

export interface TallyRow {
  direction: Direction;
  /** Lower-cased domain of orig_to if present, else of to; null when the line names no recipient. */
  recipientDomain: string | null;
  cause: Cause;
  count: number;
  distinctRecipients: number;
}

export interface WhatRow {
  what: string;
  direction: Direction;
  cause: Cause;
  count: number;
}

export function domainOf(address: string | null): string | null {
  if (address === null) return null;
  const at = address.lastIndexOf('@');
  return at < 0 ? null : address.slice(at + 1).toLowerCase();
}

export class Tally {
  private readonly groups = new Map<string, { row: Omit<TallyRow, 'distinctRecipients'>; recipients: Set<string> }>();
  private readonly whats = new Map<string, WhatRow>();
  total = 0;

  add(p: Planted): void {
    this.total++;
    const domain = domainOf(p.recipient);
    const key = `${p.direction}\t${domain ?? ''}\t${p.cause}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { row: { direction: p.direction, recipientDomain: domain, cause: p.cause, count: 0 }, recipients: new Set() }));
    g.row.count++;
    if (p.recipient !== null) g.recipients.add(p.recipient.toLowerCase());
    const wkey = `${p.direction}\t${p.cause}\t${p.what}`;
    const w = this.whats.get(wkey) ?? { what: p.what, direction: p.direction, cause: p.cause, count: 0 };
    w.count++;
    this.whats.set(wkey, w);
  }

  /** Biggest first; ties in a fixed order so the output is byte-stable. */
  rows(): TallyRow[] {
    return [...this.groups.values()]
      .map((g) => ({ ...g.row, distinctRecipients: g.recipients.size }))
      .sort((a, b) => b.count - a.count || cmp(a.direction, b.direction) || cmp(a.recipientDomain ?? '', b.recipientDomain ?? '') || cmp(a.cause, b.cause));
  }

  byWhat(): WhatRow[] {
    return [...this.whats.values()].sort((a, b) => b.count - a.count || cmp(a.direction, b.direction) || cmp(a.what, b.what));
  }

  /** Events per cause and direction, for the README's overview. */
  byCause(): { direction: Direction; cause: Cause; count: number; domains: number; distinctRecipients: number }[] {
    const m = new Map<string, { direction: Direction; cause: Cause; count: number; domains: Set<string>; recipients: Set<string> }>();
    for (const g of this.groups.values()) {
      const key = `${g.row.direction}\t${g.row.cause}`;
      const e = m.get(key) ?? { direction: g.row.direction, cause: g.row.cause, count: 0, domains: new Set<string>(), recipients: new Set<string>() };
      e.count += g.row.count;
      e.domains.add(g.row.recipientDomain ?? '');
      for (const r of g.recipients) e.recipients.add(r);
      m.set(key, e);
    }
    return [...m.values()]
      .map((e) => ({ direction: e.direction, cause: e.cause, count: e.count, domains: e.domains.size, distinctRecipients: e.recipients.size }))
      .sort((a, b) => b.count - a.count || cmp(a.direction, b.direction) || cmp(a.cause, b.cause));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
