/**
 * The plain-text report, for a human reading a terminal or a pipe: the ranked findings table
 * (marker, rank, count, direction, codes, recipient domain, cause, hint) fitted to `width`,
 * a `verify:` / `advice:` / `example:` block under each of the top findings, then the totals.
 *
 * Permanent failures (any 5xx code or 5.x.x status: mail was lost, the 550 5.1.1 family) carry
 * a `!` in the first column and list their 5xx codes first; with `color` their rows are bold
 * red (plain SGR). Every string that may come from a log goes through `sanitize`, and every
 * line is at most `width` columns (the colour codes excepted).
 */
import { isPermanent } from '../aggregate/rank.js';
import type { Finding, Report, Snapshot, Summary } from '../aggregate/types.js';
import { sanitize } from '../text/sanitize.js';
import { displayWidth, fit, truncate, wrap } from '../text/width.js';

export interface TextOptions {
  /** Terminal columns to fit; default 100. */
  width?: number;
  /** Bold red SGR on permanent-failure rows; default false (piped output stays plain). */
  color?: boolean;
  /** How many of the top findings get verify / advice / example lines; default 10. */
  details?: number;
  /** Show at most this many table rows (the rest are counted in one line); default all. */
  maxRows?: number;
}

export const DEFAULT_WIDTH = 100;
export const DEFAULT_DETAILS = 10;
/** Narrowest layout we try to honour; below it lines are still cut to `width`. */
const MIN_WIDTH = 20;

const SGR_PERMANENT = '\u001b[1;31m';
const SGR_RESET = '\u001b[0m';

/** A permanent failure: a 5xx reply or a 5.x.x enhanced status among the finding's codes. */
export function isPermanentFinding(f: Pick<Finding, 'smtpCodes' | 'enhancedStatus'>): boolean {
  return f.smtpCodes.some((c) => c >= 500) || f.enhancedStatus.some((s) => s.startsWith('5'));
}

/** `550,554 5.1.1`: 5xx before 4xx, then the enhanced codes likewise; `-` when none. */
export function codesCell(f: Pick<Finding, 'smtpCodes' | 'enhancedStatus'>): string {
  const smtp = [...f.smtpCodes].sort((a, b) => Math.floor(b / 100) - Math.floor(a / 100) || a - b);
  const cls = (e: string): number => (e.startsWith('5') ? 0 : 1);
  const enh = [...f.enhancedStatus].sort((a, b) => cls(a) - cls(b) || (a < b ? -1 : a > b ? 1 : 0));
  const parts = [smtp.join(','), enh.join(',')].filter((p) => p !== '');
  return parts.length === 0 ? '-' : parts.join(' ');
}

const DIRECTION_SHORT: Record<string, string> = { inbound: 'in', outbound: 'out', local: 'local' };

interface Column {
  header: string;
  cells: string[];
  /** Narrowest the column may be squeezed to; Infinity when it must not shrink. */
  min: number;
  /** Width the column keeps until every other column is down to its own soft width. */
  soft?: number;
  right?: boolean;
}

/**
 * Natural widths, then squeeze until the row fits: first the widest column above its `soft`
 * width (so a long hint gives way before the short columns), then the widest above its `min`.
 */
function fitWidths(cols: Column[], sepTotal: number, width: number): number[] {
  const widths = cols.map((c) => Math.max(displayWidth(c.header), ...c.cells.map(displayWidth)));
  let total = widths.reduce((a, b) => a + b, 0) + sepTotal;
  for (const floor of [(c: Column) => c.soft ?? c.min, (c: Column) => c.min]) {
    while (total > width) {
      let pick = -1;
      for (let i = 0; i < cols.length; i++) {
        if (widths[i]! <= floor(cols[i]!)) continue;
        if (pick < 0 || widths[i]! > widths[pick]!) pick = i;
      }
      if (pick < 0) break;
      widths[pick]!--;
      total--;
    }
  }
  return widths;
}

/** `label` then `text` wrapped so continuation lines align under the text. */
function labelled(indent: number, label: string, text: string, width: number): string[] {
  const head = ' '.repeat(indent) + label;
  const room = Math.max(10, width - displayWidth(head));
  return wrap(text, room).map((l, i) => (i === 0 ? head : ' '.repeat(displayWidth(head))) + l);
}

function table(
  findings: Finding[],
  width: number,
  detailCount: number,
  permanentAt: (i: number) => boolean,
): { lines: string[]; permanent: boolean[] } {
  const rows = findings.map((f, i) => ({
    marker: permanentAt(i) ? '!' : ' ',
    rank: String(f.rank),
    count: String(f.count),
    dir: DIRECTION_SHORT[f.direction] ?? sanitize(f.direction),
    codes: sanitize(codesCell(f)),
    domain: f.recipientDomain === null ? '-' : sanitize(f.recipientDomain),
    cause: sanitize(f.cause),
    hint: sanitize(f.hint),
  }));
  const cols: Column[] = [
    { header: ' ', cells: rows.map((r) => r.marker), min: Infinity },
    { header: '#', cells: rows.map((r) => r.rank), min: Infinity, right: true },
    { header: 'count', cells: rows.map((r) => r.count), min: Infinity, right: true },
    { header: 'dir', cells: rows.map((r) => r.dir), min: 3 },
    { header: 'codes', cells: rows.map((r) => r.codes), min: 3, soft: 9 },
    { header: 'domain', cells: rows.map((r) => r.domain), min: 6, soft: 16 },
    { header: 'cause', cells: rows.map((r) => r.cause), min: 6, soft: 18 },
    { header: 'hint', cells: rows.map((r) => r.hint), min: 4, soft: 30 },
  ];
  const seps = cols.map((_, i) => (i === 0 ? '' : i === 1 ? ' ' : '  '));
  const widths = fitWidths(cols, seps.join('').length, width);
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => seps[i] + fit(c, widths[i]!, cols[i]!.right ?? false))
      .join('')
      .trimEnd();
  const lines = [line(cols.map((c) => c.header))];
  const permanent = [false];
  findings.forEach((f, i) => {
    lines.push(line(cols.map((c) => c.cells[i]!)));
    permanent.push(rows[i]!.marker === '!');
    if (i < detailCount) {
      const indent = widths[0]! + 1 + widths[1]! + 2;
      const detail = [
        ...labelled(indent, 'verify:  ', sanitize(f.verify), width),
        ...labelled(indent, 'advice:  ', sanitize(f.advice), width),
      ];
      const example = f.examples[0];
      if (example !== undefined) {
        const head = ' '.repeat(indent) + 'example: ';
        detail.push(head + truncate(sanitize(example), Math.max(1, width - displayWidth(head))));
      }
      for (const d of detail) {
        lines.push(d);
        permanent.push(false);
      }
    }
  });
  return { lines, permanent };
}

function totals(s: Summary, width: number): string[] {
  const out: string[] = ['Totals'];
  const add = (label: string, text: string): void => {
    out.push(...labelled(2, label.padEnd(11), text, width));
  };
  const lines = [
    `read ${s.linesRead}`,
    `recognised ${s.linesRecognised}`,
    `ignored ${s.linesIgnored}`,
    `unrecognised ${s.linesUnrecognised}`,
  ];
  if (s.invalidUtf8Lines > 0) lines.push(`invalid UTF-8 ${s.invalidUtf8Lines}`);
  if (s.oversizedLines > 0) lines.push(`oversized ${s.oversizedLines}`);
  if (s.nulBytes) lines.push(`NUL bytes dropped ${s.nulBytes}`);
  if (s.followLostBytes) lines.push(`bytes lost while following ${s.followLostBytes}`);
  add('lines:', lines.join(', '));
  const events = [
    `rejects ${s.eventsByKind.reject}`,
    `bounces ${s.eventsByStatus.bounced}`,
    `deferrals ${s.eventsByStatus.deferred}`,
  ];
  if (s.eventsByStatus.expired > 0) events.push(`expired ${s.eventsByStatus.expired}`);
  add('events:', events.join(', '));
  add(
    'time span:',
    s.firstSeen === null || s.lastSeen === null ? 'unknown' : `${sanitize(s.firstSeen)} to ${sanitize(s.lastSeen)}`,
  );
  if (s.files.length === 0) add('files:', 'none');
  s.files.forEach((f, i) => {
    let text = `${sanitize(f.path)} (${sanitize(f.format)}, lines ${f.lines}`;
    if (f.unrecognised > 0) text += `, unrecognised ${f.unrecognised}`;
    text += ')';
    if (f.error !== undefined) text += ` error: ${sanitize(f.error)}`;
    add(i === 0 ? 'files:' : '', text);
  });
  const caps = Object.entries(s.overflow).filter(([, v]) => v > 0);
  if (caps.length > 0) {
    add(
      'caps:',
      `memory caps reached (${caps.map(([k, v]) => `${sanitize(k)} ${v}`).join(', ')}); counts past a cap are estimates`,
    );
  }
  return out;
}

/** The report as plain text for a terminal or a pipe. */
export function renderText(report: Report | Snapshot, options: TextOptions = {}): string {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULT_WIDTH));
  const lineCap = Math.max(1, Math.floor(options.width ?? DEFAULT_WIDTH));
  const detailCount = options.details ?? DEFAULT_DETAILS;
  const all = report.findings;
  const shown = options.maxRows === undefined ? all : all.slice(0, Math.max(0, options.maxRows));
  const events = all.reduce((n, f) => n + f.count, 0);

  const lines: string[] = [];
  const permanent: boolean[] = [];
  const push = (l: string, p = false): void => {
    lines.push(l);
    permanent.push(p);
  };
  if (all.length === 0) {
    push('No rejections, bounces or deferrals found.');
  } else {
    const noun = all.length === 1 ? 'finding' : 'findings';
    const what = events === 1 ? 'rejection, bounce or deferral' : 'rejections, bounces and deferrals';
    const marks = '! = permanent (5xx, bounced: mail lost).';
    for (const l of wrap(`${all.length} ${noun} from ${events} ${what}; ${marks}`, width)) {
      push(l);
    }
    push('');
    // With the snapshot's details, permanence is what the events said (Exim logs no code for
    // ACL refusals); from a bare report, the codes seen.
    const details = 'details' in report ? report.details : undefined;
    const permanentAt = (i: number): boolean => {
      const d = details?.[i];
      return d ? isPermanent(d) : isPermanentFinding(shown[i]!);
    };
    const t = table(shown, width, detailCount, permanentAt);
    t.lines.forEach((l, i) => push(l, t.permanent[i]));
    if (shown.length < all.length) push(`… and ${all.length - shown.length} more findings not shown.`);
  }
  push('');
  for (const l of totals(report.summary, width)) push(l);
  const u = report.summary.linesUnrecognised;
  if (u > 0) {
    push('');
    const msg = `${u} ${u === 1 ? 'line was' : 'lines were'} not recognised; run with --unrecognised FILE to see them.`;
    for (const l of wrap(msg, width)) push(l);
  }
  const out = lines.map((l, i) => {
    const cut = displayWidth(l) > lineCap ? truncate(l, lineCap) : l;
    return options.color && permanent[i] ? SGR_PERMANENT + cut + SGR_RESET : cut;
  });
  return out.join('\n') + '\n';
}
