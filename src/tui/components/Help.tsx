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
  ['e', 'evidence: the finding’s log lines, read back from the files, each with its queue id (from the table or the detail pane)'],
  ['  / n N', 'in the evidence: search the lines (plain text, any case); next, previous match; Esc back'],
  ['Esc', 'back to the table; in the table, clear the filter (or dismiss a message)'],
  ['/', 'filter as you type: domain, cause, hint, MTA, rule, host, queue id, sender, recipient, client IP, code (all words must match)'],
  ['Tab  Shift-Tab', 'direction: all → inbound → outbound → local'],
  ['s', 'sort: impact → most recent → domain'],
  ['i', 'hide or show the informational findings (somebody else\'s doing: a stranger\'s typo, address guessing); * marks actionable ones'],
  ['t', 'time window: whole log → last 24 h → last hour (ending at the newest event, or now while following) → custom FROM..TO (UTC)'],
  ['w', 'export the current view to CSV (a folder gets the default name in it; an existing file asks y/n)'],
  ['o', 'traffic overview: totals, per hour, per domain, senders, SASL failures'],
  ['?', 'this help'],
  ['q  Ctrl-C', 'quit'],
];

export function helpLines(): StyledLine[] {
  const out: StyledLine[] = [[{ text: 'Keys', role: 'title' }]];
  for (const [k, what] of KEYS) out.push([{ text: `  ${k.padEnd(16)}`, role: 'key' }, { text: what }]);
  out.push([]);
  out.push([{ text: '! permanent failure (5xx)   * actionable (the fix is on this server)   + new while following   bold red: 550 5.1.1 user unknown', role: 'muted' }]);
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
