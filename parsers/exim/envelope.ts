/**
 * The forms in which an Exim log line reaches us, up to the message text. Follows Exim 4.x
 * log.c (log_write, write_syslog) and the spec's chapter "Log files" (4.92–4.99):
 *
 *   own file        `2026-11-22 10:00:00[.fff][ +0100][ [pid]] text`  (log_selector +millisec,
 *                   log_timezone, +pid; the message id, if any, starts the text)
 *   syslog          `Nov 22 10:00:00 host exim[123]: 2026-11-22 10:00:00 text` and the other
 *                   envelopes parsers/syslog.ts reads; the Exim stamp inside is missing when
 *                   syslog_timestamp = false, and `[pid]` may follow it or stand alone
 *   syslog, ISO     `2026-11-22 10:00:00 host exim[123]: text` (space instead of `T`: an
 *                   rsyslog template, seen in fail2ban's samples)
 *   syslog, bare    `host exim[123]: 2026-11-22 10:00:00 text` (no syslog time at all)
 *   split entries   `[1\5] …`, `[2/5] …`: write_syslog() splits long or multi-line entries (at
 *                   a newline: `\`, at MAX_SYSLOG_LEN = 870 characters: `/`); PieceAssembler
 *                   puts them together: the first line is the entry, the rest its header dump.
 *
 * Times without a zone are local time, as in parsers/syslog.ts. Other programs' lines in a
 * syslog file are recognised only by their envelope (reason `other-program`).
 */

import { flatCopy } from '../../src/text/flat-copy.js';
import { CappedMap } from '../capped-map.js';
import { MinuteClock, twoDigits } from '../syslog.js';

/** The start of an Exim line in its own log format. */
export interface EximStamp {
  /** ISO 8601 UTC, or null if the date is impossible. */
  time: string | null;
  pid: number | null;
  /** Index of the text after the stamp (and pid). */
  end: number;
}

// `2026-11-22 10:00:00`, then optional `.123`, ` +0100`, ` [1234]`, each followed by a space or
// the end. Fixed-width groups only: linear on any input. Must not match RFC 3339 (`T`).
const STAMP_RE =
  /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{3}))?(?: ([+-])(\d\d)(\d\d)(?= |$))?(?: \[(\d{1,10})\](?= |$))?(?: |$)/;

// After an Exim-style stamp: `host exim[123]: ` (rsyslog with a space-separated ISO time).
// Host is a run of non-space; the program is exim or exim4 exactly.
const SYSLOG_AFTER_STAMP_RE = /^([^\s[\]]{1,255}) (exim4?)(?:\[(\d{1,10})\])?: ?/;
// Same shape for another program (`mx1 dovecot[77]: `); a pid is required so that Exim's own
// texts (`10HmaX-… b@known.ex: error ignored`) are never taken for a syslog envelope.
const OTHER_AFTER_STAMP_RE = /^[A-Za-z0-9][^\s[\]=]{0,254} [A-Za-z][\w./-]{0,63}\[\d{1,10}\]: /;
// `host exim[123]: …` at the very start of a line (no syslog time).
const BARE_SYSLOG_RE = /^([A-Za-z0-9][^\s[\]]{0,254}) (exim4?)(?:\[(\d{1,10})\])?: ?/;
// write_syslog()'s piece marker: `[n/m] ` (split for length) or `[n\m] ` (split at a newline).
const PIECE_RE = /^\[(\d{1,5})([/\\])(\d{1,5})\] /;
// A pid alone (syslog_timestamp = false, log_selector +pid).
const PID_RE = /^\[(\d{1,10})\] /;

/** Is this syslog program Exim? (`syslog_processname` defaults to `exim`; Debian's is `exim4`.) */
export function isEximProgram(program: string): boolean {
  return program === 'exim' || program === 'exim4';
}

/**
 * Reads Exim's own stamps. The common one (`2026-11-22 10:00:00 `: no milliseconds, zone or pid)
 * is read by hand, the others by STAMP_RE. Times go through syslog.ts's per-minute clock, and
 * the last one is kept (busy logs repeat the same second).
 */
export class StampReader {
  private readonly minutes = new MinuteClock();
  // The numbers of the last conversion: date, time of day, zone offset (LOCAL: none).
  private lastDate = -1;
  private lastTime = -1;
  private lastZone = -1;
  private lastIso: string | null = null;

  read(line: string): EximStamp | null {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57 || line.charCodeAt(10) !== 32) return null;
    const end = plainStampEnd(line);
    if (end > 0) {
      const y = twoDigits(line, 0) * 100 + twoDigits(line, 2);
      const time = this.iso(y, twoDigits(line, 5), twoDigits(line, 8), twoDigits(line, 11), twoDigits(line, 14), twoDigits(line, 17), 0, LOCAL);
      return { time, pid: null, end };
    }
    const m = STAMP_RE.exec(line);
    if (!m) return null;
    const zone = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) : LOCAL;
    const ms = m[7] ? Number(m[7]) : 0;
    const time = this.iso(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms, zone);
    return { time, pid: m[11] ? Number(m[11]) : null, end: m[0].length };
  }

  /**
   * read() of an ASCII line in bytes [start, end) of `b`, for the common stamp only: the index
   * after it (from `start`) with its time in `time`, or -1 when the line does not start with one
   * (then read() of its text decides).
   */
  readAscii(b: Uint8Array, start: number, end: number): number {
    const n = end - start;
    if (n < 19 || b[start + 4] !== 45 || b[start + 7] !== 45 || b[start + 10] !== 32 || b[start + 13] !== 58 || b[start + 16] !== 58) return -1;
    for (const i of STAMP_DIGIT_PAIRS) if (digitPair(b, start + i) < 0) return -1;
    let stampEnd = 19;
    if (n > 19) {
      const next = b[start + 20];
      if (b[start + 19] !== 32 || next === 43 /* + */ || next === 45 /* - */ || next === 91 /* [ */) return -1;
      stampEnd = 20;
    }
    const y = digitPair(b, start) * 100 + digitPair(b, start + 2);
    this.time = this.iso(y, digitPair(b, start + 5), digitPair(b, start + 8), digitPair(b, start + 11), digitPair(b, start + 14), digitPair(b, start + 17), 0, LOCAL);
    return stampEnd;
  }

  /** The time of the stamp readAscii() last read. */
  time: string | null = null;

  /** ISO 8601 UTC of a local time (zone LOCAL) or one `zone` minutes east of UTC; null if impossible. */
  private iso(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, zone: number): string | null {
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
    const date = (y * 13 + mo) * 32 + d;
    const time = ((h * 60 + mi) * 61 + s) * 1000 + ms;
    if (date === this.lastDate && time === this.lastTime && zone === this.lastZone) return this.lastIso;
    const iso = zone === LOCAL ? this.minutes.local(y, mo - 1, d, h, mi, s, ms) : this.minutes.utc(y, mo - 1, d, h, mi, s, ms, zone);
    this.lastDate = date;
    this.lastTime = time;
    this.lastZone = zone;
    this.lastIso = iso;
    return iso;
  }
}

/** Zone of a stamp without one (local time); offsets are within ±99 h 99 min. */
const LOCAL = 1e6;

/**
 * End of a stamp with nothing after the seconds (`2026-11-22 10:00:00` then a space or the end),
 * where STAMP_RE's optional groups cannot match; -1 for anything else (STAMP_RE decides).
 */
function plainStampEnd(line: string): number {
  const separators =
    line.charCodeAt(4) === 45 && line.charCodeAt(7) === 45 && line.charCodeAt(10) === 32 && line.charCodeAt(13) === 58 && line.charCodeAt(16) === 58;
  if (!separators) return -1;
  for (const i of STAMP_DIGIT_PAIRS) if (twoDigits(line, i) < 0) return -1;
  if (line.length === 19) return 19;
  if (line.charCodeAt(19) !== 32) return -1;
  const next = line.charCodeAt(20);
  return next === 43 /* + */ || next === 45 /* - */ || next === 91 /* [ */ ? -1 : 20;
}
/** Where `YYYY-MM-DD HH:MM:SS` has its pairs of digits. */
const STAMP_DIGIT_PAIRS = [0, 2, 5, 8, 11, 14, 17];

/** twoDigits() on bytes: the number of two ASCII digits at `i`, or -1. */
function digitPair(b: Uint8Array, i: number): number {
  const h = b[i]! - 48;
  const l = b[i + 1]! - 48;
  return h >= 0 && h <= 9 && l >= 0 && l <= 9 ? h * 10 + l : -1;
}

export interface SyslogAfterStamp {
  host: string;
  program: string;
  pid: number | null;
  /** Index of the Exim text after `program[pid]: `. */
  end: number;
}

/**
 * `host exim[pid]: ` right after an Exim-style stamp, at `from`. The host has no space, so the
 * program starts after the first space: most lines (Exim's own texts) are settled there.
 */
export function syslogAfterStamp(line: string, from: number): SyslogAfterStamp | null {
  if (!line.startsWith('exim', line.indexOf(' ', from) + 1)) return null;
  const m = SYSLOG_AFTER_STAMP_RE.exec(line.slice(from, from + 300));
  return m ? { host: m[1]!, program: m[2]!, pid: m[3] ? Number(m[3]) : null, end: from + m[0].length } : null;
}

/**
 * Another program's syslog envelope right after an ISO-with-space stamp. Host, program and
 * `[pid]:` hold no space: the second space must follow `]:` (most lines are settled there).
 */
export function otherProgramAfterStamp(line: string, from: number): boolean {
  const second = line.indexOf(' ', line.indexOf(' ', from) + 1);
  if (second < 0 || line.charCodeAt(second - 1) !== 58 /* : */ || line.charCodeAt(second - 2) !== 93 /* ] */) return false;
  return OTHER_AFTER_STAMP_RE.test(line.slice(from, from + 340));
}

/** `host exim[pid]: ` at the start of the line (syslog without its own time). */
export function bareSyslog(line: string): SyslogAfterStamp | null {
  const m = BARE_SYSLOG_RE.exec(line.slice(0, 300));
  return m ? { host: m[1]!, program: m[2]!, pid: m[3] ? Number(m[3]) : null, end: m[0].length } : null;
}

export interface Piece {
  index: number;
  total: number;
  /** `\\`: the piece ends where the entry had a newline; `/`: cut for length (or the last piece). */
  split: string;
  /** Index of the text after the marker. */
  end: number;
}

/** write_syslog()'s `[n/m] ` or `[n\m] ` marker at `from`, if any. */
export function pieceMarker(text: string, from: number): Piece | null {
  if (text.charCodeAt(from) !== 91 /* [ */) return null;
  const m = PIECE_RE.exec(text.slice(from, from + 16));
  return m ? { index: Number(m[1]), total: Number(m[3]), split: m[2]!, end: from + m[0].length } : null;
}

/** Longest entry put together from pieces (a rejectlog entry is at most Exim's 8 KiB log buffer). */
export const MAX_JOINED_CHARS = 64 * 1024;

interface Assembly {
  next: number;
  total: number;
  parts: string[];
  size: number;
  /** Number of the logical line being put together: 1 is the entry, 2… its header dump. */
  logical: number;
}

/**
 * Puts write_syslog()'s pieces together again, per stream (host, program, pid: a process writes
 * its pieces in order): consecutive pieces up to one that ends at a newline (`[n\m]`) or the last
 * one make one logical line of the entry. Bounded: MAX_JOINED_CHARS a line, `cap` streams (the
 * oldest assembly is dropped, counted in `evicted`).
 */
export class PieceAssembler {
  evicted = 0;
  private readonly open: CappedMap<Assembly>;

  constructor(cap: number) {
    this.open = new CappedMap<Assembly>(cap, () => this.evicted++);
  }

  /** The logical line this piece completes, or null (more pieces to come, or a stray piece). */
  add(stream: string, piece: Piece, text: string): { text: string; logical: number } | null {
    let a = this.open.get(stream);
    if (piece.index === 1) {
      a = { next: 1, total: piece.total, parts: [], size: 0, logical: 1 };
      this.open.set(flatCopy(stream), a);
    } else if (a === undefined || a.next !== piece.index || a.total !== piece.total) {
      // The log began inside an entry, or a piece went missing: the rest of it cannot be placed.
      if (a !== undefined) this.open.delete(stream);
      return null;
    }
    if (a.size < MAX_JOINED_CHARS) {
      const part = flatCopy(text.slice(0, MAX_JOINED_CHARS - a.size));
      a.parts.push(part);
      a.size += part.length;
    }
    a.next++;
    const last = piece.index === piece.total;
    if (!last && piece.split !== '\\') return null;
    const line = { text: a.parts.join(''), logical: a.logical };
    a.parts = [];
    a.size = 0;
    a.logical++;
    if (last) this.open.delete(stream);
    return line;
  }
}

/** Length of a leading `[pid] ` at `from`, or 0. */
export function pidPrefix(text: string, from: number): number {
  if (text.charCodeAt(from) !== 91 /* [ */) return 0;
  const m = PID_RE.exec(text.slice(from, from + 14));
  return m ? m[0].length : 0;
}
