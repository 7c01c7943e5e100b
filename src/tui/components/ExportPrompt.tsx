/**
 * Asks where to write the CSV of the current view; the path is prefilled with a default. After
 * a failure it shows why, above the path as typed; for an existing file it asks y/n first.
 */
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
  /** Why the last try failed. */
  readonly error?: string | null;
  /** The existing file it would replace (asking y/n). */
  readonly replace?: string | null;
  readonly width: number;
  readonly theme: Theme;
}

export function promptLines(path: string, rows: number, error: string | null = null, replace: string | null = null): StyledLine[] {
  const file: StyledLine = [{ text: 'file: ', role: 'label' }, { text: sanitize(path) }, { text: '▏', role: 'key' }];
  if (replace !== null) {
    return [
      [
        { text: `${sanitize(replace)} exists. Replace it?`, role: 'title' },
        { text: '  (y replace · n or esc back to the path)', role: 'muted' },
      ],
      file,
    ];
  }
  if (error !== null) {
    return [[{ text: sanitize(error), role: 'error' }, { text: '  (⏎ retry · esc cancel · ctrl-u clear)', role: 'muted' }], file];
  }
  return [
    [
      { text: `Export the ${formatCount(rows)} finding${rows === 1 ? '' : 's'} of this view to CSV`, role: 'title' },
      { text: '  (⏎ write · esc cancel · ctrl-u clear)', role: 'muted' },
    ],
    file,
  ];
}

export default function ExportPrompt({ path, rows, error = null, replace = null, width, theme }: Props) {
  return (
    <Box flexDirection="column">
      {promptLines(path, rows, error, replace).map((l, i) => (
        <Line key={i} line={l} width={width} theme={theme} />
      ))}
    </Box>
  );
}
