/**
 * Three lines at the top: what is happening (reading, following, done), the totals, and the
 * view (direction tab, sort, time window, filter, rows shown).
 */
import { Box } from 'ink';
import type { Summary } from '../../aggregate/types.js';
import { describeRotation } from '../../text/rotation.js';
import { sanitize } from '../../text/sanitize.js';
import { formatCount, formatDuration, formatShort, formatSpan } from '../format.js';
import type { StyledLine } from '../lines.js';
import type { Phase } from '../live.js';
import { SORT_LABEL, TABS, windowLabel, type DirectionTab, type SortKey, type TimeRange, type ViewWindow } from '../state.js';
import type { Theme } from '../theme.js';
import Line from './Line.js';

export interface Props {
  readonly summary: Summary;
  readonly phase: Phase;
  readonly follow: { path: string; rotations: number } | null;
  readonly elapsedMs: number;
  readonly linesPerSec: number;
  readonly problemsPerMin: number;
  /** Findings in the current view, and in all. */
  readonly shown: number;
  readonly total: number;
  /** Findings that appeared while following. */
  readonly fresh?: number;
  readonly view: { tab: DirectionTab; sort: SortKey; window: ViewWindow; range?: TimeRange | null; filter: string; hideInformational?: boolean };
  readonly width: number;
  readonly theme: Theme;
}

export function statusLine(p: Props): StyledLine {
  const line: StyledLine = [{ text: 'maillog-doctor  ', role: 'title' }];
  if (p.follow !== null && p.phase === 'following') {
    line.push({ text: `following ${sanitize(p.follow.path)}`, role: 'good' });
    const bits = [`${formatShort(p.linesPerSec)} lines/s`, `${formatShort(p.problemsPerMin)} problems/min`];
    if (p.follow.rotations > 0) bits.push(`${p.follow.rotations} rotation${p.follow.rotations === 1 ? '' : 's'}`);
    const last = p.summary.followRotations?.at(-1);
    if (last) bits.push(`rotated: ${sanitize(describeRotation(last))}`);
    line.push({ text: ` · ${bits.join(' · ')}`, role: 'muted' });
  } else if (p.phase === 'reading') {
    line.push({ text: `reading… ${formatDuration(p.elapsedMs)}` });
  } else {
    const files = p.summary.files.length;
    line.push({ text: `read ${files} file${files === 1 ? '' : 's'} in ${formatDuration(p.elapsedMs)}` });
  }
  line.push({ text: `  ·  ${formatCount(p.total)} ${p.total === 1 ? 'finding' : 'findings'}`, role: 'muted' });
  if (p.fresh) line.push({ text: ` · ${formatCount(p.fresh)} new`, role: 'fresh' });
  return line;
}

export function totalsLine(s: Summary): StyledLine {
  const part = (label: string, n: number): StyledLine => [
    { text: `${label} `, role: 'muted' },
    { text: formatCount(n) },
    { text: '  ' },
  ];
  return [
    ...part('lines', s.linesRead),
    ...part('recognised', s.linesRecognised),
    ...part('rejected', s.eventsByKind.reject),
    ...part('bounced', s.eventsByStatus.bounced),
    ...part('deferred', s.eventsByStatus.deferred),
    { text: sanitize(formatSpan(s.firstSeen, s.lastSeen)), role: 'muted' },
  ];
}

export function viewLine(p: Pick<Props, 'view' | 'shown' | 'total'>): StyledLine {
  const line: StyledLine = [];
  for (const t of TABS) {
    line.push(t === p.view.tab ? { text: `[${t}]`, role: 'title' } : { text: ` ${t} `, role: 'muted' });
  }
  line.push({ text: '   sort ', role: 'muted' }, { text: SORT_LABEL[p.view.sort] });
  line.push({ text: '   window ', role: 'muted' }, { text: windowLabel(p.view) });
  if (p.view.hideInformational) line.push({ text: '   actionable only', role: 'key' });
  if (p.view.filter !== '') line.push({ text: '   filter ', role: 'muted' }, { text: sanitize(p.view.filter), role: 'key' });
  line.push({ text: `   ${formatCount(p.shown)} of ${formatCount(p.total)}`, role: 'muted' });
  return line;
}

export default function Header(p: Props) {
  return (
    <Box flexDirection="column">
      <Line line={statusLine(p)} width={p.width} theme={p.theme} />
      <Line line={totalsLine(p.summary)} width={p.width} theme={p.theme} />
      <Line line={viewLine(p)} width={p.width} theme={p.theme} />
    </Box>
  );
}
