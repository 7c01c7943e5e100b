/**
 * The detail pane of one finding as styled lines: what it is, how many messages and attempts,
 * when, the rule(s) that classified it, its hosts, the verify command and the advice, a
 * timeline per hour and per minute, the top recipients, senders and client IPs, and the example
 * lines (each different line once). With `example` set, the pane shows that example line whole
 * instead, wrapped to the width. Every log-derived string goes through `sanitize`.
 */
import type { AddressCount, Finding, Marker } from '../aggregate/types.js';
import { actionText, codesCell, impactText, suggestionText } from '../report/text.js';
import { sanitize } from '../text/sanitize.js';
import { wrapShellCommand } from '../text/shell-wrap.js';
import { codePointWidth, displayWidth, fit, truncate, wrap } from '../text/width.js';
import { clockOf, formatCount, formatTime } from './format.js';
import type { Segment, StyledLine } from './lines.js';
import type { Row } from './state.js';
import { severityOf } from './theme.js';
import { HOUR_MS, MINUTE_MS, type TrendReader } from '../aggregate/trend.js';
import { MARKER_GLYPHS, markerColumn, markerRow, sparkline, type TimelineMark } from './sparkline.js';

export interface DetailContext {
  width: number;
  trends?: TrendReader | null;
  /** End of the timeline (ms); null when no event had a time. */
  reference: number | null;
  /** Index (in exampleLines) of the example shown whole; null or absent for the usual detail. */
  example?: number | null;
  /** The run's starts and reloads (Report.markers), drawn under the timelines. */
  markers?: readonly Marker[];
  /** ASCII marks instead of `▲` `●` (no colour: --no-color, NO_COLOR). */
  ascii?: boolean;
}

/**
 * The finding's example lines as shown: sanitised, each different line once (one log line can
 * carry several events of a finding, and each event keeps its line).
 */
export function exampleLines(row: Row): string[] {
  return [...new Set(row.finding.examples.map((ex) => sanitize(ex)))];
}

/** Cut into pieces of `width` columns, every character kept (a log line is shown as it is). */
export function hardWrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  let line = '';
  let used = 0;
  for (const ch of text) {
    const cw = codePointWidth(ch.codePointAt(0)!);
    if (used + cw > w && used > 0) {
      out.push(line);
      line = '';
      used = 0;
    }
    line += ch;
    used += cw;
  }
  if (line !== '' || out.length === 0) out.push(line);
  return out;
}

const LABEL = 9;

/** `label` then `text` wrapped, continuation lines indented under the text. */
function labelled(label: string, text: string, width: number, role: Segment['role'], command = false): StyledLine[] {
  const room = Math.max(10, width - LABEL);
  // A command is broken only where a paste still runs the same thing (src/text/shell-wrap.ts).
  return (command ? wrapShellCommand(text, room) : wrap(text, room)).map((l, i) => [
    { text: (i === 0 ? label : '').padEnd(LABEL), role: 'label' },
    { text: l, role },
  ]);
}

/** Up to `n` lines `count  address`. */
function list(title: string, entries: readonly AddressCount[], width: number, n: number): string[] {
  const out = [title];
  if (entries.length === 0) out.push('  -');
  const digits = Math.max(1, ...entries.slice(0, n).map((e) => formatCount(e.count).length));
  for (const e of entries.slice(0, n)) {
    out.push(truncate(`  ${formatCount(e.count).padStart(digits)}  ${sanitize(e.address)}`, width));
  }
  return out;
}

/** Side by side when there is room, else one after the other. */
function lists(columns: string[][], width: number): StyledLine[] {
  const gap = 2;
  const colWidth = Math.floor((width - gap * (columns.length - 1)) / columns.length);
  if (colWidth >= 30) {
    const fitted = columns.map((c) => c.map((l) => truncate(l, colWidth)));
    const height = Math.max(...fitted.map((c) => c.length));
    const out: StyledLine[] = [];
    for (let i = 0; i < height; i++) {
      const line: StyledLine = [];
      fitted.forEach((c, j) => {
        const cell = c[i] ?? '';
        const text = j === fitted.length - 1 ? cell : fit(cell, colWidth) + ' '.repeat(gap);
        line.push({ text, role: i === 0 ? 'label' : undefined });
      });
      out.push(line);
    }
    return out;
  }
  const out: StyledLine[] = [];
  columns.forEach((c, j) => {
    if (j > 0) out.push([]);
    c.forEach((l, i) => out.push([{ text: truncate(l, width), role: i === 0 ? 'label' : undefined }]));
  });
  return out;
}

/** Where the sparkline of timeline() starts: the label and the `HH:MM ` before it. */
const SPARK_AT = 2 + 22 + 6;

function timeline(label: string, values: number[], unit: string, from: number, to: number, width: number): StyledLine {
  const peak = Math.max(0, ...values);
  const spark = sparkline(values);
  const line: StyledLine = [
    { text: `  ${label.padEnd(22)}`, role: 'muted' },
    { text: `${clockOf(from)} ` },
    { text: spark, role: 'barDone' },
    { text: ` ${clockOf(to)}` },
    { text: `  peak ${formatCount(peak)}/${unit}`, role: 'muted' },
  ];
  return displayWidth(line.map((s) => s.text).join('')) <= width ? line : line.slice(0, 4);
}

/**
 * The markers of the finding's hosts with a time (those of another host are not its story; one
 * without a host, or a finding without hosts, keeps them all, as onset.ts does when it names one).
 */
function markersOf(f: Finding, markers: readonly Marker[]): Array<TimelineMark & { m: Marker }> {
  const hosts = new Set(f.hosts.map((h) => h.host));
  const out: Array<TimelineMark & { m: Marker }> = [];
  for (const m of markers) {
    if (hosts.size > 0 && m.host !== null && !hosts.has(m.host)) continue;
    const ms = m.time === null ? Number.NaN : Date.parse(m.time);
    if (Number.isFinite(ms)) out.push({ ms, marker: m.marker, m });
  }
  return out.sort((a, b) => a.ms - b.ms);
}

/** The marks under a timeline's bars, or null when none falls in its span. */
function markLine(marks: readonly TimelineMark[], from: number, to: number, n: number, ascii: boolean): StyledLine | null {
  const row = markerRow(marks, from, to, n, ascii);
  return row === '' ? null : [{ text: ' '.repeat(SPARK_AT) }, { text: row, role: 'marker' }];
}

/** `markers  ▲ reload 09:00 mx1 · ● start 08:00 mx1`: the newest that fit the width, the rest counted. */
function markerLegend(marks: ReadonlyArray<TimelineMark & { m: Marker }>, ascii: boolean, width: number): StyledLine {
  const glyphs = ascii ? MARKER_GLYPHS.ascii : MARKER_GLYPHS.unicode;
  const head = `  ${'markers'.padEnd(22)}`;
  const items = marks.map((k) => `${glyphs[k.marker]} ${k.marker} ${clockOf(k.ms)} ${sanitize(k.m.host ?? k.m.mta)}`);
  const sep = ' · ';
  let kept = 0;
  let used = displayWidth(head);
  for (let i = items.length - 1; i >= 0; i--) {
    // With item i the oldest kept, the i before it are counted.
    const more = i > 0 ? displayWidth(`+${i} earlier${sep}`) : 0;
    const w = displayWidth(items[i]!) + (kept > 0 ? displayWidth(sep) : 0);
    if (used + w + more > width && kept > 0) break;
    used += w;
    kept++;
  }
  const earlier = items.length - kept;
  const shown = items.slice(earlier).join(sep);
  return [
    { text: head, role: 'muted' },
    ...(earlier > 0 ? [{ text: `+${earlier} earlier${sep}`, role: 'muted' as const }] : []),
    { text: shown, role: 'marker' },
  ];
}

/** The finding's identity in one line: rank, MTA, direction, domain, cause, hint, codes. */
export function identityLine(f: Finding): StyledLine {
  const severity = severityOf(f);
  return [
    { text: `#${f.rank}  `, role: 'title' },
    { text: `${f.mta}  ` },
    { text: `${f.direction}  ` },
    { text: f.recipientDomain === null ? '(no recipient domain)' : sanitize(f.recipientDomain), role: 'title' },
    { text: '  ' },
    { text: sanitize(f.cause), role: severity },
    { text: '  ' },
    { text: sanitize(f.hint), role: 'label' },
    { text: `  ${sanitize(codesCell(f))}`, role: severity },
  ];
}

/** The queue id (message id) of an example line as exampleLines() shows it, '' for none. */
function exampleIdOf(row: Row, shown: string): string {
  const i = row.finding.examples.findIndex((ex) => sanitize(ex) === shown);
  return sanitize(row.finding.exampleIds?.[i] ?? '');
}

export function detailLines(row: Row, ctx: DetailContext): StyledLine[] {
  const { finding: f, details: d } = row;
  const width = Math.max(20, ctx.width);
  const out: StyledLine[] = [];
  const severity = severityOf(f);
  const examples = exampleLines(row);
  out.push(identityLine(f));
  const shown = ctx.example ?? null;
  if (shown !== null && shown >= 0 && shown < examples.length) {
    out.push([
      { text: `example ${shown + 1} of ${examples.length}, whole`, role: 'label' },
      { text: '  (x next · esc back to the detail)', role: 'muted' },
    ]);
    for (const piece of hardWrap(examples[shown]!, width - 2)) out.push([{ text: '  ' + piece }]);
    return out;
  }
  const counts = [
    (d.approximate.messages ? '≈' : '') + impactText(f, formatCount),
    `${formatCount(d.permanentCount)} permanent`,
    `${formatCount(d.temporaryCount)} temporary`,
  ];
  if (row.count !== f.count) counts.push(`${formatCount(row.count)} in this time window`);
  out.push([{ text: counts.join(' · ') }]);
  const s = d.eventsByStatus;
  const approx = (b: boolean): string => (b ? '≈' : '');
  out.push([
    {
      text:
        `${approx(d.approximate.recipients)}${formatCount(f.distinctRecipients)} ${f.distinctRecipients === 1 ? 'recipient' : 'recipients'} · ` +
        `${approx(d.approximate.senders)}${formatCount(f.distinctSenders)} ${f.distinctSenders === 1 ? 'sender' : 'senders'} · ` +
        `${approx(d.approximate.clients)}${formatCount(f.distinctClients)} ${f.distinctClients === 1 ? 'client' : 'clients'} · ` +
        `refused ${formatCount(s.reject)}, bounced ${formatCount(s.bounced)}, deferred ${formatCount(s.deferred)}, expired ${formatCount(s.expired)}`,
      role: 'muted',
    },
  ]);
  out.push([
    {
      text: `first ${f.firstSeen ? formatTime(sanitize(f.firstSeen)) : '-'} · last ${f.lastSeen ? formatTime(sanitize(f.lastSeen)) : '-'} UTC`,
      role: 'muted',
    },
  ]);
  const rules = f.rules.map((r) => `${sanitize(r.rule)} (${formatCount(r.count)})`).join(' · ');
  out.push(...labelled('rule', f.rules.length > 1 ? rules : sanitize(f.rule) || '-', width, undefined));
  const hosts = f.hosts.map((h) => `${sanitize(h.host)} (${formatCount(h.count)})`).join(' · ');
  out.push(...labelled(f.hosts.length > 1 ? 'hosts' : 'host', hosts || '-', width, undefined));
  // When it began (src/aggregate/onset.ts) and the server-health line it followed, when known.
  if (f.onsetNote) out.push(...labelled('onset', sanitize(f.onsetNote), width, undefined));
  if (f.after) out.push(...labelled('after', sanitize(f.after), width, undefined));
  if (d.catchAll) {
    out.push([{ text: 'Collects the events past the findings cap (5,000): their domains are not told apart.', role: 'muted' }]);
  }
  out.push([]);
  out.push(...labelled('action', actionText(f), width, f.action === 'actionable' ? 'key' : undefined));
  if (f.suggestion !== null && f.recipientDomain !== null) out.push(...labelled('typo?', suggestionText(f), width, 'key'));
  out.push(...labelled('verify', sanitize(f.verify) || '-', width, 'command', true));
  out.push(...labelled('advice', sanitize(f.advice) || '-', width, undefined));
  out.push([]);

  if (ctx.trends && ctx.reference !== null) {
    const ref = ctx.reference;
    out.push([{ text: 'timeline (UTC)', role: 'label' }]);
    const dayFrom = ref - 23 * HOUR_MS;
    out.push(timeline('per hour, last 24 h', ctx.trends.series(row.identity, dayFrom, ref, 24), 'h', dayFrom, ref, width));
    // Starts and reloads in the span of the 24 h timeline (the hour's is inside it), placed by the
    // columns the bars use; the onset line says which one a change followed.
    const ascii = ctx.ascii ?? false;
    const marks = markersOf(f, ctx.markers ?? []).filter((k) => markerColumn(k.ms, dayFrom, ref, 24) !== null);
    const dayMarks = markLine(marks, dayFrom, ref, 24, ascii);
    if (dayMarks) out.push(dayMarks);
    const hourFrom = ref - 59 * MINUTE_MS;
    const minutes = ctx.trends.series(row.identity, hourFrom, ref, 60);
    // 60 one-minute columns need room; narrower terminals get 5-minute buckets.
    const perMinute = width >= 100;
    const values = perMinute ? minutes : Array.from({ length: 12 }, (_, i) => minutes.slice(i * 5, i * 5 + 5).reduce((a, b) => a + b, 0));
    out.push(timeline(perMinute ? 'per minute, last hour' : 'per 5 min, last hour', values, perMinute ? 'min' : '5 min', hourFrom, ref, width));
    const hourMarks = markLine(marks, hourFrom, ref, values.length, ascii);
    if (hourMarks) out.push(hourMarks);
    if (marks.length > 0) out.push(markerLegend(marks, ascii, width));
    out.push([]);
  }

  const n = 5;
  out.push(
    ...lists(
      [list('top recipients', d.topRecipients, width, n), list('top senders', d.topSenders, width, n), list('client IPs', d.topClients, width, n)],
      width,
    ),
  );
  out.push([]);
  out.push([
    { text: 'examples', role: 'label' },
    ...(examples.length > 0 ? [{ text: '  (x shows one whole · e all the lines)', role: 'muted' as const }] : []),
  ]);
  if (examples.length === 0) out.push([{ text: '  -' }]);
  for (const ex of examples) {
    // Its queue id (message id) first: what to look for in the evidence view or with grep.
    const id = exampleIdOf(row, ex);
    const head = id === '' ? '  ' : `  [${id}] `;
    out.push([...(id === '' ? [] : [{ text: head, role: 'label' as const }]), { text: (id === '' ? head : '') + truncate(ex, width - displayWidth(head)) }]);
  }
  return out;
}
