/**
 * `--compare FILE.json`: what changed since an earlier JSON report of this tool. A finding is
 * the same when its identity is (MTA, direction, recipient domain, cause, hint, and the host
 * with `--by host`), as the aggregator groups them. Three lists: new (not in the earlier
 * report), grew (more deliveries lost at least: max(messages, distinct recipients), the
 * ranking's measure) and gone (in the earlier report, not in this one). The earlier file is
 * read leniently (only the fields compared; newer or older reports with more fields are
 * fine; compare-load.ts, loaded only with --compare as it needs zod), and anything that is not
 * such a report is one error line.
 */
import type { Comparison, ComparedFinding, Finding, Report } from '../aggregate/types.js';
import type { PreviousReport } from './compare-load.js';
import { sanitize } from '../text/sanitize.js';

const lost = (f: { messages: number; distinctRecipients: number }): number => Math.max(f.messages, f.distinctRecipients);

interface Identity {
  mta: string;
  direction: string;
  recipientDomain: string | null;
  cause: string;
  hint: string;
  hosts: Array<{ host: string }>;
}

/** One string per identity; the host only when findings are split by host (then it is their one host). */
function identityKey(f: Identity, byHost: boolean): string {
  const host = byHost ? (f.hosts[0]?.host ?? '') : '';
  return JSON.stringify([f.mta, f.direction, f.recipientDomain, f.cause, f.hint, byHost ? host : null]);
}

function entry(f: Identity, byHost: boolean, rank: number | null, before: number | null, after: number | null): ComparedFinding {
  return {
    rank,
    mta: f.mta,
    direction: f.direction,
    recipientDomain: f.recipientDomain,
    cause: f.cause,
    hint: f.hint,
    host: byHost ? (f.hosts[0]?.host ?? null) : null,
    lostAtLeastBefore: before,
    lostAtLeastAfter: after,
  };
}

/** What changed from `previous` to `report`; each list in the order of the report it comes from. */
export function compareReports(previous: PreviousReport, report: Report, against: string, byHost: boolean): Comparison {
  const before = new Map<string, PreviousReport['findings'][number]>();
  for (const f of previous.findings) before.set(identityKey(f, byHost), f);
  const seen = new Set<string>();
  const added: ComparedFinding[] = [];
  const grew: ComparedFinding[] = [];
  for (const f of report.findings) {
    const k = identityKey(f, byHost);
    seen.add(k);
    const old = before.get(k);
    if (old === undefined) added.push(entry(f, byHost, f.rank, null, lost(f)));
    else if (lost(f) > lost(old)) grew.push(entry(f, byHost, f.rank, lost(old), lost(f)));
  }
  const gone: ComparedFinding[] = [];
  for (const [k, f] of before) if (!seen.has(k)) gone.push(entry(f, byHost, null, lost(f), null));
  return {
    against,
    previousFirstSeen: previous.summary.firstSeen,
    previousLastSeen: previous.summary.lastSeen,
    new: added,
    grew,
    gone,
  };
}

/** The change of a finding in `c`, for the CSV column and the view's marker: new, grew or ''. */
export function changeOf(c: Comparison, f: Pick<Finding, 'rank'>): 'new' | 'grew' | '' {
  if (c.new.some((e) => e.rank === f.rank)) return 'new';
  if (c.grew.some((e) => e.rank === f.rank)) return 'grew';
  return '';
}

/** Entries listed per kind in the text report; the rest are counted. */
export const TEXT_CHANGES_SHOWN = 15;

/** `postfix inbound example.com user-unknown virtual_alias_maps [mx1]`, sanitised. */
export function describeCompared(e: ComparedFinding): string {
  const parts = [e.mta, e.direction, e.recipientDomain ?? '-', e.cause, e.hint];
  if (e.host !== null) parts.push(`[${e.host}]`);
  return sanitize(parts.join(' '));
}

/**
 * The text report's first section, not yet fitted to the width: [prefix, text] pairs, the text
 * to be wrapped beside its prefix (a hanging indent).
 */
export function comparisonText(c: Comparison): Array<[string, string]> {
  const span = c.previousFirstSeen && c.previousLastSeen ? ` (${sanitize(c.previousFirstSeen)} to ${sanitize(c.previousLastSeen)})` : '';
  const out: Array<[string, string]> = [
    ['', `Since ${sanitize(c.against)}${span}: ${c.new.length} new, ${c.grew.length} grew, ${c.gone.length} gone.`],
  ];
  const list = (label: string, items: ComparedFinding[], what: (e: ComparedFinding) => string): void => {
    for (const e of items.slice(0, TEXT_CHANGES_SHOWN)) {
      out.push([`  ${label.padEnd(5)} ${e.rank === null ? '' : `#${e.rank}`}`.padEnd(14), `${describeCompared(e)}: ${what(e)}`]);
    }
    if (items.length > TEXT_CHANGES_SHOWN) out.push([`  ${label.padEnd(5)}`.padEnd(14), `… and ${items.length - TEXT_CHANGES_SHOWN} more`]);
  };
  list('new', c.new, (e) => `lost at least ${e.lostAtLeastAfter}`);
  list('grew', c.grew, (e) => `lost at least ${e.lostAtLeastBefore} → ${e.lostAtLeastAfter}`);
  list('gone', c.gone, (e) => `was ${e.lostAtLeastBefore}`);
  return out;
}
