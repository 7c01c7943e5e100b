/**
 * `--addresses FILE`: every address of the findings shown, one CSV row each (recipients, then
 * senders, then clients of each finding, in rank order), with the finding, its last event's
 * time, reply code and text. `--suppression-list FILE`: the recipients of outbound hard bounces
 * (see isHardBounce in src/aggregate/address-store.ts), one per line, for a mailing tool.
 *
 * Cells and lines are sanitised and neutralised as in the CSV report (csvTextCell): addresses
 * and reply texts are chosen by strangers.
 */
import { stringify } from 'csv-stringify/sync';
import type { Snapshot } from '../aggregate/types.js';
import { csvTextCell } from './csv.js';

export const ADDRESS_COLUMNS = [
  'rank',
  'mta',
  'direction',
  'recipient_domain',
  'cause',
  'hint',
  'role',
  'address',
  'count',
  'last_seen',
  'smtp_code',
  'enhanced_status',
  'hard_bounce',
  'text',
] as const;

/** The addresses CSV; the last row says how many addresses a cap left out, when one did. */
export function renderAddressesCsv(report: Snapshot): string {
  const rows: Array<Array<string | number>> = [];
  report.findings.forEach((f, i) => {
    for (const a of report.details[i]?.addresses ?? []) {
      rows.push([
        f.rank,
        csvTextCell(f.mta),
        csvTextCell(f.direction),
        csvTextCell(f.recipientDomain),
        csvTextCell(f.cause),
        csvTextCell(f.hint),
        a.role,
        csvTextCell(a.address),
        a.count,
        csvTextCell(a.lastSeen),
        a.smtpCode ?? '',
        csvTextCell(a.enhancedStatus),
        a.hardBounce ? 'true' : 'false',
        csvTextCell(a.text),
      ]);
    }
  });
  const dropped = report.summary.overflow.addresses ?? 0;
  if (dropped > 0) {
    // A comment row (first cell starting with #) rather than silence: the list is incomplete.
    rows.push([`# ${dropped} more ${dropped === 1 ? 'address was' : 'addresses were'} not listed: a memory cap was reached (see summary.overflow.addresses)`]);
  }
  return stringify(rows, {
    header: true,
    columns: [...ADDRESS_COLUMNS],
    record_delimiter: '\r\n',
    quote_record_delimiter: true,
    eof: true,
  });
}

/** An address a mailing tool can take: one `@`, something on both sides, no white space. */
const PLAIN_ADDRESS_RE = /^[^\s@]+@[^\s@]+$/;

/**
 * The suppression list: each outbound hard-bounced recipient once (the domain lower-cased, the
 * local part as logged), in code-unit order, one a line. Anything that is not a plain address
 * after sanitising is left out.
 */
export function renderSuppressionList(report: Snapshot): string {
  const out = new Set<string>();
  report.findings.forEach((f, i) => {
    if (f.direction !== 'outbound') return;
    for (const a of report.details[i]?.addresses ?? []) {
      if (a.role !== 'recipient' || !a.hardBounce) continue;
      const clean = csvTextCell(a.address);
      const at = clean.lastIndexOf('@');
      if (!PLAIN_ADDRESS_RE.test(clean)) continue;
      out.add(clean.slice(0, at + 1) + clean.slice(at + 1).toLowerCase());
    }
  });
  return [...out].sort().map((a) => `${a}\n`).join('');
}
