/**
 * The syslog envelope: time, host, program and pid in front of an MTA's message, in the forms
 * found on real servers. Only the envelope is parsed here; the message body is the MTA parser's.
 *
 *   classic RFC 3164   `Nov 22 10:00:00 host postfix/smtpd[123]: …` (day `1`, ` 1` or `01`;
 *                      `journalctl -o short-precise` and Postfix's maillog_file add `.uuuuuu`)
 *   RFC 3339           `2026-11-22T10:00:00.123456+01:00 host postfix/smtpd[123]: …`
 *                      (rsyslog's default since Debian 12; journalctl short-iso writes `+0100`)
 *   RFC 5424           `<22>1 2026-11-22T10:00:00.123Z host postfix/smtpd 123 - - …`
 *   test driver        `./smtpd_check: …` (Postfix's own test programs, no time or host)
 * A `<PRI>` in front of the classic and RFC 3339 forms (raw network syslog) is accepted.
 */

export interface Envelope {
  /** ISO 8601 UTC, or null when the form has no time. */
  time: string | null;
  host: string | null;
  program: string;
  pid: number | null;
  /** The message after `program[pid]: `. */
  body: string;
}

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

// `Nov 22 10:00:00[.ffffff] host prog[pid]: ` — host and program are runs of non-space; the
// program stops at `[` or `:`. Does not match a line without `: ` after the program.
const CLASSIC_RE =
  /^(?:<\d{1,3}>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ([^\s]*) ([^\s[:]+)(?:\[(\d{1,10})\])?: ?/;

// `2026-11-22T10:00:00[.ffffff][Z|+01:00|+0100] host prog[pid]: `
const ISO_RE =
  /^(?:<\d{1,3}>)?(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)? ([^\s]+) ([^\s[:]+)(?:\[(\d{1,10})\])?: ?/;

// `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`; SD is `-` or `[…]` blocks.
const RFC5424_RE = /^<\d{1,3}>1 ([^ ]+) ([^ ]+) ([^ ]+) ([^ ]+) [^ ]+ (?:-|(?:\[[^\]]*\])+) ?/;
const ISO_TIME_RE = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)$/;

// `./smtpd_check: ` — a test driver writing to stderr.
const DRIVER_RE = /^\.\/([A-Za-z0-9_-]+): /;

/** Milliseconds from a fraction string of any length. */
function millis(frac: string | undefined): number {
  if (!frac) return 0;
  return Number((frac + '00').slice(0, 3));
}

/** Offset in minutes east of UTC from `Z`, `+01:00` or `+0100`. */
function offsetMinutes(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

/**
 * Year for year-less classic timestamps. The first line's year is the reference's, or the one
 * before when its month lies after the reference month (a file written before New Year and
 * read in January). After that the year advances when the month falls from Nov/Dec to
 * Jan/Feb (New Year inside one file); other backward jumps (hand-assembled excerpts, clock
 * fixes) leave the year alone.
 */
export class YearResolver {
  private year: number | null = null;
  private lastMonth = -1;
  constructor(
    private readonly reference: Date,
    private readonly forced?: number,
  ) {}

  resolve(month: number): number {
    if (this.forced !== undefined) return this.forced;
    if (this.year === null) {
      const refYear = this.reference.getFullYear();
      this.year = month > this.reference.getMonth() ? refYear - 1 : refYear;
    } else if (this.lastMonth >= 10 && month <= 1) {
      this.year += 1;
    }
    this.lastMonth = month;
    return this.year;
  }
}

/**
 * Reads envelopes for one input. Keeps a one-entry cache of the last timestamp text, since
 * busy logs repeat the same second many times.
 */
export class EnvelopeReader {
  private readonly years: YearResolver;
  private lastStamp = '';
  private lastIso: string | null = null;

  constructor(reference: Date, forcedYear?: number) {
    this.years = new YearResolver(reference, forcedYear);
  }

  read(line: string): Envelope | null {
    const c0 = line.charCodeAt(0);
    let start = 0;
    if (c0 === 60 /* < */) {
      if (line.startsWith('1 ', line.indexOf('>') + 1)) return this.rfc5424(line);
      start = line.indexOf('>') + 1;
    }
    const c = line.charCodeAt(start);
    if (c >= 65 && c <= 90) return this.classic(line);
    if (c >= 48 && c <= 57) return this.iso(line);
    if (c === 46 /* . */) {
      const m = DRIVER_RE.exec(line);
      if (m) return { time: null, host: null, program: m[1]!, pid: null, body: line.slice(m[0].length) };
    }
    return null;
  }

  private classic(line: string): Envelope | null {
    const m = CLASSIC_RE.exec(line);
    if (!m) return null;
    const month = MONTHS[m[1]!];
    if (month === undefined) return null;
    const stampEnd = m[0].indexOf(' ', m[0].indexOf(':') + 1);
    const stamp = m[0].slice(0, stampEnd);
    let iso: string | null;
    if (stamp === this.lastStamp) {
      iso = this.lastIso;
    } else {
      const year = this.years.resolve(month);
      const d = new Date(year, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), millis(m[6]));
      iso = Number.isNaN(d.getTime()) ? null : d.toISOString();
      this.lastStamp = stamp;
      this.lastIso = iso;
    }
    return { time: iso, host: m[7] || null, program: m[8]!, pid: m[9] ? Number(m[9]) : null, body: line.slice(m[0].length) };
  }

  private iso(line: string): Envelope | null {
    const m = ISO_RE.exec(line);
    if (!m) return null;
    const stamp = m[0].slice(0, m[0].indexOf(' ', 19));
    let iso: string | null;
    if (stamp === this.lastStamp) {
      iso = this.lastIso;
    } else {
      const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as number[];
      iso = m[8]
        ? utcIso(y!, mo!, d!, h!, mi!, s!, millis(m[7]), offsetMinutes(m[8]))
        : localIso(y!, mo!, d!, h!, mi!, s!, millis(m[7]));
      this.lastStamp = stamp;
      this.lastIso = iso;
    }
    return { time: iso, host: m[9]!, program: m[10]!, pid: m[11] ? Number(m[11]) : null, body: line.slice(m[0].length) };
  }

  private rfc5424(line: string): Envelope | null {
    const m = RFC5424_RE.exec(line);
    if (!m) return null;
    let time: string | null = null;
    const t = ISO_TIME_RE.exec(m[1]!);
    if (t) {
      const [y, mo, d, h, mi, s] = [t[1], t[2], t[3], t[4], t[5], t[6]].map(Number) as number[];
      time = utcIso(y!, mo!, d!, h!, mi!, s!, millis(t[7]), offsetMinutes(t[8]!));
    }
    const nil = (v: string) => (v === '-' ? null : v);
    const pid = m[4] !== '-' && /^\d+$/.test(m[4]!) ? Number(m[4]) : null;
    let body = line.slice(m[0].length);
    if (body.charCodeAt(0) === 0xfeff) body = body.slice(1); // BOM before an UTF-8 MSG
    return { time, host: nil(m[2]!), program: m[3]!, pid, body };
  }
}

function utcIso(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offMin: number): string | null {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offMin * 60_000;
  return Number.isNaN(t) || mo < 1 || mo > 12 || d < 1 || d > 31 ? null : new Date(t).toISOString();
}

function localIso(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): string | null {
  const t = new Date(y, mo - 1, d, h, mi, s, ms).getTime();
  return Number.isNaN(t) || mo < 1 || mo > 12 ? null : new Date(t).toISOString();
}
