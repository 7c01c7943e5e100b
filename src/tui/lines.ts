/**
 * Styled lines as data: a line is a list of segments, each with a semantic role from the
 * theme. Layout (cutting to a width) happens here, in plain TypeScript; components/Line.tsx
 * only renders segments. Segment text is expected to be sanitised already.
 */
import { displayWidth, truncate } from '../text/width.js';
import type { Theme } from './theme.js';

export type Role = keyof Theme;

export interface Segment {
  text: string;
  role?: Role;
}

export type StyledLine = Segment[];

/** Cut a line to `width` columns, ending in `…` when anything was cut. */
export function fitLine(line: StyledLine, width: number): StyledLine {
  const out: StyledLine = [];
  let used = 0;
  for (const seg of line) {
    const w = displayWidth(seg.text);
    if (used + w <= width) {
      out.push(seg);
      used += w;
      continue;
    }
    const room = width - used;
    if (room > 0) out.push({ ...seg, text: truncate(seg.text, room) });
    break;
  }
  return out;
}

export const lineWidth = (line: StyledLine): number => line.reduce((w, s) => w + displayWidth(s.text), 0);

export const plainText = (line: StyledLine): string => line.map((s) => s.text).join('');

/** Segments joined with a separator segment between them. */
export function joinSegments(parts: StyledLine[], sep: Segment): StyledLine {
  const out: StyledLine = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(sep);
    out.push(...p);
  });
  return out;
}
