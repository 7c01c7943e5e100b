/**
 * LineSplitter (the reader thread's byte splitter) must cut exactly the lines split2 cuts, with
 * the same text once decoded, whatever the chunking, when the caller reuses one buffer for every
 * chunk; AsciiWindows must decode the same across its window edges (lines longer than a window,
 * lines cut by a window's end).
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsciiWindows, decodeLine, forEachLine, LineSplitter } from '../../src/input/lines.js';

const WINDOW = 64 * 1024;

/** The lines LineSplitter gives for `data` pushed in chunks of `sizes` (cycled), through one reused buffer. */
function splitReused(data: Buffer, sizes: number[]): Array<[string, number, boolean]> {
  const out: Array<[string, number, boolean]> = [];
  const splitter = new LineSplitter((no, bytes, start, end, ascii) => {
    // The bytes handed out are the line's own, without its newline or a CR before it.
    const line = decodeLine(bytes, start, end, ascii);
    expect(line).toBe(bytes.toString('utf8', start, end));
    // `ascii` may be false for an ASCII line of a chunk that is not all ASCII; never the reverse.
    if (ascii) expect(bytes.subarray(start, end).every((c) => c < 0x80)).toBe(true);
    out.push([line, no, ascii]);
  });
  const reused = Buffer.alloc(Math.max(...sizes));
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, data.length - at);
    data.copy(reused, 0, at, at + n);
    splitter.push(reused.subarray(0, n));
    reused.fill(0x58); // what the splitter kept must not have pointed into the buffer
    at += n;
  }
  expect(splitter.end()).toBe(out.length);
  return out;
}

async function split2Lines(data: Buffer): Promise<string[]> {
  const lines: string[] = [];
  await forEachLine(Readable.from([data]), (l) => lines.push(l));
  return lines;
}

const lineArb = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', ' ', ':', '<', '>', '\r'), maxLength: 200 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(WINDOW - 1), 'y'.repeat(WINDOW), 'z'.repeat(WINDOW + 1), 'w'.repeat(3 * WINDOW + 7)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('latin1')) },
);

describe('LineSplitter', () => {
  it('cuts what split2 cuts, for any chunking, reusing one buffer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { maxLength: 40 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 3 * WINDOW }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (lines, binary, sizes, finalNewline) => {
          const text = lines.join('\n') + (finalNewline ? '\n' : '');
          // Lines of arbitrary bytes (invalid UTF-8 included) or of text written as UTF-8.
          const data = binary ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
          const got = splitReused(data, sizes);
          expect(got.map((g) => g[0])).toEqual(await split2Lines(data));
          expect(got.map((g) => g[1])).toEqual(got.map((_, i) => i + 1));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives a line that spans chunks, a CRLF line and a last line without newline', () => {
    const data = Buffer.from('first\r\nsecond line that spans\nthird\r');
    expect(splitReused(data, [3]).map((g) => g[0])).toEqual(['first', 'second line that spans', 'third\r']);
  });
});

describe('AsciiWindows', () => {
  const buf = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i} ${'.'.repeat(i % 97)}`).join('\n') + '\n', 'latin1');

  it('slices every line as toString would, window after window', () => {
    const w = new AsciiWindows(buf);
    let start = 0;
    let n = 0;
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
      expect(w.slice(start, nl)).toBe(buf.toString('latin1', start, nl));
      start = nl + 1;
      n++;
    }
    expect(n).toBe(5000);
    expect(start).toBe(buf.length);
  });

  it('serves ranges out of order and longer than a window', () => {
    const w = new AsciiWindows(buf);
    expect(w.slice(buf.length - 10, buf.length)).toBe(buf.toString('latin1', buf.length - 10));
    expect(w.slice(0, 4)).toBe('line');
    expect(w.slice(10, 10 + 2 * WINDOW)).toBe(buf.toString('latin1', 10, 10 + 2 * WINDOW));
    const long = Buffer.from('q'.repeat(3 * WINDOW) + '\nend\n');
    const lw = new AsciiWindows(long);
    expect(lw.slice(0, 3 * WINDOW)).toBe('q'.repeat(3 * WINDOW));
    expect(lw.slice(3 * WINDOW + 1, 3 * WINDOW + 4)).toBe('end');
  });
});
