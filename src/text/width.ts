/**
 * Terminal column widths for already sanitised text: enough to fit table cells to a width.
 * An approximation of wcwidth: combining marks, variation selectors and zero-width joiners take
 * no column, East Asian wide/fullwidth characters and common emoji take two, everything else one.
 * Callers pass text through `sanitize` first; control characters are not handled here.
 */

const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initial consonants
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2e80, 0x303e], // CJK radicals … CJK symbols and punctuation
  [0x3041, 0x33ff], // Hiragana … CJK compatibility
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f], // pictographs, emoticons
  [0x1f680, 0x1f6ff], // transport and map
  [0x1f900, 0x1f9ff], // supplemental symbols and pictographs
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd], // CJK extensions B …
];

const ZERO_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x036f], // combining diacritical marks
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200f], // zero-width space, joiners, LRM/RLM
  [0x20d0, 0x20ff], // combining marks for symbols
  [0xfe00, 0xfe0f], // variation selectors
  [0xfe20, 0xfe2f],
  [0xfeff, 0xfeff], // BOM / zero-width no-break space
  [0xe0100, 0xe01ef],
];

const inRanges = (cp: number, ranges: ReadonlyArray<readonly [number, number]>): boolean => {
  for (const [lo, hi] of ranges) {
    if (cp < lo) return false; // ranges are sorted
    if (cp <= hi) return true;
  }
  return false;
};

/** Columns one code point takes: 0, 1 or 2. */
export function codePointWidth(cp: number): number {
  if (cp < 0x300) return 1;
  if (inRanges(cp, ZERO_RANGES)) return 0;
  if (inRanges(cp, WIDE_RANGES)) return 2;
  return 1;
}

const ASCII_RE = /^[\u0020-\u007e]*$/;

/** Columns a (sanitised) string takes on a terminal. */
export function displayWidth(text: string): number {
  if (ASCII_RE.test(text)) return text.length;
  let w = 0;
  for (const ch of text) w += codePointWidth(ch.codePointAt(0)!);
  return w;
}

/** Cut `text` to at most `width` columns, ending with `…` when anything was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  if (width === 1) return '…';
  let w = 0;
  let out = '';
  for (const ch of text) {
    const cw = codePointWidth(ch.codePointAt(0)!);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}

/** `truncate` then pad with spaces to exactly `width` columns (right-aligned when `right`). */
export function fit(text: string, width: number, right = false): string {
  const t = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - displayWidth(t)));
  return right ? pad + t : t + pad;
}

/**
 * Word-wrap `text` into lines of at most `width` columns; words longer than a line are broken.
 * Runs of spaces between words collapse to one.
 */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  let lineW = 0;
  for (const word of text.split(' ')) {
    if (word === '') continue;
    let rest = word;
    let restW = displayWidth(rest);
    if (lineW > 0 && lineW + 1 + restW <= w) {
      line += ' ' + rest;
      lineW += 1 + restW;
      continue;
    }
    if (lineW > 0) {
      lines.push(line);
      line = '';
      lineW = 0;
    }
    while (restW > w) {
      let head = '';
      let headW = 0;
      for (const ch of rest) {
        const cw = codePointWidth(ch.codePointAt(0)!);
        if (headW + cw > w && headW > 0) break;
        head += ch;
        headW += cw;
      }
      lines.push(head);
      rest = rest.slice(head.length);
      restW = displayWidth(rest);
    }
    line = rest;
    lineW = restW;
  }
  if (lineW > 0 || lines.length === 0) lines.push(line);
  return lines;
}
