/**
 * The bottom line: while typing a filter, the filter with a cursor; otherwise a message
 * (export result), else the key hints. Outside typing, it always ends in `? help  q quit`:
 * on a narrow terminal the other hints (or the message) are cut, never those two.
 */
import { sanitize } from '../../text/sanitize.js';
import { fitLine, lineWidth, type StyledLine } from '../lines.js';
import type { Message, Mode } from '../state.js';
import type { Theme } from '../theme.js';
import Line from './Line.js';

export interface Props {
  readonly mode: Mode;
  readonly filter: string;
  readonly message: Message | null;
  readonly width: number;
  readonly theme: Theme;
}

const HINTS: Record<Mode, Array<[string, string]>> = {
  table: [
    ['↑↓', 'move'],
    ['⏎', 'detail'],
    ['/', 'filter'],
    ['⇥', 'direction'],
    ['s', 'sort'],
    ['t', 'time'],
    ['e', 'export'],
  ],
  detail: [
    ['↑↓', 'scroll'],
    ['x', 'example'],
    ['esc', 'back'],
    ['e', 'export'],
  ],
  range: [],
  filter: [
    ['⏎', 'keep'],
    ['esc', 'undo'],
  ],
  help: [
    ['↑↓', 'scroll'],
    ['esc', 'back'],
  ],
  export: [
    ['⏎', 'write'],
    ['esc', 'cancel'],
  ],
  overwrite: [
    ['y', 'replace'],
    ['n', 'back'],
  ],
};

/** Kept at the end of the bar in the modes where `?` and `q` are keys (not typed text). */
const TAIL: Array<[string, string]> = [
  ['?', 'help'],
  ['q', 'quit'],
];
const TAIL_MODES: ReadonlySet<Mode> = new Set(['table', 'detail', 'help']);

const hintSegments = (hints: Array<[string, string]>): StyledLine =>
  hints.flatMap(([k, what]): StyledLine => [
    { text: k, role: 'key' },
    { text: ` ${what}  `, role: 'muted' },
  ]);

export function barLine(p: Omit<Props, 'width' | 'theme'>, width = Infinity): StyledLine {
  if (p.mode === 'filter') {
    return [
      { text: '/', role: 'key' },
      { text: sanitize(p.filter) },
      { text: '▏', role: 'key' },
      { text: '   domain, cause or hint · ⏎ keep · esc undo', role: 'muted' },
    ];
  }
  const head: StyledLine =
    p.message !== null ? [{ text: sanitize(p.message.text) + '  ', role: p.message.kind === 'error' ? 'error' : 'good' }] : hintSegments(HINTS[p.mode]);
  if (!TAIL_MODES.has(p.mode)) return head;
  const tail = hintSegments(TAIL);
  tail[tail.length - 1] = { ...tail[tail.length - 1]!, text: tail[tail.length - 1]!.text.trimEnd() };
  const room = width - lineWidth(tail);
  if (lineWidth(head) <= room) return [...head, ...tail];
  return [...fitLine(head, Math.max(0, room - 1)), { text: ' ' }, ...tail];
}

export default function FilterBar({ width, theme, ...rest }: Props) {
  return <Line line={barLine(rest, width)} width={width} theme={theme} />;
}
