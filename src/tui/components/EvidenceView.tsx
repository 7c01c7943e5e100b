/**
 * The evidence view: which finding, how many of its lines these are (and what could not be
 * read), then the lines (evidence-view.ts) scrolled to `scroll`, with a last line saying when
 * there are more.
 */
import { Box } from 'ink';
import type { StyledLine } from '../lines.js';
import type { Theme } from '../theme.js';
import { scrolledLines } from './DetailPane.js';
import Line from './Line.js';

export interface Props {
  /** The finding, as the detail pane names it. */
  readonly title: StyledLine;
  readonly notes: readonly string[];
  /** Null while reading. */
  readonly lines: readonly StyledLine[] | null;
  readonly scroll: number;
  /** The search n/N look for ('' for none). */
  readonly query: string;
  readonly height: number;
  readonly width: number;
  readonly theme: Theme;
}

/** Lines above the log lines: the title and the notes. */
export const EVIDENCE_HEAD_LINES = 2;

export default function EvidenceView({ title, notes, lines, scroll, query, height, width, theme }: Props) {
  const about: StyledLine = [{ text: notes.join(' · '), role: 'muted' }];
  if (query !== '') about.push({ text: `  search: ${query} (n/N)`, role: 'key' });
  const body = lines === null ? [] : scrolledLines(lines, scroll, height - EVIDENCE_HEAD_LINES);
  return (
    <Box flexDirection="column">
      <Line line={title} width={width} theme={theme} />
      <Line line={about} width={width} theme={theme} />
      {body.map((l, i) => (
        <Line key={i} line={l} width={width} theme={theme} />
      ))}
    </Box>
  );
}
