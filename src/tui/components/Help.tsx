/** The keys, one per line, scrolled (j/k, PgUp/PgDn, g/G) when taller than the height available. */
import { Box } from 'ink';
import type { StyledLine } from '../lines.js';
import type { Theme } from '../theme.js';
import { scrolledLines } from './DetailPane.js';
import Line from './Line.js';

export interface Props {
  readonly width: number;
  readonly height: number;
  /** First line shown. */
  readonly scroll?: number;
  readonly theme: Theme;
}

const KEYS: Array<[string, string]> = [
  ['↑ ↓  j k', 'move through the findings (in the detail pane and this help: scroll)'],
  ['PgUp PgDn  g G', 'a page up or down; first, last (in the detail pane: top, bottom)'],
  ['Enter', 'detail of the finding: verify command, advice, timeline, recipients, senders, clients, examples'],
  ['x', 'in the detail pane: the next example line whole (wrapped); after the last, the detail again'],
  ['Esc', 'back to the table; in the table, clear the filter (or dismiss a message)'],
  ['/', 'filter as you type: recipient domain, cause, hint, MTA, rule or host (all words must match)'],
  ['Tab  Shift-Tab', 'direction: all → inbound → outbound → local'],
  ['s', 'sort: impact → most recent → domain'],
  ['t', 'time window: whole log → last 24 h → last hour (ending at the newest event, or now while following) → custom FROM..TO (UTC)'],
  ['e', 'export the current view to CSV (a folder gets the default name in it; an existing file asks y/n)'],
  ['?', 'this help'],
  ['q  Ctrl-C', 'quit'],
];

export function helpLines(): StyledLine[] {
  const out: StyledLine[] = [[{ text: 'Keys', role: 'title' }]];
  for (const [k, what] of KEYS) out.push([{ text: `  ${k.padEnd(16)}`, role: 'key' }, { text: what }]);
  out.push([]);
  out.push([{ text: '! permanent failure (5xx)   + new while following   bold red: 550 5.1.1 user unknown', role: 'muted' }]);
  return out;
}

export default function Help({ width, height, scroll = 0, theme }: Props) {
  return (
    <Box flexDirection="column">
      {scrolledLines(helpLines(), scroll, height)
        .map((l, i) => (
          <Line key={i} line={l} width={width} theme={theme} />
        ))}
    </Box>
  );
}
