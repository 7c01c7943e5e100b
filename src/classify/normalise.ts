/**
 * The text the rules read: capped, lower-cased, with what is not about the cause (addresses,
 * IPv4 digits, the next hop's lead-in, folded reply codes) taken out, so that one rule reads
 * every variant of a reply the same way.
 */

/**
 * Rules read at most this much text. SMTP reply lines are at most 512 octets (RFC 5321) and a
 * folded multi-line reply a few KB; anything longer is padding, and a crafted 1 MB line must
 * cost no more than a normal one.
 */
const MAX_TEXT = 16 * 1024;

/** The first MAX_TEXT characters of `s`. */
export function capped(s: string): string {
  return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s;
}

const SUSPENDED = 'delivery temporarily suspended: ';
const IN_REPLY_RE = / \(in reply to [^()]{1,40} command\)$/;
// An address or name echoed in a reply (`<user@spamfree.example>: …`); blanked so that the words
// of a stranger's address never decide a rule. Two characters or fewer stay: `<>`, `<LF>`.
const ANGLE_ADDRESS_RE = /<[^<>]{3,}>/g;
// An IPv4 address (`[203.0.113.7]`, `…/query/ip/203.0.113.7`): its digits become 0, keeping its
// length and shape, so that a DNSBL reply, the commonest reject on a busy MX, reads the same
// for every client and is classified once (see pick()'s cache). No rule reads an IP's digits
// (test/classify/rule-table.ts checks the tables).
const IPV4_IN_TEXT_RE = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g;
/** `0.00.000.0` for every shape of dotted quad, by the lengths of its four numbers (1–3 each). */
const ZEROED_QUADS = new Map<number, string>();
for (let n = 0; n < 81; n++) {
  const lengths = [n % 3, Math.floor(n / 3) % 3, Math.floor(n / 9) % 3, Math.floor(n / 27)].map((k) => k + 1);
  ZEROED_QUADS.set(((lengths[0]! * 4 + lengths[1]!) * 4 + lengths[2]!) * 4 + lengths[3]!, lengths.map((k) => '0'.repeat(k)).join('.'));
}
/** An IPV4_IN_TEXT_RE match with its digits as 0. */
function zeroDigits(ip: string): string {
  const a = ip.indexOf('.');
  const b = ip.indexOf('.', a + 1);
  const c = ip.indexOf('.', b + 1);
  return ZEROED_QUADS.get(((a * 4 + (b - a - 1)) * 4 + (c - b - 1)) * 4 + (ip.length - c - 1))!;
}
// ` 550-5.7.1 ` or ` 550 5.7.1 ` after the first line of a folded reply (never at the start).
const FOLDED_CODE_RE = / [245]\d\d[- ](?:[245]\.\d{1,3}\.\d{1,3} )?/g;

/**
 * Lower-cased text with the parts that are not about the cause removed: for deliveries the
 * `delivery temporarily suspended: ` prefix, the `host mx[ip] said: ` lead-in (host names must
 * not match rules; `refused to talk to me:` is kept as a marker) and `(in reply to … command)`;
 * for both, addresses in angle brackets, and the digits of IPv4 addresses.
 */
export function normalise(raw: string, kind: 'reject' | 'delivery'): string {
  let t = raw.toLowerCase();
  if (kind === 'delivery') {
    if (t.startsWith(SUSPENDED)) t = t.slice(SUSPENDED.length);
    if (t.startsWith('host ')) {
      const sp = t.indexOf(' ', 5);
      if (sp > 0 && t.startsWith(' said: ', sp)) t = t.slice(sp + 7);
      else if (sp > 0 && t.startsWith(' refused to talk to me: ', sp)) t = t.slice(sp + 1);
    }
    t = t.replace(IN_REPLY_RE, '');
  }
  // Folded multi-line replies repeat the codes inside the text (`… that this 550-5.7.1 message
  // is …`): drop the inner ones so phrases match across the folds.
  if (t.indexOf('-', 3) > 0) t = t.replace(FOLDED_CODE_RE, ' ');
  if (t.indexOf('.') >= 0) t = t.replace(IPV4_IN_TEXT_RE, zeroDigits);
  return withoutSessionId(t).replace(ANGLE_ADDRESS_RE, '<>');
}

const GSMTP_TAIL = ' - gsmtp';
/** Longest token taken for Gmail's session id; a longer last word is kept as it is. */
const SESSION_ID_MAX = 80;
/** Its shape: letters, digits and hyphens, then `.` and digits (a word of a reply has no such end). */
const SESSION_ID_RE = /^[a-z0-9-]+\.[0-9]+$/;

/**
 * Gmail ends every reply with its session id (`… ?p=NoSuchUser d9443c01a7336-21f8c1c1b4bsi12345678ad.123
 * - gsmtp`): unique per message, it made every Gmail bounce a text of its own, so pick()'s
 * cache never answered one. The id says nothing of the cause; ` - gsmtp` stays as a marker.
 */
function withoutSessionId(t: string): string {
  if (!t.endsWith(GSMTP_TAIL)) return t;
  const end = t.length - GSMTP_TAIL.length;
  const sp = t.lastIndexOf(' ', end - 1);
  if (sp < 0 || end - sp - 1 > SESSION_ID_MAX || !SESSION_ID_RE.test(t.slice(sp + 1, end))) return t;
  return t.slice(0, sp) + GSMTP_TAIL;
}
