/**
 * Copies of strings that are kept for long. Lines arrive as V8 *sliced strings* of a much larger
 * string (split2 decodes a 64–256 KiB chunk and splits it), and a substring of 13 characters or
 * more is itself a slice of that chunk: an address kept in a distinct counter, a sender kept in
 * the queue-id table or an example kept in a finding would hold the whole chunk in memory.
 *
 * `flatCopy` gives the same characters in a string of their own. Prepending one character makes
 * a cons string; slicing it flattens the cons into a new sequential string of `s.length + 1`
 * characters and returns a slice of that, so what is kept is just these characters and one
 * more. It is about 2.5× faster than a round trip through a Buffer (no allocation outside the
 * heap, no encoding), and keeps every UTF-16 code unit as it is. Strings under 13 characters are
 * never slices and are returned as they are. test/text/flat-copy.test.ts checks on this V8 that
 * the copies do not keep their source alive.
 */
export function flatCopy<T extends string | null>(s: T): T {
  if (s === null || s.length < SLICE_MIN) return s;
  return (' ' + s).slice(1) as T;
}

/** V8's SlicedString::kMinLength: shorter substrings are always copied. */
const SLICE_MIN = 13;
