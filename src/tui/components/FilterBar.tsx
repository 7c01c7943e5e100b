/**
 * The bottom line: while typing a filter, the filter with a cursor; otherwise a message
 * (export result), else the key hints.
 */
import { sanitize } from '../../text/sanitize.js';
import type { StyledLine } from '../lines.js';
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
    ['?', 'help'],
    ['q', 'quit'],
  ],
  detail: [
    ['↑↓', 'scroll'],
    ['esc', 'back'],
    ['e', 'export'],
    ['?', 'help'],
    ['q', 'quit'],
  ],
  range: [],
  filter: [
    ['⏎', 'keep'],
    ['esc', 'undo'],
  ],
  help: [
    ['esc', 'back'],
    ['q', 'quit'],
  ],
  export: [
    ['⏎', 'write'],
    ['esc', 'cancel'],
  ],
};

export function barLine(p: Omit<Props, 'width' | 'theme'>): StyledLine {
  if (p.mode === 'filter') {
    return [
      { text: '/', role: 'key' },
      { text: sanitize(p.filter) },
      { text: '▏', role: 'key' },
      { text: '   domain, cause or hint · ⏎ keep · esc undo', role: 'muted' },
    ];
  }
  if (p.message !== null) return [{ text: sanitize(p.message.text), role: p.message.kind === 'error' ? 'error' : 'good' }];
  return HINTS[p.mode].flatMap(([k, what]): StyledLine => [
    { text: k, role: 'key' },
    { text: ` ${what}  `, role: 'muted' },
  ]);
}

export default function FilterBar({ width, theme, ...rest }: Props) {
  return <Line line={barLine(rest)} width={width} theme={theme} />;
}
