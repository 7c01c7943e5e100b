/**
 * Format detection for Exchange inputs: does one line look like a message tracking log, an SMTP
 * Receive protocol log, a Get-MessageTrackingLog export or its Format-List output? Cheap (prefix
 * tests and a few indexOf) and strict enough not to claim Postfix or Exim lines: Exim's
 * `2026-11-22 10:00:00 …` has a space where Exchange's `2026-11-22T10:00:00.000Z,` has `T`…`Z,`,
 * and syslog RFC 3339 stamps are followed by a space, not a comma.
 */
import { isTrackingPropertyLine } from './format-list.js';
import { KNOWN_EVENT_IDS } from './tracking.js';

/** Microsoft Learn "Message tracking", Source values. */
const SOURCES = [
  'SMTP', 'STOREDRIVER', 'ROUTING', 'AGENT', 'DSN', 'QUEUE', 'DNS', 'PICKUP', 'ADMIN', 'GATEWAY',
  'MAILBOXRULE', 'APPROVAL', 'BOOTLOADER', 'MEETINGMESSAGEPROCESSOR', 'ORAR', 'POISONMESSAGE',
  'PUBLICFOLDER', 'REDUNDANCY', 'SAFETYNET',
];

// `2016-04-05T00:00:02.052Z,` — the date-time column that opens every native row.
const ISO_CELL_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,7})?Z,/;
// Protocol log: date-time, connector-id, a 16-hex-digit session-id, a sequence number.
const PROTOCOL_ROW_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,7})?Z,[^,]{0,300},[0-9A-F]{16},\d{1,9},/;

/** Sniffing looks at the start of a line only; a 1 MB line costs no more than this much. */
const SNIFF_CHARS = 4096;

/** `,SOURCE,EVENTID,` (native) or `","SOURCE","EVENTID","` (Export-Csv) somewhere in the row. */
function hasSourceAndEvent(row: string, quoted: boolean): boolean {
  const q = quoted ? '"' : '';
  const sep = `${q},${q}`;
  for (const source of SOURCES) {
    const at = row.indexOf(`${sep}${source}${sep}`);
    if (at < 0) continue;
    const start = at + source.length + 2 * sep.length;
    const end = row.indexOf(`${q},`, start);
    if (end > start && KNOWN_EVENT_IDS.has(row.slice(start, end))) return true;
  }
  return false;
}

export function sniffExchange(line: string): boolean {
  let t = line.length > SNIFF_CHARS ? line.slice(0, SNIFF_CHARS) : line;
  if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
  const c = t.charCodeAt(0);
  if (c === 35 /* # */) {
    return (
      t.startsWith('#Software: Microsoft Exchange') ||
      t.startsWith('#Fields: date-time,') ||
      t.startsWith('#Log-type: Message Tracking Log') ||
      t.startsWith('#Log-type: SMTP Receive Protocol Log') ||
      (t.startsWith('#TYPE ') && (t.includes('Exchange') || t.includes('MessageTracking')))
    );
  }
  if (c >= 48 && c <= 57) {
    if (!ISO_CELL_RE.test(t)) return false;
    return PROTOCOL_ROW_RE.test(t) || hasSourceAndEvent(t, false);
  }
  if (c === 34 /* " */) return t.includes('"EventId"') || hasSourceAndEvent(t, true);
  return isTrackingPropertyLine(t) || isExportHeader(t);
}

// The first cell of an unquoted header is a bare property name.
const BARE_NAME_CELL_RE = /^[A-Za-z][A-Za-z0-9]{0,63},/;

/** An unquoted Export-Csv header (PowerShell 7 `-UseQuotes Never`). */
export function isExportHeader(line: string): boolean {
  return BARE_NAME_CELL_RE.test(line) && (line.startsWith('EventId,') || line.includes(',EventId,'));
}
