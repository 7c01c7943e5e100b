/**
 * The rule engine: the facts of an event (direction and permanence from its MTA's module, the
 * normalised text, codes, stage, agent), then the first rule of a table whose conditions hold.
 * Answers are cached by facts. Pure; no I/O, no clock.
 */
import type { DeliveryEvent, RejectEvent } from '../event.js';
import { flatCopy } from '../text/flat-copy.js';
import { lengthPrefixed } from '../text/length-prefixed.js';
import type { LocalDomains } from './local-domains.js';
import { onLoopback } from './next-hop.js';
import { capped, normalise } from './normalise.js';
import { directionOf, isPermanent, MTA_CLASSIFIERS } from './per-mta.js';
import type { Rule, RuleMatch } from './rule.js';
import type { Cause, Classification, Direction } from './types.js';
import { fillVerify, type Dialect } from './verify.js';

/** First matching rule of `rules`; null when none matches (tables end with catch-all rules). */
export function classifyWith(
  rules: readonly Rule[],
  ev: RejectEvent | DeliveryEvent,
  domains?: LocalDomains,
  dialect: Dialect = MTA_CLASSIFIERS[ev.mta].dialect,
): Classification | null {
  const raw = capped(ev.kind === 'reject' ? ev.text : ev.reason);
  const hit = pick(rules, ev, raw, domains);
  if (hit === null) return null;
  return {
    direction: hit.direction,
    cause: hit.rule.cause,
    hint: hit.hint,
    advice: hit.rule.advice,
    verify: fillVerify(hit.rule.verify, ev, raw, dialect),
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
export function classifyDeferredWith(
  rules: readonly Rule[],
  ev: RejectEvent | DeliveryEvent,
  domains: LocalDomains | undefined,
  dialect: Dialect,
): Classification | null {
  const raw = capped(ev.kind === 'reject' ? ev.text : ev.reason);
  const hit = pick(rules, ev, raw, domains);
  return hit === null ? null : new DeferredClassification(hit, ev, raw, dialect);
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
    private readonly dialect: Dialect,
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
    return (this.filled ??= fillVerify(this.template, this.ev, this.raw, this.dialect));
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

/**
 * Per rule table: facts other than the text (a short key) → text → the rule matched, with the
 * facts it was worked out for.
 */
interface RuleCache {
  byFacts: Map<string, Map<string, Known>>;
  entries: number;
  /**
   * The facts other than the text of the last lookup past the ring (their strings copies), and
   * their map: like events in a row share them, and then no key is built.
   */
  lastOther: Facts | null;
  lastByText: Map<string, Known> | null;
  /**
   * The facts of the last RECENT_FACTS distinct events and their answers (a ring): runs of like
   * events, and a few kinds taking turns, skip the key and the maps.
   */
  recent: Facts[];
  recentHits: Array<Hit | null>;
  next: number;
}
const RECENT_FACTS = 8;
/** A cached answer with the facts it is for, their strings copies (kept; see flatCopy). */
interface Known {
  facts: Facts;
  hit: Hit | null;
}
const caches = new WeakMap<readonly Rule[], RuleCache | null>();

function cacheFor(rules: readonly Rule[]): RuleCache | null {
  let cache = caches.get(rules);
  if (cache === undefined) {
    const pure = rules.every((r) => !r.match.re || (!r.match.re.global && !r.match.re.sticky));
    cache = pure ? { byFacts: new Map(), entries: 0, lastOther: null, lastByText: null, recent: [], recentHits: [], next: 0 } : null;
    caches.set(rules, cache);
  }
  return cache;
}


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
  let byText: Map<string, Known> | undefined;
  if (cache !== null) {
    const recent = cache.recent;
    for (let i = 0; i < recent.length; i++) if (sameFacts(recent[i]!, facts)) return cache.recentHits[i]!;
    // Kept past this event: copies, not slices of a chunk (see flatCopy); only what is stored.
    facts.agent = flatCopy(facts.agent);
    facts.enhanced = flatCopy(facts.enhanced);
    facts.stage = flatCopy(facts.stage);
    if (cache.lastOther !== null && sameOtherFacts(cache.lastOther, facts)) {
      byText = cache.lastByText!;
    } else {
      // Two levels, so that the long text is hashed as it is, not glued into one long key.
      const key = `${facts.direction}${facts.permanent ? 1 : 0}${facts.loopback ? 1 : 0}${facts.code}|${lengthPrefixed(facts.enhanced)}${lengthPrefixed(facts.via)}${lengthPrefixed(facts.stage)}${lengthPrefixed(facts.agent)}`;
      byText = cache.byFacts.get(key);
      if (byText === undefined) {
        byText = new Map();
        cache.byFacts.set(key, byText);
      }
      cache.lastOther = { ...facts, text: '' };
      cache.lastByText = byText;
    }
    // The facts kept with the answer, not this event's, go in the ring.
    const known = byText.get(facts.text);
    if (known !== undefined) return remember(cache, known.facts, known.hit);
    facts.text = flatCopy(facts.text);
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
    // Stored as a copy (made above): the text may be a slice of a much longer chunk string (see input/lines.ts).
    byText!.set(facts.text, { facts, hit });
    cache.entries++;
    remember(cache, facts, hit);
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

/** Puts `facts` (flat copies) and their answer in the ring of recent facts; returns the answer. */
function remember(cache: RuleCache, facts: Facts, hit: Hit | null): Hit | null {
  cache.recent[cache.next] = facts;
  cache.recentHits[cache.next] = hit;
  cache.next = (cache.next + 1) % RECENT_FACTS;
  return hit;
}

function sameFacts(a: Facts, b: Facts): boolean {
  return sameOtherFacts(a, b) && a.text === b.text;
}

/** The same facts but for the text? */
function sameOtherFacts(a: Facts, b: Facts): boolean {
  return (
    a.code === b.code &&
    a.direction === b.direction &&
    a.permanent === b.permanent &&
    a.loopback === b.loopback &&
    a.enhanced === b.enhanced &&
    a.via === b.via &&
    a.stage === b.stage &&
    a.agent === b.agent
  );
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


/** Agent, or for message-only lines (no program) the transport name in `relay=local`. */
function agentOf(ev: DeliveryEvent): string | null {
  if (ev.agent !== null) return ev.agent;
  return ev.relay !== null && ev.relay.ip === null ? ev.relay.name : null;
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
