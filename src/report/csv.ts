/**
 * The CSV report: RFC 4180 via csv-stringify (fields with `,` or `"` quoted, quotes doubled),
 * CRLF line ends, a header row, one row per finding.
 *
 * Cells hold text from strangers and are opened in spreadsheets, so every text cell is
 * sanitised (control characters, escape sequences, bidi and zero-width characters stripped;
 * TAB/CR/LF become spaces, so no cell spans lines) and then neutralised: a cell whose first
 * character after any white space (spaces, no-break spaces, the other Unicode spaces, a BOM) is
 * `=`, `+`, `-` or `@`, their fullwidth forms `＝＋－＠`, their small forms `﹦﹢﹣﹫` or the minus
 * sign `−` (spreadsheets fold these to ASCII on input), or that starts with TAB/CR, gets a
 * leading `'`, so Excel, LibreOffice and Sheets show it as text instead of evaluating
 * `=HYPERLINK(…)` or `+cmd|…`. Number cells are not touched.
 *
 * No UTF-8 byte order mark: the file is just as often read by scripts (csv-parse, Python's
 * csv, awk, diff), where a BOM sticks to the first header name (`\uFEFFrank`). Excel users
 * import it with Data → From Text/CSV, which asks for the encoding.
 */
import { stringify } from 'csv-stringify/sync';
import type { ComparedFinding, Finding, Report } from '../aggregate/types.js';
import { changeOf } from './compare.js';
import { sanitize } from '../text/sanitize.js';

export const CSV_COLUMNS = [
  'rank',
  'mta',
  'direction',
  'recipient_domain',
  'cause',
  'hint',
  'permanent',
  'action',
  'action_reason',
  'suggestion',
  'rule',
  'messages',
  'count',
  'distinct_recipients',
  'distinct_senders',
  'distinct_clients',
  'smtp_codes',
  'enhanced_status',
  'first_seen',
  'last_seen',
  'hosts',
  'top_recipients',
  'verify',
  'advice',
  'example',
  // Appended, so scripts that read the earlier columns by position keep working.
  'onset',
  'onset_note',
  'after',
] as const;

type Row = Record<(typeof CSV_COLUMNS)[number], string | number>;

/**
 * First character after any leading white space is a formula trigger, or the cell starts with
 * TAB/CR. `\s` covers the no-break space, the Unicode spaces and U+FEFF; one class repeated,
 * then one character: linear.
 */
const FORMULA_RE = /^(?:[\t\r]|\s*[=+\-@\u2212\ufe62\ufe63\ufe66\ufe6b\uff0b\uff0d\uff1d\uff20])/;

/** A text cell made safe for a spreadsheet: sanitised, and prefixed with `'` when it could be a formula. */
export function csvTextCell(value: string | null): string {
  if (value === null) return '';
  const clean = sanitize(value);
  return FORMULA_RE.test(clean) ? `'${clean}` : clean;
}

function row(f: Finding): Row {
  return {
    rank: f.rank,
    mta: csvTextCell(f.mta),
    direction: csvTextCell(f.direction),
    recipient_domain: csvTextCell(f.recipientDomain),
    cause: csvTextCell(f.cause),
    hint: csvTextCell(f.hint),
    permanent: f.permanent ? 'true' : 'false',
    action: csvTextCell(f.action),
    action_reason: csvTextCell(f.actionReason),
    suggestion: csvTextCell(f.suggestion),
    rule: csvTextCell(f.rule),
    messages: f.messages,
    count: f.count,
    distinct_recipients: f.distinctRecipients,
    distinct_senders: f.distinctSenders,
    distinct_clients: f.distinctClients,
    smtp_codes: csvTextCell(f.smtpCodes.join(' ')),
    enhanced_status: csvTextCell(f.enhancedStatus.join(' ')),
    first_seen: csvTextCell(f.firstSeen),
    last_seen: csvTextCell(f.lastSeen),
    hosts: csvTextCell(f.hosts.map((h) => `${h.host} (${h.count})`).join('; ')),
    top_recipients: csvTextCell(f.topRecipients.map((r) => `${r.address} (${r.count})`).join('; ')),
    verify: csvTextCell(f.verify),
    advice: csvTextCell(f.advice),
    example: csvTextCell(f.examples[0] ?? null),
    onset: csvTextCell(f.onset),
    onset_note: csvTextCell(f.onsetNote),
    after: csvTextCell(f.after),
  };
}

/** A gone finding of --compare: its identity, `change` saying what it lost before; no counts now. */
function goneRow(e: ComparedFinding): Record<string, string | number> {
  return {
    change: `gone (was ${e.lostAtLeastBefore})`,
    mta: csvTextCell(e.mta),
    direction: csvTextCell(e.direction),
    recipient_domain: csvTextCell(e.recipientDomain),
    cause: csvTextCell(e.cause),
    hint: csvTextCell(e.hint),
    hosts: csvTextCell(e.host),
  };
}

/**
 * The findings as CSV text (header row even when there are none). With --compare, a first
 * column `change` (`new`, `grew (a -> b)`, `gone (was n)` or empty) and the changed rows first:
 * new, grew, then gone findings (identity only), then the rest in rank order.
 */
export function renderCsv(report: Pick<Report, 'summary' | 'findings' | 'comparison' | 'traffic' | 'markers'>): string {
  const c = report.comparison;
  let rows: Array<Record<string, string | number>> = report.findings.map(row);
  if (c) {
    const grewBy = new Map(c.grew.map((e) => [e.rank, e]));
    const tagged = report.findings.map((f, i) => {
      const change = changeOf(c, f);
      const g = grewBy.get(f.rank);
      return { change, row: { change: change === 'grew' && g ? `grew (${g.lostAtLeastBefore} -> ${g.lostAtLeastAfter})` : change, ...rows[i]! } };
    });
    rows = [
      ...tagged.filter((t) => t.change === 'new').map((t) => t.row),
      ...tagged.filter((t) => t.change === 'grew').map((t) => t.row),
      ...c.gone.map(goneRow),
      ...tagged.filter((t) => t.change === '').map((t) => t.row),
    ];
  }
  return stringify(rows, {
    header: true,
    columns: c ? ['change', ...CSV_COLUMNS] : [...CSV_COLUMNS],
    record_delimiter: '\r\n',
    quote_record_delimiter: true,
    eof: true,
  });
}
