/**
 * Verify commands: a rule's template with `{placeholders}` filled from the event, every value
 * quoted for the shell the command runs in (sh, or PowerShell for Exchange: each MTA module says
 * which). The values come from strangers' mail, so quoting is the whole point of this file.
 */
import type { DeliveryEvent, RejectEvent } from '../event.js';

/** The placeholders a verify template may use, and what fills them. */
export const PLACEHOLDERS = [
  'rcpt', // recipient address (to, else orig_to)
  'local', // its local part
  'domain', // its domain
  'sender', // envelope sender (`` for the null sender)
  'sender_domain',
  'dmarc_name', // _dmarc.<sender domain>
  'client_ip', // the SMTP client that we rejected
  'helo',
  'queue_id',
  'relay_ip', // the next hop we delivered to
  'relay_port',
  'dnsbl_query', // <reversed ip | domain>.<list> of a `… [x] blocked using <list>` reply
  'log_file', // the log file the event was read from (null for stdin)
  'reply_ip', // the IP address a remote reply names (`messages from [203.0.113.5] weren't sent`)
  'lookup_page', // the blocking provider's delisting or reputation page, from the reply and the next hop
  'table', // a health line's lookup table, `type:name` (`hash:/etc/postfix/transport`): classify/health.ts
  'file', // a health line's file (a table's source, a certificate, a configuration file)
  'service', // a health line's milter or service (`unix:/run/opendkim.sock`, `private/policy`)
] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER_RE = /\{([a-z_]{1,20})\}/g;

/** The shells verify commands are written for. */
export type Dialect = 'sh' | 'powershell';

/**
 * Fills `{placeholders}` with this event's values, each single-quoted for `dialect` (addresses
 * come from strangers). A value the event lacks becomes its name in capitals (`CLIENT_IP`), for
 * the reader to fill in.
 */
export function fillVerify(template: string, ev: RejectEvent | DeliveryEvent, raw: string, dialect: Dialect): string {
  return renderVerify(template, placeholderValues(ev, raw), dialect);
}

/** A verify template with the given values quoted for `dialect`; exported for the tests that run every template. */
export function renderVerify(
  template: string,
  values: Partial<Record<Placeholder, string | null>>,
  dialect: Dialect,
): string {
  return template.replace(PLACEHOLDER_RE, (whole, name: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) return whole;
    const v = values[name as Placeholder] ?? null;
    if (v === null) return name.toUpperCase();
    return dialect === 'powershell' ? powerShellQuote(v) : shellQuote(v);
  });
}

function placeholderValues(ev: RejectEvent | DeliveryEvent, raw: string): Record<Placeholder, string | null> {
  const rcpt = ev.kind === 'reject' ? ev.to : (ev.to ?? ev.origTo);
  const at = rcpt === null ? -1 : rcpt.lastIndexOf('@');
  const senderDomain = ev.from !== null && ev.from.includes('@') ? ev.from.slice(ev.from.lastIndexOf('@') + 1) : null;
  const relay = ev.kind === 'delivery' ? ev.relay : null;
  return {
    rcpt,
    local: rcpt === null ? null : at < 0 ? rcpt : rcpt.slice(0, at),
    domain: rcpt === null || at < 0 ? null : rcpt.slice(at + 1),
    sender: ev.from,
    sender_domain: senderDomain,
    dmarc_name: senderDomain === null ? null : `_dmarc.${senderDomain}`,
    client_ip: ev.client?.ip ?? null,
    helo: ev.kind === 'reject' ? ev.helo : null,
    queue_id: ev.queueId,
    relay_ip: relay?.ip ?? null,
    relay_port: relay?.port != null ? String(relay.port) : null,
    dnsbl_query: dnsblQuery(raw),
    log_file: ev.origin.file === '-' || ev.origin.file === '' ? null : ev.origin.file,
    reply_ip: ev.kind === 'delivery' ? replyIp(raw) : null,
    lookup_page: lookupPage(raw, relay?.name ?? null),
    table: null,
    file: null,
    service: null,
  };
}

/** The part of a delivery reason that the remote server wrote: after `host mx[ip] said: `, so the next hop's own address is not taken. */
function remoteReplyText(raw: string): string {
  const said = raw.indexOf(' said: ');
  return said >= 0 ? raw.slice(said + 7) : raw;
}

const BRACKETED_RE = /\[([0-9A-Fa-f:.]{2,45})\]/g;
const DOTTED_QUAD_RE = /(?:^|[^0-9.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?![0-9])/;

/**
 * The address a remote reply says it blocked: the first bracketed IPv4 or IPv6 address
 * (Microsoft: `messages from [203.0.113.5] weren't sent`, `banned sending IP [203.0.113.5]`),
 * else the first dotted quad (Spamhaus-style `… 203.0.113.5 listed at …`). Only a valid
 * address is taken; null when the reply names none.
 */
export function replyIp(raw: string): string | null {
  const text = remoteReplyText(raw);
  for (const m of text.matchAll(BRACKETED_RE)) {
    if (reverseIp(m[1]!) !== null) return m[1]!;
  }
  const quad = DOTTED_QUAD_RE.exec(text);
  return quad && reverseIp(quad[1]!) !== null ? quad[1]! : null;
}

/**
 * Where a sender looks up or asks to lift a block of the provider that refused us. Fixed
 * addresses by provider (never a link taken from the reply: the reply is a stranger's text):
 * Microsoft (Outlook.com, Microsoft 365: S3140, S3150, 5.7.606–5.7.609 banned sending IP)
 * documents its delist portal at sender.office.com; Yahoo and AOL their Sender Hub; Google
 * its Postmaster Tools. Anything else: the Spamhaus lookup, the list most blocks come from.
 */
export function lookupPage(raw: string, relayName: string | null): string {
  const t = remoteReplyText(raw).toLowerCase();
  const host = (relayName ?? '').toLowerCase();
  const hostIs = (suffix: string): boolean => host === suffix || host.endsWith(`.${suffix}`);
  if (
    /\b(?:s3140|s3150|5\.7\.60[6-9]|5\.7\.511)\b/.test(t) ||
    t.includes('outlook.com') ||
    t.includes('hotmail') ||
    t.includes('sender.office.com') ||
    hostIs('outlook.com') ||
    hostIs('hotmail.com')
  ) {
    return 'https://sender.office.com/';
  }
  if (/\b(?:tss0[1-9]|tsl0[1-9])\b/.test(t) || t.includes('yahoo') || hostIs('yahoodns.net') || hostIs('aol.com')) {
    return 'https://senders.yahooinc.com/';
  }
  if (t.includes('gsmtp') || t.includes('support.google.com') || hostIs('google.com') || hostIs('googlemail.com')) {
    return 'https://postmaster.google.com/';
  }
  return 'https://check.spamhaus.org/';
}

const BLOCKED_USING = '] blocked using ';
const LIST_NAME_RE = /^[A-Za-z0-9._-]{1,253}/;

/**
 * From Postfix's `<class> [<what>] blocked using <list>` (default_rbl_reply): the DNS name the
 * list was asked, i.e. the reversed IP or the domain, then the list. Null when either is missing.
 */
export function dnsblQuery(text: string): string | null {
  const end = text.indexOf(BLOCKED_USING);
  if (end < 0) return null;
  const open = text.lastIndexOf('[', end);
  if (open < 0) return null;
  const what = text.slice(open + 1, end);
  const list = LIST_NAME_RE.exec(text.slice(end + BLOCKED_USING.length, end + BLOCKED_USING.length + 253));
  if (!list || what === '') return null;
  const reversed = reverseIp(what);
  const name = reversed ?? (what.includes('@') ? what.slice(what.lastIndexOf('@') + 1) : what);
  return `${name}.${list[0].toLowerCase()}`;
}

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** `192.0.2.1` → `1.2.0.192`; IPv6 → 32 reversed nibbles (RFC 5782); null if not an address. */
export function reverseIp(ip: string): string | null {
  const v4 = IPV4_RE.exec(ip);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255) ? `${v4[4]}.${v4[3]}.${v4[2]}.${v4[1]}` : null;
  if (!ip.includes(':') || ip.length > 45) return null;
  const halves = ip.toLowerCase().split('::');
  if (halves.length > 2) return null;
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const all = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return all
    .map((g) => g.padStart(4, '0'))
    .join('')
    .split('')
    .reverse()
    .join('.');
}

/** Controls and the invisible characters sanitize() removes: shown as `?` so the command on screen is the command that runs. */
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Single-quoted for sh; control and invisible characters (which would not show on a terminal) become `?`. */
export function shellQuote(s: string): string {
  const visible = s.replace(CONTROL_RE, '?');
  return `'${visible.replace(/'/g, `'\\''`)}'`;
}

/**
 * Single-quoted for PowerShell: `'` is doubled; the typographic quotes PowerShell also treats as
 * quote marks are doubled too; control characters become `?`.
 */
export function powerShellQuote(s: string): string {
  const visible = s.replace(CONTROL_RE, '?');
  return `'${visible.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}
