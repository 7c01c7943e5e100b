/**
 * The Follower under fast rotation, against a writer in a child process: not a unit test (the
 * rest of the Follower's tests are in test/input/follow.test.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Follower } from '../../src/input/follow.js';
import { waitFor } from '../helpers/wait-for.js';

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

describe('Follower under fast rotation: what is read plus what is counted as lost is what was written', () => {
  /**
   * A writer in a child process (so that it does not wait for the follower): `lines` numbered
   * lines at about 200,000 a second, rotating every `every` lines by rename (kept as
   * mail.log.N) or by copytruncate (copied to mail.log.N, then truncated). Resolves with the
   * bytes written to the path; killed after 20 s at most.
   */
  function writer(path: string, mode: 'rename' | 'copytruncate', lines: number, every: number): Promise<number> {
    const script = `
      const fs = require('node:fs');
      const [path, mode, lines, every] = [process.argv[1], process.argv[2], +process.argv[3], +process.argv[4]];
      let fd = fs.openSync(path, 'a');
      let written = 0, n = 0, k = 0;
      const t0 = Date.now();
      while (n < lines) {
        // 2,000 lines per 10 ms: 200,000 a second.
        while (Date.now() - t0 < (n / 200000) * 1000) {}
        let chunk = '';
        for (let i = 0; i < 2000 && n < lines; i++, n++) {
          chunk += 'Nov 22 06:25:01 mx1 postfix/smtpd[1]: line ' + n + '\\n';
          if ((n + 1) % every === 0) {
            fs.writeSync(fd, chunk); written += Buffer.byteLength(chunk); chunk = '';
            k++;
            if (mode === 'rename') { fs.closeSync(fd); fs.renameSync(path, path + '.' + k); fd = fs.openSync(path, 'a'); }
            else { fs.copyFileSync(path, path + '.' + k); fs.truncateSync(path, 0); }
          }
        }
        if (chunk) { fs.writeSync(fd, chunk); written += Buffer.byteLength(chunk); }
      }
      fs.closeSync(fd);
      process.stdout.write(String(written));
    `;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script, path, mode, String(lines), String(every)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('close', (code) => {
        clearTimeout(guard);
        if (code === 0) resolve(Number(out));
        else reject(new Error(`writer exited with ${code}`));
      });
    });
  }

  // Every line written is read exactly once or counted as lost, whatever the way of rotating:
  // copytruncate's rest is read from the copy, generations that came and went between two reads
  // from their copies or renamed files. A line is only ever handed on whole.
  const LINE_RE = /^Nov 22 06:25:01 mx1 postfix\/smtpd\[1\]: line (\d+)$/;
  test.each(['rename', 'copytruncate'] as const)('%s at 200,000 lines a second, a rotation every 50 ms', async (mode) => {
    const path = setup('');
    let readBytes = 0;
    let lostBytes = 0;
    const numbers = new Set<number>();
    const twice: number[] = [];
    const partial: string[] = [];
    follower = new Follower(
      path,
      {
        begin: () => undefined,
        end: () => undefined,
        line: (t) => {
          readBytes += Buffer.byteLength(t) + 1;
          const m = LINE_RE.exec(t);
          if (!m) return void partial.push(t.slice(0, 80));
          const n = Number(m[1]);
          if (numbers.has(n)) twice.push(n);
          numbers.add(n);
        },
        lost: (n) => (lostBytes += n),
      },
      { pollMs: 250 },
    );
    await follower.start();
    const written = await writer(path, mode, 200_000, 10_000);
    await waitFor(() => readBytes + lostBytes >= written, 'the follower to account for every byte', 10_000).catch((e) => {
      throw new Error(`${e.message}: read ${readBytes} + lost ${lostBytes} of ${written}, ${numbers.size} lines`);
    });
    // Nothing more arrives later (no copy read twice after the count was reached).
    await new Promise((r) => setTimeout(r, 4 * 250));
    expect(partial).toEqual([]);
    expect(twice).toEqual([]);
    expect(readBytes + lostBytes).toBe(written);
    expect(follower.rotations).toBeGreaterThanOrEqual(19);
  }, 40_000);
});
