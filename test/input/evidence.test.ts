/**
 * Where each line starts (LineSplitter's offsets, through the pipeline into each finding's
 * evidence), and reading the lines back from there (src/input/evidence.ts): plain files, gzip,
 * CRLF, NUL bytes, lines longer than any read buffer, a line found by its number, stdin.
 */
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { EVIDENCE_LINE_MAX_BYTES, readEvidence } from '../../src/input/evidence.js';
import { LineSplitter } from '../../src/input/lines.js';
import { checkEvidence } from './evidence-check.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mld-evidence-'));
});

/** Every line's (number, offset) from LineSplitter for `data` pushed in chunks of `size`. */
function offsets(data: Buffer, size: number, start = 0): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const s = new LineSplitter(
    { line: (no, _b, _s, _e, _a, offset) => out.push([no, offset]), oversized: (no, _h, offset) => out.push([no, offset]) },
    start,
  );
  for (let at = 0; at < data.length; at += size) s.push(data.subarray(at, Math.min(data.length, at + size)));
  s.end();
  return out;
}

/** The expected offsets: each line starts after the previous newline of the data as written. */
function expected(data: Buffer, start = 0): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = 0;
  let no = 0;
  while (from < data.length) {
    out.push([++no, start + from]);
    const nl = data.indexOf(10, from);
    if (nl < 0) break;
    from = nl + 1;
  }
  return out;
}

describe('LineSplitter offsets', () => {
  const long = 'L'.repeat(300 * 1024);
  const data = Buffer.from(
    ['first line', 'crlf line\r', '\0\0\0after NULs', long, 'ünïcödé line', '', 'x'.repeat(1100 * 1024), 'last without newline'].join('\n'),
  );
  test.for([1, 7, 4096, 65536, 1 << 20])('chunks of %i bytes: each line starts after the newline before it', (size) => {
    expect(offsets(data, size)).toEqual(expected(data));
  });

  test('a splitter that starts in the middle of a file counts from there (follow mode)', () => {
    expect(offsets(data, 65536, 12345)).toEqual(expected(data, 12345));
  });
});

function write(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('readEvidence', () => {
  const lines = ['one', 'two\r', '\0\0three', 'y'.repeat(300 * 1024), 'five: the one after a long line', 'six'];
  const text = lines.join('\n') + '\n';
  const refs = (nos: number[], withOffset = true): number[] =>
    nos.flatMap((no) => [0, no, withOffset ? expected(Buffer.from(text))[no - 1]![1] : -1]);

  test('reads lines of a plain file at their offsets, without CR and NUL bytes, cut when long', async () => {
    const p = write('plain.log', text);
    const r = await readEvidence([p], refs([1, 2, 3, 4, 5, 6]));
    expect(r.unreadable).toEqual([]);
    expect(r.lines.map((l) => l.text)).toEqual(['one', 'two', 'three', 'y'.repeat(EVIDENCE_LINE_MAX_BYTES) + '…', lines[4], 'six']);
    expect(r.lines.map((l) => [l.index, l.line, l.file])).toEqual([1, 2, 3, 4, 5, 6].map((n, i) => [i, n, p]));
  });

  test('reads a gzip file by decompressing it up to the lines wanted', async () => {
    const p = write('rotated.log.2.gz', gzipSync(text));
    const r = await readEvidence([p], refs([5, 2]));
    expect(r.lines.map((l) => l.text)).toEqual([lines[4], 'two']);
  });

  test('finds a line by its number when its offset is unknown', async () => {
    const p = write('by-number.log', text);
    const r = await readEvidence([p], refs([6, 3], false));
    expect(r.lines.map((l) => l.text)).toEqual(['six', 'three']);
  });

  test('standard input cannot be read again: its lines are unreadable, with why', async () => {
    const r = await readEvidence(['-'], [0, 1, 0, 0, 2, 4]);
    expect(r.lines).toEqual([]);
    expect(r.unreadable).toEqual([{ file: '-', refs: 2, why: 'standard input cannot be read again' }]);
  });

  test('a file shorter than when it was read, or gone, is said so', async () => {
    const p = write('shrunk.log', text);
    truncateSync(p, 10);
    const gone = join(dir, 'gone.log');
    const r = await readEvidence([p, gone], [...refs([1, 6]), 1, 1, 0]);
    expect(r.lines.map((l) => l.text)).toEqual(['one']);
    expect(r.unreadable.map((u) => [u.file, u.refs])).toEqual([
      [p, 1],
      [gone, 1],
    ]);
  });
});

describe('a finding’s evidence, from the pipeline', () => {
  test('every finding’s lines read back from the files, gzip too (one thread)', { timeout: 60_000 }, () => checkEvidence(1));
});

describe('offsets in follow mode', () => {
  test('each generation’s lines have offsets in their own file, across a rename rotation', { timeout: 15_000 }, async () => {
    const { Follower } = await import('../../src/input/follow.js');
    const { appendFileSync, renameSync, readFileSync } = await import('node:fs');
    const log = join(dir, 'followed.log');
    writeFileSync(log, 'old 1\r\nold 2\n');
    const seen: Array<{ gen: number; text: string; offset: number }> = [];
    let gen = 0;
    const f = new Follower(log, { begin: () => void gen++, end: () => undefined, line: (text, _no, offset) => seen.push({ gen, text, offset }) }, { pollMs: 20 });
    await f.start();
    const until = async (n: number) => {
      for (let i = 0; i < 200 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      await until(2);
      appendFileSync(log, '\0\0old 3\n');
      await until(3);
      renameSync(log, log + '.1');
      writeFileSync(log, 'new 1\nnew 2 longer\n');
      await until(5);
    } finally {
      await f.stop();
    }
    const lineAt = (file: string, offset: number) => {
      const b = readFileSync(file);
      const nl = b.indexOf(10, offset);
      return b.subarray(offset, nl).toString('latin1').replace(/\r$/, '').replaceAll('\0', '');
    };
    expect(seen.map((s) => s.text)).toEqual(['old 1', 'old 2', 'old 3', 'new 1', 'new 2 longer']);
    for (const s of seen) expect(lineAt(s.gen === 1 ? log + '.1' : log, s.offset)).toBe(s.text);
  });
});
