/**
 * Event → Classification: decide the direction and permanence in code, then walk the MTA's rule
 * table (rules-<mta>.ts) and take the first rule that matches. Pure; no I/O, no clock.
 * Postfix, Exim and Exchange have tables; an MTA without one gets null.
 */
import type { DeliveryEvent, MailEvent, Mta, RejectEvent } from '../event.js';
import { EXCHANGE_RULES } from './rules-exchange.js';
import { EXIM_RULES } from './rules-exim.js';
import { POSTFIX_RULES } from './rules-postfix.js';
import type { Cause, Classification, Direction } from './types.js';
import { flatCopy } from '../text/flat-copy.js';
import type { LocalDomains } from './local-domains.js';

/** What a rule asks of an event. Every condition given must hold; absent ones always hold. */
export interface RuleMatch {
  /** Lower-case substrings of the text; at least one must occur. */
  any?: readonly string[];
  /** Lower-case substrings of the text; every one must occur. */
  all?: readonly string[];
  /** Tested on the lower-cased text. Linear only: anchored, negated classes, no nested quantifiers. */
  re?: RegExp;
  /** RFC 3463 status prefixes compared field by field (`x.1.1` ≠ `x.1.10`); `x` is any class. */
  enhanced?: readonly string[];
  /** SMTP reply codes. */
  codes?: readonly number[];
  /** Rejects only: which part of this server refused. */
  via?: readonly RejectEvent['via'][];
  /** Rejects only: the stage as the parser gives it (`RCPT`, `END-OF-MESSAGE`; cleanup's `header`, `body`). */
  stages?: readonly string[];
  /** Deliveries only: the agent, or the transport name in `relay=` when the program is unknown. */
  agents?: readonly string[];
  /** Deliveries only: the next hop is (true) or is not (false) on loopback, i.e. a service of this machine. */
  loopback?: boolean;
  /** Only temporary (false) or only permanent (true) failures. */
  permanent?: boolean;
}

export interface Rule {
  /** `<mta>.<direction>.<name>`: a failing test names the rule to look at. */
  id: string;
  direction: Direction;
  match: RuleMatch;
  cause: Cause;
  /** Short, stable, never an address or IP. `{restrictions}` becomes the smtpd list of the stage. */
  hint: string;
  advice: string;
  /**
   * Shell command with `{placeholders}` (see PLACEHOLDERS); values are single-quoted. A value may
   * start with `-`, so every placeholder must stand where the program cannot read it as an
   * option: after `--`, attached (`--to={rcpt}`), or as the argument of an option that takes
   * one (`postmap -q {rcpt}`, `dig -q {domain}`, `grep -e {queue_id}`). test/classify/verify-argv.test.ts
   * runs every template with hostile values against stub programs that check this.
   */
  verify: string;
}

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

const RULES: Partial<Record<Mta, readonly Rule[]>> = { postfix: POSTFIX_RULES, exim: EXIM_RULES, exchange: EXCHANGE_RULES };

/**
 * Rules read at most this much text. SMTP reply lines are at most 512 octets (RFC 5321) and a
 * folded multi-line reply a few KB; anything longer is padding, and a crafted 1 MB line must
 * cost no more than a normal one.
 */
const MAX_TEXT = 16 * 1024;

/**
 * Null for events that are not a problem (delivered mail, bounce notices). `domains`: the
 * recipient domains this server hosts (see local-domains.ts), which make a failed delivery local.
 */
export function classify(ev: MailEvent, domains?: LocalDomains): Classification | null {
  if (ev.kind !== 'reject' && ev.kind !== 'delivery') return null; // health: classify/health.ts
  if (ev.kind === 'delivery' && ev.status === 'sent') return null;
  const rules = RULES[ev.mta];
  return rules ? classifyWith(rules, ev, domains) : null;
}

/** First matching rule of `rules`; null when none matches (tables end with catch-all rules). */
export function classifyWith(rules: readonly Rule[], ev: RejectEvent | DeliveryEvent, domains?: LocalDomains): Classification | null {
  const raw = capped(ev.kind === 'reject' ? ev.text : ev.reason);
  const hit = pick(rules, ev, raw, domains);
  if (hit === null) return null;
  return {
    direction: hit.direction,
    cause: hit.rule.cause,
    hint: hit.hint,
    advice: hit.rule.advice,
    verify: fillVerify(hit.rule.verify, ev, raw),
    rule: hit.rule.id,
    permanent: hit.permanent,
  };
}

/**
 * What classify() gives, except that `verify` is filled in only when first read. The pipeline
 * uses it: a finding keeps the verify command of its first event only, so filling it in for
 * every event (quoting a dozen values for the shell) was a fifth of the classification cost.
 * The object is not a plain one (verify is a getter); hand classify()'s result to anything
 * that may copy or keep it.
 */
export function classifyDeferred(ev: MailEvent, domains?: LocalDomains): Classification | null {
  if (ev.kind !== 'reject' && ev.kind !== 'delivery') return null; // health: classify/health.ts
  if (ev.kind === 'delivery' && ev.status === 'sent') return null;
  const rules = RULES[ev.mta];
  if (!rules) return null;
  const raw = capped(ev.kind === 'reject' ? ev.text : ev.reason);
  const hit = pick(rules, ev, raw, domains);
  return hit === null ? null : new DeferredClassification(hit, ev, raw);
}

class DeferredClassification implements Classification {
  readonly direction: Direction;
  readonly cause: Cause;
  readonly hint: string;
  readonly advice: string;
  readonly rule: string;
  readonly permanent: boolean;
  private filled: string | null = null;
  private readonly template: string;

  constructor(
    hit: Hit,
    private readonly ev: RejectEvent | DeliveryEvent,
    private readonly raw: string,
  ) {
    this.direction = hit.direction;
    this.cause = hit.rule.cause;
    this.hint = hit.hint;
    this.advice = hit.rule.advice;
    this.rule = hit.rule.id;
    this.permanent = hit.permanent;
    this.template = hit.rule.verify;
  }

  get verify(): string {
    return (this.filled ??= fillVerify(this.template, this.ev, this.raw));
  }
}

/** The rule an event matched, with the facts the result repeats. */
interface Hit {
  rule: Rule;
  direction: Direction;
  permanent: boolean;
  /** The rule's hint with `{restrictions}` filled in (one string instance per rule and stage). */
  hint: string;
}

/**
 * Which rule matches depends only on the facts (never on addresses, which normalise() blanks),
 * and many events share them: every `User unknown in virtual alias table` reject, every bounce
 * from one provider. So the answer is remembered per table and facts, for texts up to
 * CACHE_TEXT_MAX characters, in at most CACHE_ENTRIES entries (the whole cache is dropped when
 * full: bounded, and simple). Tables whose regexes keep state (g or y flag) are never cached.
 */
const CACHE_ENTRIES = 4096;
const CACHE_TEXT_MAX = 1024;

/** Per rule table: facts other than the text (a short key) → text → the rule matched. */
interface RuleCache {
  byFacts: Map<string, Map<string, Hit | null>>;
  entries: number;
}
const caches = new WeakMap<readonly Rule[], RuleCache | null>();

function cacheFor(rules: readonly Rule[]): RuleCache | null {
  let cache = caches.get(rules);
  if (cache === undefined) {
    const pure = rules.every((r) => !r.match.re || (!r.match.re.global && !r.match.re.sticky));
    cache = pure ? { byFacts: new Map(), entries: 0 } : null;
    caches.set(rules, cache);
  }
  return cache;
}

/** `s` with its length in front, so that no two field lists give the same key. */
const part = (s: string | null): string => (s === null ? '-' : `${s.length}:${s}`);

function pick(rules: readonly Rule[], ev: RejectEvent | DeliveryEvent, raw: string, domains?: LocalDomains): Hit | null {
  const facts: Facts = {
    direction: directionOf(ev, domains),
    permanent: isPermanent(ev),
    text: normalise(raw, ev.kind),
    enhanced: ev.kind === 'reject' ? ev.enhancedStatus : ev.dsn,
    code: ev.smtpCode,
    via: ev.kind === 'reject' ? ev.via : null,
    stage: ev.kind === 'reject' ? ev.stage : null,
    agent: ev.kind === 'delivery' ? agentOf(ev) : null,
    loopback: ev.kind === 'delivery' && onLoopback(ev),
  };
  const cache = facts.text.length <= CACHE_TEXT_MAX ? cacheFor(rules) : null;
  let byText: Map<string, Hit | null> | undefined;
  if (cache !== null) {
    // Two levels, so that the long text is hashed as it is, not glued into one long key.
    const key = `${facts.direction}${facts.permanent ? 1 : 0}${facts.loopback ? 1 : 0}${facts.code}|${part(facts.enhanced)}${part(facts.via)}${part(facts.stage)}${part(facts.agent)}`;
    byText = cache.byFacts.get(key);
    if (byText === undefined) {
      byText = new Map();
      cache.byFacts.set(key, byText);
    }
    const known = byText.get(facts.text);
    if (known !== undefined) return known;
  }
  let hit: Hit | null = null;
  for (const rule of rules) {
    if (rule.direction !== facts.direction || !matches(rule.match, facts)) continue;
    hit = {
      rule,
      direction: facts.direction,
      permanent: facts.permanent,
      hint: rule.hint.replace('{restrictions}', restrictionsOf(facts.stage)),
    };
    break;
  }
  if (cache !== null) {
    if (cache.entries >= CACHE_ENTRIES) {
      for (const m of cache.byFacts.values()) m.clear();
      cache.entries = 0;
    }
    // Stored as a copy: the text may be a slice of a much longer chunk string (see input/lines.ts).
    byText!.set(flatCopy(facts.text), hit);
    cache.entries++;
  }
  return hit;
}

interface Facts {
  direction: Direction;
  permanent: boolean;
  text: string;
  enhanced: string | null;
  code: number | null;
  via: RejectEvent['via'] | null;
  stage: string | null;
  agent: string | null;
  loopback: boolean;
}

function matches(m: RuleMatch, f: Facts): boolean {
  if (m.permanent !== undefined && m.permanent !== f.permanent) return false;
  if (m.via && (f.via === null || !m.via.includes(f.via))) return false;
  if (m.stages && (f.stage === null || !m.stages.includes(f.stage))) return false;
  if (m.agents && (f.agent === null || !m.agents.includes(f.agent))) return false;
  if (m.loopback !== undefined && m.loopback !== f.loopback) return false;
  if (m.codes && (f.code === null || !m.codes.includes(f.code))) return false;
  if (m.enhanced && !m.enhanced.some((p) => enhancedMatches(p, f.enhanced))) return false;
  if (m.all && !includesAll(f.text, m.all)) return false;
  if (m.any && !includesAny(f.text, m.any)) return false;
  if (m.re && !m.re.test(f.text)) return false;
  return true;
}

function includesAll(text: string, parts: readonly string[]): boolean {
  for (let i = 0; i < parts.length; i++) if (!text.includes(parts[i]!)) return false;
  return true;
}

function includesAny(text: string, parts: readonly string[]): boolean {
  for (let i = 0; i < parts.length; i++) if (text.includes(parts[i]!)) return true;
  return false;
}

/** `x.1.1` matches 4.1.1 and 5.1.1 but not 5.1.10; `5.7` matches every 5.7.*. */
export function enhancedMatches(pattern: string, status: string | null): boolean {
  if (status === null) return false;
  const want = pattern.split('.');
  const have = status.split('.');
  if (have.length < want.length) return false;
  return want.every((w, i) => w === 'x' || w === have[i]);
}

// ---------------------------------------------------------------- direction and permanence

/** Agents that deliver on this machine (or to our own mailbox server): a failure there is ours. */
const LOCAL_AGENTS = new Set(['local', 'virtual', 'lmtp', 'pipe', 'error', 'discard']);

/**
 * reject → inbound. A delivery is local when a local agent made it or it went to a local
 * transport (`relay=local`, `relay=dovecot`: a name without an address), when a next hop on this
 * machine (loopback: a content filter, a local relay) could not be reached, or when its
 * recipient domain is one this server hosts (`domains`, see local-domains.ts): then the refusal
 * came from our own next hop, whichever address it has. Any other delivery is outbound, whatever
 * the next hop's address: a reply relayed back through a loopback next hop is still the remote
 * side's. Exception: the error agent also replays deferrals of remote sites that are down
 * ("delivery temporarily suspended: connect to …"); those are outbound unless the domain is ours.
 */
export function directionOf(ev: RejectEvent | DeliveryEvent, domains?: LocalDomains): Direction {
  if (ev.kind === 'reject') return 'inbound';
  const d = ev.mta === 'exchange' ? exchangeDirectionOf(ev) : ev.mta === 'exim' ? eximDirectionOf(ev) : postfixDirectionOf(ev);
  if (domains === undefined) return d;
  if (d === 'outbound') return domains.hosts(ev) ? 'local' : d;
  // Exim writes `Unrouteable address` both for an unknown user of a domain it hosts and for a
  // remote domain no router could route (no MX/A): once the hosted domains are known, a domain
  // that is not one of them is the remote case.
  if (ev.mta === 'exim' && ev.agent === null && EXIM_UNROUTEABLE_RE.test(ev.reason) && domains.knowsAny('exim') && !domains.hosts(ev)) return 'outbound';
  return d;
}

/** Exim's words when no router accepted an address (route.c). */
const EXIM_UNROUTEABLE_RE = /^unrouteable address/i;

function postfixDirectionOf(ev: DeliveryEvent): Direction {
  if (ev.agent === 'error' && ev.reason.startsWith('delivery temporarily suspended: ')) return 'outbound';
  if (ev.agent !== null && LOCAL_AGENTS.has(ev.agent)) return 'local';
  const relay = ev.relay;
  // A failed connection logs `relay=none`; the loopback address is then only in the reason.
  if (relay === null) return LOOPBACK_CONNECT_RE.test(ev.reason) ? 'local' : 'outbound';
  if (relay.ip === null && relay.name !== null) return 'local';
  if (relay.ip === null || !isLoopback(relay.ip)) return 'outbound';
  return LOOPBACK_DOWN_RE.test(ev.reason) || FILTER_OWN_RE.test(ev.reason) ? 'local' : 'outbound';
}

/** A next hop that did not answer or broke off: on loopback, a service of this machine is down. */
const LOOPBACK_DOWN_RE = /^(?:delivery temporarily suspended: )?(?:connect to |lost connection with |conversation with [^ ]{1,300} timed out)/;
/**
 * A content filter's own answer, not one it relays: amavisd-new's replies carry its task id
 * (`554 5.7.0 Reject, id=10374-01 - spam`, `451 4.5.0 Error in processing, id=12345-01, …`).
 */
const FILTER_OWN_RE = /[ ,]id=\d{1,12}-\d{1,6}|content filter/i;

/**
 * Exchange message tracking sources (the agent) that act inside this organization after the
 * message was accepted: recipient resolution, store delivery, transport agents and the like.
 */
const EXCHANGE_LOCAL_SOURCES = new Set([
  'routing', 'storedriver', 'agent', 'mailboxrule', 'approval', 'publicfolder', 'meetingmessageprocessor',
  'orar', 'dsn', 'safetynet', 'bootloader', 'redundancy', 'poisonmessage', 'pickup', 'admin',
]);

/**
 * Exchange deliveries (parsers/exchange): FAILs by ROUTING, STOREDRIVER, AGENT (…) are local: we
 * accepted the message and our own resolution, store or a transport rule failed it, so the NDR
 * goes to a possibly forged sender. SMTP rows are outbound when they went towards a next hop
 * (the parser always gives those a relay) and inbound when a Receive connector or receive agent
 * refused a client (no relay). DNS, QUEUE and unknown sources failed towards a next hop: outbound.
 */
function exchangeDirectionOf(ev: DeliveryEvent): Direction {
  if (ev.agent === 'smtp') return ev.relay === null ? 'inbound' : 'outbound';
  if (ev.agent !== null && EXCHANGE_LOCAL_SOURCES.has(ev.agent)) return 'local';
  return 'outbound';
}

/**
 * Exim deliveries (parsers/exim: agent = transport T=, router = R=, relay = the H= peer). Outbound
 * when a remote host was involved: a peer in H= (or named in the reason), a transport whose name
 * says SMTP (`remote_smtp`, `remote_smtp_smarthost`), or a remote server's reply in the reason.
 * LMTP transports deliver to our own mailbox server: local, even over TCP. Any other transport
 * (appendfile and pipe ones: `mail_spool`, `local_delivery`, `address_file`, `address_pipe`, …)
 * is local. Without a transport a router stopped the address: texts about a remote domain's
 * hosts or retry data are outbound, the rest (`Unrouteable address`, redirect `:fail:`/`:defer:`)
 * local. In doubt, two cases: `** a@b: retry timeout exceeded` does not say which transport kept
 * deferring (a local one's deferrals time out the same way; remote hosts are the usual case), and
 * `Unrouteable address` also fails remote domains without DNS, while the log never says which
 * domains are ours (local_domains).
 */
function eximDirectionOf(ev: DeliveryEvent): Direction {
  const transport = ev.agent;
  if (transport !== null && transport.includes('lmtp')) return 'local';
  if (ev.relay !== null) return 'outbound';
  if (transport !== null && transport.includes('smtp')) return 'outbound';
  if (ev.reason.includes('SMTP error from remote mail server')) return 'outbound';
  if (transport !== null) return 'local';
  return EXIM_REMOTE_ROUTING_RE.test(ev.reason) ? 'outbound' : 'local';
}

/** Router and retry texts about a remote domain (route.c, dnslookup.c, retry.c, smtp.c). */
const EXIM_REMOTE_ROUTING_RE =
  /^(?:retry time not reached|retry timeout exceeded|all relevant MX records point to non-existent hosts|unrouteable mail domain|an MX or SRV record indicated no SMTP service|host lookup (?:for [^ ]{1,255} )?did not complete)/i;

const LOOPBACK_CONNECT_RE = /^(?:delivery temporarily suspended: )?connect to [^ [\]]{0,255}\[(?:127\.|::1\]|::ffff:127\.)/;

/** Was the next hop on this machine (its address, or for `relay=none` the address it could not reach)? */
function onLoopback(ev: DeliveryEvent): boolean {
  if (ev.relay === null) return LOOPBACK_CONNECT_RE.test(ev.reason);
  return ev.relay.ip !== null && isLoopback(ev.relay.ip);
}

function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.');
}

/** Agent, or for message-only lines (no program) the transport name in `relay=local`. */
function agentOf(ev: DeliveryEvent): string | null {
  if (ev.agent !== null) return ev.agent;
  return ev.relay !== null && ev.relay.ip === null ? ev.relay.name : null;
}

/**
 * Deliveries: bounced or expired (given up) → permanent; deferred → temporary, whatever the
 * reply code (soft_bounce turns 5xx into deferrals). Rejects: the reply code, else the first
 * digit of the enhanced status (milters: `4.7.1 Try again later`), else temporary (postscreen's
 * code-less `too many connections` is a 421).
 */
export function isPermanent(ev: RejectEvent | DeliveryEvent): boolean {
  if (ev.kind === 'delivery') return ev.status === 'bounced' || ev.status === 'expired';
  if (ev.mta === 'exim') return eximRejectIsPermanent(ev);
  if (ev.smtpCode !== null) return ev.smtpCode >= 500;
  return ev.enhancedStatus !== null && ev.enhancedStatus.startsWith('5');
}

/**
 * Exim does not log the reply code of an ACL refusal, only `rejected …` (550 unless the ACL
 * message gives a 5xx of its own) or `temporarily rejected …` / `temporarily refused …` (a
 * defer: 4xx). Exim's own 4xx: local_scan() timeouts and crashes, excess recipients.
 */
function eximRejectIsPermanent(ev: RejectEvent): boolean {
  const t = ev.text;
  if (t.startsWith('temporarily ') || t.startsWith('local_scan() function ') || t.startsWith('too many recipients: excess')) return false;
  return ev.smtpCode === null || ev.smtpCode >= 500;
}

// ---------------------------------------------------------------- the text rules read

function capped(s: string): string {
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
  return t.replace(ANGLE_ADDRESS_RE, '<>');
}

/** smtpd restriction list consulted at an SMTP stage, for hints of the generic inbound rules. */
function restrictionsOf(stage: string | null): string {
  switch (stage) {
    case 'CONNECT':
      return 'smtpd_client_restrictions';
    case 'HELO':
    case 'EHLO':
      return 'smtpd_helo_restrictions';
    case 'MAIL':
      return 'smtpd_sender_restrictions';
    case 'RCPT':
    case 'VRFY':
      return 'smtpd_recipient_restrictions';
    case 'DATA':
    case 'BDAT':
      return 'smtpd_data_restrictions';
    case 'END-OF-MESSAGE':
      return 'smtpd_end_of_data_restrictions';
    default:
      return 'smtpd restrictions';
  }
}

// ---------------------------------------------------------------- verify commands

const PLACEHOLDER_RE = /\{([a-z_]{1,20})\}/g;

/**
 * Fills `{placeholders}` with this event's values, each single-quoted for the shell (addresses
 * come from strangers). A value the event lacks becomes its name in capitals (`CLIENT_IP`), for
 * the reader to fill in.
 */
function fillVerify(template: string, ev: RejectEvent | DeliveryEvent, raw: string): string {
  // Exchange's commands run in PowerShell, where `'` inside single quotes is doubled.
  return renderVerify(template, placeholderValues(ev, raw), ev.mta === 'exchange' ? 'powershell' : 'sh');
}

/** A verify template with the given values quoted for `dialect`; exported for the tests that run every template. */
export function renderVerify(
  template: string,
  values: Partial<Record<Placeholder, string | null>>,
  dialect: 'sh' | 'powershell',
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
