/**
 * The detail of one finding (lines from detail-lines.ts), scrolled to `scroll` and cut to
 * `height` lines; a last line says when there is more. The first line (the finding's identity)
 * stays on top while the rest scrolls, so the user always sees which finding this is.
 */
import { Box } from 'ink';
import type { StyledLine } from '../lines.js';
import type { Theme } from '../theme.js';
import Line from './Line.js';

export interface Props {
  readonly lines: readonly StyledLine[];
  readonly scroll: number;
  readonly height: number;
  readonly width: number;
  readonly theme: Theme;
}

/** `height` lines from `scroll` on, the last saying how many more there are when not all fit. */
export function scrolledLines(lines: readonly StyledLine[], scroll: number, height: number): StyledLine[] {
  if (height <= 0) return [];
  const start = Math.max(0, Math.min(scroll, Math.max(0, lines.length - height)));
  if (lines.length - start <= height) return lines.slice(start);
  const shown = lines.slice(start, start + height - 1);
  const rest = lines.length - start - shown.length;
  return [...shown, [{ text: `↓ ${rest} more line${rest === 1 ? '' : 's'} (j/k, PgDn, G)`, role: 'muted' }]];
}

/** The pinned first line, then the rest scrolled by `scroll` (so the scroll range is unchanged). */
export function visibleDetail(lines: readonly StyledLine[], scroll: number, height: number): StyledLine[] {
  if (height <= 0 || lines.length === 0) return [];
  return [lines[0]!, ...scrolledLines(lines.slice(1), scroll, height - 1)];
}

export default function DetailPane({ lines, scroll, height, width, theme }: Props) {
  return (
    <Box flexDirection="column">
      {visibleDetail(lines, scroll, height).map((l, i) => (
        <Line key={i} line={l} width={width} theme={theme} />
      ))}
    </Box>
  );
}
