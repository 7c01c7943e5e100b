/**
 * Starts and reloads under the detail pane's timelines: the column a marker falls in (the same
 * buckets as the sparkline's bars), the mark row, the legend, and the view drawing them.
 */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { TrendStore } from '../../src/aggregate/trend.js';
import type { Marker } from '../../src/aggregate/types.js';
import App from '../../src/tui/App.js';
import DetailPane from '../../src/tui/components/DetailPane.js';
import { headerLine } from '../../src/tui/components/FindingsTable.js';
import { plainText as plain } from '../../src/tui/lines.js';
import { detailLines } from '../../src/tui/detail-lines.js';
import { markerColumn, markerRow, type TimelineMark } from '../../src/tui/sparkline.js';
import { initialViewState, visibleRows } from '../../src/tui/state.js';
import { colorTheme, plainTheme } from '../../src/tui/theme.js';
import { finding, fixedSource, snapshotOf, stateOf } from './fixtures.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-11-22T00:00:00Z');
const ESC_OR_C1 = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('markerColumn', () => {
  const cases: Array<{ name: string; ms: number; from: number; to: number; n: number; want: number | null }> = [
    { name: 'first minute of an hour of minutes', ms: T0, from: T0, to: T0 + 59 * MIN, n: 60, want: 0 },
    { name: 'last minute, seconds into it', ms: T0 + 59 * MIN + 30_000, from: T0, to: T0 + 59 * MIN, n: 60, want: 59 },
    { name: 'in the minute the span starts in, before its start', ms: T0 + 10_000, from: T0 + 30_000, to: T0 + 60 * MIN, n: 60, want: 0 },
    { name: 'a minute before the span', ms: T0 - MIN, from: T0, to: T0 + 59 * MIN, n: 60, want: null },
    { name: 'a minute after the span', ms: T0 + 60 * MIN, from: T0, to: T0 + 59 * MIN, n: 60, want: null },
    { name: 'five minutes a column', ms: T0 + 14 * MIN, from: T0, to: T0 + 59 * MIN, n: 12, want: 2 },
    { name: 'hours over a day', ms: T0 + 5 * HOUR + 30 * MIN, from: T0, to: T0 + 23 * HOUR, n: 24, want: 5 },
    { name: 'the last hour of a day', ms: T0 + 23 * HOUR + 59 * MIN, from: T0, to: T0 + 23 * HOUR, n: 24, want: 23 },
    { name: 'two hours a column: both in the last', ms: T0 + 46 * HOUR, from: T0, to: T0 + 47 * HOUR, n: 24, want: 23 },
    { name: 'zero-width span, its minute', ms: T0 + 10 * MIN + 20_000, from: T0 + 10 * MIN, to: T0 + 10 * MIN, n: 24, want: 0 },
    { name: 'zero-width span, another minute', ms: T0 + 11 * MIN, from: T0 + 10 * MIN, to: T0 + 10 * MIN, n: 24, want: null },
    { name: 'no columns', ms: T0, from: T0, to: T0 + HOUR, n: 0, want: null },
    { name: 'a span that ends before it starts', ms: T0, from: T0 + HOUR, to: T0, n: 24, want: null },
    { name: 'a time that did not parse', ms: Number.NaN, from: T0, to: T0 + HOUR, n: 24, want: null },
  ];
  test.for(cases)('$name', ({ ms, from, to, n, want }) => {
    expect(markerColumn(ms, from, to, n)).toBe(want);
  });

  // The mark must stand under the bar that counts the events of its minute or hour.
  const spans: Array<{ name: string; from: number; to: number; n: number }> = [
    { name: 'an hour in 60 columns', from: T0 + 30_000, to: T0 + 59 * MIN + 30_000, n: 60 },
    { name: 'an hour in 12 columns', from: T0, to: T0 + 59 * MIN, n: 12 },
    { name: '100 minutes in 30 columns', from: T0 + 7_000, to: T0 + 100 * MIN, n: 30 },
    { name: 'a day in 24 columns', from: T0 + 20 * MIN, to: T0 + 23 * HOUR + 20 * MIN, n: 24 },
    { name: 'a week in 24 columns', from: T0, to: T0 + 167 * HOUR, n: 24 },
  ];
  test.for(spans)('puts a time in the bucket TrendStore.series counts it in: $name', ({ from, to, n }) => {
    const step = Math.max(MIN, Math.floor((to - from) / 97));
    for (let ms = from - 3 * step; ms <= to + 3 * step; ms += step) {
      const trends = new TrendStore(1);
      trends.addAt('x', ms);
      const series = trends.series('x', from, to, n);
      const col = markerColumn(ms, from, to, n);
      expect(series.findIndex((v) => v > 0), `at ${new Date(ms).toISOString()}`).toBe(col ?? -1);
    }
  });
});

describe('markerRow', () => {
  const day = { from: T0, to: T0 + 23 * HOUR, n: 24 };
  const at = (h: number, marker: TimelineMark['marker']): TimelineMark => ({ ms: T0 + h * HOUR + 5 * MIN, marker });
  const cases: Array<{ name: string; marks: TimelineMark[]; ascii?: boolean; want: string }> = [
    { name: 'nothing in the span: empty', marks: [at(-2, 'reload'), at(30, 'start')], want: '' },
    { name: 'a reload and a start, in their columns', marks: [at(1, 'start'), at(3, 'reload')], want: ' ● ▲' },
    { name: 'a reload wins the column it shares with a start', marks: [at(2, 'reload'), at(2, 'start')], want: '  ▲' },
    { name: 'a reload wins whatever the order', marks: [at(2, 'start'), at(2, 'reload')], want: '  ▲' },
    { name: 'two starts in one column: one mark', marks: [at(0, 'start'), at(0, 'start')], want: '●' },
    { name: 'plain ASCII without colour', marks: [at(1, 'start'), at(23, 'reload')], ascii: true, want: ` *${' '.repeat(21)}^` },
  ];
  test.for(cases)('$name', ({ marks, ascii, want }) => {
    expect(markerRow(marks, day.from, day.to, day.n, ascii)).toBe(want);
  });
});

const view = { filter: '', tab: 'all', sort: 'impact', window: 'all' } as const;
const REF = Date.parse('2026-11-22T09:59:00Z');

/** A finding on `hosts` with events each minute from 09:00 to 09:10, and the run's markers. */
function scene(hosts: string[], markers: Marker[]) {
  const pair = finding({ hosts: hosts.map((host) => ({ host, count: 11 })), lastSeen: '2026-11-22T09:10:00.000Z' });
  const snap = snapshotOf([pair]);
  snap.summary.lastSeen = new Date(REF).toISOString();
  snap.markers = markers;
  const trends = new TrendStore();
  for (let m = 0; m <= 10; m++) trends.addAt(pair[1].key, Date.parse('2026-11-22T09:00:00Z') + m * MIN);
  return { snap, trends, row: visibleRows(snap, view, { trends, reference: REF })[0]! };
}

const marker = (time: string, m: Marker['marker'], host: string | null): Marker => ({ time, host, mta: 'postfix', marker: m, version: '3.7.11' });
const MARKERS = [
  marker('2026-11-22T08:00:00.000Z', 'start', 'mx1'),
  marker('2026-11-22T09:00:00.000Z', 'reload', 'mx1'),
  // Another host's reload is not this finding's story.
  marker('2026-11-22T09:30:00.000Z', 'reload', 'mx2'),
];

describe('the detail pane', () => {
  test('a mark under the bar of the reload and the start, a legend naming them; not the other host', () => {
    const { row, trends } = scene(['mx1'], MARKERS);
    const lines = detailLines(row, { width: 100, trends, reference: REF, markers: MARKERS });
    const { lastFrame } = render(<DetailPane lines={lines} scroll={0} height={60} width={100} theme={colorTheme} />);
    const frame = (lastFrame() ?? '').split('\n');
    const day = frame.findIndex((l) => l.includes('per hour, last 24 h'));
    const hour = frame.findIndex((l) => l.includes('per minute, last hour'));
    expect(day).toBeGreaterThan(0);
    // Under the 24 h line: the start (08:00) and the reload (09:00) in its last two columns.
    const spark = frame[day]!.indexOf('10:59 ') + 6;
    expect(frame[day + 1]).toBe(`${' '.repeat(spark + 22)}●▲`);
    expect(frame[hour]).toMatch(/^ {2}per minute, last hour 09:00 /);
    // Under the hour's line: the reload at 09:00, under the bar of 09:00's events; mx2's 09:30 reload is not drawn.
    expect(frame[hour + 1]).toBe(`${' '.repeat(spark)}▲`);
    expect(frame[hour]![spark]).not.toBe(' ');
    expect(frame[hour + 2]).toMatch(/^ {2}markers {15}● start 08:00 mx1 · ▲ reload 09:00 mx1$/);
    expect(frame.join('\n')).not.toContain('09:30');
  });

  test('no colour: ASCII marks', () => {
    const { row, trends } = scene(['mx1'], MARKERS);
    const lines = detailLines(row, { width: 100, trends, reference: REF, markers: MARKERS, ascii: true });
    const { lastFrame } = render(<DetailPane lines={lines} scroll={0} height={60} width={100} theme={plainTheme} />);
    const text = lastFrame() ?? '';
    expect(text).toMatch(/\n {52}\*\^\n/);
    expect(text).toMatch(/\n {2}markers {15}\* start 08:00 mx1 · \^ reload 09:00 mx1\n/);
    expect(text).not.toMatch(/[▲●]/);
  });

  test('no marker in the span: no mark row and no legend', () => {
    const { row, trends } = scene(['mx1'], [marker('2026-11-20T09:00:00.000Z', 'reload', 'mx1'), marker('2026-11-22T09:30:00.000Z', 'reload', 'mx2')]);
    const text = detailLines(row, { width: 100, trends, reference: REF, markers: MARKERS.slice(2) }).map((l) => l.map((s) => s.text).join(''));
    const day = text.findIndex((l) => l.includes('per hour, last 24 h'));
    expect(text[day + 1]).toMatch(/per minute, last hour/);
    expect(text[day + 2]).toBe('');
    expect(text.join('\n')).not.toContain('markers');
  });

  test('a marker without a host is drawn for every finding; host names are sanitised', () => {
    const hostile = 'mx\u001b[31m3\u009b2J';
    const markers = [marker('2026-11-22T09:00:00.000Z', 'start', null), marker('2026-11-22T09:05:00.000Z', 'reload', hostile)];
    const { row, trends } = scene([hostile], markers);
    const lines = detailLines(row, { width: 100, trends, reference: REF, markers });
    const { lastFrame } = render(<DetailPane lines={lines} scroll={0} height={60} width={100} theme={plainTheme} />);
    const text = lastFrame() ?? '';
    expect(text).toContain('● start 09:00 postfix · ▲ reload 09:05 mx3');
    expect(text).not.toMatch(ESC_OR_C1);
  });

  test('a legend longer than the width keeps the newest and counts the rest', () => {
    const many = Array.from({ length: 30 }, (_, i) => marker(new Date(REF - (30 - i) * 20 * MIN).toISOString(), 'reload', 'mx1'));
    const { row, trends } = scene(['mx1'], many);
    const text = detailLines(row, { width: 80, trends, reference: REF, markers: many }).map((l) => l.map((s) => s.text).join(''));
    const legend = text.find((l) => l.startsWith('  markers'))!;
    expect(legend).toMatch(/^ {2}markers {15}\+(\d+) earlier · (▲ reload \d\d:\d\d mx1 · )*▲ reload 09:39 mx1$/);
    const shown = legend.split('▲').length - 1;
    expect(Number(/\+(\d+) earlier/.exec(legend)![1]) + shown).toBe(30);
    expect(legend.length).toBeLessThanOrEqual(80);
    expect(legend.length).toBeGreaterThan(80 - 22);
  });
});

describe('the view', () => {
  let instance: ReturnType<typeof render> | null = null;
  afterEach(() => {
    instance?.unmount();
    instance = null;
  });

  test.for([
    { name: 'colour', color: true, row: '●▲', legend: '● start 08:00 mx1 · ▲ reload 09:00 mx1' },
    { name: 'NO_COLOR', color: false, row: '*^', legend: '* start 08:00 mx1 · ^ reload 09:00 mx1' },
  ])('Enter on a finding after a reload shows the marks under its timeline ($name)', async ({ color, row, legend }) => {
    const { snap, trends } = scene(['mx1'], MARKERS);
    instance = render(<App live={fixedSource(stateOf(snap, { trends }))} color={color} width={100} height={50} />);
    const frame = () => instance!.lastFrame() ?? '';
    await vi.waitFor(() => expect(frame()).toContain('quit'), { timeout: 5000, interval: 10 });
    instance.stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('timeline (UTC)'), { timeout: 5000, interval: 10 });
    const lines = frame().split('\n');
    const day = lines.findIndex((l) => l.includes('per hour, last 24 h'));
    expect(lines[day + 1]!.trim()).toBe(row);
    expect(frame()).toContain(legend);
  });

  test.for([
    { name: 'colour', color: true, marks: '●▲' },
    { name: 'NO_COLOR', color: false, marks: '*^' },
  ])('the table: the trend heading marks the start and the reload over the bars of their hour ($name)', async ({ color, marks }) => {
    const { snap, trends } = scene(['mx1'], MARKERS);
    instance = render(<App live={fixedSource(stateOf(snap, { trends }))} color={color} width={100} height={20} />);
    const frame = () => instance!.lastFrame() ?? '';
    await vi.waitFor(() => expect(frame()).toContain('quit'), { timeout: 5000, interval: 10 });
    const lines = frame().split('\n');
    const head = lines.findIndex((l) => /#\s+msgs\s+count/.test(l));
    expect(lines[head]).not.toContain('trend');
    // The whole log, 00:00 to 09:59, in 12 columns of 10/12 h: 08:00 in column 9, 09:00 in 10,
    // where the finding's bar (its events from 09:00 to 09:10) is.
    const at = lines[head]!.indexOf(marks);
    expect(at).toBeGreaterThan(0);
    expect(lines[head + 1]!.slice(at, at + 3)).toMatch(/^ [▁▂▃▄▅▆▇█] $/);
    // Every host's markers: the table is the whole run's (mx2's 09:30 reload shares 09:00's column).
    expect(lines[head]!.slice(at - 9, at)).toBe(' '.repeat(9));
  });
});

describe('the table heading', () => {
  test('without marks the trend column keeps its name', () => {
    const cols = [
      { id: 'count' as const, header: 'count', width: 5, right: true },
      { id: 'trend' as const, header: 'trend', width: 12, right: false },
    ];
    expect(plain(headerLine(cols))).toBe('  count  trend       ');
    expect(plain(headerLine(cols, '  ▲'))).toBe('  count    ▲         ');
    expect(headerLine(cols, '  ▲')[1]!.role).toBe('marker');
  });
});
