import { describe, expect, test } from 'vitest';
import {
  cursorIndex,
  fitScroll,
  initialViewState,
  matchesFilter,
  reduce,
  selectedRow,
  trendSpan,
  visibleRows,
  type ReduceContext,
  type ViewAction,
  type ViewState,
} from '../../src/tui/state.js';
import { findingIdentity, HOUR_MS, MINUTE_MS, TrendStore } from '../../src/tui/trend.js';
import { finding, snapshotOf } from './fixtures.js';

const keys = (n: number): string[] => Array.from({ length: n }, (_, i) => `k${i}`);
const ctx = (n: number, pageSize = 5): ReduceContext => ({ rowKeys: keys(n), pageSize });
const run = (actions: ViewAction[], c: ReduceContext, from: ViewState = initialViewState): ViewState =>
  actions.reduce((s, a) => reduce(s, a, c), from);

describe('reduce: moving', () => {
  test('down and up move the cursor and remember the finding under it', () => {
    const s = run([{ type: 'move', by: 1 }, { type: 'move', by: 1 }, { type: 'move', by: -1 }], ctx(10));
    expect(s.cursor).toBe(1);
    expect(s.selectedKey).toBe('k1');
  });

  test('the cursor stops at the first and the last row', () => {
    expect(run([{ type: 'move', by: -3 }], ctx(10)).cursor).toBe(0);
    expect(run([{ type: 'move', by: 30 }], ctx(10)).cursor).toBe(9);
    expect(run([{ type: 'last' }, { type: 'first' }], ctx(10)).cursor).toBe(0);
  });

  test('paging moves a page less one row, and scrolls so the cursor stays visible', () => {
    const s = run([{ type: 'page', by: 1 }], ctx(20, 5));
    expect(s.cursor).toBe(4);
    const t = run([{ type: 'page', by: 1 }, { type: 'page', by: 1 }], ctx(20, 5));
    expect(t.cursor).toBe(8);
    expect(t.scroll).toBe(4);
  });

  test('no rows: moving is harmless and Enter opens nothing', () => {
    const s = run([{ type: 'move', by: 1 }, { type: 'open' }], ctx(0));
    expect(s.mode).toBe('table');
    expect(s.selectedKey).toBeNull();
  });

  test('the selection follows its finding when re-ranking moves it', () => {
    const s = run([{ type: 'move', by: 2 }], ctx(5));
    expect(s.selectedKey).toBe('k2');
    expect(cursorIndex(s, ['k2', 'k0', 'k1'])).toBe(0);
    // Gone from the view: the position is kept.
    expect(cursorIndex(s, ['a', 'b', 'c', 'd'])).toBe(2);
    expect(cursorIndex(s, ['a'])).toBe(0);
  });
});

describe('reduce: modes', () => {
  test('Enter opens the detail of the selected finding, Esc goes back', () => {
    const c = ctx(3);
    const open = run([{ type: 'move', by: 1 }, { type: 'open' }], c);
    expect(open).toMatchObject({ mode: 'detail', selectedKey: 'k1', detailScroll: 0 });
    expect(reduce(open, { type: 'back' }, c).mode).toBe('table');
  });

  test('the detail pane scrolls within its lines', () => {
    const c: ReduceContext = { rowKeys: keys(3), pageSize: 10, detailLines: 25 };
    const s = run([{ type: 'open' }, { type: 'scroll', by: 100 }], c);
    expect(s.detailScroll).toBe(15);
    expect(reduce(s, { type: 'scroll', by: -100 }, c).detailScroll).toBe(0);
  });

  test('typing a filter narrows and starts again at the top; Esc restores the filter before', () => {
    const c = ctx(10);
    const typed = run(
      [{ type: 'move', by: 4 }, { type: 'filterStart' }, { type: 'filterType', text: 'gma' }, { type: 'filterType', text: 'il' }],
      c,
    );
    expect(typed).toMatchObject({ mode: 'filter', filter: 'gmail', cursor: 0, selectedKey: null });
    expect(reduce(typed, { type: 'filterDelete' }, c).filter).toBe('gmai');
    expect(reduce(typed, { type: 'filterAccept' }, c)).toMatchObject({ mode: 'table', filter: 'gmail' });
    expect(reduce(typed, { type: 'filterCancel' }, c)).toMatchObject({ mode: 'table', filter: '' });
  });

  test('the filter takes no control characters', () => {
    const s = run([{ type: 'filterStart' }, { type: 'filterType', text: 'a\u001b[31mb\u0007' }], ctx(1));
    expect(s.filter).toBe('a[31mb');
  });

  test('Esc in the table clears an accepted filter', () => {
    const s = run([{ type: 'filterStart' }, { type: 'filterType', text: 'x' }, { type: 'filterAccept' }, { type: 'back' }], ctx(1));
    expect(s.filter).toBe('');
  });

  test('Tab cycles all → inbound → outbound → local → all, Shift-Tab back', () => {
    const tabs: string[] = [];
    let s = initialViewState;
    for (let i = 0; i < 4; i++) {
      s = reduce(s, { type: 'cycleTab', by: 1 }, ctx(1));
      tabs.push(s.tab);
    }
    expect(tabs).toEqual(['inbound', 'outbound', 'local', 'all']);
    expect(reduce(initialViewState, { type: 'cycleTab', by: -1 }, ctx(1)).tab).toBe('local');
  });

  test('s cycles the sort, t narrows the time window', () => {
    const sorts = [1, 2, 3].map((n) => run(Array(n).fill({ type: 'cycleSort' }), ctx(1)).sort);
    expect(sorts).toEqual(['recent', 'domain', 'count']);
    const windows = [1, 2, 3].map((n) => run(Array(n).fill({ type: 'cycleWindow' }), ctx(1)).window);
    expect(windows).toEqual(['day', 'hour', 'all']);
  });

  test('help opens over the table or the detail and returns there', () => {
    const c = ctx(2);
    const fromDetail = run([{ type: 'open' }, { type: 'help' }], c);
    expect(fromDetail.mode).toBe('help');
    expect(reduce(fromDetail, { type: 'help' }, c).mode).toBe('detail');
    expect(reduce(fromDetail, { type: 'back' }, c).mode).toBe('detail');
  });

  test('the export prompt starts with the suggested path, edits it, and returns on Enter or Esc', () => {
    const c = ctx(2);
    const s = run([{ type: 'exportStart', suggested: './x.csv' }, { type: 'exportDelete' }, { type: 'exportType', text: 'tsv' }], c);
    expect(s).toMatchObject({ mode: 'export', exportPath: './x.cstsv' });
    expect(reduce(s, { type: 'exportClear' }, c).exportPath).toBe('');
    expect(reduce(s, { type: 'exportSubmit' }, c).mode).toBe('table');
    expect(reduce(s, { type: 'exportCancel' }, c).mode).toBe('table');
  });

  test('a message stays until the next key', () => {
    const c = ctx(2);
    const s = reduce(initialViewState, { type: 'message', message: { text: 'wrote', kind: 'info' } }, c);
    expect(s.message?.text).toBe('wrote');
    expect(reduce(s, { type: 'move', by: 1 }, c).message).toBeNull();
  });

  test('quit', () => {
    expect(reduce(initialViewState, { type: 'quit' }, ctx(0)).quit).toBe(true);
  });
});

describe('fitScroll', () => {
  test.for([
    { name: 'everything fits', scroll: 3, cursor: 2, height: 10, total: 5, want: 0 },
    { name: 'cursor below the page', scroll: 0, cursor: 12, height: 10, total: 40, want: 3 },
    { name: 'cursor above the page', scroll: 20, cursor: 5, height: 10, total: 40, want: 5 },
    { name: 'cursor on the page', scroll: 4, cursor: 8, height: 10, total: 40, want: 4 },
    { name: 'past the end after rows went away', scroll: 35, cursor: 19, height: 10, total: 20, want: 10 },
  ])('$name', ({ scroll, cursor, height, total, want }) => {
    expect(fitScroll(scroll, cursor, height, total)).toBe(want);
  });
});

describe('matchesFilter', () => {
  const f = { recipientDomain: 'gmail.com', cause: 'user-unknown' as const, hint: 'remove the address from lists' };
  test.for([
    { name: 'domain', filter: 'gmail', want: true },
    { name: 'cause, any case', filter: 'USER-UNK', want: true },
    { name: 'hint', filter: 'lists', want: true },
    { name: 'every word must match somewhere', filter: 'gmail unknown', want: true },
    { name: 'one word missing', filter: 'gmail relay', want: false },
    { name: 'empty filter', filter: '  ', want: true },
  ])('$name', ({ filter, want }) => {
    expect(matchesFilter(f, filter)).toBe(want);
  });

  test('a finding without recipient domain matches on cause and hint', () => {
    expect(matchesFilter({ recipientDomain: null, cause: 'blocklisted', hint: 'reject_rbl_client' }, 'rbl')).toBe(true);
  });
});

describe('visibleRows', () => {
  const snap = snapshotOf([
    finding({ recipientDomain: 'example.com', count: 50, lastSeen: '2026-11-22T03:00:00.000Z' }),
    finding({ direction: 'outbound', recipientDomain: 'gmail.com', count: 20, lastSeen: '2026-11-22T09:00:00.000Z' }),
    finding({ direction: 'outbound', recipientDomain: 'aol.com', cause: 'mailbox-full', count: 5, lastSeen: null }),
    finding({ direction: 'local', recipientDomain: null, cause: 'other', hint: 'x', count: 1 }),
  ]);
  const names = (rows: ReturnType<typeof visibleRows>) => rows.map((r) => r.finding.recipientDomain);
  const base = { filter: '', tab: 'all' as const, sort: 'count' as const, window: 'all' as const };

  test('all findings in rank order by default', () => {
    expect(names(visibleRows(snap, base, { reference: null }))).toEqual(['example.com', 'gmail.com', 'aol.com', null]);
  });

  test('the direction tab and the filter narrow', () => {
    expect(names(visibleRows(snap, { ...base, tab: 'outbound' }, { reference: null }))).toEqual(['gmail.com', 'aol.com']);
    expect(names(visibleRows(snap, { ...base, filter: 'gmail' }, { reference: null }))).toEqual(['gmail.com']);
  });

  test('sort by most recent (no time last) and by domain (none last)', () => {
    // gmail.com 09:00, the local finding 05:00, example.com 03:00, aol.com never.
    expect(names(visibleRows(snap, { ...base, sort: 'recent' }, { reference: null }))).toEqual([
      'gmail.com',
      null,
      'example.com',
      'aol.com',
    ]);
    expect(names(visibleRows(snap, { ...base, sort: 'domain' }, { reference: null }))).toEqual([
      'aol.com',
      'example.com',
      'gmail.com',
      null,
    ]);
  });

  test('a time window counts from the trends and hides findings without events in it', () => {
    const trends = new TrendStore();
    const ref = Date.parse('2026-11-22T10:00:00Z');
    const [ex, gm] = [snap.findings[0]!, snap.findings[1]!];
    trends.addAt(findingIdentity(ex), ref - 2 * HOUR_MS); // in the last 24 h, not in the last hour
    for (let i = 0; i < 3; i++) trends.addAt(findingIdentity(gm), ref - 10 * MINUTE_MS);
    const day = visibleRows(snap, { ...base, window: 'day' }, { trends, reference: ref });
    expect(day.map((r) => [r.finding.recipientDomain, r.count])).toEqual([
      ['gmail.com', 3],
      ['example.com', 1],
    ]);
    const hour = visibleRows(snap, { ...base, window: 'hour' }, { trends, reference: ref });
    expect(hour.map((r) => r.finding.recipientDomain)).toEqual(['gmail.com']);
    expect(visibleRows(snap, { ...base, window: 'hour' }, { trends, reference: null })).toEqual([]);
  });

  test('rows are marked new by key', () => {
    const rows = visibleRows(snap, base, { reference: null, newKeys: new Set([snap.details[1]!.key]) });
    expect(rows.map((r) => r.isNew)).toEqual([false, true, false, false]);
  });

  test('selectedRow is the row under the cursor', () => {
    const rows = visibleRows(snap, base, { reference: null });
    expect(selectedRow(rows, { cursor: 1, selectedKey: null })?.finding.recipientDomain).toBe('gmail.com');
    expect(selectedRow(rows, { cursor: 0, selectedKey: snap.details[2]!.key })?.finding.recipientDomain).toBe('aol.com');
    expect(selectedRow([], { cursor: 0, selectedKey: null })).toBeUndefined();
  });
});

describe('trendSpan', () => {
  const ref = Date.parse('2026-11-22T10:00:00Z');
  test('last hour, last 24 h, and the whole log capped at the hour ring', () => {
    expect(trendSpan('hour', ref, null)).toEqual([ref - 59 * MINUTE_MS, ref]);
    expect(trendSpan('day', ref, null)).toEqual([ref - 23 * HOUR_MS, ref]);
    expect(trendSpan('all', ref, '2026-11-22T06:00:00Z')).toEqual([Date.parse('2026-11-22T06:00:00Z'), ref]);
    expect(trendSpan('all', ref, '2020-01-01T00:00:00Z')).toEqual([ref - 167 * HOUR_MS, ref]);
  });
});
