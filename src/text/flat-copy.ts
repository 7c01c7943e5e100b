import type { Peer } from '../event.js';

/**
 * Copies of strings that are kept for long. Lines arrive as V8 *sliced strings* of a much larger
 * string (split2 decodes a chunk and splits it; the reader thread decodes 64 KiB windows), and a
 * substring of 13 characters or more is itself a slice of that: an address kept in a top list,
 * a sender kept in a correlation table or an example kept in a finding would hold the whole
 * chunk in memory.
 *
 * `flatCopy` gives the same characters in a flat string of their own: written into a scratch
 * buffer and read back as latin1 when every character fits a byte (checked by comparing), else
 * through UTF-16, which keeps every code unit. Measured on 200,000 addresses: as fast as the
 * `(' ' + s).slice(1)` trick (which keeps a slice header of its own, 32 bytes more per value)
 * and half the time of a Buffer allocated per copy. Strings under 13 characters are never
 * slices and are returned as they are. test/text/flat-copy.test.ts checks that the copies do not
 * keep their source alive.
 */
export function flatCopy<T extends string | null>(s: T): T {
  if (s === null || s.length < SLICE_MIN) return s;
  if (s.length <= SCRATCH_BYTES) {
    const n = scratch.write(s, 0, 'latin1');
    const copy = scratch.toString('latin1', 0, n);
    if (copy === s) return copy as T;
  }
  return Buffer.from(s, 'utf16le').toString('utf16le') as T;
}

/**
 * A copy of plain data (an event) whose strings are flat copies: what JSON.parse(JSON.stringify(v))
 * gives (properties that are undefined left out, numbers that are not finite as null, -0 as 0), at a
 * fraction of its cost. Only for JSON-shaped values: objects, arrays, strings, numbers,
 * booleans, null.
 */
export function ownCopy<T>(v: T): T {
  if (typeof v === 'string') return flatCopy(v);
  if (typeof v === 'number') return (Number.isFinite(v) ? (v === 0 ? 0 : v) : null) as T;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : ownCopy(x))) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = ownCopy(x);
  }
  return out as T;
}

/** A peer whose name and address are flat copies (see flatCopy). */
export function flatCopyPeer(p: Peer | null): Peer | null {
  return p && { name: flatCopy(p.name), ip: flatCopy(p.ip), port: p.port };
}

/** V8's SlicedString::kMinLength: shorter substrings are always copied. */
const SLICE_MIN = 13;
const SCRATCH_BYTES = 16 * 1024;
const scratch = Buffer.allocUnsafeSlow(SCRATCH_BYTES);
