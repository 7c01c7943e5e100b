/**
 * Typo domains: is a recipient domain that bounced or does not exist a likely misspelling of a
 * domain the sender meant (`gmial.com` → `gmail.com`)? Candidates are a short list of big mailbox
 * providers and the domains that accepted mail in the same log. A domain that accepted mail in
 * the log is never a typo, however close it looks to another one.
 *
 * Distance is Damerau–Levenshtein (optimal string alignment: insert, delete, substitute,
 * transpose two neighbours), with a substitution by a neighbouring key (QWERTY) counting half:
 * `gnail.com` (n beside m) is likelier than `gpail.com`. A name of fewer than MIN_LENGTH_FOR_TWO
 * characters may be one edit away, longer ones two (two edits on a short name reach real,
 * unrelated domains: `me.com` and `mc.com`). A TLD cut short (`gmail.co`, `gmail.c`, `gmail`)
 * is accepted whatever the distance, since the part before it must match exactly.
 * Pure and bounded: the distance stops as soon as it exceeds the limit.
 */

/** Big mailbox providers: where most mistyped consumer addresses were meant to go. */
export const BIG_PROVIDERS: readonly string[] = [
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  't-online.de',
  'orange.fr',
  'free.fr',
  'yandex.ru',
  'mail.ru',
  'protonmail.com',
  'proton.me',
  'comcast.net',
  'qq.com',
];

/** Names shorter than this may be one edit from their candidate, longer ones two. */
export const MIN_LENGTH_FOR_TWO = 8;
/** Longest domain compared (RFC 1035 allows 253); longer ones are not typos of anything here. */
const MAX_DOMAIN = 253;

const KEY_ROWS = ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
/** Each key's neighbours on a QWERTY keyboard (same row and the rows above and below). */
const NEIGHBOURS: ReadonlyMap<string, string> = (() => {
  const pos = new Map<string, [number, number]>();
  KEY_ROWS.forEach((row, r) => [...row].forEach((ch, c) => pos.set(ch, [r, c])));
  const out = new Map<string, string>();
  for (const [ch, [r, c]] of pos) {
    let near = '';
    for (const [other, [r2, c2]] of pos) {
      if (other !== ch && Math.abs(r - r2) <= 1 && Math.abs(c - c2) <= 1) near += other;
    }
    out.set(ch, near);
  }
  return out;
})();

/** True when `a` and `b` are neighbouring keys. */
export function adjacentKeys(a: string, b: string): boolean {
  return NEIGHBOURS.get(a)?.includes(b) ?? false;
}

/**
 * Damerau–Levenshtein distance (optimal string alignment) of `a` and `b`, a substitution of a
 * neighbouring key costing 0.5; `Infinity` as soon as it must exceed `limit`.
 */
export function typoDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return Infinity;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const ca = a[i - 1]!;
      const cb = b[j - 1]!;
      const sub = ca === cb ? 0 : adjacentKeys(ca, cb) ? 0.5 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + sub);
      if (i > 1 && j > 1 && ca === b[j - 2] && a[i - 2] === cb) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return Infinity;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]! <= limit ? prev[n]! : Infinity;
}

/** `gmail.co`, `gmail.c`, `gmail.`, `gmail` for `gmail.com`: the name whole, its TLD cut short. */
export function truncatedTld(domain: string, candidate: string): boolean {
  const dot = candidate.lastIndexOf('.');
  if (dot <= 0) return false;
  const name = candidate.slice(0, dot);
  return domain.length < candidate.length && (domain === name || (domain.startsWith(name + '.') && candidate.startsWith(domain)));
}

export interface TypoSuggestion {
  /** The domain the sender most likely meant. */
  domain: string;
  /** Edit distance (neighbouring keys count half); 0 for a TLD cut short. */
  distance: number;
  /** Why: `one letter swapped`, `TLD cut short`, … for the report. */
  why: string;
}

/** The plain-words reason for a distance. */
function whyOf(domain: string, candidate: string, distance: number): string {
  if (distance === 0) return 'TLD cut short';
  if (distance === 0.5) return 'a neighbouring key';
  if (distance === 1) {
    if (domain.length === candidate.length) {
      const diff = [...domain].map((c, i) => (c === candidate[i] ? -1 : i)).filter((i) => i >= 0);
      return diff.length === 2 ? 'two letters swapped' : 'one letter wrong';
    }
    return domain.length < candidate.length ? 'one letter missing' : 'one letter too many';
  }
  return `${distance} edits`;
}

/**
 * The better of two suggestions: smaller distance, then a big provider, then the earlier one
 * (so the result does not depend on the order domains were learnt in beyond that).
 */
function better(a: TypoSuggestion | null, b: TypoSuggestion | null): TypoSuggestion | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.distance !== b.distance) return a.distance < b.distance ? a : b;
  const pa = BIG_PROVIDERS.includes(a.domain);
  const pb = BIG_PROVIDERS.includes(b.domain);
  if (pa !== pb) return pa ? a : b;
  return a.domain <= b.domain ? a : b;
}

/** The best suggestion for `domain` among `candidates`, or null; `domain` must be lower case. */
export function suggestAmong(domain: string, candidates: Iterable<string>, best: TypoSuggestion | null = null): TypoSuggestion | null {
  if (domain.length === 0 || domain.length > MAX_DOMAIN) return best;
  for (const c of candidates) {
    if (c === domain || c.length > MAX_DOMAIN) continue;
    if (truncatedTld(domain, c)) {
      best = better(best, { domain: c, distance: 0, why: whyOf(domain, c, 0) });
      continue;
    }
    const limit = Math.min(domain.length, c.length) < MIN_LENGTH_FOR_TWO ? 1 : 2;
    const d = typoDistance(domain, c, limit);
    if (d === Infinity || d === 0) continue;
    best = better(best, { domain: c, distance: d, why: whyOf(domain, c, d) });
  }
  return best;
}

/**
 * The suggestion for a failing recipient domain, or null. `accepting` answers whether a domain
 * accepted mail in this log (such a domain is never a typo); `learnt` are those domains, which
 * are candidates besides BIG_PROVIDERS.
 */
export function suggestDomain(
  domain: string,
  accepting: (d: string) => boolean,
  learnt: Iterable<string> = [],
): TypoSuggestion | null {
  const d = domain.toLowerCase();
  if (accepting(d)) return null;
  return suggestAmong(d, learnt, suggestAmong(d, BIG_PROVIDERS));
}
