/**
 * Hostile and broken input through the real executable, and signals. Each case has the outcome
 * README's "What it does with bad input" documents.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { assertFreshDist } from '../helpers/dist.js';
import { ReportSchema } from '../../src/report/schema.js';
import { BIN, ROOT, run } from '../helpers/cli.js';

// dist/ older than its sources fails here instead of testing yesterday's build (see helpers/dist.ts).
beforeAll(assertFreshDist);

const REJECT = (n: number, extra = '') =>
  `Nov 22 06:25:${String(n % 60).padStart(2, '0')} mx1 postfix/smtpd[123]: NOQUEUE: reject: RCPT from c.example.net[192.0.2.10]: 550 5.1.1 <u${n}@example.org>: Recipient address rejected: User unknown in virtual alias table${extra}; from=<a@example.net> to=<u${n}@example.org> proto=ESMTP helo=<c.example.net>`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mld-hostile-'));
});

describe('broken input', () => {
  test('a 10 MB single line is counted as oversized and unrecognised; the lines around it are read', async () => {
    const p = join(dir, 'tenmb.log');
    writeFileSync(p, `${REJECT(1)}\nNov 22 06:25:02 mx1 postfix/smtpd[1]: ${'A'.repeat(10 * 1024 * 1024)}\n${REJECT(2)}\n`);
    const r = await run([p, '--format', 'json']);
    expect(r.code).toBe(0);
    const s = ReportSchema.parse(JSON.parse(r.stdout)).summary;
    expect(s).toMatchObject({ linesRead: 3, linesRecognised: 2, linesUnrecognised: 1, oversizedLines: 1 });
  });

  test('gzip whose data is corrupt after a valid header: one line on stderr, exit 1', async () => {
    const good = gzipSync(Buffer.from(`${REJECT(1)}\n`.repeat(2000)));
    const bad = Buffer.from(good);
    for (let i = 20; i < bad.length - 8; i += 7) bad[i] = bad[i]! ^ 0x5a;
    const p = join(dir, 'corrupt.gz');
    writeFileSync(p, bad);
    const r = await run([p, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^maillog-doctor: .*corrupt\.gz: corrupt gzip data \([^)]+\) \(after \d+ lines\)\n$/);
    expect(() => ReportSchema.parse(JSON.parse(r.stdout))).not.toThrow();
  });

  test('a file deleted while it is read: the open file is read to its end', async () => {
    const p = join(dir, 'deleted.log');
    const lines = Array.from({ length: 200_000 }, (_, i) => REJECT(i)).join('\n') + '\n';
    writeFileSync(p, lines);
    const child = spawn(process.execPath, [BIN, p, '--format', 'json'], { cwd: ROOT, env: { ...process.env, TZ: 'UTC' } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    // Delete as soon as the process has the file open (bounded wait on /proc/PID/fd).
    const isOpen = () => {
      try {
        return readdirSync(`/proc/${child.pid}/fd`).some((fd) => {
          try {
            return readlinkSync(`/proc/${child.pid}/fd/${fd}`) === p;
          } catch {
            return false;
          }
        });
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 500 && !isOpen(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(isOpen()).toBe(true);
    rmSync(p);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(ReportSchema.parse(JSON.parse(out)).summary.linesRead).toBe(200_000);
  });

  test('Postfix and Exim lines mixed in one stream: the detected format is analysed, the other counted', async () => {
    const exim = '2026-11-22 06:25:03 H=(helo.example.net) [192.0.2.77] F=<x@example.net> rejected RCPT <nobody@example.org>: Unrouteable address';
    const p = join(dir, 'mixed.log');
    writeFileSync(p, Array.from({ length: 30 }, (_, i) => REJECT(i)).join('\n') + `\n${exim}\n${exim}\n`);
    const r = await run([p, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.summary.files[0]!.format).toBe('postfix');
    expect(report.summary.linesRecognised).toBe(30);
    expect(report.summary.linesUnrecognised).toBe(2);
  });
});

describe('hostile text never reaches the terminal raw', () => {
  test('escape sequences in a log line are stripped from the text report', async () => {
    const p = join(dir, 'escapes.log');
    const evil = REJECT(7).replace('helo=<c.example.net>', 'helo=<\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u009b1m>').replace('u7@example.org>:', 'u7@example.org\u001b[1A>:');
    writeFileSync(p, `${evil}\n`);
    const r = await run([p, '--width', '120']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('virtual_alias_maps');
    // no ESC, BEL or C1 control anywhere in what would be printed
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  test('CSV cells that a spreadsheet would run are neutralised', async () => {
    const p = join(dir, 'formula.log');
    const line = REJECT(3).replaceAll('u3@example.org', '=HYPERLINK("http://evil")@example.org');
    writeFileSync(p, `${line}\n`);
    const r = await run([p, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(r.stdout).toContain("'=HYPERLINK");
  });
});

describe('signals', () => {
  test.for(['SIGINT', 'SIGTERM'] as const)('%s mid-run: exit 130/143, no output file, no temp file left', async (signal) => {
    const out = join(dir, `report-${signal}.csv`);
    // stdin that stays open keeps the run reading until the signal comes; the unrecognised line
    // appearing in the --unrecognised file tells that the run is under way, however slow the start.
    const seen = join(dir, `unrecognised-${signal}.txt`);
    const child = spawn(process.execPath, [BIN, '-', '--csv', out, '--mta', 'postfix', '--unrecognised', seen], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.write(`${REJECT(1)}\nnot a log line\n`);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const started = () => existsSync(seen) && readFileSync(seen, 'utf8').includes('not a log line');
    for (let i = 0; i < 500 && !started(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(started()).toBe(true);
    child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(stderr).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes(`report-${signal}`))).toEqual([]);
  });
});

describe('nothing hangs', () => {
  /** Spawns the CLI; resolves with its exit code and how long after `kill` it took (bounded: SIGKILL after 5 s). */
  function spawnCli(args: string[]) {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), 5000);
    const closed = new Promise<number | null>((resolve) =>
      child.on('close', (c) => {
        clearTimeout(guard);
        resolve(c);
      }),
    );
    return { child, closed, out: () => stdout, err: () => stderr };
  }

  test.each(['SIGTERM', 'SIGINT'] as const)('a FIFO with no writer ends on %s within 1 s', async (signal) => {
    const fifo = join(dir, `nowriter-${signal}`);
    execFileSync('mkfifo', [fifo]);
    const good = join(dir, 'good-after-fifo.log');
    writeFileSync(good, `${REJECT(1)}\n`);
    const run = spawnCli([fifo, good, '--format', 'json']);
    // Until it has the FIFO open (and so is waiting on it): one of its descriptors names it.
    const waiting = () => {
      try {
        return readdirSync(`/proc/${run.child.pid}/fd`).some((fd) => {
          try {
            return readlinkSync(`/proc/${run.child.pid}/fd/${fd}`) === fifo;
          } catch {
            return false;
          }
        });
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 250 && !waiting(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(waiting()).toBe(true);
    expect(run.child.exitCode).toBeNull();
    const t0 = Date.now();
    run.child.kill(signal);
    expect(await run.closed).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  test('a FIFO is read once a writer comes; -f refuses one with a clear message', async () => {
    const fifo = join(dir, 'writer-comes');
    execFileSync('mkfifo', [fifo]);
    const run = spawnCli([fifo, '--format', 'json']);
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(fifo, `${REJECT(1)}\n${REJECT(2)}\n`);
    expect(await run.closed).toBe(0);
    expect(ReportSchema.parse(JSON.parse(run.out())).findings[0]!.count).toBe(2);

    const f = spawnCli(['-f', fifo]);
    expect(await f.closed).toBe(1);
    expect(f.err()).toMatch(/writer-comes: is not a regular file; -f follows log files/);
  });
});
