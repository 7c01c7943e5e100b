/**
 * The plain-text report, for a human reading a terminal or a pipe: the ranked findings table
 * (marker, rank, MTA when the run holds several, host when it holds several, messages, count,
 * direction, codes, recipient domain, cause, hint) fitted to `width`, an `impact:` / `hosts:` /
 * `verify:` / `advice:` / `example:` block under each of the top findings, then the totals.
 *
 * Permanent findings (`Finding.permanent`: some mail was lost, the 550 5.1.1 family) carry a
 * `!` in the first column, actionable ones (the fix is on this server, src/classify/action.ts)
 * a `*` beside it; the details say why, and name the likely intended domain of a typo. Directory
 * harvests and backscatter risk follow the table as sections of their own and list their 5xx codes first; with `color` their rows are bold
 * red (plain SGR). Every string that may come from a log goes through `sanitize`, and every
 * line is at most `width` columns (the colour codes excepted), except a verify command's word
 * too long to fit: a command is broken only where a paste still runs the same thing
 * (src/text/shell-wrap.ts), never cut.
 */
import type { BackscatterFinding, Finding, HarvestFinding, Marker, Report, Summary } from '../aggregate/types.js';
import { describeRotation } from '../text/rotation.js';
import { sanitize } from '../text/sanitize.js';
import { plural } from '../text/plural.js';
import { wrapShellCommand } from '../text/shell-wrap.js';
import { displayWidth, fit, truncate, wrap } from '../text/width.js';
import { comparisonText } from './compare.js';
import { hasTraffic, trafficLines } from './traffic-text.js';

export interface TextOptions {
  /** Terminal columns to fit; default 100. */
  width?: number;
  /** Bold red SGR on permanent-failure rows; default false (piped output stays plain). */
  color?: boolean;
  /** How many of the top findings get verify / advice / example lines; default 10. */
  details?: number;
  /** Show at most this many table rows (the rest are counted in one line); default all. */
  maxRows?: number;
  /** The `--unrecognised` file, when one was given: the closing line names it instead of suggesting the option. */
  unrecognisedFile?: string;
}

export const DEFAULT_WIDTH = 100;
export const DEFAULT_DETAILS = 10;
/** Narrowest layout we try to honour; below it lines are still cut to `width`. */
const MIN_WIDTH = 20;

const SGR_PERMANENT = '\u001b[1;31m';
const SGR_RESET = '\u001b[0m';


/** `5 messages, 46 attempts`: what a finding cost, and how often it was tried. */
export const impactText = (f: Pick<Finding, 'messages' | 'count'>, fmt: (n: number) => string = String): string =>
  `${plural(f.messages, 'message', undefined, fmt)}, ${plural(f.count, 'attempt', undefined, fmt)}`;

/** `mx1 (40), mx2 (6)`, sanitised. */
export const hostsText = (f: Pick<Finding, 'hosts'>): string => f.hosts.map((h) => `${sanitize(h.host)} (${h.count})`).join(', ');

/** The host column's cell: the one host, `N hosts`, or `-` when none was logged. */
export const hostCell = (f: Pick<Finding, 'hosts'>): string =>
  f.hosts.length === 0 ? '-' : f.hosts.length === 1 ? sanitize(f.hosts[0]!.host) : `${f.hosts.length} hosts`;

/** Which optional columns a set of findings needs: the MTA when several, the host when several. */
export function runShape(findings: readonly Pick<Finding, 'mta' | 'hosts'>[]): { mtas: boolean; hosts: boolean } {
  const mtas = new Set<string>();
  const hosts = new Set<string>();
  for (const f of findings) {
    mtas.add(f.mta);
    for (const h of f.hosts) if (hosts.size < 2) hosts.add(h.host);
  }
  return { mtas: mtas.size > 1, hosts: hosts.size > 1 };
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
  shape: { mtas: boolean; hosts: boolean },
  checks: ReadonlyMap<number, string[]> = new Map(),
): { lines: string[]; permanent: boolean[]; whole: boolean[] } {
  const rows = findings.map((f) => ({
    marker: (f.permanent ? '!' : ' ') + (f.action === 'actionable' ? '*' : ' '),
    rank: String(f.rank),
    mta: sanitize(f.mta),
    host: hostCell(f),
    messages: String(f.messages),
    count: String(f.count),
    dir: DIRECTION_SHORT[f.direction] ?? sanitize(f.direction),
    codes: sanitize(codesCell(f)),
    domain: f.recipientDomain === null ? '-' : sanitize(f.recipientDomain),
    cause: sanitize(f.cause),
    hint: sanitize(f.hint),
  }));
  const cols: Column[] = [
    { header: '  ', cells: rows.map((r) => r.marker), min: Infinity },
    { header: '#', cells: rows.map((r) => r.rank), min: Infinity, right: true },
    ...(shape.mtas ? [{ header: 'mta', cells: rows.map((r) => r.mta), min: 4 }] : []),
    ...(shape.hosts ? [{ header: 'host', cells: rows.map((r) => r.host), min: 4, soft: 12 }] : []),
    { header: 'msgs', cells: rows.map((r) => r.messages), min: Infinity, right: true },
    { header: 'count', cells: rows.map((r) => r.count), min: Infinity, right: true },
    { header: 'dir', cells: rows.map((r) => r.dir), min: 3 },
    { header: 'codes', cells: rows.map((r) => r.codes), min: 3, soft: 9 },
    { header: 'domain', cells: rows.map((r) => r.domain), min: 6, soft: 16 },
    { header: 'cause', cells: rows.map((r) => r.cause), min: 6, soft: 18 },
    { header: 'hint', cells: rows.map((r) => r.hint), min: 4, soft: 30 },
  ];
  // The marker column is `!` and `*` side by side, standing where the space before the rank was.
  const seps = cols.map((_, i) => (i <= 1 ? '' : '  '));
  const widths = fitWidths(cols, seps.join('').length, width);
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => seps[i] + fit(c, widths[i]!, cols[i]!.right ?? false))
      .join('')
      .trimEnd();
  const lines = [line(cols.map((c) => c.header))];
  const permanent = [false];
  const whole = [false];
  findings.forEach((f, i) => {
    lines.push(line(cols.map((c) => c.cells[i]!)));
    permanent.push(rows[i]!.marker.startsWith('!'));
    whole.push(false);
    if (i < detailCount) {
      const indent = widths[0]! + widths[1]! + 2;
      const facts = [...labelled(indent, 'impact:  ', `${impactText(f)}, ${plural(f.distinctRecipients, 'recipient')}`, width)];
      if (f.hosts.length > 1) facts.push(...labelled(indent, 'hosts:   ', hostsText(f), width));
      facts.push(...labelled(indent, 'action:  ', actionText(f), width));
      if (f.suggestion !== null && f.recipientDomain !== null) {
        facts.push(...labelled(indent, 'typo?:   ', suggestionText(f), width));
      }
      if (f.onsetNote !== '') facts.push(...labelled(indent, 'onset:   ', sanitize(f.onsetNote), width));
      if (f.after !== null) facts.push(...labelled(indent, 'after:   ', sanitize(f.after), width));
      for (const l of facts) {
        lines.push(l);
        permanent.push(false);
        whole.push(false);
      }
      // The command is broken only where a paste still runs the same thing, and never cut.
      const head = ' '.repeat(indent) + 'verify:  ';
      wrapShellCommand(sanitize(f.verify), Math.max(10, width - displayWidth(head))).forEach((l, k) => {
        lines.push((k === 0 ? head : ' '.repeat(displayWidth(head))) + l);
        permanent.push(false);
        whole.push(true);
      });
      // --check-config: what the verify step found on this server, beside the command.
      const detail = (checks.get(f.rank) ?? []).flatMap((c, k) => labelled(indent, k === 0 ? 'checked: ' : '         ', sanitize(c), width));
      detail.push(...labelled(indent, 'advice:  ', sanitize(f.advice), width));
      const example = f.examples[0];
      if (example !== undefined) {
        // Its queue id (message id) first: what to grep for the message's other lines.
        const id = f.exampleIds?.[0];
        const head = ' '.repeat(indent) + 'example: ' + (id ? `[${sanitize(id)}] ` : '');
        detail.push(head + truncate(sanitize(example), Math.max(1, width - displayWidth(head))));
      }
      for (const d of detail) {
        lines.push(d);
        permanent.push(false);
        whole.push(false);
      }
    }
  });
  return { lines, permanent, whole };
}

/** `actionable: why` / `informational: why`, sanitised. */
export const actionText = (f: Pick<Finding, 'action' | 'actionReason'>): string => `${f.action}: ${sanitize(f.actionReason)}`;

/** `gmial.com: did the sender mean gmail.com?`, sanitised. */
export const suggestionText = (f: Pick<Finding, 'recipientDomain' | 'suggestion'>): string =>
  `${sanitize(f.recipientDomain ?? '')}: did the sender mean ${sanitize(f.suggestion ?? '')}?`;

/** The directory-harvest section: one block per client network. */
export function harvestLines(harvest: readonly HarvestFinding[], width: number): string[] {
  if (harvest.length === 0) return [];
  const out = [`Directory harvest (${plural(harvest.length, 'client network')} guessing addresses)`];
  for (const h of harvest) {
    const who = h.clients.length > 1 ? `${sanitize(h.network)} (${h.clients.map(sanitize).join(', ')})` : sanitize(h.client);
    out.push(...labelled(2, `${h.mta} `, `${who}: ${h.distinctAddresses} addresses refused as unknown in ${h.attempts} attempts`, width));
    out.push(...labelled(4, 'window:   ', `${sanitize(h.firstSeen)} to ${sanitize(h.lastSeen)}; at the fastest ${h.peakAddresses} addresses in ${h.peakSeconds} s`, width));
    out.push(...labelled(4, 'tried:    ', h.sampleAddresses.map(sanitize).join(', '), width));
    out.push(...labelled(4, 'setting:  ', h.setting, width));
    out.push(...labelled(4, 'fix:      ', h.advice, width));
    // Pasted into a jail or a shell: one line each, never wrapped or cut.
    if (h.failregex !== null) out.push(`    fail2ban: failregex = ${h.failregex}`);
    if (h.ban !== null) out.push(`    ban now:  ${sanitize(h.ban)}`);
  }
  return out;
}

const BACKSCATTER_WHAT: Record<BackscatterFinding['kind'], string> = {
  'accept-then-bounce': 'mail from strangers accepted, then bounced back to them',
  'null-sender': 'our bounces (sender <>) to addresses that never sent mail through us',
};

/** The backscatter section: one block per kind and MTA. */
export function backscatterLines(items: readonly BackscatterFinding[], width: number): string[] {
  if (items.length === 0) return [];
  const out = ['Backscatter risk (this server bounces mail whose sender may be forged)'];
  for (const b of items) {
    out.push(...labelled(2, `${b.mta} `, `${BACKSCATTER_WHAT[b.kind]}: ${plural(b.count, 'bounce')} to ${plural(b.distinctSenders, 'address', 'addresses')}`, width));
    if (b.firstSeen !== null && b.lastSeen !== null) out.push(...labelled(4, 'window:  ', `${sanitize(b.firstSeen)} to ${sanitize(b.lastSeen)}`, width));
    out.push(...labelled(4, 'setting: ', b.setting, width));
    out.push(...labelled(4, 'fix:     ', b.advice, width));
    const example = b.examples[0];
    if (example !== undefined) out.push(' '.repeat(4) + 'example: ' + truncate(sanitize(example), Math.max(1, width - 13)));
  }
  return out;
}

/** Markers listed in the text report: the newest, the rest counted. */
const MARKERS_SHOWN = 12;

/** `Starts and reloads: 2026-12-05 09:00 reload (mx1, postfix 3.7.11), …`, newest last. */
export function markersText(markers: readonly Marker[]): string {
  const shown = markers.slice(-MARKERS_SHOWN);
  const items = shown.map((m) => {
    const what = [m.host, m.version === null ? m.mta : `${m.mta} ${m.version}`].filter((x) => x !== null).map((x) => sanitize(x!));
    // A marker read back from a state file carries whatever time that file held: sanitised too.
    return `${sanitize(m.time ?? '').slice(0, 16).replace('T', ' ')} ${m.marker} (${what.join(', ')})`;
  });
  const more = markers.length - shown.length;
  return `Starts and reloads: ${items.join(', ')}${more > 0 ? `, and ${more} earlier` : ''}.`;
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
  const rotations = s.followRotations ?? [];
  if (rotations.length > 0) {
    const more = rotations.length > 1 ? ` (the last of ${rotations.length} kept)` : '';
    add('rotated:', sanitize(describeRotation(rotations[rotations.length - 1]!)) + more);
  }
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
export function renderText(report: Report, options: TextOptions = {}): string {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULT_WIDTH));
  const lineCap = Math.max(1, Math.floor(options.width ?? DEFAULT_WIDTH));
  const detailCount = options.details ?? DEFAULT_DETAILS;
  const all = report.findings;
  const shown = options.maxRows === undefined ? all : all.slice(0, Math.max(0, options.maxRows));
  const events = all.reduce((n, f) => n + f.count, 0);

  const lines: string[] = [];
  const permanent: boolean[] = [];
  /** Lines never cut to the width (verify commands: a cut one would run something else). */
  const whole: boolean[] = [];
  const push = (l: string, p = false, w = false): void => {
    lines.push(l);
    permanent.push(p);
    whole.push(w);
  };
  if (report.comparison) {
    // What changed since the earlier report comes first: it is what a second run is read for.
    for (const [prefix, text] of comparisonText(report.comparison)) {
      wrap(text, Math.max(10, width - prefix.length)).forEach((l, i) => push((i === 0 ? prefix : ' '.repeat(prefix.length)) + l));
    }
    push('');
  }
  const w = report.summary.window;
  if (w) {
    const left = `${plural(w.eventsOutside, 'event')} outside it left out` + (w.eventsUntimed > 0 ? `, ${w.eventsUntimed} without a time` : '');
    for (const l of wrap(`Window ${sanitize(`${w.since ?? '…'} .. ${w.until ?? '…'}`)} (${left}).`, width)) push(l);
  }
  if (all.length === 0) {
    push(w ? 'No rejections, bounces or deferrals found in the window.' : 'No rejections, bounces or deferrals found.');
  } else {
    const noun = all.length === 1 ? 'finding' : 'findings';
    const what = events === 1 ? 'rejection, bounce or deferral' : 'rejections, bounces and deferrals';
    const marks = '! = permanent (5xx, bounced: mail lost); * = actionable.';
    for (const l of wrap(`${all.length} ${noun} from ${events} ${what}; ${marks}`, width)) {
      push(l);
    }
    push('');
    const checks = new Map((report.configChecks ?? []).map((c) => [c.rank, c.checks]));
    const t = table(shown, width, detailCount, runShape(all), checks);
    t.lines.forEach((l, i) => push(l, t.permanent[i], t.whole[i]));
    if (shown.length < all.length) push(`… and ${plural(all.length - shown.length, 'more finding')} not shown.`);
  }
  for (const section of [harvestLines(report.harvest ?? [], width), backscatterLines(report.backscatter ?? [], width)]) {
    if (section.length === 0) continue;
    push('');
    // fail2ban regexes and ban commands are pasted: like verify commands, never cut.
    for (const l of section) push(l, false, /^ {4}(?:fail2ban|ban now):/.test(l));
  }
  if (report.traffic !== undefined && hasTraffic(report.traffic)) {
    push('');
    for (const l of trafficLines(report.traffic, width)) push(l);
  }
  if (report.markers.length > 0) {
    push('');
    for (const l of wrap(markersText(report.markers), width)) push(l);
  }
  push('');
  for (const l of totals(report.summary, width)) push(l);
  const u = report.summary.linesUnrecognised;
  if (u > 0) {
    push('');
    const where =
      options.unrecognisedFile === undefined
        ? `run with --unrecognised FILE to see ${u === 1 ? 'it' : 'them'}.`
        : `${u === 1 ? 'it is' : 'they are'} in ${sanitize(options.unrecognisedFile)}.`;
    const msg = `${u} ${u === 1 ? 'line was' : 'lines were'} not recognised; ${where}`;
    for (const l of wrap(msg, width)) push(l);
  }
  const out = lines.map((l, i) => {
    const cut = !whole[i] && displayWidth(l) > lineCap ? truncate(l, lineCap) : l;
    return options.color && permanent[i] ? SGR_PERMANENT + cut + SGR_RESET : cut;
  });
  return out.join('\n') + '\n';
}
