/**
 * `maillog-doctor -f` without a terminal, through the built binary: one NDJSON line per
 * rejection as the log grows, across a rename rotation and a copytruncate, and on SIGTERM a
 * clean exit 0 with the final report (--json FILE) counting every line exactly once.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { assertFreshDist } from '../helpers/dist.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait-for.js';

// dist/ older than its sources fails here instead of testing yesterday's build (see helpers/dist.ts).
beforeAll(assertFreshDist);

/** A Postfix RCPT reject for recipient number `n` (user-unknown at example.com). */
const reject = (n: number): string =>
  `Nov 22 06:25:${String(n % 60).padStart(2, '0')} mx1 postfix/smtpd[4242]: NOQUEUE: reject: RCPT from unknown[192.0.2.${n % 250}]: ` +
  `550 5.1.1 <user${n}@example.com>: Recipient address rejected: User unknown in virtual alias table; ` +
  `from=<sender@remote.test> to=<user${n}@example.com> proto=ESMTP helo=<remote.test>`;
/** A line that is recognised but no problem. */
const noise = (n: number): string => `Nov 22 06:25:00 mx1 postfix/smtpd[4242]: connect from unknown[192.0.2.${n % 250}]`;

/** Probe recipients (user100…) sent until the follower shows it is running. */
const PROBE_RE = /user1\d\d@/;

const block = (from: number, to: number): string => {
  let s = '';
  for (let n = from; n <= to; n++) s += reject(n) + '\n' + noise(n) + '\n';
  return s;
};

let dir = '';
let child: ReturnType<typeof spawn> | null = null;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('maillog-doctor -f (no terminal)', () => {
  test('NDJSON per rejection across rename and copytruncate; SIGTERM ends with 143 and exact counts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-follow-cli-'));
    const log = join(dir, 'mail.log');
    const report = join(dir, 'final.json');
    writeFileSync(log, block(1, 20));
    child = spawn(process.execPath, [BIN, '-f', '--format', 'json', '--json', report, log], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => child!.on('close', (code) => resolve(code)));
    const printed = () => out.split('\n').filter((l) => l !== '').length;

    await waitFor(() => printed() === 20, 'the 20 rejections already in the file', 10_000, 25);
    appendFileSync(log, block(21, 40));
    await waitFor(() => printed() === 40, 'rejections 21-40', 10_000, 25);

    // logrotate's default: rename, new file; a few lines still go to the old one first.
    appendFileSync(log, block(41, 45));
    renameSync(log, log + '.1');
    appendFileSync(log + '.1', block(46, 50));
    writeFileSync(log, block(51, 70));
    await waitFor(() => printed() === 70, 'rejections up to 70 after the rename', 10_000, 25);

    // copytruncate.
    copyFileSync(log, log + '.2');
    truncateSync(log, 0);
    await new Promise((r) => setTimeout(r, 600));
    appendFileSync(log, block(71, 90));
    await waitFor(() => printed() === 90, 'rejections up to 90 after the copytruncate', 10_000, 25);

    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(err).toBe('');

    const lines = out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(90);
    expect(lines.map((l) => l.recipient)).toEqual(Array.from({ length: 90 }, (_, i) => `user${i + 1}@example.com`));
    expect(Object.keys(lines[0])).toEqual([
      'time',
      'mta',
      'host',
      'direction',
      'cause',
      'hint',
      'rule',
      'recipient',
      'sender',
      'client',
      'smtpCode',
      'enhancedStatus',
      'text',
    ]);
    expect(lines[0]).toMatchObject({
      mta: 'postfix',
      host: 'mx1',
      direction: 'inbound',
      cause: 'user-unknown',
      hint: 'virtual_alias_maps',
      rule: 'postfix.inbound.virtual-alias-unknown',
      sender: 'sender@remote.test',
      client: '192.0.2.1',
      smtpCode: 550,
      enhancedStatus: '5.1.1',
    });

    const final = JSON.parse(readFileSync(report, 'utf8'));
    expect(final.summary.linesRead).toBe(180);
    expect(final.summary.eventsByKind.reject).toBe(90);
    expect(final.findings.reduce((n: number, f: { count: number }) => n + f.count, 0)).toBe(90);
    expect(final.findings[0]).toMatchObject({ recipientDomain: 'example.com', cause: 'user-unknown', count: 90 });
    // One entry per generation of the file: the first, after the rename, after the truncation.
    expect(final.summary.files.map((f: { lines: number }) => f.lines)).toEqual([100, 40, 40]);
    // Which file each rotation made.
    expect(final.summary.followRotations.map((r: { to: string; reason: string }) => [r.to, r.reason])).toEqual([
      [log + '.1', 'rename'],
      [log + '.2', 'truncate'],
    ]);
    expect(final.summary.followRotations[0].path).toBe(log);
  });

  test('--from-end prints only what is appended; plain lines without --format', async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-follow-cli-'));
    const log = join(dir, 'mail.log');
    writeFileSync(log, block(1, 5));
    child = spawn(process.execPath, [BIN, '-f', '--from-end', log], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => child!.on('close', (code) => resolve(code)));
    // Lines appended before the follower has started would count as history: probe with
    // appended problems until one is printed (bounded), so a slow start cannot hide them.
    for (let k = 0; k < 40 && !PROBE_RE.test(out); k++) {
      appendFileSync(log, block(100 + k, 100 + k));
      await new Promise((r) => setTimeout(r, 250));
    }
    await waitFor(() => PROBE_RE.test(out), 'the follower to print appended lines', 10_000, 25);
    appendFileSync(log, block(6, 6) + 'Nov 22 06:25:59 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[192.0.2.9]: 550 5.1.1 <e\u001b[31mvil@example.com>: Recipient address rejected: User unknown in virtual alias table; from=<a@b.test> to=<e\u001b[31mvil@example.com> proto=ESMTP helo=<x>\n');
    await waitFor(() => out.includes('evil@example.com'), 'the appended lines', 10_000, 25);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const lines = out.trimEnd().split('\n').filter((l) => !PROBE_RE.test(l));
    expect(lines).toHaveLength(2);
    expect(out).not.toMatch(/to=<user[1-5]@/); // history was skipped
    expect(lines[0]).toMatch(
      /^\S+ mx1 postfix inbound user-unknown virtual_alias_maps 550 5\.1\.1 to=<user6@example\.com> from=<sender@remote\.test> client=192\.0\.2\.6 rule=postfix\.inbound\.virtual-alias-unknown: /,
    );
    expect(lines[1]).toContain('to=<evil@example.com>');
    expect(out).not.toContain('\u001b');
  });

  test('-f on a log that does not exist yet waits for it (said once), then reads it from its start', async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-follow-cli-'));
    const log = join(dir, 'mail.log');
    child = spawn(process.execPath, [BIN, '-f', '--format', 'json', log], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => child!.on('close', (code) => resolve(code)));
    await waitFor(() => err.includes('waiting for'), 'the waiting message', 10_000, 25);
    expect(err).toBe(`maillog-doctor: waiting for ${log} to appear\n`);
    // Two lines only: the format is decided when the file appears, not after 20 lines.
    writeFileSync(log, block(1, 1));
    await waitFor(() => out.split('\n').filter((l) => l !== '').length === 1, 'the first rejection', 10_000, 25);
    appendFileSync(log, block(2, 2));
    await waitFor(() => out.split('\n').filter((l) => l !== '').length === 2, 'the appended rejection', 10_000, 25);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(out.trimEnd().split('\n').map((l) => JSON.parse(l).recipient)).toEqual(['user1@example.com', 'user2@example.com']);
    expect(err).toBe(`maillog-doctor: waiting for ${log} to appear\n`);
  });

  test('a followed syslog whose first 5,000 lines are other programs\' still yields its mail problems', async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-follow-cli-'));
    const log = join(dir, 'syslog');
    let others = '';
    for (let n = 0; n < 5000; n++) others += `Nov 22 06:25:00 mx1 CRON[${n}]: (root) CMD (run-parts /etc/cron.hourly)\n`;
    writeFileSync(log, others + block(1, 1));
    child = spawn(process.execPath, [BIN, '-f', '--format', 'json', log], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => child!.on('close', (code) => resolve(code)));
    await waitFor(() => out.includes('user1@example.com'), 'the rejection after 5,000 other lines', 10_000, 25);
    appendFileSync(log, block(2, 2));
    await waitFor(() => out.includes('user2@example.com'), 'the appended rejection', 10_000, 25);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(out.trimEnd().split('\n').map((l) => JSON.parse(l).recipient)).toEqual(['user1@example.com', 'user2@example.com']);
  });

  test('--fail-on N stops following with 3 once N problems were seen', async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-follow-cli-'));
    const log = join(dir, 'mail.log');
    writeFileSync(log, block(1, 2));
    child = spawn(process.execPath, [BIN, '-f', '--fail-on', '5', '--format', 'json', log], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child!.on('close', (code) => resolve(code)));
    await new Promise((r) => setTimeout(r, 500));
    appendFileSync(log, block(3, 9));
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 10_000))]);
    expect(code).toBe(3);
  });

  test('a log caught up with on the reader thread prints what one thread prints, then follows on', async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-follow-cli-'));
    const log = join(dir, 'mail.log');
    // 3,000 rejections: more than one batch of the thread; the last line is still being written.
    const whole = block(1, 3000);
    const cut = whole.length - 40;
    const runOnce = async (threads: string): Promise<string> => {
      writeFileSync(log, whole.slice(0, cut));
      child = spawn(process.execPath, [BIN, '-f', '--fail-on', '3010', '--format', 'json', log], {
        cwd: ROOT,
        env: { ...process.env, TZ: 'UTC', MAILLOG_DOCTOR_THREADS: threads },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
      const exited = new Promise<number | null>((resolve) => child!.on('close', (code) => resolve(code)));
      await waitFor(() => out.split('\n').length > 2999, 'the log read so far', 20_000, 25);
      appendFileSync(log, whole.slice(cut) + block(3001, 3010));
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 20_000))]);
      expect(code).toBe(3);
      return out;
    };
    const one = await runOnce('1');
    const two = await runOnce('2');
    expect(two.trimEnd().split('\n')).toHaveLength(3010);
    expect(two).toBe(one);
  });

  test('usage: --from-end needs -f; -f takes one file; a gzip file cannot be followed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-follow-cli-'));
    const { run } = await import('../helpers/cli.js');
    const a = await run(['--from-end', 'samples/postfix/mail.log']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--from-end goes with -f');
    const b = await run(['-f', 'samples/postfix/mail.log.1', 'samples/postfix/mail.log']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('-f follows one file');
    const c = await run(['-f', 'samples/postfix/mail.log.2.gz']);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain('gzip');
  });
});
