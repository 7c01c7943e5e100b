/** Run real lines through a parser's LineMachine, as the pipeline does, for table tests. */
import { postfixParser } from '../../parsers/postfix/index.js';
import type { LineResult, LogParser } from '../../parsers/types.js';
import type { MailEvent } from '../../src/event.js';

/** A fixed reference date: tests never depend on the clock (year inference uses it). */
export const REFERENCE = new Date('2026-11-23T12:00:00Z');

export interface Parsed {
  results: LineResult[];
  events: MailEvent[];
}

export function parseAll(lines: string[], parser: LogParser = postfixParser, reference = REFERENCE): Parsed {
  const m = parser.create();
  m.begin({ file: 'test.log', reference });
  const results = lines.map((l, i) => m.line(l, i + 1));
  const events = results.flatMap((r) => (r.status === 'recognised' ? r.events : (r.events ?? [])));
  events.push(...m.end());
  return { results, events };
}

/** All events the lines yield, including those flushed at end of input. */
export function parseLines(lines: string[], parser: LogParser = postfixParser): MailEvent[] {
  return parseAll(lines, parser).events;
}

/** Events without provenance (origin, raw), for comparing with hand-written expectations. */
export function stripOrigin(ev: MailEvent): Record<string, unknown> {
  const { origin: _o, raw: _r, ...rest } = ev;
  return rest;
}
