/**
 * The hand cutter for rows in plain RFC 4180 form (plainCells) against csv-parse, the
 * authority: on every row it accepts it must give exactly csv-parse's cells, and csvCells must
 * always agree with csv-parse. Rows are generated from the characters that matter to quoting
 * (quote, comma, CR, spaces, a non-Latin-1 letter) and from real lines; lines never hold `\n`.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { csvCells, csvParseCells, plainCells } from '../../../parsers/exchange/csv-row.js';
import { ROOT } from '../../helpers/root.js';
import * as real from './real-lines.js';
import { runs } from '../../helpers/runs.js';

const SEED = 20261123;

const realRows = [
  ...Object.values(real).filter((v): v is string => typeof v === 'string'),
  ...readFileSync(`${ROOT}samples/exchange/MSGTRK20261122-1.LOG`, 'utf8').split(/\r?\n/),
  ...readFileSync(`${ROOT}samples/exchange/RECV20261122-1.LOG`, 'utf8').split(/\r?\n/),
].filter((l) => l !== '' && !l.startsWith('#'));

/** Text made of the characters that matter to quoting, plus ordinary ones. */
const quotingText = fc.string({ unit: fc.constantFrom('"', ',', '\r', ' ', 'a', 'é', '€', ';'), maxLength: 40 });

/** A cell as Exchange writes one (plain, or quoted with doubled quotes) or as a hand edit leaves it. */
const cell = fc.oneof(
  quotingText,
  quotingText.map((t) => `"${t.replaceAll('"', '""')}"`),
  quotingText.map((t) => `"${t}"`),
);
// Never empty: blank lines are settled before any row is cut (and csv-parse finds no record in '').
const row = fc
  .array(cell, { minLength: 1, maxLength: 8 })
  .map((cells) => cells.join(','))
  .filter((l) => l !== '');

/** A real row with a slice replaced by quoting characters. */
const editedReal = fc
  .tuple(fc.constantFrom(...realRows), fc.nat(), fc.nat({ max: 20 }), quotingText)
  .map(([line, at, len, text]) => {
    const i = at % (line.length + 1);
    return line.slice(0, i) + text + line.slice(i + len);
  })
  .filter((l) => l !== '');

function agrees(line: string): void {
  const fast = plainCells(line);
  if (fast !== null) expect(fast).toEqual(csvParseCells(line));
  expect(csvCells(line)).toEqual(csvParseCells(line));
}

describe('plain RFC 4180 rows are cut as csv-parse cuts them', () => {
  test('real rows', () => {
    for (const line of realRows) {
      expect(plainCells(line), line).not.toBeNull();
      agrees(line);
    }
  });

  test('generated rows', () => {
    let cut = 0;
    const numRuns = runs(20_000);
    fc.assert(
      fc.property(row, (line) => {
        if (plainCells(line) !== null) cut++;
        agrees(line);
      }),
      { seed: SEED, numRuns },
    );
    // The generator must reach the hand cutter, not only csv-parse: more than a quarter of rows.
    expect(cut).toBeGreaterThan(numRuns / 4);
  });

  test('real rows with quoting characters put in', () => {
    fc.assert(fc.property(editedReal, agrees), { seed: SEED, numRuns: runs(5_000) });
  });

  test('rows csv-parse reads with its relaxed rules are left to it', () => {
    for (const line of ['"a"b,c', '"a" ,b', 'a,b"c,d', 'a, "b"', '"a,b', '"a"""x', '"a"\r']) {
      expect(plainCells(line), line).toBeNull();
      agrees(line);
    }
  });
});
