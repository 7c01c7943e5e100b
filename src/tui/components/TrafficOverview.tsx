/** The traffic overview (`o`): the text report's Traffic section, scrolled like the help screen. */
import { Box } from 'ink';
import type { TrafficReport } from '../../aggregate/types.js';
import { trafficLines } from '../../report/traffic-text.js';
import type { StyledLine } from '../lines.js';
import type { Theme } from '../theme.js';
import { scrolledLines } from './DetailPane.js';
import Line from './Line.js';

export interface Props {
  readonly traffic: TrafficReport;
  readonly width: number;
  readonly height: number;
  /** First line shown. */
  readonly scroll?: number;
  readonly theme: Theme;
}

/** Entries per list in the view (the text report shows 5). */
export const OVERVIEW_TOP = 10;

/** The overview's lines; what they say is computed by the analysis (src/aggregate/traffic.ts). */
export function overviewLines(traffic: TrafficReport, width: number): StyledLine[] {
  return trafficLines(traffic, width, { top: OVERVIEW_TOP }).map((text, i): StyledLine => [
    i === 0 ? { text: `${text} (o or Esc: back to the findings)`, role: 'title' } : { text },
  ]);
}

export default function TrafficOverview({ traffic, width, height, scroll = 0, theme }: Props) {
  return (
    <Box flexDirection="column">
      {scrolledLines(overviewLines(traffic, width), scroll, height).map((l, i) => (
        <Line key={i} line={l} width={width} theme={theme} />
      ))}
    </Box>
  );
}
