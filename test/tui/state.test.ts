import { describe, expect, test } from 'vitest';
import {
  cursorIndex,
  fitScroll,
  initialViewState,
  formatTimeRange,
  matchesFilter,
  parseTimeRange,
  reduce,
  selectedRow,
  trendSpan,
  visibleRows,
  type ReduceContext,
  type ViewAction,
  type ViewState,
} from '../../src/tui/state.js';
import { HOUR_MS, MINUTE_MS, TrendStore } from '../../src/aggregate/trend.js';
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

  test('g and G: the top and the bottom of the detail pane', () => {
    const c: ReduceContext = { rowKeys: keys(3), pageSize: 10, detailLines: 25 };
    const bottom = run([{ type: 'open' }, { type: 'scrollTo', to: 'bottom' }], c);
    expect(bottom.detailScroll).toBe(15);
    expect(reduce(bottom, { type: 'scrollTo', to: 'top' }, c).detailScroll).toBe(0);
  });

  test('x shows each example whole in turn, then the detail again; Esc goes back to the detail', () => {
    const c: ReduceContext = { rowKeys: keys(3), pageSize: 10, detailLines: 25 };
    const opened = run([{ type: 'open' }, { type: 'scroll', by: 4 }], c);
    const shown: Array<number | null> = [];
    let s = opened;
    for (let i = 0; i < 4; i++) {
      s = reduce(s, { type: 'cycleExample', examples: 3 }, c);
      shown.push(s.example);
    }
    expect(shown).toEqual([0, 1, 2, null]);
    const one = reduce(opened, { type: 'cycleExample', examples: 3 }, c);
    expect(one.detailScroll).toBe(0);
    expect(reduce(one, { type: 'back' }, c)).toMatchObject({ mode: 'detail', example: null });
    expect(reduce(opened, { type: 'cycleExample', examples: 0 }, c).example).toBeNull();
    // Another finding opens on its usual detail.
    expect(run([{ type: 'back' }, { type: 'move', by: 1 }, { type: 'open' }], c, one).example).toBeNull();
  });

  test('help scrolls on its own, leaving the detail where it was', () => {
    const c: ReduceContext = { rowKeys: keys(3), pageSize: 10, detailLines: 25 };
    const s = run([{ type: 'open' }, { type: 'scroll', by: 3 }, { type: 'help' }, { type: 'scroll', by: 2 }, { type: 'scrollTo', to: 'bottom' }], c);
    expect(s).toMatchObject({ mode: 'help', helpScroll: 15, detailScroll: 3 });
    expect(reduce(s, { type: 'back' }, c)).toMatchObject({ mode: 'detail', detailScroll: 3 });
    expect(run([{ type: 'help' }], c, s).helpScroll).toBe(15);
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
    expect(sorts).toEqual(['recent', 'domain', 'impact']);
    const windows = [1, 2].map((n) => run(Array(n).fill({ type: 'cycleWindow' }), ctx(1)).window);
    expect(windows).toEqual(['day', 'hour']);
    // The third t asks for a custom range; after an applied range (or a cancelled prompt) t goes back to all.
    const asking = run(Array(3).fill({ type: 'cycleWindow' }), ctx(1));
    expect(asking).toMatchObject({ mode: 'range', window: 'hour' });
  });

  test('help opens over the table or the detail and returns there', () => {
    const c = ctx(2);
    const fromDetail = run([{ type: 'open' }, { type: 'help' }], c);
    expect(fromDetail.mode).toBe('help');
    expect(reduce(fromDetail, { type: 'help' }, c).mode).toBe('detail');
    expect(reduce(fromDetail, { type: 'back' }, c).mode).toBe('detail');
  });

  test('the export prompt starts with the suggested path, edits it, and returns when written or on Esc', () => {
    const c = ctx(2);
    const s = run([{ type: 'exportStart', suggested: './x.csv' }, { type: 'exportDelete' }, { type: 'exportType', text: 'tsv' }], c);
    expect(s).toMatchObject({ mode: 'export', exportPath: './x.cstsv' });
    expect(reduce(s, { type: 'exportClear' }, c).exportPath).toBe('');
    // Enter leaves the prompt up until the file is written.
    const submitted = reduce(s, { type: 'exportSubmit' }, c);
    expect(submitted.mode).toBe('export');
    expect(reduce(submitted, { type: 'exportDone', text: 'wrote 2 findings to /x' }, c)).toMatchObject({
      mode: 'table',
      message: { text: 'wrote 2 findings to /x', kind: 'info' },
    });
    expect(reduce(s, { type: 'exportCancel' }, c).mode).toBe('table');
  });

  test('a failed export keeps the prompt with the path and why; Esc then leaves the filter alone', () => {
    const c = ctx(2);
    const filtered = run([{ type: 'filterStart' }, { type: 'filterType', text: 'gmail' }, { type: 'filterAccept' }], c);
    let s = run([{ type: 'exportStart', suggested: './x.csv' }, { type: 'exportType', text: 'v' }, { type: 'exportSubmit' }], c, filtered);
    s = reduce(s, { type: 'exportFailed', error: 'could not write /x.csvv: permission denied' }, c);
    expect(s).toMatchObject({ mode: 'export', exportPath: './x.csvv', exportError: 'could not write /x.csvv: permission denied' });
    // Typing clears the error; Esc closes the prompt and the table keeps its filter.
    expect(reduce(s, { type: 'exportType', text: 'x' }, c).exportError).toBeNull();
    const back = reduce(s, { type: 'back' }, c);
    expect(back).toMatchObject({ mode: 'table', filter: 'gmail', exportError: null });
    // A failure reported after the prompt was left shows on the bottom line; Esc dismisses it, not the filter.
    const late = reduce(back, { type: 'exportFailed', error: 'could not write: EIO' }, c);
    expect(late.message).toEqual({ text: 'could not write: EIO', kind: 'error' });
    expect(reduce(late, { type: 'back' }, c)).toMatchObject({ filter: 'gmail', message: null });
  });

  test('an existing file: the prompt asks, y replaces, n goes back to the path', () => {
    const c = ctx(2);
    const s = run([{ type: 'exportStart', suggested: './x.csv' }, { type: 'exportSubmit' }, { type: 'exportExists', target: '/w/x.csv' }], c);
    expect(s).toMatchObject({ mode: 'overwrite', exportTarget: '/w/x.csv' });
    expect(reduce(s, { type: 'exportKeep' }, c)).toMatchObject({ mode: 'export', exportTarget: null, exportPath: './x.csv' });
    const replacing = reduce(s, { type: 'exportReplace' }, c);
    expect(replacing.mode).toBe('export');
    expect(reduce(replacing, { type: 'exportDone', text: 'wrote' }, c).mode).toBe('table');
    // Cancelled before the check came back: no question.
    const cancelled = run([{ type: 'exportStart' }, { type: 'exportCancel' }, { type: 'exportExists', target: '/w/x.csv' }], c);
    expect(cancelled.mode).toBe('table');
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

  test('the MTA, the rule and the hosts match too', () => {
    const g = { ...f, mta: 'exim' as const, rule: 'exim.outbound.user-unknown', hosts: [{ host: 'MX2.example.net', count: 3 }] };
    expect(['exim', 'mx2', 'gmail mx2', 'outbound.user'].map((w) => matchesFilter(g, w))).toEqual([true, true, true, true]);
    expect(['postfix', 'mx1', 'mx2 postfix'].map((w) => matchesFilter(g, w))).toEqual([false, false, false]);
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
  const base = { filter: '', tab: 'all' as const, sort: 'impact' as const, window: 'all' as const };

  test('all findings in rank order by default', () => {
    expect(names(visibleRows(snap, base, { reference: null }))).toEqual(['example.com', 'gmail.com', 'aol.com', null]);
  });

  test('i hides the informational findings and shows them again', () => {
    const mixed = snapshotOf([
      finding({ recipientDomain: 'mine.example', action: 'actionable', actionReason: 'our map' }),
      finding({ recipientDomain: 'theirs.example', action: 'informational', actionReason: 'a stranger’s typo' }),
    ]);
    const hidden = run([{ type: 'toggleInformational' }], ctx(2));
    expect(hidden.hideInformational).toBe(true);
    expect(names(visibleRows(mixed, { ...base, hideInformational: hidden.hideInformational }, { reference: null }))).toEqual(['mine.example']);
    const shown = run([{ type: 'toggleInformational' }], ctx(2), hidden);
    expect(names(visibleRows(mixed, { ...base, hideInformational: shown.hideInformational }, { reference: null }))).toEqual([
      'mine.example',
      'theirs.example',
    ]);
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
    // The trends count by the finding's key (what Aggregator.add returns for its events).
    const [ex, gm] = [snap.details[0]!.key, snap.details[1]!.key];
    trends.addAt(ex, ref - 2 * HOUR_MS); // in the last 24 h, not in the last hour
    for (let i = 0; i < 3; i++) trends.addAt(gm, ref - 10 * MINUTE_MS);
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

describe('parseTimeRange', () => {
  const newest = Date.parse('2026-11-22T12:34:56Z');
  const at = (iso: string): number => Date.parse(`${iso}:00Z`);
  const ok: Array<[string, number | null, number | null]> = [
    ['2026-11-22 06:00..2026-11-22 12:00', at('2026-11-22T06:00'), at('2026-11-22T12:00')],
    ['06:00..12:00', at('2026-11-22T06:00'), at('2026-11-22T12:00')],
    ['  6:05 .. 2026-11-23 00:10 ', at('2026-11-22T06:05'), at('2026-11-23T00:10')],
    ['2026-11-21T23:00..01:00', at('2026-11-21T23:00'), at('2026-11-22T01:00')],
    ['..12:00', null, at('2026-11-22T12:00')],
    ['06:00..', at('2026-11-22T06:00'), null],
    ['..', null, null],
    ['12:00..12:00', at('2026-11-22T12:00'), at('2026-11-22T12:00')],
  ];
  test.each(ok)('%j', (input, from, to) => {
    expect(parseTimeRange(input, newest)).toEqual({ ok: true, range: { from, to } });
  });

  const bad: Array<[string, RegExp]> = [
    ['12:00..06:00', /ends before it starts/],
    ['2026-11-23 00:00..2026-11-22 23:59', /ends before it starts/],
    ['06:00', /expected FROM\.\.TO/],
    ['', /expected FROM\.\.TO/],
    ['yesterday..now', /not a time/],
    ['06:00..12:00..13:00', /not a time/],
    ['25:00..', /no such time/],
    ['..12:60', /no such time/],
    ['2026-02-30 10:00..', /no such time/],
    ['2026-11-22 06:00:00..', /not a time/],
    ['06:00\u001b[31m..', /not a time/],
  ];
  test.each(bad)('%j is refused', (input, error) => {
    const r = parseTimeRange(input, newest);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  test('HH:MM needs a dated event; a full date does not', () => {
    expect(parseTimeRange('06:00..', null)).toMatchObject({ ok: false, error: expect.stringMatching(/no dated event/) });
    expect(parseTimeRange('2026-11-22 06:00..', null).ok).toBe(true);
  });

  test('1 MB of input is refused quickly', () => {
    const started = Date.now();
    for (const input of ['1'.repeat(1 << 20), `${'0'.repeat(1 << 20)}..`, `..${':'.repeat(1 << 20)}`, '.'.repeat(1 << 20)]) {
      expect(parseTimeRange(input, newest)).toMatchObject({ ok: false, error: expect.stringMatching(/too long/) });
    }
    expect(Date.now() - started).toBeLessThan(500);
  });

  test('formatTimeRange: the end date only when it differs, … for an open side', () => {
    const r = (a: string | null, b: string | null) => ({ from: a === null ? null : at(a), to: b === null ? null : at(b) });
    expect(formatTimeRange(r('2026-11-22T06:00', '2026-11-22T12:00'))).toBe('2026-11-22 06:00 → 12:00 UTC');
    expect(formatTimeRange(r('2026-11-22T06:00', '2026-11-23T01:00'))).toBe('2026-11-22 06:00 → 2026-11-23 01:00 UTC');
    expect(formatTimeRange(r(null, '2026-11-22T12:00'))).toBe('… → 2026-11-22 12:00 UTC');
    expect(formatTimeRange(r('2026-11-22T06:00', null))).toBe('2026-11-22 06:00 → … UTC');
  });
});

describe('reduce: the custom range prompt', () => {
  const reference = Date.parse('2026-11-22T12:34:56Z');
  const c: ReduceContext = { ...ctx(5), reference };
  const hour: ViewState = { ...initialViewState, window: 'hour' };
  const typed = (text: string): ViewState => run([{ type: 'cycleWindow' }, { type: 'rangeType', text }], c, hour);

  test('t after the last hour opens the prompt; the window is unchanged while it is open', () => {
    const s = reduce(hour, { type: 'cycleWindow' }, c);
    expect(s).toMatchObject({ mode: 'range', window: 'hour', rangeError: null });
  });

  test('Enter applies the range (HH:MM on the day of the newest event) and starts at the top', () => {
    const s = run([{ type: 'move', by: 3 }, { type: 'cycleWindow' }, { type: 'rangeType', text: '06:00..12:00' }, { type: 'rangeSubmit' }], c, hour);
    expect(s).toMatchObject({
      mode: 'table',
      window: 'custom',
      range: { from: Date.parse('2026-11-22T06:00:00Z'), to: Date.parse('2026-11-22T12:00:00Z') },
      cursor: 0,
      selectedKey: null,
    });
    // From a custom range, t goes on to the whole log.
    expect(reduce(s, { type: 'cycleWindow' }, c).window).toBe('all');
  });

  test('Esc cancels: the window is unchanged, and the next t goes on to the whole log', () => {
    const s = reduce(typed('06:00..'), { type: 'rangeCancel' }, c);
    expect(s).toMatchObject({ mode: 'table', window: 'hour', range: null });
    expect(reduce(typed('06:00..'), { type: 'back' }, c)).toMatchObject({ mode: 'table', window: 'hour' });
    const next = reduce(s, { type: 'cycleWindow' }, c);
    expect(next).toMatchObject({ mode: 'table', window: 'all' });
    // …and the cycle asks again the time after.
    expect(run(Array(3).fill({ type: 'cycleWindow' }), c, next).mode).toBe('range');
  });

  test('an invalid range keeps the prompt open with the error; typing clears it', () => {
    const s = reduce(typed('12:00..06:00'), { type: 'rangeSubmit' }, c);
    expect(s).toMatchObject({ mode: 'range', window: 'hour', rangeError: 'the range ends before it starts' });
    expect(reduce(s, { type: 'rangeDelete' }, c)).toMatchObject({ rangeInput: '12:00..06:0', rangeError: null });
    expect(reduce(s, { type: 'rangeClear' }, c)).toMatchObject({ rangeInput: '', rangeError: null });
  });

  test('.. is the whole log; typing stops a little past the longest range', () => {
    expect(reduce(typed('..'), { type: 'rangeSubmit' }, c)).toMatchObject({ mode: 'table', window: 'all', range: null });
    const long = run(Array(200).fill({ type: 'rangeType', text: '1' }), c, typed(''));
    expect(long.rangeInput.length).toBeLessThan(100);
    expect(reduce(long, { type: 'rangeSubmit' }, c).rangeError).toMatch(/too long/);
  });
});

describe('visibleRows: a custom range', () => {
  test('counts the events in the range, as the last hour and 24 h windows do', () => {
    const [a, b] = [finding({ recipientDomain: 'a.test' }), finding({ recipientDomain: 'b.test' })];
    const snap = snapshotOf([a, b]);
    const trends = new TrendStore();
    const t = (iso: string): number => Date.parse(iso);
    trends.addAt(a[1].key, t('2026-11-22T05:59:00Z'));
    trends.addAt(a[1].key, t('2026-11-22T06:00:00Z'));
    trends.addAt(a[1].key, t('2026-11-22T07:30:00Z'));
    trends.addAt(b[1].key, t('2026-11-22T11:00:00Z'));
    const ref = t('2026-11-22T12:00:00Z');
    const view = { filter: '', tab: 'all' as const, sort: 'impact' as const, window: 'custom' as const };
    const rows = (from: string | null, to: string | null) =>
      visibleRows(snap, { ...view, range: { from: from && t(from), to: to && t(to) } }, { trends, reference: ref }).map(
        (r) => [r.finding.recipientDomain, r.count],
      );
    // Under two hours: whole minutes, the last minute included.
    expect(rows('2026-11-22T06:00:00Z', '2026-11-22T07:30:00Z')).toEqual([['a.test', 2]]);
    expect(rows(null, '2026-11-22T06:00:00Z')).toEqual([['a.test', 2]]);
    // An open end ends at the reference, like the fixed windows.
    expect(rows('2026-11-22T10:30:00Z', null)).toEqual([['b.test', 1]]);
    // Two hours or more: whole hours (07:30 is in the 07 hour).
    expect(rows('2026-11-22T07:31:00Z', null)).toEqual([['a.test', 1], ['b.test', 1]]);
    expect(rows('2026-11-22T08:00:00Z', '2026-11-22T10:59:00Z')).toEqual([]);
    // The same path as the fixed windows: last hour / 24 h are ranges ending at the reference.
    expect(visibleRows(snap, { ...view, window: 'day' }, { trends, reference: ref }).map((r) => r.count)).toEqual([3, 1]);
  });

  test('the trend of a custom range spans it', () => {
    const ref = Date.parse('2026-11-22T12:00:00Z');
    const from = Date.parse('2026-11-22T06:00:00Z');
    expect(trendSpan('custom', ref, null, { from, to: from + HOUR_MS })).toEqual([from, from + HOUR_MS + MINUTE_MS - 1]);
    expect(trendSpan('custom', ref, '2026-11-22T01:00:00Z', { from: null, to: null })).toEqual([Date.parse('2026-11-22T01:00:00Z'), ref]);
  });
});
