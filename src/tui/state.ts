/**
 * What the user is looking at, as plain data: `ViewState`, the `ViewAction`s that change it,
 * `reduce`, and the selectors that turn a Snapshot into the rows on screen. No Ink, no I/O:
 * App.tsx dispatches actions and performs the few side effects (quit, export) itself.
 *
 * Moving needs to know the rows on screen, so `reduce` takes a context with their keys and the
 * page height. The selection follows a finding by its key while snapshots re-rank the table;
 * when the finding leaves the view, the cursor keeps its position.
 */
import type { Direction, Finding, FindingDetails, Snapshot } from '../aggregate/types.js';
import { findingIdentity, HOUR_MS, HOUR_SLOTS, MINUTE_MS, type TimeWindow, type TrendReader } from './trend.js';

export type { TimeWindow } from './trend.js';

export type Mode = 'table' | 'detail' | 'filter' | 'help' | 'export';
export type DirectionTab = 'all' | Direction;
export type SortKey = 'count' | 'recent' | 'domain';

/** Tab order: all → inbound → outbound → local → all. */
export const TABS: readonly DirectionTab[] = ['all', 'inbound', 'outbound', 'local'];
export const SORTS: readonly SortKey[] = ['count', 'recent', 'domain'];
/** `t` narrows: whole log → last 24 hours → last hour → whole log. */
export const WINDOWS: readonly TimeWindow[] = ['all', 'day', 'hour'];

export const WINDOW_LABEL: Record<TimeWindow, string> = { all: 'whole log', day: 'last 24 h', hour: 'last hour' };
export const SORT_LABEL: Record<SortKey, string> = { count: 'count', recent: 'most recent', domain: 'domain' };

export interface Message {
  text: string;
  kind: 'info' | 'error';
}

export interface ViewState {
  mode: Mode;
  /** Where help and the export prompt return to. */
  previous: 'table' | 'detail';
  /** Index of the cursor in the visible rows (used when the selected finding is not among them). */
  cursor: number;
  /** Key (FindingDetails.key) of the finding under the cursor. */
  selectedKey: string | null;
  /** First visible row of the table. */
  scroll: number;
  /** First visible line of the detail pane. */
  detailScroll: number;
  filter: string;
  /** The filter before `/` was pressed, restored by Esc. */
  filterBefore: string;
  tab: DirectionTab;
  sort: SortKey;
  window: TimeWindow;
  exportPath: string;
  message: Message | null;
  quit: boolean;
}

export const initialViewState: ViewState = {
  mode: 'table',
  previous: 'table',
  cursor: 0,
  selectedKey: null,
  scroll: 0,
  detailScroll: 0,
  filter: '',
  filterBefore: '',
  tab: 'all',
  sort: 'count',
  window: 'all',
  exportPath: '',
  message: null,
  quit: false,
};

export type ViewAction =
  | { type: 'move'; by: number }
  | { type: 'page'; by: 1 | -1 }
  | { type: 'first' }
  | { type: 'last' }
  /** Open the detail pane of the selected finding. */
  | { type: 'open' }
  /** Close the detail pane, help or prompt; in the table, clear the filter. */
  | { type: 'back' }
  /** Scroll the detail pane. */
  | { type: 'scroll'; by: number }
  | { type: 'filterStart' }
  | { type: 'filterType'; text: string }
  | { type: 'filterDelete' }
  | { type: 'filterAccept' }
  | { type: 'filterCancel' }
  | { type: 'cycleTab'; by: 1 | -1 }
  | { type: 'cycleSort' }
  | { type: 'cycleWindow' }
  | { type: 'help' }
  | { type: 'exportStart'; suggested?: string }
  | { type: 'exportType'; text: string }
  | { type: 'exportDelete' }
  | { type: 'exportClear' }
  | { type: 'exportCancel' }
  | { type: 'exportSubmit' }
  | { type: 'message'; message: Message }
  | { type: 'quit' };

/** What `reduce` needs to know about the screen. */
export interface ReduceContext {
  /** Keys of the visible rows, in order. */
  rowKeys: readonly string[];
  /** Table rows that fit on the screen (also the detail pane's height). */
  pageSize: number;
  /** Lines the detail pane has, to stop scrolling past its end. */
  detailLines?: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

const cycle = <T>(list: readonly T[], current: T, by: number): T =>
  list[(((list.indexOf(current) + by) % list.length) + list.length) % list.length]!;

/** Index of the cursor in `rowKeys`: the selected finding's, else the remembered position. */
export function cursorIndex(view: Pick<ViewState, 'cursor' | 'selectedKey'>, rowKeys: readonly string[]): number {
  if (rowKeys.length === 0) return 0;
  if (view.selectedKey !== null) {
    const i = rowKeys.indexOf(view.selectedKey);
    if (i >= 0) return i;
  }
  return clamp(view.cursor, 0, rowKeys.length - 1);
}

/** First visible row so that `cursor` is on a page of `height` rows, moving as little as possible. */
export function fitScroll(scroll: number, cursor: number, height: number, total: number): number {
  if (height <= 0 || total <= height) return 0;
  let s = scroll;
  if (cursor < s) s = cursor;
  if (cursor >= s + height) s = cursor - height + 1;
  return clamp(s, 0, total - height);
}

/** The view with the cursor on row `index` of `ctx.rowKeys`. */
function moveTo(state: ViewState, index: number, ctx: ReduceContext): ViewState {
  const n = ctx.rowKeys.length;
  if (n === 0) return { ...state, cursor: 0, selectedKey: null, scroll: 0 };
  const i = clamp(index, 0, n - 1);
  return {
    ...state,
    cursor: i,
    selectedKey: ctx.rowKeys[i]!,
    scroll: fitScroll(state.scroll, i, ctx.pageSize, n),
  };
}

/** A new set of rows (filter, tab, sort, window changed): back to the top. */
const resetCursor = (state: ViewState): ViewState => ({ ...state, cursor: 0, selectedKey: null, scroll: 0 });

/** Printable text only: the filter and the path never carry control characters. */
const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');

export function reduce(state: ViewState, action: ViewAction, ctx: ReduceContext): ViewState {
  // A message stays until the next key.
  const s = action.type === 'message' || state.message === null ? state : { ...state, message: null };
  const here = cursorIndex(s, ctx.rowKeys);
  switch (action.type) {
    case 'move':
      return moveTo(s, here + action.by, ctx);
    case 'page':
      return moveTo(s, here + action.by * Math.max(1, ctx.pageSize - 1), ctx);
    case 'first':
      return moveTo(s, 0, ctx);
    case 'last':
      return moveTo(s, ctx.rowKeys.length - 1, ctx);
    case 'open': {
      if (ctx.rowKeys.length === 0) return s;
      return { ...moveTo(s, here, ctx), mode: 'detail', detailScroll: 0 };
    }
    case 'back':
      switch (s.mode) {
        case 'detail':
          return { ...s, mode: 'table' };
        case 'help':
        case 'export':
          return { ...s, mode: s.previous };
        case 'filter':
          return reduce(s, { type: 'filterCancel' }, ctx);
        default:
          return s.filter === '' ? s : resetCursor({ ...s, filter: '' });
      }
    case 'scroll': {
      const max = Math.max(0, (ctx.detailLines ?? Infinity) - ctx.pageSize);
      return { ...s, detailScroll: clamp(s.detailScroll + action.by, 0, max) };
    }
    case 'filterStart':
      return { ...s, mode: 'filter', filterBefore: s.filter };
    case 'filterType': {
      const text = printable(action.text);
      return text === '' ? s : resetCursor({ ...s, filter: s.filter + text });
    }
    case 'filterDelete':
      return s.filter === '' ? s : resetCursor({ ...s, filter: [...s.filter].slice(0, -1).join('') });
    case 'filterAccept':
      return { ...s, mode: 'table' };
    case 'filterCancel':
      return resetCursor({ ...s, mode: 'table', filter: s.filterBefore });
    case 'cycleTab':
      return resetCursor({ ...s, tab: cycle(TABS, s.tab, action.by) });
    case 'cycleSort':
      return resetCursor({ ...s, sort: cycle(SORTS, s.sort, 1) });
    case 'cycleWindow':
      return resetCursor({ ...s, window: cycle(WINDOWS, s.window, 1) });
    case 'help':
      if (s.mode === 'help') return { ...s, mode: s.previous };
      return { ...s, mode: 'help', previous: s.mode === 'detail' ? 'detail' : 'table' };
    case 'exportStart':
      return {
        ...s,
        mode: 'export',
        previous: s.mode === 'detail' ? 'detail' : 'table',
        exportPath: action.suggested ?? s.exportPath,
      };
    case 'exportType':
      return { ...s, exportPath: s.exportPath + printable(action.text) };
    case 'exportDelete':
      return { ...s, exportPath: [...s.exportPath].slice(0, -1).join('') };
    case 'exportClear':
      return { ...s, exportPath: '' };
    case 'exportCancel':
      return { ...s, mode: s.previous };
    case 'exportSubmit':
      // App.tsx writes the file and reports back with a `message`.
      return { ...s, mode: s.previous };
    case 'message':
      return { ...s, message: action.message };
    case 'quit':
      return { ...s, quit: true };
  }
}

/** One row of the findings table. */
export interface Row {
  /** FindingDetails.key: stable across snapshots. */
  key: string;
  /** Direction, cause, hint, domain: what the trend store is keyed by. */
  identity: string;
  finding: Finding;
  details: FindingDetails;
  /** Events in the view's time window (the finding's whole count for `all`). */
  count: number;
  /** Appeared while following. */
  isNew: boolean;
}

export interface RowContext {
  trends?: TrendReader | null;
  /** End of the time windows (ms): the newest event, or now while following; null when no event had a time. */
  reference: number | null;
  /** Keys of findings that appeared while following. */
  newKeys?: ReadonlySet<string>;
}

/**
 * Does the finding match the filter? Every space-separated word of the filter must occur
 * (ignoring case) in its recipient domain, cause or hint.
 */
export function matchesFilter(f: Pick<Finding, 'recipientDomain' | 'cause' | 'hint'>, filter: string): boolean {
  const words = filter.toLowerCase().split(' ').filter((w) => w !== '');
  if (words.length === 0) return true;
  const hay = [f.recipientDomain ?? '', f.cause, f.hint].map((t) => t.toLowerCase());
  return words.every((w) => hay.some((h) => h.includes(w)));
}

const byRank = (a: Row, b: Row): number => a.finding.rank - b.finding.rank;

const SORTERS: Record<SortKey, (a: Row, b: Row) => number> = {
  count: (a, b) => b.count - a.count || byRank(a, b),
  // ISO 8601 UTC strings of equal shape order lexically; no time sorts last.
  recent: (a, b) => {
    const x = a.finding.lastSeen ?? '';
    const y = b.finding.lastSeen ?? '';
    return x < y ? 1 : x > y ? -1 : byRank(a, b);
  },
  domain: (a, b) => {
    const x = a.finding.recipientDomain;
    const y = b.finding.recipientDomain;
    if (x === y) return byRank(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : x > y ? 1 : byRank(a, b);
  },
};

/** The rows the table shows for this view: direction tab, filter, time window, then sort. */
export function visibleRows(
  snapshot: Snapshot,
  view: Pick<ViewState, 'filter' | 'tab' | 'sort' | 'window'>,
  ctx: RowContext,
): Row[] {
  const rows: Row[] = [];
  snapshot.findings.forEach((finding, i) => {
    if (view.tab !== 'all' && finding.direction !== view.tab) return;
    if (!matchesFilter(finding, view.filter)) return;
    const details = snapshot.details[i]!;
    const identity = findingIdentity(finding);
    let count = finding.count;
    if (view.window !== 'all') {
      count = ctx.trends && ctx.reference !== null ? ctx.trends.windowCount(identity, view.window, ctx.reference) : 0;
      if (count === 0) return;
    }
    rows.push({ key: details.key, identity, finding, details, count, isNew: ctx.newKeys?.has(details.key) ?? false });
  });
  // The snapshot is in rank order already; count order in the whole log is exactly that.
  if (view.sort !== 'count' || view.window !== 'all') rows.sort(SORTERS[view.sort]);
  return rows;
}

/** The time span [from, to] (ms) a row's sparkline covers in this window. */
export function trendSpan(window: TimeWindow, reference: number, firstSeen: string | null): [number, number] {
  if (window === 'hour') return [reference - 59 * MINUTE_MS, reference];
  if (window === 'day') return [reference - 23 * HOUR_MS, reference];
  const oldest = reference - (HOUR_SLOTS - 1) * HOUR_MS;
  const first = firstSeen === null ? Number.NaN : Date.parse(firstSeen);
  return [Number.isNaN(first) ? oldest : Math.max(oldest, Math.min(first, reference)), reference];
}

/** The row under the cursor. */
export function selectedRow(rows: readonly Row[], view: Pick<ViewState, 'cursor' | 'selectedKey'>): Row | undefined {
  if (rows.length === 0) return undefined;
  return rows[cursorIndex(view, rows.map((r) => r.key))];
}
