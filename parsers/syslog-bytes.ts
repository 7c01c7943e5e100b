/**
 * The envelope fast paths of syslog.ts (classicFast, isoFast, scanTail) on the bytes of an
 * ASCII line, for the reader thread: it reads every line of a big file, and most it only counts
 * as ignored, so it need not decode them into strings at all (decoding and cutting strings was
 * a third of its time). Bytes of an ASCII line are its characters, so offsets are the same.
 *
 * Same contract as the string fast paths: the span (offsets from `start`) in `reader.span`, or
 * null as soon as anything is unusual, which leaves the line to the string path (a `<PRI>`,
 * RFC 5424, a test driver, a byte outside printable ASCII in host or program).
 * test/parsers/syslog-bytes.test.ts checks that both give the same on any line.
 */
import type { EnvelopeReader, EnvelopeSpan } from './syslog.js';

/** The span of the envelope of the ASCII line in bytes [start, end) of `b`, or null (use the string path). */
export function scanAsciiEnvelope(reader: EnvelopeReader, b: Uint8Array, start: number, end: number): EnvelopeSpan | null {
  const c = b[start]!;
  if (c >= 65 && c <= 90) return classic(reader, b, start, end) ? reader.span : null;
  if (c >= 48 && c <= 57) return iso(reader, b, start, end) ? reader.span : null;
  return null;
}

/** The digit at `i` (before `end`), or -1. */
function digit(b: Uint8Array, i: number, end: number): number {
  const c = i < end ? b[i]! - 48 : -1;
  return c >= 0 && c <= 9 ? c : -1;
}

function twoDigits(b: Uint8Array, i: number, end: number): number {
  const x = digit(b, i, end);
  const y = digit(b, i + 1, end);
  return x < 0 || y < 0 ? -1 : x * 10 + y;
}

/** The byte at `i`, or -1 at or past `end`. */
function at(b: Uint8Array, i: number, end: number): number {
  return i < end ? b[i]! : -1;
}

/** syslog.ts monthAt() on bytes. */
function month(b: Uint8Array, s: number): number {
  const x = b[s + 1];
  const y = b[s + 2];
  switch (b[s]) {
    case 74 /* J */:
      return x === 97 && y === 110 ? 0 : x === 117 ? (y === 110 ? 5 : y === 108 ? 6 : -1) : -1;
    case 70 /* F */:
      return x === 101 && y === 98 ? 1 : -1;
    case 77 /* M */:
      return x === 97 ? (y === 114 ? 2 : y === 121 ? 4 : -1) : -1;
    case 65 /* A */:
      return x === 112 && y === 114 ? 3 : x === 117 && y === 103 ? 7 : -1;
    case 83 /* S */:
      return x === 101 && y === 112 ? 8 : -1;
    case 79 /* O */:
      return x === 99 && y === 116 ? 9 : -1;
    case 78 /* N */:
      return x === 111 && y === 118 ? 10 : -1;
    case 68 /* D */:
      return x === 101 && y === 99 ? 11 : -1;
  }
  return -1;
}

/**
 * An optional fraction of a second at `p` (`.` and 1–9 digits, as syslog.ts fraction() reads
 * them): `after * 1000 + ms` (`p * 1000` when there is none), or -1 when it is malformed.
 */
function optionalFraction(b: Uint8Array, p: number, end: number): number {
  return at(b, p, end) === 46 /* . */ ? fraction(b, p + 1, end) : p * 1000;
}

function fraction(b: Uint8Array, p: number, end: number): number {
  let ms = 0;
  let k = 0;
  for (let c = digit(b, p, end); c >= 0; c = digit(b, p, end)) {
    if (k < 3) ms += c * (k === 0 ? 100 : k === 1 ? 10 : 1);
    k++;
    p++;
  }
  return k === 0 || k > 9 ? -1 : p * 1000 + ms;
}

/** classicFast(): `Mmm dd hh:mm:ss[.f] host prog[pid]: `. */
function classic(reader: EnvelopeReader, b: Uint8Array, s: number, end: number): boolean {
  if (end - s < 20) return false;
  const mo = month(b, s);
  if (mo < 0 || b[s + 3] !== 32) return false;
  let p = s + 4;
  if (b[p] === 32) p++;
  let day = digit(b, p, end);
  if (day < 0) return false;
  p++;
  const d2 = digit(b, p, end);
  if (d2 >= 0) {
    day = day * 10 + d2;
    p++;
  }
  if (at(b, p, end) !== 32) return false;
  p++;
  const hh = twoDigits(b, p, end);
  const mi = twoDigits(b, p + 3, end);
  const ss = twoDigits(b, p + 6, end);
  if (hh < 0 || mi < 0 || ss < 0 || at(b, p + 2, end) !== 58 || at(b, p + 5, end) !== 58) return false;
  const f = optionalFraction(b, p + 8, end);
  if (f < 0 || !tail(reader.span, b, s, Math.floor(f / 1000), end, true)) return false;
  const ms = f % 1000;
  reader.classicTime(mo, day, hh, mi, ss, ms);
  return true;
}

/** isoFast(): `YYYY-MM-DDThh:mm:ss[.f][zone] host prog[pid]: `. */
function iso(reader: EnvelopeReader, b: Uint8Array, s: number, end: number): boolean {
  if (end - s < 24) return false;
  const y1 = twoDigits(b, s, end);
  const y2 = twoDigits(b, s + 2, end);
  const y = y1 < 0 || y2 < 0 ? -1 : y1 * 100 + y2;
  const mo = twoDigits(b, s + 5, end);
  const d = twoDigits(b, s + 8, end);
  const hh = twoDigits(b, s + 11, end);
  const mi = twoDigits(b, s + 14, end);
  const ss = twoDigits(b, s + 17, end);
  if (
    y < 0 || mo < 0 || d < 0 || hh < 0 || mi < 0 || ss < 0 ||
    b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 84 /* T */ || b[s + 13] !== 58 || b[s + 16] !== 58
  ) {
    return false;
  }
  const f = optionalFraction(b, s + 19, end);
  if (f < 0) return false;
  const ms = f % 1000;
  let p = Math.floor(f / 1000);
  let offset: number | null = null;
  const z = at(b, p, end);
  if (z === 90 /* Z */) {
    offset = 0;
    p++;
  } else if (z === 43 /* + */ || z === 45 /* - */) {
    const oh = twoDigits(b, p + 1, end);
    let q = p + 3;
    if (at(b, q, end) === 58) q++;
    const om = twoDigits(b, q, end);
    if (oh < 0 || om < 0) return false;
    offset = (z === 45 ? -1 : 1) * (oh * 60 + om);
    p = q + 2;
  }
  if (!tail(reader.span, b, s, p, end, false)) return false;
  reader.isoTime(y, mo, d, hh, mi, ss, ms, offset);
  return true;
}

/** scanTail(): ` host prog[pid]: ` from `p` into `span`, offsets from `s`. */
function tail(span: EnvelopeSpan, b: Uint8Array, s: number, p: number, end: number, emptyHost: boolean): boolean {
  if (at(b, p, end) !== 32) return false;
  const hostAt = ++p;
  for (;;) {
    if (p >= end) return false;
    const c = b[p]!;
    if (c === 32) break;
    if (c < 33 || c > 126) return false;
    p++;
  }
  if (!emptyHost && p === hostAt) return false;
  const hostEnd = p++;
  const progAt = p;
  let c = 0;
  for (;;) {
    if (p >= end) return false;
    c = b[p]!;
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
    for (let dgt = digit(b, p, end); dgt >= 0; dgt = digit(b, p, end)) {
      v = v * 10 + dgt;
      k++;
      p++;
    }
    if (k === 0 || k > 10 || at(b, p, end) !== 93 /* ] */ || at(b, p + 1, end) !== 58) return false;
    pid = v;
    p++;
  }
  p++; // the `:`
  if (at(b, p, end) === 32) p++;
  span.hostAt = hostAt - s;
  span.hostEnd = hostEnd - s;
  span.programAt = progAt - s;
  span.programEnd = progEnd - s;
  span.pid = pid;
  span.bodyAt = p - s;
  return true;
}
