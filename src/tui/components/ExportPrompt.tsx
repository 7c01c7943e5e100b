/** Asks where to write the CSV of the current view; the path is prefilled with a default. */
import { Box } from 'ink';
import { sanitize } from '../../text/sanitize.js';
import { formatCount } from '../format.js';
import type { StyledLine } from '../lines.js';
import type { Theme } from '../theme.js';
import Line from './Line.js';

export interface Props {
  readonly path: string;
  /** Findings that will be written. */
  readonly rows: number;
  readonly width: number;
  readonly theme: Theme;
}

export function promptLines(path: string, rows: number): StyledLine[] {
  return [
    [
      { text: `Export the ${formatCount(rows)} finding${rows === 1 ? '' : 's'} of this view to CSV`, role: 'title' },
      { text: '  (⏎ write · esc cancel · ctrl-u clear)', role: 'muted' },
    ],
    [{ text: 'file: ', role: 'label' }, { text: sanitize(path) }, { text: '▏', role: 'key' }],
  ];
}

export default function ExportPrompt({ path, rows, width, theme }: Props) {
  return (
    <Box flexDirection="column">
      {promptLines(path, rows).map((l, i) => (
        <Line key={i} line={l} width={width} theme={theme} />
      ))}
    </Box>
  );
}
