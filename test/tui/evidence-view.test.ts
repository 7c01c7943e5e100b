/** The evidence view's data: lines with their ids, what the title says, search, stdin's fallback. */
import { describe, expect, test } from 'vitest';
import { evidenceDoc, evidenceLines, findMatch } from '../../src/tui/evidence-view.js';
import { initialViewState, reduce } from '../../src/tui/state.js';
import { finding } from './fixtures.js';

const items = [
  { id: 'A1', text: 'first line' },
  { id: 'B2', text: 'Second LINE' },
  { id: '', text: 'third line \u001b[31mred' },
];

describe('evidenceDoc', () => {
  test('lines read back get their queue ids; the title says how many of how many', () => {
    const [f, d] = finding({}, { evidence: new Float64Array([0, 1, 0, 0, 2, 40]), evidenceIds: 'A1\nB2', evidenceLines: 5 });
    const doc = evidenceDoc(f, d, {
      lines: [
        { index: 0, file: 'mail.log', line: 1, text: 'one' },
        { index: 1, file: 'mail.log', line: 2, text: 'two\u001b]0;x\u0007' },
      ],
      unreadable: [],
    });
    expect(doc.items).toEqual([
      { id: 'A1', text: 'one' },
      { id: 'B2', text: 'two' },
    ]);
    expect(doc.notes[0]).toMatch(/^first 2 of 5 lines/);
  });

  test('standard input: the kept examples stand in, and the view says why', () => {
    const [f, d] = finding({ examples: ['ex one', 'ex two'], exampleIds: ['Q1', null] }, { evidence: new Float64Array([0, 1, 0, 0, 2, 9]), evidenceIds: 'Q1\n', evidenceLines: 2 });
    const doc = evidenceDoc(f, d, { lines: [], unreadable: [{ file: '-', refs: 2, why: 'standard input cannot be read again' }] });
    expect(doc.items).toEqual([
      { id: 'Q1', text: 'ex one' },
      { id: '', text: 'ex two' },
    ]);
    expect(doc.notes).toEqual(['2 lines', '2 lines of - not shown: standard input cannot be read again', 'showing the 2 example lines kept instead']);
  });
});

describe('search in the evidence', () => {
  test('plain, case-insensitive substrings of the id or the text, wrapping around', () => {
    expect(findMatch(items, 'line', 0, 1)).toBe(0);
    expect(findMatch(items, 'LINE', 1, 1)).toBe(1);
    expect(findMatch(items, 'b2', 2, 1)).toBe(1);
    expect(findMatch(items, 'line', 0, -1)).toBe(0);
    expect(findMatch(items, 'line', 2, 1)).toBe(2);
    expect(findMatch(items, 'first', 1, 1)).toBe(0);
    expect(findMatch(items, 'x(y', 0, 1)).toBeNull();
    expect(findMatch(items, '', 0, 1)).toBeNull();
  });

  test('the match is marked > (no colour needed) and ids sit in a column', () => {
    const lines = evidenceLines(items, 1).map((l) => l.map((s) => s.text).join(''));
    expect(lines).toEqual(['  A1  first line', '> B2  Second LINE', '      third line \u001b[31mred']);
  });

  test('reduce: e opens from the table and goes back there; a match scrolls into view', () => {
    const ctx = { rowKeys: ['a', 'b'], pageSize: 5, detailLines: 100 };
    let s = reduce(initialViewState, { type: 'evidence' }, ctx);
    expect([s.mode, s.evidenceFrom, s.selectedKey]).toEqual(['evidence', 'table', 'a']);
    s = reduce(s, { type: 'evidenceSearchStart' }, ctx);
    s = reduce(s, { type: 'evidenceSearchType', text: 'q1' }, ctx);
    s = reduce(s, { type: 'evidenceSearchAccept', match: 40 }, ctx);
    expect([s.mode, s.evidenceQuery, s.evidenceMatch, s.evidenceScroll]).toEqual(['evidence', 'q1', 40, 38]);
    s = reduce(s, { type: 'evidenceNext', by: 1, match: null }, ctx);
    expect([s.evidenceMatch, s.message?.text]).toEqual([null, 'not found: q1']);
    s = reduce(s, { type: 'back' }, ctx);
    expect(s.mode).toBe('table');
  });
});
