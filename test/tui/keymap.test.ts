import { describe, expect, test } from 'vitest';
import { keyToAction, splitKeys, type KeyInfo } from '../../src/tui/keymap.js';
import type { Mode } from '../../src/tui/state.js';

interface Case {
  name: string;
  mode: Mode;
  input: string;
  key?: KeyInfo;
  want: ReturnType<typeof keyToAction>;
}

const cases: Case[] = [
  { name: 'table: j moves down', mode: 'table', input: 'j', want: { type: 'move', by: 1 } },
  { name: 'table: ↓ moves down', mode: 'table', input: '', key: { downArrow: true }, want: { type: 'move', by: 1 } },
  { name: 'table: k moves up', mode: 'table', input: 'k', want: { type: 'move', by: -1 } },
  { name: 'table: ↑ moves up', mode: 'table', input: '', key: { upArrow: true }, want: { type: 'move', by: -1 } },
  { name: 'table: PgDn pages', mode: 'table', input: '', key: { pageDown: true }, want: { type: 'page', by: 1 } },
  { name: 'table: g first', mode: 'table', input: 'g', want: { type: 'first' } },
  { name: 'table: G last', mode: 'table', input: 'G', key: { shift: true }, want: { type: 'last' } },
  { name: 'table: Enter opens', mode: 'table', input: '', key: { return: true }, want: { type: 'open' } },
  { name: 'table: / starts the filter', mode: 'table', input: '/', want: { type: 'filterStart' } },
  { name: 'table: Tab cycles the direction', mode: 'table', input: '', key: { tab: true }, want: { type: 'cycleTab', by: 1 } },
  {
    name: 'table: Shift-Tab cycles back',
    mode: 'table',
    input: '',
    key: { tab: true, shift: true },
    want: { type: 'cycleTab', by: -1 },
  },
  { name: 'table: s sorts', mode: 'table', input: 's', want: { type: 'cycleSort' } },
  { name: 'table: i hides or shows informational findings', mode: 'table', input: 'i', want: { type: 'toggleInformational' } },
  { name: 'filter: i is typed', mode: 'filter', input: 'i', want: { type: 'filterType', text: 'i' } },
  { name: 'table: t narrows the time', mode: 'table', input: 't', want: { type: 'cycleWindow' } },
  { name: 'range: t is text', mode: 'range', input: 't', want: { type: 'rangeType', text: 't' } },
  { name: 'range: q is text', mode: 'range', input: 'q', want: { type: 'rangeType', text: 'q' } },
  { name: 'range: Enter applies', mode: 'range', input: '', key: { return: true }, want: { type: 'rangeSubmit' } },
  { name: 'range: Esc cancels', mode: 'range', input: '', key: { escape: true }, want: { type: 'rangeCancel' } },
  { name: 'range: Backspace deletes', mode: 'range', input: '', key: { delete: true }, want: { type: 'rangeDelete' } },
  { name: 'range: Ctrl-U clears', mode: 'range', input: 'u', key: { ctrl: true }, want: { type: 'rangeClear' } },
  { name: 'range: Ctrl-C quits', mode: 'range', input: 'c', key: { ctrl: true }, want: { type: 'quit' } },
  { name: 'table: w exports', mode: 'table', input: 'w', want: { type: 'exportStart' } },
  { name: 'table: e opens the evidence', mode: 'table', input: 'e', want: { type: 'evidence' } },
  { name: 'detail: e opens the evidence', mode: 'detail', input: 'e', want: { type: 'evidence' } },
  { name: 'evidence: / starts a search', mode: 'evidence', input: '/', want: { type: 'evidenceSearchStart' } },
  { name: 'evidence: n next match', mode: 'evidence', input: 'n', want: { type: 'evidenceNext', by: 1, match: null } },
  { name: 'evidence: N previous match', mode: 'evidence', input: 'N', want: { type: 'evidenceNext', by: -1, match: null } },
  { name: 'evidence: j scrolls', mode: 'evidence', input: 'j', want: { type: 'scroll', by: 1 } },
  { name: 'evidence search: n is typed', mode: 'evidenceSearch', input: 'n', want: { type: 'evidenceSearchType', text: 'n' } },
  { name: 'table: ? helps', mode: 'table', input: '?', want: { type: 'help' } },
  { name: 'table: Esc clears the filter', mode: 'table', input: '', key: { escape: true }, want: { type: 'back' } },
  { name: 'table: q quits', mode: 'table', input: 'q', want: { type: 'quit' } },
  { name: 'table: Ctrl-C quits', mode: 'table', input: 'c', key: { ctrl: true }, want: { type: 'quit' } },
  { name: 'table: other letters do nothing', mode: 'table', input: 'x', want: undefined },
  { name: 'filter: j is text', mode: 'filter', input: 'j', want: { type: 'filterType', text: 'j' } },
  { name: 'filter: q is text', mode: 'filter', input: 'q', want: { type: 'filterType', text: 'q' } },
  { name: 'filter: / is text', mode: 'filter', input: '/', want: { type: 'filterType', text: '/' } },
  { name: 'filter: ↓ still moves', mode: 'filter', input: '', key: { downArrow: true }, want: { type: 'move', by: 1 } },
  { name: 'filter: Backspace (DEL)', mode: 'filter', input: '', key: { delete: true }, want: { type: 'filterDelete' } },
  { name: 'filter: Enter keeps', mode: 'filter', input: '', key: { return: true }, want: { type: 'filterAccept' } },
  { name: 'filter: Esc undoes', mode: 'filter', input: '', key: { escape: true }, want: { type: 'filterCancel' } },
  { name: 'filter: Ctrl-C quits', mode: 'filter', input: 'c', key: { ctrl: true }, want: { type: 'quit' } },
  { name: 'filter: Tab is ignored', mode: 'filter', input: '', key: { tab: true }, want: undefined },
  { name: 'detail: j scrolls', mode: 'detail', input: 'j', want: { type: 'scroll', by: 1 } },
  { name: 'detail: Esc back', mode: 'detail', input: '', key: { escape: true }, want: { type: 'back' } },
  { name: 'detail: Backspace back', mode: 'detail', input: '', key: { backspace: true }, want: { type: 'back' } },
  { name: 'detail: q quits', mode: 'detail', input: 'q', want: { type: 'quit' } },
  { name: 'detail: / does nothing', mode: 'detail', input: '/', want: undefined },
  { name: 'help: Esc closes', mode: 'help', input: '', key: { escape: true }, want: { type: 'back' } },
  { name: 'help: ? closes', mode: 'help', input: '?', want: { type: 'help' } },
  { name: 'help: j scrolls', mode: 'help', input: 'j', want: { type: 'scroll', by: 1 } },
  { name: 'help: PgDn scrolls', mode: 'help', input: '', key: { pageDown: true }, want: { type: 'scroll', by: 10 } },
  { name: 'help: G to the bottom', mode: 'help', input: 'G', key: { shift: true }, want: { type: 'scrollTo', to: 'bottom' } },
  { name: 'help: x does nothing', mode: 'help', input: 'x', want: undefined },
  { name: 'detail: g to the top', mode: 'detail', input: 'g', want: { type: 'scrollTo', to: 'top' } },
  { name: 'detail: G to the bottom', mode: 'detail', input: 'G', key: { shift: true }, want: { type: 'scrollTo', to: 'bottom' } },
  { name: 'detail: End to the bottom', mode: 'detail', input: '', key: { end: true }, want: { type: 'scrollTo', to: 'bottom' } },
  { name: 'detail: x shows an example whole', mode: 'detail', input: 'x', want: { type: 'cycleExample', examples: 0 } },
  { name: 'overwrite: y replaces', mode: 'overwrite', input: 'y', want: { type: 'exportReplace' } },
  { name: 'overwrite: n keeps', mode: 'overwrite', input: 'n', want: { type: 'exportKeep' } },
  { name: 'overwrite: Esc keeps', mode: 'overwrite', input: '', key: { escape: true }, want: { type: 'exportKeep' } },
  { name: 'overwrite: Enter is no answer', mode: 'overwrite', input: '', key: { return: true }, want: undefined },
  { name: 'overwrite: q is no answer', mode: 'overwrite', input: 'q', want: undefined },
  { name: 'overwrite: Ctrl-C quits', mode: 'overwrite', input: 'c', key: { ctrl: true }, want: { type: 'quit' } },
  { name: 'export: letters are the path', mode: 'export', input: 'q', want: { type: 'exportType', text: 'q' } },
  { name: 'export: Enter writes', mode: 'export', input: '', key: { return: true }, want: { type: 'exportSubmit' } },
  { name: 'export: Esc cancels', mode: 'export', input: '', key: { escape: true }, want: { type: 'exportCancel' } },
  { name: 'export: Ctrl-U clears', mode: 'export', input: 'u', key: { ctrl: true }, want: { type: 'exportClear' } },
];

describe('keyToAction', () => {
  test.for(cases)('$name', ({ mode, input, key, want }) => {
    expect(keyToAction(input, key ?? {}, mode)).toEqual(want);
  });
});

describe('splitKeys', () => {
  test('one key stays as it is', () => {
    expect(splitKeys('j', {})).toEqual([['j', {}]]);
    expect(splitKeys('', { upArrow: true })).toEqual([['', { upArrow: true }]]);
  });

  test('a run of characters becomes single keys, Enter and Backspace included', () => {
    expect(splitKeys('/gm\r\u007f', {})).toEqual([
      ['/', {}],
      ['g', {}],
      ['m', {}],
      ['', { return: true }],
      ['', { delete: true }],
    ]);
  });

  test('capitals carry shift, other control characters ctrl', () => {
    expect(splitKeys('Gx\u0003', {})).toEqual([
      ['G', { shift: true }],
      ['x', {}],
      ['c', { ctrl: true }],
    ]);
  });

  test('characters outside the BMP stay whole', () => {
    expect(splitKeys('a😀', {})).toEqual([
      ['a', {}],
      ['😀', {}],
    ]);
  });
});
