/**
 * Follow mode without a terminal: one line per rejection, bounce or deferral as it is read,
 * to feed alerting. NDJSON (`--format json`), CSV rows after a header (`--format csv`), or a
 * plain one-line form. Every string is sanitised: log text carries control characters chosen
 * by strangers, and these lines end up on terminals and in chat messages.
 */
import { stringify } from 'csv-stringify/sync';
import { csvTextCell } from './csv.js';
import { sanitize } from '../text/sanitize.js';

/** One problem event, flattened (cli.ts builds it from the event and its classification). */
export interface ProblemRecord {
  /** ISO 8601 UTC, or null when the line had no time. */
  time: string | null;
  mta: string;
  /** The syslog host or Exchange server that logged it, when known. */
  host: string | null;
  direction: string;
  cause: string;
  hint: string;
  /** Id of the classification rule that matched. */
  rule: string;
  recipient: string | null;
  sender: string | null;
  client: string | null;
  smtpCode: number | null;
  enhancedStatus: string | null;
  /** The reply text (rejections) or the delivery status text (bounces, deferrals). */
  text: string;
}

export type ProblemFormat = 'text' | 'json' | 'csv';

const FIELDS = [
  'time',
  'mta',
  'host',
  'direction',
  'cause',
  'hint',
  'rule',
  'recipient',
  'sender',
  'client',
  'smtpCode',
  'enhancedStatus',
  'text',
] as const satisfies ReadonlyArray<keyof ProblemRecord>;

const clean = (v: string | null): string | null => (v === null ? null : sanitize(v));

/** A value as problemJson() writes it: sanitised, then as JSON. */
function jsonValue(v: string | number | null): string {
  if (typeof v !== 'string') return JSON.stringify(v);
  // Printable ASCII without `"` or a backslash (most values) is its own sanitised JSON text, quoted.
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return JSON.stringify(sanitize(v));
  }
  return '"' + v + '"';
}

/**
 * One JSON object per line, keys in FIELDS order. Written as one template rather than through
 * an object and JSON.stringify: follow mode writes one per problem as it catches up with a
 * log, and the object cost several times as much (bench/README.md).
 */
export function problemJson(r: ProblemRecord): string {
  return (
    `{"time":${jsonValue(r.time)},"mta":${jsonValue(r.mta)},"host":${jsonValue(r.host)},` +
    `"direction":${jsonValue(r.direction)},"cause":${jsonValue(r.cause)},"hint":${jsonValue(r.hint)},` +
    `"rule":${jsonValue(r.rule)},"recipient":${jsonValue(r.recipient)},"sender":${jsonValue(r.sender)},` +
    `"client":${jsonValue(r.client)},"smtpCode":${jsonValue(r.smtpCode)},` +
    `"enhancedStatus":${jsonValue(r.enhancedStatus)},"text":${jsonValue(r.text)}}\n`
  );
}

/**
 * `2026-11-22T06:25:01.000Z mx1 postfix inbound user-unknown virtual_alias_maps 550 5.1.1 to=<…>
 * from=<…> client=… rule=…: text` (`-` for an unknown host).
 */
export function problemText(r: ProblemRecord): string {
  const codes = [r.smtpCode === null ? '' : String(r.smtpCode), clean(r.enhancedStatus) ?? ''].filter((c) => c !== '').join(' ');
  const parts = [
    r.time === null ? '-' : sanitize(r.time),
    clean(r.host) || '-',
    sanitize(r.mta),
    sanitize(r.direction),
    sanitize(r.cause),
    sanitize(r.hint),
    codes === '' ? '-' : codes,
    `to=<${clean(r.recipient) ?? ''}>`,
    `from=<${clean(r.sender) ?? ''}>`,
    `client=${clean(r.client) ?? '-'}`,
    `rule=${sanitize(r.rule)}`,
  ];
  const text = sanitize(r.text).trim();
  return parts.join(' ') + (text === '' ? '' : `: ${text}`) + '\n';
}

export const PROBLEM_CSV_HEADER = stringify([[...FIELDS]], { record_delimiter: '\r\n' });

/** One CSV row (RFC 4180, formula cells neutralised as in the CSV report). */
export function problemCsv(r: ProblemRecord): string {
  const row = FIELDS.map((k) => {
    const v = r[k];
    return typeof v === 'number' ? v : csvTextCell(v);
  });
  return stringify([row], { record_delimiter: '\r\n' });
}

export function problemLine(r: ProblemRecord, format: ProblemFormat): string {
  return format === 'json' ? problemJson(r) : format === 'csv' ? problemCsv(r) : problemText(r);
}
