/**
 * Property tests on every parser: random text and mutated real lines never make a parser throw,
 * and whatever events come out still satisfy the strict event schema. Runs are bounded and
 * seeded, so a failure reproduces.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { builtinParsers } from '../../parsers/index.js';
import type { LogParser } from '../../parsers/types.js';
import { MailEvent } from '../../src/event.js';
import { ROOT } from '../helpers/root.js';
import { REFERENCE } from '../helpers/parse.js';
import { runs } from '../helpers/runs.js';

const SEED = 20261123;
const samples: Record<string, string[]> = {
  postfix: readFileSync(`${ROOT}samples/postfix/mail.log`, 'utf8').split('\n').filter(Boolean).slice(0, 3000),
  exim: [
    ...readFileSync(`${ROOT}samples/exim/mainlog`, 'utf8').split('\n'),
    ...readFileSync(`${ROOT}samples/exim/rejectlog`, 'utf8').split('\n'),
  ].filter(Boolean),
  exchange: [
    ...readFileSync(`${ROOT}samples/exchange/MSGTRK20261122-1.LOG`, 'utf8').split(/\r?\n/),
    ...readFileSync(`${ROOT}samples/exchange/RECV20261122-1.LOG`, 'utf8').split(/\r?\n/),
  ].filter(Boolean),
};

/** Feeds lines to a fresh machine; checks every result and event. */
function feed(parser: LogParser, lines: string[]): void {
  const m = parser.create();
  m.begin({ file: 'fuzz.log', reference: REFERENCE });
  lines.forEach((l, i) => {
    const r = m.line(l, i + 1);
    expect(['recognised', 'ignored', 'unrecognised']).toContain(r.status);
    if (r.status === 'recognised') for (const ev of r.events) MailEvent.parse(ev);
  });
  for (const ev of m.end()) MailEvent.parse(ev);
}

/** A real line with one edit: a slice cut out, repeated, or replaced by random text. */
const mutated = (pool: string[]) =>
  fc
    .tuple(fc.constantFrom(...pool), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 40 }), fc.integer({ min: 0, max: 3 }))
    .map(([line, a, b, junk, op]) => {
      const i = a % (line.length + 1);
      const j = i + (b % 60);
      switch (op) {
        case 0:
          return line.slice(0, i) + line.slice(j);
        case 1:
          return line.slice(0, j) + line.slice(i, j) + line.slice(i);
        case 2:
          return line.slice(0, i) + junk + line.slice(j);
        default:
          return line.slice(0, i);
      }
    });

describe.each(builtinParsers.map((p) => [p.name, p] as const))('%s parser', (name, parser) => {
  test('random text never throws and yields only schema-valid events', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 20 }), (lines) => feed(parser, lines)),
      { seed: SEED, numRuns: runs(500) },
    );
  });

  const pool = samples[name];
  test.skipIf(!pool)('mutated real lines never throw and yield only schema-valid events', () => {
    fc.assert(
      fc.property(fc.array(mutated(pool!), { minLength: 1, maxLength: 30 }), (lines) => feed(parser, lines)),
      { seed: SEED, numRuns: runs(1000) },
    );
  });

  test('sniff never throws on random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (s) => {
        expect(typeof parser.sniff(s)).toBe('boolean');
      }),
      { seed: SEED, numRuns: runs(1000) },
    );
  });
});
