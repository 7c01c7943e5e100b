/**
 * The codes at the start of an SMTP reply (RFC 5321 reply code, RFC 3463 enhanced status code),
 * read by hand for the parsers: `550 5.1.1 …`, `550-5.1.1 …` (a folded reply's first line),
 * `4.7.1 …` (milters write the enhanced code alone). The regexes these stand for
 * (`^([245]\d\d)(?:[ -]|$)`, `^([245]\.\d{1,3}\.\d{1,3})(?: |$)`) made a match array and strings
 * for every reject line.
 */

/** The reply code (`[245]` and two digits) at `at` of `text` when a space, a `-` or the end follows it; else null. */
export function replyCodeAt(text: string, at: number): number | null {
  const c0 = text.charCodeAt(at);
  if (!(c0 === 50 || c0 === 52 || c0 === 53) || !isDigit(text.charCodeAt(at + 1)) || !isDigit(text.charCodeAt(at + 2))) return null;
  const next = text.charCodeAt(at + 3);
  if (!(at + 3 === text.length || next === 32 || next === 45)) return null;
  return (c0 - 48) * 100 + (text.charCodeAt(at + 1) - 48) * 10 + (text.charCodeAt(at + 2) - 48);
}

/** Where an enhanced status code (`[245].d{1,3}.d{1,3}`) at `at` ends when a space or the end follows it, else 0. */
export function enhancedEnd(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (!(c === 50 || c === 52 || c === 53) || text.charCodeAt(at + 1) !== 46) return 0;
  let i = at + 2;
  for (let part = 0; part < 2; part++) {
    const from = i;
    while (i < text.length && i - from < 3 && isDigit(text.charCodeAt(i))) i++;
    if (i === from) return 0;
    if (part === 0) {
      if (text.charCodeAt(i) !== 46) return 0;
      i++;
    }
  }
  return i === text.length || text.charCodeAt(i) === 32 ? i : 0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
