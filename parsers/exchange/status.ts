/**
 * recipient-status, the per-recipient outcome of a message tracking event, in the forms Exchange
 * writes it (FORMAT-NOTES.md §4, Microsoft Learn "Message tracking" field table):
 *
 *   bare           `550 5.1.1 RESOLVER.ADR.RecipNotFound; not found`, `250 2.1.5 Recipient OK`, `To`
 *   2013 wrapper   `[{LRT=};{LED=550 5.7.1 RESOLVER.RST.AuthRequired; authentication required};{FQDN=};{IP=}]`
 *   2016 wrapper   `[{LED=<status>};{MSG=<text>};{FQDN=<host>};{IP=<addr>};{LRT=<local time>}]`
 *   NDR text       `#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##`
 *
 * LED is the last error detail (the SMTP reply), MSG extra text, FQDN/IP the host that gave it,
 * LRT the last retry time. Native logs join one status per recipient with `;`, aligned by
 * position with recipient-address; the statuses themselves contain `;` (`…RecipNotFound; not
 * found`, and every wrapper), so the list is not split at every `;`.
 */

export interface Status {
  smtpCode: number | null;
  /** RFC 3463 enhanced status, e.g. 5.1.1 (or 4.4.7 after a 550: Exchange writes that for expiry). */
  dsn: string | null;
  /** The whole status text (LED, with MSG added when it says more). */
  reason: string;
  /** FQDN of the wrapper, when given. */
  remoteName: string | null;
  /** IP of the wrapper, when given. */
  remoteIp: string | null;
}

const CODE_RE = /^([2-5]\d\d)(?:[ -]+|$)/;
// The enhanced code may run into the text in hand-edited samples (`250 2.1.5Recipient OK`).
const ENHANCED_RE = /^([2-5]\.\d{1,3}\.\d{1,3})(?![\d.])/;

/** One recipient's status, in any of the forms above. */
export function parseStatus(raw: string): Status {
  let text = raw.trim();
  // A Format-List cell holding a single wrapper keeps PowerShell's collection braces.
  if (text.startsWith('{[') && text.endsWith(']}')) text = text.slice(1, -1);
  let remoteName: string | null = null;
  let remoteIp: string | null = null;
  if (text.startsWith('[{')) {
    const w = wrapperParts(text);
    const led = w.get('LED') ?? '';
    const msg = w.get('MSG') ?? '';
    text = led === '' ? msg : msg === '' || led.includes(msg) ? led : `${led}; ${msg}`;
    remoteName = w.get('FQDN') || null;
    remoteIp = w.get('IP') || null;
  } else if (text.startsWith('#')) {
    text = text.slice(1);
    const end = text.indexOf('##');
    if (end >= 0) text = text.slice(0, end);
    text = text.trim();
  }
  let smtpCode: number | null = null;
  let dsn: string | null = null;
  const c = CODE_RE.exec(text);
  let rest = text;
  if (c) {
    smtpCode = Number(c[1]);
    rest = text.slice(c[0].length);
  }
  const e = ENHANCED_RE.exec(rest);
  if (e) dsn = e[1]!;
  return { smtpCode, dsn, reason: text, remoteName, remoteIp };
}

/**
 * `[{K=V};{K=V};…]` → K → V. A value ends at the next `};{` or at the final `}]`, so `;` and `=`
 * inside a value (the LED of `RecipNotFound; not found`) stay in it.
 */
function wrapperParts(text: string): Map<string, string> {
  const parts = new Map<string, string>();
  const end = text.endsWith('}]') ? text.length - 2 : text.length;
  let pos = 2; // after `[{`
  while (pos < end) {
    const next = text.indexOf('};{', pos);
    const stop = next < 0 || next > end ? end : next;
    const item = text.slice(pos, stop);
    const eq = item.indexOf('=');
    if (eq > 0) parts.set(item.slice(0, eq).toUpperCase(), item.slice(eq + 1));
    pos = stop + 3;
  }
  return parts;
}

/** Does a list item begin a new status, rather than continue the previous one after a `;`? */
function startsStatus(item: string): boolean {
  const c = item.charCodeAt(0);
  if (c === 91 /* [ */ || c === 123 /* { */ || c === 35 /* # */) return true;
  if (CODE_RE.test(item)) return true;
  return item === 'To' || item === 'Cc' || item === 'Bcc';
}

/**
 * Splits a status list at separators that are outside brackets and followed by a new status.
 * `sep` is `;` in native logs and Export-Csv cells joined with `-join ';'`, `, ` in Format-List
 * collections. Linear: one pass keeping the bracket depth.
 */
export function splitStatuses(list: string, sep: ';' | ', '): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  const s0 = sep.charCodeAt(0);
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i);
    if (c === 91 || c === 123) depth++;
    else if ((c === 93 || c === 125) && depth > 0) depth--;
    else if (c === s0 && depth === 0 && list.startsWith(sep, i)) {
      items.push(list.slice(start, i));
      start = i + sep.length;
      i = start - 1;
    }
  }
  items.push(list.slice(start));
  const merged: string[] = [];
  for (const item of items) {
    if (merged.length > 0 && !startsStatus(item)) merged[merged.length - 1] += sep + item;
    else merged.push(item);
  }
  return merged.length === 1 && merged[0] === '' ? [] : merged;
}

/**
 * The status of recipient `i` of `n`: by position when the lists are aligned; a single status
 * stands for all recipients (one expiry for the whole message); '' when there is none.
 */
export function statusFor(statuses: readonly string[], i: number, n: number): string {
  if (statuses.length === 1 && n > 1) return statuses[0]!;
  return statuses[i] ?? '';
}
