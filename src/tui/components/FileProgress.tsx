/**
 * A progress bar per input while reading: bytes read of its size (compressed bytes for gzip),
 * lines per second, time left. Files not started yet say so; stdin has no size, so no bar.
 */
import { Box } from 'ink';
import { sanitize } from '../../text/sanitize.js';
import { displayWidth, fit, truncate } from '../../text/width.js';
import { formatBytes, formatCount, formatDuration, formatShort } from '../format.js';
import type { StyledLine } from '../lines.js';
import type { FileProgressView } from '../live.js';
import type { Theme } from '../theme.js';
import Line from './Line.js';

export interface Props {
  readonly files: readonly FileProgressView[];
  readonly width: number;
  readonly theme: Theme;
  /** Lines available; with more files, finished ones are summed up in one line. */
  readonly maxLines?: number;
}

const BAR = 20;

export function progressLine(f: FileProgressView, nameWidth: number): StyledLine {
  const name = fit(truncate(sanitize(f.path), nameWidth), nameWidth);
  const line: StyledLine = [{ text: name + '  ' }];
  const started = f.bytesRead !== null || f.lines > 0 || f.done;
  if (!started) return [...line, { text: 'waiting', role: 'muted' }];
  const rate = f.linesPerSec === null ? '' : `  ${formatShort(f.linesPerSec)} lines/s`;
  if (f.done) {
    return [...line, { text: 'done', role: 'good' }, { text: `  ${formatCount(f.lines)} ${f.lines === 1 ? 'line' : 'lines'}${rate}`, role: 'muted' }];
  }
  if (f.size !== null && f.size > 0 && f.bytesRead !== null) {
    const frac = Math.min(1, f.bytesRead / f.size);
    const filled = Math.round(frac * BAR);
    line.push(
      { text: '█'.repeat(filled), role: 'barDone' },
      { text: '░'.repeat(BAR - filled), role: 'barTodo' },
      { text: ` ${String(Math.floor(frac * 100)).padStart(3)}%` },
      { text: `  ${formatBytes(f.bytesRead)} of ${formatBytes(f.size)}${rate}`, role: 'muted' },
    );
    if (f.etaMs !== null) line.push({ text: `  ETA ${formatDuration(f.etaMs)}`, role: 'muted' });
  } else {
    line.push({ text: `${formatCount(f.lines)} ${f.lines === 1 ? 'line' : 'lines'}${rate}`, role: 'muted' });
  }
  return line;
}

export function progressLines(files: readonly FileProgressView[], width: number, maxLines: number): StyledLine[] {
  if (files.length === 0 || maxLines <= 0) return [];
  const nameWidth = Math.min(Math.max(8, ...files.map((f) => displayWidth(sanitize(f.path)))), Math.max(8, Math.floor(width / 3)));
  if (files.length <= maxLines) return files.map((f) => progressLine(f, nameWidth));
  // Too many files: the ones being read or waiting first, finished ones summed up.
  const done = files.filter((f) => f.done);
  const open = files.filter((f) => !f.done).slice(0, maxLines - 1);
  const summary: StyledLine = [
    { text: `${done.length} of ${files.length} files done, ${formatCount(done.reduce((n, f) => n + f.lines, 0))} lines`, role: 'muted' },
  ];
  return [summary, ...open.map((f) => progressLine(f, nameWidth))];
}

export default function FileProgress({ files, width, theme, maxLines = 4 }: Props) {
  const lines = progressLines(files, width, maxLines);
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Line key={i} line={l} width={width} theme={theme} />
      ))}
    </Box>
  );
}
