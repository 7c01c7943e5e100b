/** Asks for the custom time window of `t`: FROM..TO in UTC; a rejected entry is said in place of the hint. */
import { Box } from 'ink';
import { sanitize } from '../../text/sanitize.js';
import type { StyledLine } from '../lines.js';
import type { Theme } from '../theme.js';
import Line from './Line.js';

export interface Props {
  readonly input: string;
  /** Why the last Enter was not taken. */
  readonly error: string | null;
  readonly width: number;
  readonly theme: Theme;
}

export function rangePromptLines(input: string, error: string | null): StyledLine[] {
  const first: StyledLine =
    error === null
      ? [
          { text: 'Time window FROM..TO in UTC: YYYY-MM-DD HH:MM or HH:MM, a side may be empty', role: 'title' },
          { text: '  (⏎ apply · esc cancel)', role: 'muted' },
        ]
      : [{ text: `! ${sanitize(error)}`, role: 'error' }, { text: '  (⏎ apply · esc cancel)', role: 'muted' }];
  return [first, [{ text: 'range: ', role: 'label' }, { text: sanitize(input) }, { text: '▏', role: 'key' }]];
}

export default function RangePrompt({ input, error, width, theme }: Props) {
  return (
    <Box flexDirection="column">
      {rangePromptLines(input, error).map((l, i) => (
        <Line key={i} line={l} width={width} theme={theme} />
      ))}
    </Box>
  );
}
