import { appendFileSync, copyFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { Follower, type FollowReason } from '../../src/input/follow.js';
import { waitFor } from '../helpers/wait-for.js';

const POLL_MS = 20;

const numbered = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);
const text = (lines: string[]): string => lines.map((l) => l + '\n').join('');

function collector() {
  const lines: string[] = [];
  const numbers: number[] = [];
  const begins: FollowReason[] = [];
  const ends: FollowReason[] = [];
  let caughtUp = false;
  return {
    lines,
    numbers,
    begins,
    ends,
    get caughtUp() {
      return caughtUp;
    },
    handlers: {
      begin: ({ reason }: { reason: FollowReason }) => begins.push(reason),
      line: (t: string, no: number) => {
        lines.push(t);
        numbers.push(no);
      },
      end: ({ reason }: { reason: FollowReason }) => ends.push(reason),
      caughtUp: () => {
        caughtUp = true;
      },
    },
  };
}

let dir = '';
let follower: Follower | null = null;
afterEach(async () => {
  await follower?.stop();
  follower = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function setup(initial = '') {
  dir = mkdtempSync(join(tmpdir(), 'md-follow-'));
  const path = join(dir, 'mail.log');
  writeFileSync(path, initial);
  return path;
}

describe('Follower', () => {
  test('reads what is there, then what is appended; a partial line waits for its newline', async () => {
    const path = setup(text(numbered(1, 3)));
    const c = collector();
    follower = new Follower(path, c.handlers, { pollMs: POLL_MS });
    await follower.start();
    await waitFor(() => c.caughtUp && c.lines.length === 3, 'the first 3 lines');
    appendFileSync(path, 'line 4\nline ');
    await waitFor(() => c.lines.length === 4, 'line 4');
    await new Promise((r) => setTimeout(r, 5 * POLL_MS));
    expect(c.lines).toEqual(numbered(1, 4)); // `line ` is held
    appendFileSync(path, '5\r\nline 6\n');
    await waitFor(() => c.lines.length === 6, 'lines 5 and 6');
    expect(c.lines).toEqual(numbered(1, 6));
    expect(c.numbers).toEqual([1, 2, 3, 4, 5, 6]);
    await follower.stop();
    expect(c.begins).toEqual(['open']);
    expect(c.ends).toEqual(['stop']);
  });

  test('--from-end skips what is there (from the start of an unfinished last line)', async () => {
    const path = setup(text(numbered(1, 3)) + 'line ');
    const c = collector();
    follower = new Follower(path, c.handlers, { pollMs: POLL_MS, fromEnd: true });
    await follower.start();
    await waitFor(() => c.caughtUp, 'catching up');
    appendFileSync(path, '4\nline 5\n');
    await waitFor(() => c.lines.length === 2, 'lines 4 and 5');
    expect(c.lines).toEqual(['line 4', 'line 5']);
  });

  test('rotation by rename: the old file is read to its end, then the new one; nothing lost or doubled', async () => {
    const path = setup(text(numbered(1, 100)));
    const c = collector();
    follower = new Follower(path, c.handlers, { pollMs: POLL_MS });
    await follower.start();
    await waitFor(() => c.lines.length === 100, 'the first 100 lines');
    // Lines written just before the rotation, and by a writer that still has the old file open
    // after it (syslog before its HUP), then the new file.
    appendFileSync(path, text(numbered(101, 150)));
    renameSync(path, path + '.1');
    appendFileSync(path + '.1', text(numbered(151, 160)));
    writeFileSync(path, '');
    await new Promise((r) => setTimeout(r, 3 * POLL_MS));
    appendFileSync(path + '.1', text(numbered(161, 170)));
    appendFileSync(path, text(numbered(171, 200)));
    await waitFor(() => c.lines.length >= 200, 'all 200 lines');
    await new Promise((r) => setTimeout(r, 5 * POLL_MS));
    expect(c.lines).toEqual(numbered(1, 200));
    expect(c.begins).toEqual(['open', 'rename']);
    expect(follower.rotations).toBe(1);
  });

  test('copytruncate: reading starts again at 0; nothing lost or doubled', async () => {
    const path = setup(text(numbered(1, 50)));
    const c = collector();
    follower = new Follower(path, c.handlers, { pollMs: POLL_MS });
    await follower.start();
    await waitFor(() => c.lines.length === 50, 'the first 50 lines');
    copyFileSync(path, path + '.1');
    truncateSync(path, 0);
    await new Promise((r) => setTimeout(r, 3 * POLL_MS));
    appendFileSync(path, text(numbered(51, 60)));
    await waitFor(() => c.lines.length >= 60, 'lines 51-60');
    await new Promise((r) => setTimeout(r, 5 * POLL_MS));
    expect(c.lines).toEqual(numbered(1, 60));
    expect(c.begins).toEqual(['open', 'truncate']);
    expect(c.numbers.slice(50)).toEqual(numbered(1, 10).map((_, i) => i + 1));
  });

  test('copytruncate with lines not read yet: the rest is read from the copy, nothing lost; the copy is named', async () => {
    const path = setup(text(numbered(1, 50)));
    const c = collector();
    const lost: number[] = [];
    const rotated: Array<[FollowReason, string | null]> = [];
    const handlers = { ...c.handlers, lost: (n: number) => lost.push(n), rotated: (r: { reason: FollowReason; to: string | null }) => rotated.push([r.reason, r.to]) };
    follower = new Follower(path, handlers, { pollMs: POLL_MS });
    await follower.start();
    await waitFor(() => c.lines.length === 50, 'the first 50 lines');
    // All at once (the follower's reads are asynchronous, so none falls in between): lines 51-60
    // are written, copied and truncated away before the follower can read them.
    appendFileSync(path, text(numbered(51, 60)) + 'line 6');
    copyFileSync(path, path + '.1');
    truncateSync(path, 0);
    appendFileSync(path, text(numbered(61, 70)));
    await waitFor(() => c.lines.length >= 70, 'lines 51-70');
    await new Promise((r) => setTimeout(r, 5 * POLL_MS));
    expect(c.lines).toEqual(numbered(1, 70));
    // Only the unfinished last line of the copy ('line 6', never ended) could not be read.
    expect(lost).toEqual([6]);
    expect(rotated).toEqual([['truncate', path + '.1']]);
  });

  test('a rename and a truncation while catching up with reads ahead: every line once, in order', async () => {
    // 100-byte reads of a 2,000-line file: the rename comes while reads are full (one is always
    // ahead, and the path is not looked at), the copytruncate of the new file after that.
    const path = setup(text(numbered(1, 2000)));
    const c = collector();
    const lost: number[] = [];
    follower = new Follower(path, { ...c.handlers, lost: (n) => lost.push(n) }, { pollMs: POLL_MS, chunkBytes: 100 });
    await follower.start();
    renameSync(path, path + '.1');
    appendFileSync(path + '.1', text(numbered(2001, 2010)));
    writeFileSync(path, text(numbered(2011, 3000)));
    await waitFor(() => c.lines.length === 3000, 'all 3,000 lines', 20_000);
    copyFileSync(path, path + '.2');
    truncateSync(path, 0);
    appendFileSync(path, text(numbered(3001, 3010)));
    await waitFor(() => c.lines.length >= 3010, 'lines after the copytruncate', 20_000);
    await new Promise((r) => setTimeout(r, 5 * POLL_MS));
    expect(c.lines).toEqual(numbered(1, 3010));
    expect(c.begins).toEqual(['open', 'rename', 'truncate']);
    expect(lost).toEqual([]);
  });

  test('no truncation is reported when the file only grows, or is rewritten with the same bytes', async () => {
    const path = setup(text(numbered(1, 20)));
    const c = collector();
    const lost: number[] = [];
    follower = new Follower(path, { ...c.handlers, lost: (n) => lost.push(n) }, { pollMs: POLL_MS, chunkBytes: 16 });
    await follower.start();
    for (let k = 21; k <= 60; k++) appendFileSync(path, text([`line ${k}`]));
    await waitFor(() => c.lines.length === 60, 'all 60 lines');
    writeFileSync(path, text(numbered(1, 60))); // same size, same bytes (an editor saving, a restore)
    await new Promise((r) => setTimeout(r, 5 * POLL_MS));
    appendFileSync(path, text(numbered(61, 62)));
    await waitFor(() => c.lines.length === 62, 'the appended lines');
    expect(c.lines).toEqual(numbered(1, 62));
    expect(c.begins).toEqual(['open']);
    expect(lost).toEqual([]);
    expect(follower.rotations).toBe(0);
  });

  test('truncated and grown past the old size within one poll: noticed by the bytes before the position', async () => {
    const path = setup(text(['aaaa', 'bbbb']));
    const c = collector();
    follower = new Follower(path, c.handlers, { pollMs: 200 });
    await follower.start();
    await waitFor(() => c.lines.length === 2, 'the first 2 lines');
    writeFileSync(path, text(['cccccccc', 'dddddddd'])); // truncate + rewrite, longer than before
    await waitFor(() => c.lines.length === 4, 'the rewritten lines', 3000);
    expect(c.lines).toEqual(['aaaa', 'bbbb', 'cccccccc', 'dddddddd']);
    expect(c.begins).toEqual(['open', 'truncate']);
  });

  test('delete and re-create', async () => {
    const path = setup(text(numbered(1, 10)));
    const c = collector();
    follower = new Follower(path, c.handlers, { pollMs: POLL_MS });
    await follower.start();
    await waitFor(() => c.lines.length === 10, 'the first 10 lines');
    appendFileSync(path, text(numbered(11, 12)));
    rmSync(path);
    await new Promise((r) => setTimeout(r, 3 * POLL_MS)); // the name is missing for a while
    writeFileSync(path, text(numbered(13, 20)));
    await waitFor(() => c.lines.length >= 20, 'all 20 lines');
    await new Promise((r) => setTimeout(r, 5 * POLL_MS));
    expect(c.lines).toEqual(numbered(1, 20));
    expect(c.begins).toEqual(['open', 'recreate']);
  });

  test('a last line without newline is never handed on: when its file is rotated away it is counted as lost', async () => {
    const path = setup('line 1\nline 2');
    const c = collector();
    const lost: Array<[number, string]> = [];
    follower = new Follower(path, { ...c.handlers, lost: (n, why) => lost.push([n, why]) }, { pollMs: POLL_MS });
    await follower.start();
    await waitFor(() => c.lines.length === 1, 'line 1');
    renameSync(path, path + '.1');
    writeFileSync(path, 'line 3\n');
    await waitFor(() => c.lines.length === 2, 'line 3');
    expect(c.lines).toEqual(['line 1', 'line 3']);
    expect(lost).toEqual([[6, 'a last line without its newline was cut off by a rotation']]);
    expect(follower.lostBytes).toBe(6);
  });

  test('invalid UTF-8 becomes U+FFFD; an over-long line is handed on by its head, the rest skipped; NULs counted', async () => {
    const path = setup('');
    const c = collector();
    const oversized: Array<[string, number]> = [];
    let nul = 0;
    const handlers = { ...c.handlers, oversized: (h: string, no: number) => oversized.push([h, no]), nulBytes: (n: number) => (nul += n) };
    follower = new Follower(path, handlers, { pollMs: POLL_MS, chunkBytes: 64 * 1024 });
    await follower.start();
    appendFileSync(path, Buffer.concat([Buffer.from('bad \xff byte\n\0\0', 'latin1'), Buffer.from('x'.repeat(3 * 1024 * 1024) + '\nafter\n')]));
    await waitFor(() => c.lines.length === 2, 'two lines', 10_000);
    expect(c.lines).toEqual(['bad \uFFFD byte', 'after']);
    expect(c.numbers).toEqual([1, 3]);
    expect(oversized).toEqual([['x'.repeat(200), 2]]);
    expect(nul).toBe(2);
  });

  test('a file that does not exist yet is waited for (said once), then read from its start', async () => {
    setup('');
    const path = join(dir, 'later.log');
    const c = collector();
    const warnings: string[] = [];
    follower = new Follower(path, { ...c.handlers, warning: (m) => warnings.push(m) }, { pollMs: POLL_MS, fromEnd: true });
    await follower.start();
    expect(warnings).toEqual([`waiting for ${path} to appear`]);
    await new Promise((r) => setTimeout(r, 3 * POLL_MS));
    expect(c.begins).toEqual([]);
    writeFileSync(path, text(numbered(1, 3)));
    await waitFor(() => c.lines.length === 3, 'the lines of the new file');
    appendFileSync(path, text(numbered(4, 5)));
    await waitFor(() => c.lines.length === 5, 'the appended lines');
    expect(c.lines).toEqual(numbered(1, 5));
    expect(c.begins).toEqual(['open']);
    expect(warnings).toHaveLength(1);
  });

  test('waiting for a file that never comes stops promptly', async () => {
    setup('');
    const c = collector();
    follower = new Follower(join(dir, 'never.log'), c.handlers, { pollMs: 10_000 });
    await follower.start();
    const t = Date.now();
    await follower.stop();
    expect(Date.now() - t).toBeLessThan(1000);
    expect(c.begins).toEqual([]);
    expect(c.ends).toEqual([]);
  });

  test('a block of 10 MB of NULs (a crash in an appended file) then a real line: the line is read, the NULs counted', async () => {
    const path = setup('line 1\n');
    const c = collector();
    let nul = 0;
    follower = new Follower(path, { ...c.handlers, nulBytes: (n) => (nul += n) }, { pollMs: POLL_MS });
    await follower.start();
    await waitFor(() => c.lines.length === 1, 'line 1');
    appendFileSync(path, Buffer.concat([Buffer.alloc(10 * 1024 * 1024), Buffer.from('line 2\n')]));
    await waitFor(() => c.lines.length === 2, 'the line after the NULs', 20_000);
    expect(c.lines).toEqual(['line 1', 'line 2']);
    expect(nul).toBe(10 * 1024 * 1024);
    expect(follower.lostBytes).toBe(0);
  }, 30_000);

  test('a folder, a gzip file or an unreadable path cannot be followed', async () => {
    const path = setup('');
    await expect(new Follower(join(path, 'under-a-file.log'), collector().handlers).start()).rejects.toThrow(InputError);
    await expect(new Follower(dir, collector().handlers).start()).rejects.toThrow(/is a directory/);
    writeFileSync(path, gzipSync('line\n'));
    await expect(new Follower(path, collector().handlers).start()).rejects.toThrow(/gzip/);
  });

  test('stop is prompt and idempotent', async () => {
    const path = setup('x\n');
    const c = collector();
    follower = new Follower(path, c.handlers, { pollMs: 10_000 });
    await follower.start();
    await waitFor(() => c.caughtUp, 'catching up');
    const t = Date.now();
    await follower.stop();
    await follower.stop();
    expect(Date.now() - t).toBeLessThan(1000);
    expect(c.ends).toEqual(['stop']);
  });
});
