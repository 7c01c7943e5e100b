/**
 * Log text is written by strangers: before any of it reaches a terminal (text report, TUI) it
 * goes through `sanitize`. Unlike Ink's `sanitizeAnsi`, which keeps SGR colours and OSC 8
 * hyperlinks for trusted program output, nothing survives here.
 *
 * Stripped as whole units:
 * - CSI `ESC [ params intermediates final` and the 8-bit CSI U+009B with its parameters;
 * - string sequences OSC `ESC ]`, DCS `ESC P`, SOS `ESC X`, PM `ESC ^`, APC `ESC _` (and their
 *   8-bit forms U+009D, U+0090, U+0098, U+009E, U+009F) up to BEL, ST (`ESC \` or U+009C) or
 *   the next ESC; an unterminated one is stripped to the end of the text, as a terminal would
 *   swallow it;
 * - other ESC sequences: `ESC intermediates* final` (`ESC c`, `ESC ( B`, `ESC 7`); a lone ESC.
 * Stripped as single characters: every other C0 control (NUL … US), DEL, every other C1
 * control (U+0080–U+009F), the bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) and marks (U+061C, U+200E, U+200F) that can make a line read differently from
 * what it contains, and the invisible characters that make two different strings look the same
 * (zero-width space and joiners U+200B–U+200D, word joiner and invisible operators
 * U+2060–U+2064, the byte order mark U+FEFF), so `exa\u200Bmple.com` cannot pass for
 * `example.com` on screen. The line and paragraph separators U+2028/U+2029 become a space
 * like LF.
 * Replaced by one space each: TAB, LF, CR, so words on either side stay apart.
 * Kept: every other character, including non-Latin scripts, emoji and lone surrogates.
 *
 * Runs in one forward pass (linear time) and returns the input itself when there is nothing
 * to strip.
 */

/** Any character that needs work; no `g` flag, so `test` keeps no state. */
const NEEDS_WORK_RE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

const ESC = 0x1b;
const BEL = 0x07;
const C1_CSI = 0x9b;
const C1_ST = 0x9c;

/** 8-bit introducers of string sequences: DCS, SOS, OSC, PM, APC. */
const isC1StringIntroducer = (c: number): boolean =>
  c === 0x90 || c === 0x98 || c === 0x9d || c === 0x9e || c === 0x9f;

/** Second characters of ESC that open a string sequence: P (DCS), X (SOS), ] (OSC), ^ (PM), _ (APC). */
const isEscStringIntroducer = (c: number): boolean =>
  c === 0x50 || c === 0x58 || c === 0x5d || c === 0x5e || c === 0x5f;

/** Bidi controls and marks, zero-width and other invisible characters (see the header). */
export const isInvisible = (c: number): boolean =>
  c >= 0x061c &&
  (c === 0x061c ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff);

/** Index just past a CSI body starting at `i` (parameters 0x30–0x3F, intermediates 0x20–0x2F, one final 0x40–0x7E). */
function skipCsiBody(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x3f) i++;
    else break;
  }
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c <= 0x2f) i++;
    else break;
  }
  if (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 0x40 && c <= 0x7e) i++;
    // Anything else ends a malformed sequence without being part of it.
  }
  return i;
}

/** Index just past a string sequence body starting at `i`: through BEL, ST, or up to a new ESC. */
function skipStringBody(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === BEL || c === C1_ST) return i + 1;
    if (c === ESC) return text.charCodeAt(i + 1) === 0x5c ? i + 2 : i;
    i++;
  }
  return n;
}

/** Strip terminal control sequences, control characters, bidi controls and invisible characters from log text. */
export function sanitize(text: string): string {
  if (!NEEDS_WORK_RE.test(text)) return text;
  const n = text.length;
  let out = '';
  let start = 0; // start of the pending run of plain characters
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || isInvisible(c);
    if (!control) {
      i++;
      continue;
    }
    if (i > start) out += text.slice(start, i);
    if (c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) {
      out += ' ';
      i++;
    } else if (c === ESC) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
      if (next === 0x5b) {
        i = skipCsiBody(text, i + 2);
      } else if (isEscStringIntroducer(next)) {
        i = skipStringBody(text, i + 2);
      } else if (next >= 0x20 && next <= 0x7e) {
        // ESC intermediates* final: `ESC ( B`, `ESC c`, `ESC 7`.
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d >= 0x20 && d <= 0x2f) j++;
          else break;
        }
        if (j < n) {
          const d = text.charCodeAt(j);
          if (d >= 0x30 && d <= 0x7e) j++;
        }
        i = j;
      } else {
        i++; // lone ESC
      }
    } else if (c === C1_CSI) {
      i = skipCsiBody(text, i + 1);
    } else if (isC1StringIntroducer(c)) {
      i = skipStringBody(text, i + 1);
    } else {
      i++; // other C0, DEL, other C1, bidi control, invisible character
    }
    start = i;
  }
  if (start < n) out += text.slice(start);
  return out;
}

/** Characters escapeControls rewrites; no `g` flag, so `test` keeps no state. */
const ESCAPE_RE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/**
 * For files meant to keep log lines as they were (`--unrecognised`): nothing is removed, but every
 * character that sanitize would strip is written as an escape, `\x1b` for C0, DEL and C1
 * controls and `\u202e` for bidi, zero-width and separator characters, so `cat` or `less` on the
 * file cannot drive a terminal and the line can still be read exactly. Backslashes are left as
 * they are (log lines rarely have `\x`, and doubling every one would hide the ordinary ones).
 */
export function escapeControls(text: string): string {
  if (!ESCAPE_RE.test(text)) return text;
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const wide = c === 0x2028 || c === 0x2029 || isInvisible(c);
    if (!(c < 0x20 || (c >= 0x7f && c <= 0x9f) || wide)) continue;
    out += text.slice(start, i) + (wide ? '\\u' : '\\x') + c.toString(16).padStart(wide ? 4 : 2, '0');
    start = i + 1;
  }
  return out + text.slice(start);
}
