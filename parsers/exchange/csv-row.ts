/**
 * One physical line of an Exchange CSV log → its cells, with RFC 4180 quoting (commas and
 * doubled quotes inside message-subject, source-context and custom-data).
 *
 * csv-parse is the authority, but it is slow per row (bench/README.md, "Figures behind the
 * code"), and half the rows of a busy MSGTRK log quote a cell (STOREDRIVER's source-context holds commas). Rows in
 * plain RFC 4180 form — each cell either without any `"`, or wholly quoted with inner quotes
 * doubled — are cut here with indexOf; a row with anything else (a stray quote inside an
 * unquoted cell, text after a closing quote, an unclosed quote) goes to csv-parse, whose
 * relaxed rules decide it. test/parsers/exchange/csv-row.test.ts proves both give the same
 * cells. The record delimiter is given to csv-parse explicitly, which makes it spend much less
 * on line endings, and no line here has a line break.
 */
import { parse } from 'csv-parse/sync';

const OPTIONS = {
  delimiter: ',',
  record_delimiter: '\n',
  // Anonymisers and hand edits leave stray quotes inside unquoted cells (`250 2.0.0"OK`): keep them.
  relax_quotes: true,
  relax_column_count: true,
} as const;

const QUOTE = 34;
const COMMA = 44;

/** Cells of one row, or null when its quoting is broken (an opening quote never closed). */
export function csvCells(line: string): string[] | null {
  if (line.indexOf('"') < 0) return line.split(',');
  return plainCells(line) ?? csvParseCells(line);
}

/** The row's cells through csv-parse. */
export function csvParseCells(line: string): string[] | null {
  try {
    const records = parse(line, OPTIONS) as string[][];
    return records.length === 1 ? records[0]! : null;
  } catch {
    return null;
  }
}

/**
 * Where a row's cells are in plain RFC 4180 form, without making strings: a cell is [at, end)
 * of the line, its text with doubled quotes when `quoted`. The one cutter of plain rows, for
 * plainCells() and the fast path (fast.ts). Linear in the row.
 */
export class CellCuts {
  at = new Int32Array(64);
  end = new Int32Array(64);
  quoted = new Uint8Array(64);
  n = 0;

  /** False when the row is not in plain form (csv-parse decides it) or has over `max` cells. */
  cut(line: string, max = Infinity): boolean {
    let n = 0;
    let pos = 0;
    // The first quote at or after `pos` (-1: none left), found once rather than per cell.
    let quote = line.indexOf('"');
    for (;;) {
      if (n === max) return false;
      if (n === this.at.length) this.grow();
      if (pos === quote) {
        const close = closingQuote(line, pos + 1);
        if (close < 0) return false;
        this.at[n] = pos + 1;
        this.end[n] = close;
        this.quoted[n++] = 1;
        pos = close + 1;
        if (pos === line.length) break;
        if (line.charCodeAt(pos) !== COMMA) return false;
        quote = line.indexOf('"', pos);
      } else {
        const comma = line.indexOf(',', pos);
        const end = comma < 0 ? line.length : comma;
        if (quote >= 0 && quote < end) return false;
        this.at[n] = pos;
        this.end[n] = end;
        this.quoted[n++] = 0;
        if (comma < 0) break;
        pos = comma;
      }
      pos++;
    }
    this.n = n;
    return true;
  }

  /** Cell `i` of the row as csvCells() gives it ('' past the last cell or for i < 0). */
  text(line: string, i: number): string {
    if (i < 0 || i >= this.n) return '';
    return this.quoted[i] === 1 ? unquote(line, this.at[i]!, this.end[i]!) : line.slice(this.at[i], this.end[i]);
  }

  private grow(): void {
    const size = this.at.length * 2;
    const at = new Int32Array(size);
    const end = new Int32Array(size);
    const quoted = new Uint8Array(size);
    at.set(this.at);
    end.set(this.end);
    quoted.set(this.quoted);
    this.at = at;
    this.end = end;
    this.quoted = quoted;
  }
}

const plainCuts = new CellCuts();

/** Cells of a row in plain RFC 4180 form, or null when the row is not in it. Linear in the row. */
export function plainCells(line: string): string[] | null {
  if (!plainCuts.cut(line)) return null;
  const cells: string[] = new Array(plainCuts.n);
  for (let i = 0; i < plainCuts.n; i++) cells[i] = plainCuts.text(line, i);
  return cells;
}

/** Index of the quote that closes a cell whose text starts at `from` (`""` is a quote inside it), or -1. */
function closingQuote(line: string, from: number): number {
  for (;;) {
    const q = line.indexOf('"', from);
    if (q < 0 || line.charCodeAt(q + 1) !== QUOTE) return q;
    from = q + 2;
  }
}

function unquote(line: string, from: number, to: number): string {
  const text = line.slice(from, to);
  return text.indexOf('"') < 0 ? text : text.replaceAll('""', '"');
}
