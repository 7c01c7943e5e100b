/**
 * LineSplitter (the reader thread's byte splitter) must cut exactly the lines split2 cuts, with
 * the same text once decoded, whatever the chunking, when the caller reuses one buffer for every
 * chunk; AsciiWindows must decode the same across its window edges (lines longer than a window,
 * lines cut by a window's end).
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import split2 from 'split2';
import { AsciiWindows, decodeLine, forEachLine, LineSplitter, MAX_LINE_BYTES } from '../../src/input/lines.js';
import { runs } from '../helpers/runs.js';

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

/** The reference: split2 (Node's usual line splitter) on the data without its NUL bytes. */
async function split2Lines(data: Buffer): Promise<string[]> {
  const lines: string[] = [];
  const clean = Buffer.from(data.filter((b) => b !== 0));
  for await (const l of Readable.from([clean]).pipe(split2())) lines.push(l as string);
  return lines;
}

const lineArb = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', ' ', ':', '<', '>', '\r'), maxLength: 200 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(WINDOW - 1), 'y'.repeat(WINDOW), 'z'.repeat(WINDOW + 1), 'w'.repeat(3 * WINDOW + 7)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('latin1')) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 * WINDOW }).map((n) => '\0'.repeat(n) + 'after NULs') },
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
      { numRuns: runs(150) },
    );
  });

  it('forEachLine gives what LineSplitter gives, and counts the NUL bytes it dropped', async () => {
    const data = Buffer.from('a\0b\r\n\0\0\0\0c\n\0\nlast\0');
    const lines: string[] = [];
    expect(await forEachLine(Readable.from([data]), (l) => lines.push(l))).toEqual({ lines: 4, nulBytes: 7 });
    expect(lines).toEqual(['ab', 'c', '', 'last']);
  });

  it('hands on a line over MAX_LINE_BYTES as oversized (its head), for any chunking, holding at most the limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(-1, 0, 1, 2, 5 * 1024 * 1024), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 4096, max: 3 * 1024 * 1024 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (excess, sizes, crlf) => {
          // Lines just under, at and over the limit, each followed by a short one.
          const lines = excess.flatMap((e, i) => [String(i).padEnd(MAX_LINE_BYTES + e, 'x'), `short ${i}`]);
          const data = Buffer.from(lines.join(crlf ? '\r\n' : '\n'), 'latin1');
          const got: Array<[number, string]> = [];
          const splitter = new LineSplitter({
            line: (no, b, s, e) => got.push([no, e - s > 100 ? `long ${e - s}` : b.toString('latin1', s, e)]),
            oversized: (no, head) => got.push([no, `oversized ${head.length} ${head.slice(0, 2)}`]),
          });
          let at = 0;
          for (let i = 0; at < data.length; i++) {
            const n = Math.min(sizes[i % sizes.length]!, data.length - at);
            splitter.push(data.subarray(at, at + n));
            at += n;
            expect((splitter as unknown as { pendingBytes: number }).pendingBytes).toBeLessThanOrEqual(MAX_LINE_BYTES + 1);
          }
          splitter.end();
          const want = lines.map((l, i): [number, string] => {
            if (l.length > MAX_LINE_BYTES) return [i + 1, `oversized 200 ${l.slice(0, 2)}`];
            return [i + 1, l.length > 100 ? `long ${l.length}` : l];
          });
          expect(got).toEqual(want);
        },
      ),
      { numRuns: runs(25) },
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
