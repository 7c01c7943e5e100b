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
import { HOUR_MS, HOUR_SLOTS, MINUTE_MS, windowSpan, type TimeWindow, type TrendReader } from './trend.js';

export type { TimeWindow } from './trend.js';

/** `overwrite`: the export's file exists; y replaces it, n or Esc goes back to the path. */
export type Mode = 'table' | 'detail' | 'filter' | 'help' | 'export' | 'overwrite' | 'range';
export type DirectionTab = 'all' | Direction;
export type SortKey = 'impact' | 'recent' | 'domain';

/** Tab order: all → inbound → outbound → local → all. */
export const TABS: readonly DirectionTab[] = ['all', 'inbound', 'outbound', 'local'];
export const SORTS: readonly SortKey[] = ['impact', 'recent', 'domain'];
/** The windows of `t`: the trend store's, and a custom range. */
export type ViewWindow = TimeWindow | 'custom';
/** `t` narrows: whole log → last 24 hours → last hour → custom… (asks for the range) → whole log. */
export const WINDOWS: readonly ViewWindow[] = ['all', 'day', 'hour', 'custom'];

export const WINDOW_LABEL: Record<ViewWindow, string> = { all: 'whole log', day: 'last 24 h', hour: 'last hour', custom: 'custom' };

/**
 * A custom time window, in UTC: the start of its first minute and the start of its last minute
 * (ms; the last minute is included), null for an open side.
 */
export interface TimeRange {
  from: number | null;
  to: number | null;
}

export type RangeParse = { ok: true; range: TimeRange } | { ok: false; error: string };

/** Longer input is not a range (and is not looked at further). */
const MAX_RANGE_INPUT = 64;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T| +)(\d{1,2}):(\d{2})$/;
const TIME_ONLY = /^(\d{1,2}):(\d{2})$/;

/** One side of a range: `YYYY-MM-DD HH:MM`, or `HH:MM` on the day of `newest`; ms, or an error. */
function parseSide(text: string, newest: number | null): number | string {
  let y: number, mo: number, d: number, h: number, mi: number;
  const full = DATE_TIME.exec(text);
  const time = full ? null : TIME_ONLY.exec(text);
  if (full) {
    [y, mo, d, h, mi] = full.slice(1).map(Number) as [number, number, number, number, number];
  } else if (time) {
    if (newest === null || !Number.isFinite(newest)) return `no dated event to put ${text} on: give the date too (YYYY-MM-DD HH:MM)`;
    const day = new Date(newest);
    [y, mo, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    [h, mi] = time.slice(1).map(Number) as [number, number];
  } else {
    return `not a time: ${printable(text).slice(0, 20)} (YYYY-MM-DD HH:MM or HH:MM)`;
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi);
  const t = new Date(ms);
  if (h > 23 || mi > 59 || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return `no such time: ${text}`;
  return ms;
}

/**
 * Parses the custom range of `t`: `FROM..TO`, each side `YYYY-MM-DD HH:MM` or `HH:MM` (on the UTC
 * day of `newest`, the newest event), either side may be empty; UTC. Both empty is the whole log.
 */
export function parseTimeRange(input: string, newest: number | null): RangeParse {
  if (input.length > MAX_RANGE_INPUT) return { ok: false, error: 'too long for a range: FROM..TO' };
  const text = input.trim();
  const dots = text.indexOf('..');
  if (dots < 0) return { ok: false, error: 'expected FROM..TO, e.g. 06:00..12:00 or 2026-11-22 06:00..' };
  const sides = [text.slice(0, dots).trim(), text.slice(dots + 2).trim()];
  const [from, to] = sides.map((side) => (side === '' ? null : parseSide(side, newest)));
  if (typeof from === 'string') return { ok: false, error: from };
  if (typeof to === 'string') return { ok: false, error: to };
  if (from != null && to != null && from > to) return { ok: false, error: 'the range ends before it starts' };
  return { ok: true, range: { from: from ?? null, to: to ?? null } };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const dayOf = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
};
const clockOf = (ms: number): string => {
  const d = new Date(ms);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
};

/** `2026-11-22 06:00 → 12:00 UTC`; the date of the end only when it differs; `…` for an open side. */
export function formatTimeRange(r: TimeRange): string {
  const from = r.from === null ? '…' : `${dayOf(r.from)} ${clockOf(r.from)}`;
  let to = '…';
  if (r.to !== null) to = r.from !== null && dayOf(r.from) === dayOf(r.to) ? clockOf(r.to) : `${dayOf(r.to)} ${clockOf(r.to)}`;
  return `${from} → ${to} UTC`;
}

/** What the header says about the window. */
export function windowLabel(view: { window: ViewWindow; range?: TimeRange | null }): string {
  return view.window === 'custom' && view.range ? formatTimeRange(view.range) : WINDOW_LABEL[view.window];
}

/**
 * The [from, to] (ms, inclusive, ±Infinity when open) the view's window covers; null for the whole
 * log and for a last-hour/24-h window without a reference (nothing is in those). The trend store
 * counts it in whole minutes when it spans under two hours, else in whole hours (as `t` always did).
 */
export function windowBounds(
  view: { window: ViewWindow; range?: TimeRange | null },
  reference: number | null,
): [number, number] | null {
  if (view.window === 'all') return null;
  if (view.window === 'custom') {
    // An open end ends where the fixed windows do (the newest event, or now while following), so
    // that `06:00..` is counted like them: in whole minutes when under MINUTE_SLOTS minutes.
    const r = view.range ?? { from: null, to: null };
    return [r.from ?? -Infinity, r.to !== null ? r.to + MINUTE_MS - 1 : (reference ?? Infinity)];
  }
  return reference === null ? null : windowSpan(view.window, reference);
}
export const SORT_LABEL: Record<SortKey, string> = { impact: 'impact', recent: 'most recent', domain: 'domain' };

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
  /** First visible line of the detail pane (below its pinned identity line). */
  detailScroll: number;
  /** The example line shown whole in the detail pane (`x`), by index; null for the usual detail. */
  example: number | null;
  /** First visible line of the help screen. */
  helpScroll: number;
  filter: string;
  /** The filter before `/` was pressed, restored by Esc. */
  filterBefore: string;
  tab: DirectionTab;
  sort: SortKey;
  window: ViewWindow;
  /** The custom range (window `custom`). */
  range: TimeRange | null;
  /** The text of the range prompt, and why it was not taken. */
  rangeInput: string;
  rangeError: string | null;
  /** The range prompt was cancelled: the next `t` goes on to the whole log instead of asking again. */
  rangeSkipped: boolean;
  exportPath: string;
  /** Why the last export failed; the prompt stays open with the path until it is changed or left. */
  exportError: string | null;
  /** The file the export would replace, while asking (mode `overwrite`). */
  exportTarget: string | null;
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
  example: null,
  helpScroll: 0,
  filter: '',
  filterBefore: '',
  tab: 'all',
  sort: 'impact',
  window: 'all',
  range: null,
  rangeInput: '',
  rangeError: null,
  rangeSkipped: false,
  exportPath: '',
  exportError: null,
  exportTarget: null,
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
  /** Scroll the detail pane (or the help screen). */
  | { type: 'scroll'; by: number }
  /** Scroll the detail pane (or the help screen) to its top or bottom. */
  | { type: 'scrollTo'; to: 'top' | 'bottom' }
  /** Show the next example line whole in the detail pane; after the last, the detail again. */
  | { type: 'cycleExample'; examples: number }
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
  /** App.tsx found the export's file exists: ask before replacing `target`. */
  | { type: 'exportExists'; target: string }
  /** The answer to the question: replace (App.tsx writes) or go back to the path. */
  | { type: 'exportReplace' }
  | { type: 'exportKeep' }
  | { type: 'exportDone'; text: string }
  | { type: 'exportFailed'; error: string }
  | { type: 'rangeType'; text: string }
  | { type: 'rangeDelete' }
  | { type: 'rangeClear' }
  | { type: 'rangeCancel' }
  /** Parse the range prompt's text (HH:MM on the day of ReduceContext.reference); apply it or say why not. */
  | { type: 'rangeSubmit' }
  | { type: 'message'; message: Message }
  | { type: 'quit' };

/** What `reduce` needs to know about the screen. */
export interface ReduceContext {
  /** Keys of the visible rows, in order. */
  rowKeys: readonly string[];
  /** Table rows that fit on the screen (also the detail pane's height). */
  pageSize: number;
  /** Lines the detail pane (in help: the help screen) has, to stop scrolling past its end. */
  detailLines?: number;
  /** The newest event (ms; now while following), for `HH:MM` in the range prompt. */
  reference?: number | null;
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
      return { ...moveTo(s, here, ctx), mode: 'detail', detailScroll: 0, example: null };
    }
    case 'back':
      switch (s.mode) {
        case 'detail':
          // An example shown whole goes back to the detail it was opened from.
          return s.example !== null ? { ...s, example: null, detailScroll: 0 } : { ...s, mode: 'table' };
        case 'help':
          return { ...s, mode: s.previous };
        case 'export':
        case 'overwrite':
          return reduce(s, { type: 'exportCancel' }, ctx);
        case 'range':
          return reduce(s, { type: 'rangeCancel' }, ctx);
        case 'filter':
          return reduce(s, { type: 'filterCancel' }, ctx);
        default:
          // Esc on a message (an export's result) only dismisses it: the filter stays.
          if (state.message !== null) return s;
          return s.filter === '' ? s : resetCursor({ ...s, filter: '' });
      }
    case 'scroll':
    case 'scrollTo': {
      const max = Math.max(0, (ctx.detailLines ?? Infinity) - ctx.pageSize);
      const field = s.mode === 'help' ? 'helpScroll' : 'detailScroll';
      let to: number;
      if (action.type === 'scrollTo') to = action.to === 'top' ? 0 : max;
      else to = clamp(s[field] + action.by, 0, max);
      return { ...s, [field]: to };
    }
    case 'cycleExample': {
      if (action.examples <= 0) return s;
      const next = s.example === null ? 0 : s.example + 1;
      return { ...s, example: next < action.examples ? next : null, detailScroll: 0 };
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
    case 'cycleWindow': {
      const next = cycle(WINDOWS, s.window, 1);
      if (next === 'custom' && !s.rangeSkipped) return { ...s, mode: 'range', previous: 'table', rangeError: null };
      return resetCursor({ ...s, window: next === 'custom' ? 'all' : next, rangeSkipped: false });
    }
    case 'rangeType': {
      const text = printable(action.text);
      if (s.rangeInput.length + text.length > MAX_RANGE_INPUT + 1) return s;
      return { ...s, rangeInput: s.rangeInput + text, rangeError: null };
    }
    case 'rangeDelete':
      return { ...s, rangeInput: [...s.rangeInput].slice(0, -1).join(''), rangeError: null };
    case 'rangeClear':
      return { ...s, rangeInput: '', rangeError: null };
    case 'rangeCancel':
      return { ...s, mode: s.previous, rangeError: null, rangeSkipped: true };
    case 'rangeSubmit': {
      const parsed = parseTimeRange(s.rangeInput, ctx.reference ?? null);
      if (!parsed.ok) return { ...s, rangeError: parsed.error };
      const { from, to } = parsed.range;
      const whole = from === null && to === null;
      return resetCursor({
        ...s,
        mode: s.previous,
        window: whole ? 'all' : 'custom',
        range: whole ? null : parsed.range,
        rangeError: null,
        rangeSkipped: false,
      });
    }
    case 'help':
      if (s.mode === 'help') return { ...s, mode: s.previous };
      return { ...s, mode: 'help', previous: s.mode === 'detail' ? 'detail' : 'table', helpScroll: 0 };
    case 'exportStart':
      return {
        ...s,
        mode: 'export',
        previous: s.mode === 'detail' ? 'detail' : 'table',
        exportPath: action.suggested ?? s.exportPath,
        exportError: null,
        exportTarget: null,
      };
    case 'exportType':
      return { ...s, exportPath: s.exportPath + printable(action.text), exportError: null };
    case 'exportDelete':
      return { ...s, exportPath: [...s.exportPath].slice(0, -1).join(''), exportError: null };
    case 'exportClear':
      return { ...s, exportPath: '', exportError: null };
    case 'exportCancel':
      return { ...s, mode: s.previous, exportError: null, exportTarget: null };
    case 'exportSubmit':
      // App.tsx looks at the path and writes the file; the prompt stays until it reports back.
      return { ...s, exportError: null, exportTarget: null };
    case 'exportExists':
      return s.mode === 'export' ? { ...s, mode: 'overwrite', exportTarget: action.target } : s;
    case 'exportReplace':
      // App.tsx writes exportTarget.
      return { ...s, mode: 'export' };
    case 'exportKeep':
      return { ...s, mode: 'export', exportTarget: null };
    case 'exportDone': {
      const message: Message = { text: action.text, kind: 'info' };
      if (s.mode !== 'export' && s.mode !== 'overwrite') return { ...s, message };
      return { ...s, mode: s.previous, exportTarget: null, exportError: null, message };
    }
    case 'exportFailed':
      // Cancelled meanwhile: the error goes to the bottom line instead.
      if (s.mode !== 'export' && s.mode !== 'overwrite') return { ...s, message: { text: action.error, kind: 'error' } };
      return { ...s, mode: 'export', exportTarget: null, exportError: action.error };
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
  /** What the trend store is keyed by: the finding's key (FindingDetails.key). */
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
 * (ignoring case) in its recipient domain, cause or hint, or its MTA, rule or one of its hosts
 * (the fields a finding's identity and detail name).
 */
export function matchesFilter(
  f: Pick<Finding, 'recipientDomain' | 'cause' | 'hint'> & Partial<Pick<Finding, 'mta' | 'rule' | 'hosts'>>,
  filter: string,
): boolean {
  const words = filter.toLowerCase().split(' ').filter((w) => w !== '');
  if (words.length === 0) return true;
  const hay = [f.recipientDomain ?? '', f.cause, f.hint, f.mta ?? '', f.rule ?? '', ...(f.hosts ?? []).map((h) => h.host)].map((t) =>
    t.toLowerCase(),
  );
  return words.every((w) => hay.some((h) => h.includes(w)));
}

const byRank = (a: Row, b: Row): number => a.finding.rank - b.finding.rank;

const SORTERS: Record<SortKey, (a: Row, b: Row) => number> = {
  // Rank order (messages affected first, see rank.ts); in a time window, its events come first:
  // the trends count events, not messages.
  impact: (a, b) => b.count - a.count || byRank(a, b),
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
  view: Pick<ViewState, 'filter' | 'tab' | 'sort' | 'window'> & { range?: TimeRange | null },
  ctx: RowContext,
): Row[] {
  const rows: Row[] = [];
  const bounds = windowBounds(view, ctx.reference);
  snapshot.findings.forEach((finding, i) => {
    if (view.tab !== 'all' && finding.direction !== view.tab) return;
    if (!matchesFilter(finding, view.filter)) return;
    const details = snapshot.details[i]!;
    const identity = details.key;
    let count = finding.count;
    if (view.window !== 'all') {
      count = ctx.trends && bounds !== null ? ctx.trends.rangeCount(identity, bounds[0], bounds[1]) : 0;
      if (count === 0) return;
    }
    rows.push({ key: details.key, identity, finding, details, count, isNew: ctx.newKeys?.has(details.key) ?? false });
  });
  // The snapshot is in rank order already: the impact order of the whole log.
  if (view.sort !== 'impact' || view.window !== 'all') rows.sort(SORTERS[view.sort]);
  return rows;
}

/** The time span [from, to] (ms) a row's sparkline covers in this window. */
export function trendSpan(
  window: ViewWindow,
  reference: number,
  firstSeen: string | null,
  range: TimeRange | null = null,
): [number, number] {
  if (window === 'hour') return [reference - 59 * MINUTE_MS, reference];
  if (window === 'day') return [reference - 23 * HOUR_MS, reference];
  const oldest = reference - (HOUR_SLOTS - 1) * HOUR_MS;
  const first = firstSeen === null ? Number.NaN : Date.parse(firstSeen);
  const start = Number.isNaN(first) ? oldest : Math.max(oldest, Math.min(first, reference));
  if (window === 'custom' && range) {
    const to = range.to === null ? reference : range.to + MINUTE_MS - 1;
    return [range.from ?? Math.min(start, to), to];
  }
  return [start, reference];
}

/** The row under the cursor. */
export function selectedRow(rows: readonly Row[], view: Pick<ViewState, 'cursor' | 'selectedKey'>): Row | undefined {
  if (rows.length === 0) return undefined;
  return rows[cursorIndex(view, rows.map((r) => r.key))];
}
