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

/**
 * An envelope as offsets into its line: host is `line.slice(hostAt, hostEnd)` (null when
 * empty), program `line.slice(programAt, programEnd)`, the message `line.slice(bodyAt)`.
 */
export interface EnvelopeSpan {
  time: string | null;
  hostAt: number;
  hostEnd: number;
  programAt: number;
  programEnd: number;
  pid: number | null;
  bodyAt: number;
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

/** The month index of `Jan` … `Dec` at the start of `s`, or -1 (MONTHS without the substring). */
function monthAt(s: string): number {
  const b = s.charCodeAt(1);
  const c = s.charCodeAt(2);
  switch (s.charCodeAt(0)) {
    case 74 /* J */:
      return b === 97 && c === 110 ? 0 : b === 117 ? (c === 110 ? 5 : c === 108 ? 6 : -1) : -1;
    case 70 /* F */:
      return b === 101 && c === 98 ? 1 : -1;
    case 77 /* M */:
      return b === 97 ? (c === 114 ? 2 : c === 121 ? 4 : -1) : -1;
    case 65 /* A */:
      return b === 112 && c === 114 ? 3 : b === 117 && c === 103 ? 7 : -1;
    case 83 /* S */:
      return b === 101 && c === 112 ? 8 : -1;
    case 79 /* O */:
      return b === 99 && c === 116 ? 9 : -1;
    case 78 /* N */:
      return b === 111 && c === 118 ? 10 : -1;
    case 68 /* D */:
      return b === 101 && c === 99 ? 11 : -1;
  }
  return -1;
}

/** RFC 3339 time without a zone (local time), in the fast path's cache key. */
const LOCAL = 1e6;

/** The digit at `i`, or -1. */
function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/**
 * The fraction of a second starting at `p` (after the `.`): 1 to 9 digits, of which the first
 * three give the milliseconds. Returns `end * 1000 + ms` (end: after the digits), or -1.
 */
function fraction(line: string, p: number): number {
  let ms = 0;
  let k = 0;
  for (let c = digit(line, p); c >= 0; c = digit(line, p)) {
    if (k < 3) ms += c * (k === 0 ? 100 : k === 1 ? 10 : 1);
    k++;
    p++;
  }
  return k === 0 || k > 9 ? -1 : p * 1000 + ms;
}

/** Two digits at `i` as a number, or -1. */
export function twoDigits(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

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

/** Where a YearResolver stands: the year and the month of the last stamp it resolved. */
export interface YearPlace {
  year: number;
  month: number;
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
  /** `resume`: go on from where another resolver of the same input stopped (see place()). */
  constructor(
    private readonly reference: Date,
    private readonly forced?: number,
    resume?: YearPlace,
  ) {
    if (resume !== undefined) {
      this.year = resume.year;
      this.lastMonth = resume.month;
    }
  }

  /** The year and month of the last stamp resolved (null: none yet), for a resolver to resume from. */
  place(): YearPlace | null {
    return this.year === null ? null : { year: this.year, month: this.lastMonth };
  }

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
  // The fast paths' cache: the numbers of the last time they converted (kind 1 classic, 2
  // RFC 3339; 0 after a regex path converted). Equal numbers give an equal time: the year
  // resolver does nothing for a month it has just seen.
  private lastKind = 0;
  private readonly minutes = new MinuteClock();
  private lastK1 = 0;
  private lastK2 = 0;
  private lastK3 = 0;

  constructor(reference: Date, forcedYear?: number, resume?: YearPlace) {
    this.years = new YearResolver(reference, forcedYear, resume);
  }

  /** Where the year inference stands (YearResolver.place()). */
  yearPlace(): YearPlace | null {
    return this.years.place();
  }

  /** Where the parts of the last envelope scan() found in the everyday shapes are. */
  readonly span: EnvelopeSpan = { time: null, hostAt: 0, hostEnd: 0, programAt: 0, programEnd: 0, pid: null, bodyAt: 0 };

  /**
   * Like read(), but for the everyday shapes (classic and RFC 3339 syslog) no Envelope and no
   * substrings are made: the result is then `this.span`, overwritten by the next call. Other
   * forms give read()'s Envelope; no envelope gives null. For readers of every line.
   */
  scan(line: string): EnvelopeSpan | Envelope | null {
    const c = line.charCodeAt(0);
    if (c >= 65 && c <= 90) {
      if (this.classicFast(line)) return this.span;
    } else if (c >= 48 && c <= 57) {
      if (this.isoFast(line)) return this.span;
    }
    return this.read(line);
  }

  private remember(kind: number, k1: number, k2: number, k3: number, iso: string | null): void {
    this.lastKind = kind;
    this.lastK1 = k1;
    this.lastK2 = k2;
    this.lastK3 = k3;
    this.lastIso = iso;
    this.lastStamp = ''; // the regex paths' cache no longer holds the last conversion
  }

  private fromSpan(line: string): Envelope {
    const s = this.span;
    return {
      time: s.time,
      host: s.hostEnd > s.hostAt ? line.slice(s.hostAt, s.hostEnd) : null,
      program: line.slice(s.programAt, s.programEnd),
      pid: s.pid,
      body: line.slice(s.bodyAt),
    };
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
    if (this.classicFast(line)) return this.fromSpan(line);
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
      this.lastKind = 0;
    }
    return { time: iso, host: m[7] || null, program: m[8]!, pid: m[9] ? Number(m[9]) : null, body: line.slice(m[0].length) };
  }

  /**
   * CLASSIC_RE by hand for the everyday shape, `Mmm dd hh:mm:ss[.f] host prog[pid]: `, with no
   * regex match array and no substring per field (the envelope is read on every line). Gives
   * exactly what the regex path gives (in `span`, returning true); returns false, leaving the
   * line to the regex, as soon as anything is unusual (a `<PRI>`, a character outside printable ASCII in host or program).
   */
  private classicFast(line: string): boolean {
    const n = line.length;
    if (n < 20) return false;
    const month = monthAt(line);
    if (month < 0 || line.charCodeAt(3) !== 32) return false;
    let p = 4;
    if (line.charCodeAt(p) === 32) p++;
    let day = digit(line, p);
    if (day < 0) return false;
    p++;
    const d2 = digit(line, p);
    if (d2 >= 0) {
      day = day * 10 + d2;
      p++;
    }
    if (line.charCodeAt(p) !== 32) return false;
    p++;
    const hh = twoDigits(line, p);
    const mi = twoDigits(line, p + 3);
    const ss = twoDigits(line, p + 6);
    if (hh < 0 || mi < 0 || ss < 0 || line.charCodeAt(p + 2) !== 58 || line.charCodeAt(p + 5) !== 58) return false;
    p += 8;
    let ms = 0;
    if (line.charCodeAt(p) === 46 /* . */) {
      const f = fraction(line, p + 1);
      if (f < 0) return false;
      ms = f % 1000;
      p = Math.floor(f / 1000);
    }
    if (!this.scanTail(line, p, true)) return false;
    this.classicTime(month, day, hh, mi, ss, ms);
    return true;
  }

  /**
   * `span.time` of a classic stamp (month 0–11), through the fast paths' cache. For the fast
   * paths here and their byte twins (syslog-bytes.ts), once they have read the stamp.
   */
  classicTime(month: number, day: number, hh: number, mi: number, ss: number, ms: number): void {
    let iso: string | null;
    const k1 = month * 32 + day;
    const k2 = ((hh * 60 + mi) * 60 + ss) * 1000 + ms;
    if (this.lastKind === 1 && k1 === this.lastK1 && k2 === this.lastK2) {
      iso = this.lastIso;
    } else {
      const year = this.years.resolve(month);
      iso = this.minutes.local(year, month, day, hh, mi, ss, ms);
      this.remember(1, k1, k2, 0, iso);
    }
    this.span.time = iso;
  }

  private iso(line: string): Envelope | null {
    if (this.isoFast(line)) return this.fromSpan(line);
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
      this.lastKind = 0;
    }
    return { time: iso, host: m[9]!, program: m[10]!, pid: m[11] ? Number(m[11]) : null, body: line.slice(m[0].length) };
  }

  /**
   * ISO_RE by hand for `YYYY-MM-DDThh:mm:ss[.f][zone] host prog[pid]: ` (rsyslog's RFC 3339
   * default, journalctl short-iso). Same contract as classicFast.
   */
  private isoFast(line: string): boolean {
    const n = line.length;
    if (n < 24) return false;
    const y1 = twoDigits(line, 0);
    const y2 = twoDigits(line, 2);
    const y = y1 < 0 || y2 < 0 ? -1 : y1 * 100 + y2;
    const mo = twoDigits(line, 5);
    const d = twoDigits(line, 8);
    const hh = twoDigits(line, 11);
    const mi = twoDigits(line, 14);
    const ss = twoDigits(line, 17);
    if (
      y < 0 || mo < 0 || d < 0 || hh < 0 || mi < 0 || ss < 0 ||
      line.charCodeAt(4) !== 45 || line.charCodeAt(7) !== 45 || line.charCodeAt(10) !== 84 /* T */ ||
      line.charCodeAt(13) !== 58 || line.charCodeAt(16) !== 58
    ) {
      return false;
    }
    let p = 19;
    let ms = 0;
    if (line.charCodeAt(p) === 46 /* . */) {
      const f = fraction(line, p + 1);
      if (f < 0) return false;
      ms = f % 1000;
      p = Math.floor(f / 1000);
    }
    // zone: Z, ±hh:mm, ±hhmm, or none (local time)
    let offset: number | null = null;
    const z = line.charCodeAt(p);
    if (z === 90 /* Z */) {
      offset = 0;
      p++;
    } else if (z === 43 /* + */ || z === 45 /* - */) {
      const oh = twoDigits(line, p + 1);
      let q = p + 3;
      if (line.charCodeAt(q) === 58) q++;
      const om = twoDigits(line, q);
      if (oh < 0 || om < 0) return false;
      offset = (z === 45 ? -1 : 1) * (oh * 60 + om);
      p = q + 2;
    }
    if (!this.scanTail(line, p, false)) return false;
    this.isoTime(y, mo, d, hh, mi, ss, ms, offset);
    return true;
  }

  /** `span.time` of an RFC 3339 stamp (month 1–12; offset in minutes, null: local time), as classicTime(). */
  isoTime(y: number, mo: number, d: number, hh: number, mi: number, ss: number, ms: number, offset: number | null): void {
    let iso: string | null;
    const k1 = (y * 13 + mo) * 32 + d;
    const k2 = ((hh * 60 + mi) * 60 + ss) * 1000 + ms;
    const k3 = offset ?? LOCAL;
    if (this.lastKind === 2 && k1 === this.lastK1 && k2 === this.lastK2 && k3 === this.lastK3) {
      iso = this.lastIso;
    } else {
      iso =
        offset !== null
          ? mo < 1 || mo > 12 || d < 1 || d > 31
            ? null
            : this.minutes.utc(y, mo - 1, d, hh, mi, ss, ms, offset)
          : mo < 1 || mo > 12
            ? null
            : this.minutes.local(y, mo - 1, d, hh, mi, ss, ms);
      this.remember(2, k1, k2, k3, iso);
    }
    this.span.time = iso;
  }

  /**
   * The part after the timestamp, shared by both fast paths: ` host prog[pid]: ` from `p` (the
   * space after the time) into `span` (all but the time). Host and program are printable ASCII;
   * the classic form allows an empty host (`Aug 31 00:21:33  dovecot: …`), RFC 3339 does not,
   * as their regexes do. False leaves the line to the regex path.
   */
  private scanTail(line: string, p: number, emptyHost: boolean): boolean {
    const n = line.length;
    if (p >= n || line.charCodeAt(p) !== 32) return false;
    // host: anything up to the next space
    const hostAt = ++p;
    for (;;) {
      if (p >= n) return false;
      const c = line.charCodeAt(p);
      if (c === 32) break;
      if (c < 33 || c > 126) return false;
      p++;
    }
    if (!emptyHost && p === hostAt) return false;
    const hostEnd = p++;
    // program: up to `[` or `:`
    const progAt = p;
    let c = 0;
    for (;;) {
      if (p >= n) return false;
      c = line.charCodeAt(p);
      if (c === 91 /* [ */ || c === 58 /* : */) break;
      if (c < 33 || c > 126) return false;
      p++;
    }
    if (p === progAt) return false;
    const progEnd = p;
    let pid: number | null = null;
    if (c === 91) {
      p++;
      let v = 0;
      let k = 0;
      for (let dgt = digit(line, p); dgt >= 0; dgt = digit(line, p)) {
        v = v * 10 + dgt;
        k++;
        p++;
      }
      if (k === 0 || k > 10 || line.charCodeAt(p) !== 93 /* ] */ || line.charCodeAt(p + 1) !== 58) return false;
      pid = v;
      p++;
    }
    p++; // the `:`
    if (line.charCodeAt(p) === 32) p++;
    const span = this.span;
    span.hostAt = hostAt;
    span.hostEnd = hostEnd;
    span.programAt = progAt;
    span.programEnd = progEnd;
    span.pid = pid;
    span.bodyAt = p;
    return true;
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

const SS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const MSS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * Date → ISO string for the fast paths, a Date per minute instead of per second: a log has
 * many lines in each minute, and an RFC 3339 log a different millisecond on nearly every line.
 * Within one minute (seconds 0–59) the time in UTC only moves by the seconds and milliseconds
 * (zone offsets and their changes are whole minutes; this is checked when a minute is first
 * converted, and a minute that does not pass is converted with a Date every time), so the
 * answer is the minute's `YYYY-MM-DDTHH:MM:` plus `SS.mmmZ`: what toISOString() would write.
 */
export class MinuteClock {
  private key = -1;
  private prefix = '';

  /** `new Date(y, mo0, d, h, mi, s, ms).toISOString()` (local time), null for an invalid date. */
  local(y: number, mo0: number, d: number, h: number, mi: number, s: number, ms: number): string | null {
    const key = this.keyOf(y, mo0, d, h, mi, LOCAL);
    if (key === this.key && s < 60) return this.prefix + SS[s]! + '.' + MSS[ms]! + 'Z';
    const t = new Date(y, mo0, d, h, mi, s, ms).getTime();
    if (Number.isNaN(t)) return null;
    const iso = new Date(t).toISOString();
    const t0 = new Date(y, mo0, d, h, mi, 0, 0).getTime();
    this.learn(key, s, iso, t0, new Date(y, mo0, d, h, mi, 59, 999).getTime() - t0, t - t0 === s * 1000 + ms);
    return iso;
  }

  /** `new Date(Date.UTC(y, mo0, d, h, mi, s, ms) - offMin min).toISOString()`, null if invalid. */
  utc(y: number, mo0: number, d: number, h: number, mi: number, s: number, ms: number, offMin: number): string | null {
    const key = this.keyOf(y, mo0, d, h, mi, offMin);
    if (key === this.key && s < 60) return this.prefix + SS[s]! + '.' + MSS[ms]! + 'Z';
    const t = Date.UTC(y, mo0, d, h, mi, s, ms) - offMin * 60_000;
    if (Number.isNaN(t)) return null;
    const iso = new Date(t).toISOString();
    const t0 = Date.UTC(y, mo0, d, h, mi, 0, 0) - offMin * 60_000;
    this.learn(key, s, iso, t0, 59_999, t - t0 === s * 1000 + ms);
    return iso;
  }

  /** Numbers up to 9999 / 11 / 99 and zones within ±(99 h 99 min) give distinct keys. */
  private keyOf(y: number, mo0: number, d: number, h: number, mi: number, zone: number): number {
    return ((((y * 12 + mo0) * 100 + d) * 100 + h) * 100 + mi) * 20_001 + (zone === LOCAL ? 20_000 : zone + 10_000);
  }

  /** Keeps the minute of `iso` when the whole minute maps linearly onto a whole UTC minute. */
  private learn(key: number, s: number, iso: string, t0: number, span: number, linear: boolean): void {
    if (s < 60 && linear && span === 59_999 && t0 % 60_000 === 0 && iso.length === 24) {
      this.key = key;
      this.prefix = iso.slice(0, 17);
    } else {
      this.key = -1;
    }
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
