/**
 * The harness the rule-table tests share (rules-postfix, rules-exim, rules-exchange): what a
 * case expects, the event its lines yield, and the part of a Classification a case compares.
 */
import { expect } from 'vitest';
import type { LogParser } from '../../parsers/types.js';
import type { Cause, Classification, Direction } from '../../src/classify/types.js';
import type { MailEvent, Mta } from '../../src/event.js';
import { parseLines } from './parse.js';

/** What a case checks of a classification (advice is prose; verify is checked by substring). */
export type Want = Pick<Classification, 'direction' | 'cause' | 'hint' | 'rule' | 'permanent'>;

/** `want(direction, cause, hint, rule, permanent)` for one MTA's table: rule ids are `<mta>.<direction>.<rule>`. */
export const wantFor =
  (mta: Mta) =>
  (direction: Direction, cause: Cause, hint: string, rule: string, permanent: boolean): Want => ({
    direction,
    cause,
    hint,
    rule: `${mta}.${direction}.${rule}`,
    permanent,
  });

/** The last event the lines yield through `parser` (a case's lines lead up to the event classified). */
export function lastEventOf(lines: string[], parser?: LogParser): MailEvent {
  const events = parser === undefined ? parseLines(lines) : parseLines(lines, parser);
  expect(events.length, 'the parser yields an event').toBeGreaterThan(0);
  return events[events.length - 1]!;
}

/** The compared part of a classification (null stays null). */
export const summary = (c: Classification | null): Want | null =>
  c && { direction: c.direction, cause: c.cause, hint: c.hint, rule: c.rule, permanent: c.permanent };
