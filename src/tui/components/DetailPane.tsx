/**
 * The detail of one finding (lines from detail-lines.ts), scrolled to `scroll` and cut to
 * `height` lines; a last line says when there is more.
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

export function visibleDetail(lines: readonly StyledLine[], scroll: number, height: number): StyledLine[] {
  if (height <= 0) return [];
  const start = Math.max(0, Math.min(scroll, Math.max(0, lines.length - height)));
  if (lines.length - start <= height) return lines.slice(start);
  const shown = lines.slice(start, start + height - 1);
  const rest = lines.length - start - shown.length;
  return [...shown, [{ text: `↓ ${rest} more line${rest === 1 ? '' : 's'} (j/k, PgDn)`, role: 'muted' }]];
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
