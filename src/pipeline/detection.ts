/**
 * Format detection over the first lines of an input, shared by Analysis and the reader thread,
 * which must decide the same way.
 */
import { builtinParsers, FormatDetector } from '../../parsers/index.js';
import type { LogParser } from '../../parsers/types.js';

/**
 * Characters of lines held back while the format is undecided. Past it with no line claimed by
 * any parser, a file is read on with detection alone and read again once a parser is picked
 * (or to count its lines as unrecognised); stdin and pipes, which cannot be read again, count
 * the held lines as unrecognised and go on detecting.
 */
export const DETECT_BUFFER_CHARS = 4 * 1024 * 1024;

/** A line held during detection: its text, or the head of an oversized line. */
export type Held = string | { oversized: string };

/**
 * Format detection over the first lines of an input, as Analysis does it: every line is held
 * until a parser has DETECT_ENOUGH claims, DETECT_LINES were seen and some parser claimed one,
 * or the held lines pass DETECT_BUFFER_CHARS (then best() may be null: none was claimed).
 * Shared with the reader thread, which must decide the same way.
 */
export class Detection {
  private readonly detector = new FormatDetector(builtinParsers);
  held: Held[] = [];
  /** Where each held line starts in the input (-1: unknown). */
  heldAt: number[] = [];
  private heldChars = 0;

  /** Holds `text`; true when detection is over (take best() and the held lines). */
  add(text: string, offset = -1): boolean {
    this.held.push(text);
    this.heldAt.push(offset);
    this.heldChars += text.length;
    if (this.detector.add(text) !== null) return true;
    return this.heldChars > DETECT_BUFFER_CHARS || (this.detector.exhausted && this.detector.best() !== null);
  }

  /** Holds an oversized line (not looked at: it is never parsed); true when detection is over. */
  addOversized(head: string, offset = -1): boolean {
    this.held.push({ oversized: head });
    this.heldAt.push(offset);
    this.heldChars += head.length;
    return this.heldChars > DETECT_BUFFER_CHARS;
  }

  best(): LogParser | null {
    return this.detector.best();
  }

  /** The held lines, which are then forgotten (their offsets: takeOffsets() first). */
  take(): Held[] {
    const lines = this.held;
    this.held = [];
    this.heldAt = [];
    this.heldChars = 0;
    return lines;
  }

  /** The offsets of the held lines, in order (to read before take()). */
  takeOffsets(): number[] {
    return this.heldAt;
  }
}
