/**
 * Timestamps in Exchange logs and cmdlet output → ISO 8601 UTC.
 *
 * - Native logs (message tracking, protocol): `2016-04-05T00:00:02.052Z`, already UTC (Microsoft
 *   Learn "Message tracking": `yyyy-mm-ddThh:mm:ss.fffZ`). In exactly that form the stamp is
 *   validated once per second of log and given back as a copy (events' times are kept by the
 *   findings, and a slice would keep the row's chunk of the log alive).
 * - Get-MessageTrackingLog output (Export-Csv, Format-List): the Timestamp property converted to
 *   the server's local time and culture: `11/22/2026 10:00:00 AM` (en-US), `28/10/2023 20:18:34`
 *   (en-GB and most day-first cultures), `22.11.2026 10:00:00` (de), `2026-11-22 10:00:00`.
 *   Local time becomes UTC in the time zone this process runs in, as parsers/syslog.ts does for
 *   zone-less syslog stamps: run with TZ set to the server's zone when they differ.
 */
import { flatCopy } from '../../src/text/flat-copy.js';

// `2016-04-05T00:00:02.052Z` with 0–7 fraction digits (Exchange writes 3; .NET round-trip writes 7).
const ISO_UTC_RE = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,7}))?Z$/;

// `11/22/2026 10:00:00 AM`, `22.11.2026 10:00`, `2026-11-22 10:00:00`, `2026-11-22T10:00:00`:
// three numbers with one separator kind, a time, optionally seconds, a fraction, AM/PM or a zone.
const LOCAL_RE =
  /^(\d{1,4})([/.-])(\d{1,2})[/.-](\d{1,4})[ T](\d{1,2}):(\d\d)(?::(\d\d))?(?:[.,](\d{1,7}))?(?: ?([AaPp])\.?[Mm]\.?)?(Z|[+-]\d\d:?\d\d)?$/;

function millis(frac: string | undefined): number {
  return frac ? Number((frac + '00').slice(0, 3)) : 0;
}

/** `2016-04-05T00:00:` of the last stamp in the common form, validated; a string of its own. */
let lastMinute = '';

const isDigit = (text: string, at: number): boolean => {
  const c = text.charCodeAt(at);
  return c >= 48 && c <= 57;
};

/** A native `…Z` timestamp, or null when the text is not one. */
export function utcTime(text: string): string | null {
  if (text.length === 24 && text.charCodeAt(23) === 90 /* Z */ && text.charCodeAt(19) === 46 /* . */) {
    // The common case: the rows of one minute share its first 17 characters (a busy log has
    // rows in most seconds, but seldom several in one).
    if (lastMinute !== '' && text.startsWith(lastMinute)) {
      const s1 = text.charCodeAt(17);
      if (!(s1 >= 48 && s1 <= 53 /* 0-5 */ && isDigit(text, 18) && isDigit(text, 20) && isDigit(text, 21) && isDigit(text, 22))) return null;
    } else {
      if (!ISO_UTC_RE.test(text) || !validCalendar(text)) return null;
      lastMinute = flatCopy(text.slice(0, 17));
    }
    // Two strings of their own: seconds and milliseconds are under 13 characters, which V8 never slices.
    return lastMinute + text.slice(17);
  }
  const m = ISO_UTC_RE.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as number[];
  return fromUtc(y!, mo!, d!, h!, mi!, s!, millis(m[7]));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(y: number, mo: number): number {
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return leap ? 29 : DAYS_IN_MONTH[mo - 1]!;
}

/** Does the calendar agree with a well-formed stamp (no month 13, no 31 February)? */
function validCalendar(text: string): boolean {
  const num = (from: number, to: number) => Number(text.slice(from, to));
  const y = num(0, 4);
  const mo = num(5, 7);
  const d = num(8, 10);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return false;
  return num(11, 13) <= 23 && num(14, 16) <= 59 && num(17, 19) <= 59;
}

function fromUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): string | null {
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms)).toISOString();
}

/**
 * A Timestamp as PowerShell shows it, or a native stamp. Which number is the month:
 * year-first forms are ISO; with AM/PM the culture is en-US (month first); otherwise day first
 * (the 24-hour cultures: en-GB, de, fr, …), unless the second number cannot be a month.
 */
export function anyTime(text: string): string | null {
  const t = text.trim();
  const native = utcTime(t);
  if (native !== null) return native;
  if (t.length > 40) return null;
  const m = LOCAL_RE.exec(t);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[3]);
  const c = Number(m[4]);
  let y: number, mo: number, d: number;
  if (m[1]!.length === 4) {
    [y, mo, d] = [a, b, c];
  } else if (m[4]!.length === 4) {
    const monthFirst = m[9] !== undefined || b > 12;
    [y, mo, d] = monthFirst ? [c, a, b] : [c, b, a];
  } else {
    return null;
  }
  let h = Number(m[5]);
  const mi = Number(m[6]);
  const s = m[7] ? Number(m[7]) : 0;
  if (m[9] !== undefined) {
    if (h < 1 || h > 12) return null;
    const pm = m[9] === 'P' || m[9] === 'p';
    h = (h % 12) + (pm ? 12 : 0);
  }
  const ms = millis(m[8]);
  if (m[10]) {
    const zone = m[10];
    const off = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    const utc = fromUtc(y, mo, d, h, mi, s, ms);
    return utc === null ? null : new Date(Date.parse(utc) - off * 60_000).toISOString();
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  return new Date(y, mo - 1, d, h, mi, s, ms).toISOString();
}
