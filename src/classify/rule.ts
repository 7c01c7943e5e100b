/**
 * What a rule table row is (rules-<mta>.ts): the conditions it asks of an event and what it
 * says when they hold. Data only; engine.ts walks the tables.
 */
import type { RejectEvent } from '../event.js';
import type { Cause, Direction } from './types.js';

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
   * Shell command with `{placeholders}` (see PLACEHOLDERS in verify.ts); values are single-quoted. A value may
   * start with `-`, so every placeholder must stand where the program cannot read it as an
   * option: after `--`, attached (`--to={rcpt}`), or as the argument of an option that takes
   * one (`postmap -q {rcpt}`, `dig -q {domain}`, `grep -e {queue_id}`). test/classify/verify-argv.test.ts
   * runs every template with hostile values against stub programs that check this.
   */
  verify: string;
}
