/**
 * The ranked findings, one line each, fitted to `width`: mark, rank, MTA and host (when the run
 * holds several), messages, count (in the time window), trend sparkline, direction, codes,
 * recipient domain, cause, hint. The 550 family
 * is bold red, other permanent failures red, temporary codes yellow; the cursor row is inverse,
 * and with `marker` (no colour) also marked `>` in a column of its own. When starts or reloads
 * of the MTA fall in the trend's span, the trend column's heading shows their marks instead of
 * its name, over the bars of their hour or minute.
 * Shows exactly the rows it is given: App.tsx windows them to the terminal height.
 */
import { Box, Text } from 'ink';
import { runShape } from '../../report/text.js';
import type { Role, StyledLine } from '../lines.js';
import type { Row } from '../state.js';
import { cellsOf, headerCells, layoutCells, tableLayout, type Column } from '../table-layout.js';
import { fit } from '../../text/width.js';
import { severityOf, type Theme } from '../theme.js';
import Line from './Line.js';

export interface TableRow {
  readonly row: Row;
  /** The trend column's sparkline (already the column's width or shorter). */
  readonly spark: string;
}

export interface Props {
  readonly rows: readonly TableRow[];
  /** Index in `rows` of the cursor; null for none. */
  readonly selected: number | null;
  /** A `>` column for the selected row (no colour: inverse video may not reach the terminal). */
  readonly marker?: boolean;
  readonly width: number;
  readonly theme: Theme;
  /** Column layout; by default fitted to `rows`. */
  readonly columns?: readonly Column[];
  /** Shown instead of rows when there are none. */
  readonly empty?: string;
  /** The marks of starts and reloads in the trend column's span (sparkline.ts markerRow); '' for none. */
  readonly trendMarks?: string;
}

export function rowLine(columns: readonly Column[], r: TableRow, selected = false): StyledLine {
  const severity = severityOf(r.row.finding);
  const rowRole = severity === 'temporary' ? undefined : severity;
  const line: StyledLine = [];
  const cells = cellsOf(r.row, r.spark);
  if (selected) cells.cursor = '>';
  for (const [gap, text, id] of layoutCells(columns, cells)) {
    if (gap) line.push({ text: gap });
    let role: Role | undefined = rowRole;
    if (id === 'mark' && r.row.isNew) role = 'fresh';
    else if (id === 'trend') role = 'barDone';
    else if (id === 'codes') role = severity;
    line.push({ text, role });
  }
  return line;
}

/** The header row; the trend column's name gives way to `trendMarks` when there are any. */
export function headerLine(columns: readonly Column[], trendMarks = ''): StyledLine {
  return headerCells(columns).map(([gap, text, id], i) =>
    id === 'trend' && trendMarks !== ''
      ? { text: gap + fit(trendMarks, columns[i]!.width), role: 'marker' as const }
      : { text: gap + text, role: 'label' as const },
  );
}

export default function FindingsTable({ rows, selected, marker = false, width, theme, columns, empty, trendMarks = '' }: Props) {
  const cols =
    columns ??
    tableLayout(
      width,
      rows.map((r) => cellsOf(r.row, r.spark)),
      undefined,
      { ...runShape(rows.map((r) => r.row.finding)), cursor: marker },
    );
  const header = headerLine(cols, trendMarks);
  return (
    <Box flexDirection="column">
      <Line line={header} width={width} theme={theme} />
      {rows.length === 0 ? (
        <Text wrap="truncate">{empty ?? 'No rejections, bounces or deferrals found.'}</Text>
      ) : (
        rows.map((r, i) => (
          <Line
            key={r.row.key}
            line={rowLine(cols, r, i === selected)}
            width={width}
            theme={theme}
            style={i === selected ? theme.selected : undefined}
          />
        ))
      )}
    </Box>
  );
}
