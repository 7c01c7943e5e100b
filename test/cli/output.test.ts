/**
 * Every write is checked: the report to stdout or -o, --csv, --json and --unrecognised that
 * cannot be written whole gives one line naming the target and exit 1; a reader that went away
 * (`| head`) stays quiet with exit 0. And the options that shape the output.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { writeAllSync } from '../../src/report/output.js';
import { ReportSchema } from '../../src/report/schema.js';
import { BIN, ROOT, run } from '../helpers/cli.js';

const LINES = [
  'Nov 22 06:25:01 mx1 postfix/smtpd[123]: connect from client.example.net[192.0.2.10]',
  'Nov 22 06:25:02 mx1 postfix/smtpd[123]: NOQUEUE: reject: RCPT from client.example.net[192.0.2.10]: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual alias table; from=<a@example.net> to=<nobody@example.org> proto=ESMTP helo=<client.example.net>',
  'Nov 22 06:25:03 mx1 postfix/smtpd[123]: a line Postfix never wrote \u001b[31m red \u202e',
];

let dir: string;
let log: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mld-output-'));
  log = join(dir, 'mail.log');
  writeFileSync(log, LINES.join('\n') + '\n');
});

const FULL = 'no space left on the device';

/** Runs the executable through sh, for redirections `run` cannot make (`>&-`, `>/dev/full`). */
function sh(script: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync('sh', ['-c', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', FORCE_COLOR: '0', MLD: `"${process.execPath}" "${BIN}"`, LOG: log, ...env },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const MLD = `"${process.execPath}" "${BIN}"`;

describe('a write that fails is an error naming its target', () => {
  test('-o /dev/full: exit 1, and the device is still a device', async () => {
    const r = await run([log, '-o', '/dev/full']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`maillog-doctor: /dev/full: could not write the report: ${FULL} (write, ENOSPC)\n`);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  test('stdout redirected to /dev/full: exit 1', () => {
    for (const format of ['text', 'json', 'csv']) {
      const r = sh(`${MLD} "$LOG" --format ${format} >/dev/full`);
      expect([r.code, r.stderr]).toEqual([1, `maillog-doctor: standard output: could not write the report: ${FULL} (ENOSPC)\n`]);
    }
  });

  test('follow mode printing to a full stdout: stops with exit 1 at the first line', () => {
    const r = sh(`${MLD} -f - --format json <"$LOG" >/dev/full`);
    expect([r.code, r.stderr]).toEqual([1, `maillog-doctor: standard output: could not write the report: ${FULL} (ENOSPC)\n`]);
  });

  test('--unrecognised /dev/full: exit 1, the report is still printed', async () => {
    const r = await run([log, '--format', 'json', '--unrecognised', '/dev/full']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`maillog-doctor: /dev/full: could not write the unrecognised lines: ${FULL} (ENOSPC)\n`);
    expect(ReportSchema.parse(JSON.parse(r.stdout)).summary.linesUnrecognised).toBe(1);
  });

  test('--unrecognised in a folder that does not exist: exit 1 before reading', async () => {
    const r = await run([log, '--unrecognised', join(dir, 'no', 'such.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`maillog-doctor: ${join(dir, 'no', 'such.txt')}: cannot write the unrecognised lines: no such file or directory\n`);
  });

  test('--csv /dev/full and --json /dev/full: exit 1, each named', async () => {
    for (const opt of ['--csv', '--json']) {
      const r = await run([log, opt, '/dev/full', '--format', 'json']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`maillog-doctor: /dev/full: could not write the report: ${FULL} (write, ENOSPC)\n`);
      expect(() => ReportSchema.parse(JSON.parse(r.stdout))).not.toThrow();
    }
  });

  test('closed stdout: exit 1 with one line, not a report thrown away', () => {
    const r = sh(`${MLD} "$LOG" >&-`);
    expect([r.code, r.stderr]).toEqual([1, 'maillog-doctor: standard output: it is closed, so the report cannot be written (use -o FILE)\n']);
  });

  test('closed stdout is no error when the report goes to -o', () => {
    const out = join(dir, 'closed-o.json');
    const r = sh(`${MLD} "$LOG" --format json -o "${out}" >&-`);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(() => ReportSchema.parse(JSON.parse(readFileSync(out, 'utf8')))).not.toThrow();
  });

  test('stdout to /dev/null by choice is no error', () => {
    expect(sh(`${MLD} "$LOG" >/dev/null`)).toMatchObject({ code: 0, stderr: '' });
  });

  test('EPIPE: a reader that went away before the report is written is quiet, exit 0', () => {
    // `true` exits at once, so the report is written to a pipe without a reader.
    const r = sh(`(sleep 0.3; ${MLD} "$LOG" --format json; echo "exit $?" >&2) | true`);
    expect(r.stderr).toBe('exit 0\n');
  });
});

describe('writeAllSync', () => {
  test('goes on after short writes until every byte is written', () => {
    const got: number[] = [];
    const short = (_fd: number, buf: Uint8Array, off: number, len: number): number => {
      const n = Math.min(len, 3);
      got.push(...buf.subarray(off, off + n));
      return n;
    };
    writeAllSync(1, 'hello, world', short);
    expect(Buffer.from(got).toString()).toBe('hello, world');
  });

  test('a write that stops making progress is ENOSPC, not a silent truncation', () => {
    let calls = 0;
    const stuck = (_fd: number, _b: Uint8Array, _o: number, len: number): number => (++calls === 1 ? len - 2 : 0);
    expect(() => writeAllSync(1, 'hello', stuck)).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
  });

  test('writes a real file whole', () => {
    const p = join(dir, 'all.txt');
    const fd = openSync(p, 'w');
    writeAllSync(fd, 'x'.repeat(300_000));
    closeSync(fd);
    expect(statSync(p).size).toBe(300_000);
  });
});

describe('--unrecognised file', () => {
  test('escapes control characters and bidi overrides (\\x1b, \\u202e)', async () => {
    const out = join(dir, 'u.txt');
    const r = await run([log, '--unrecognised', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(`${log}:3: Nov 22 06:25:03 mx1 postfix/smtpd[123]: a line Postfix never wrote \\x1b[31m red \\u202e\n`);
  });
});

describe('options', () => {
  test('--width below 40 is a usage error; 40 works', async () => {
    const r = await run([log, '--width', '39']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--width must be at least 40');
    const ok = await run([log, '--width', '40']);
    expect(ok.code).toBe(0);
    // Every line fits, but for the lines of a verify command, which are broken only where a paste
    // still works and never cut (test/report/text.test.ts checks those).
    const all = ok.stdout.split('\n');
    const verify = new Set<number>();
    all.forEach((l, i) => {
      if (l.includes('verify:  ') || (i > 0 && verify.has(i - 1) && all[i - 1]!.endsWith(' \\'))) verify.add(i);
    });
    expect(all.filter((l, i) => l.length > 40 && !verify.has(i))).toEqual([]);
  });

  test('--fail-on 0 is a usage error', async () => {
    const r = await run([log, '--fail-on', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--fail-on must be at least 1');
  });

  test('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, `${version}\n`, '']);
    }
  });

  test('a bad option value is quoted on stderr without its control characters', async () => {
    const r = await run([log, '--width', '4\u001b]0;pwned\u0007\u202e']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/[\u001b\u0007\u202e]/);
  });

  test('NO_COLOR (non-empty) turns colours off like --no-color; empty does not', () => {
    // `script` gives the run a terminal, where the text report is coloured.
    const cmd = (env: string) => sh(`${env} script -qec '${MLD} "$LOG" --no-tui' /dev/null`);
    expect(cmd('FORCE_COLOR=1').stdout).toContain('\u001b[1;31m');
    expect(cmd('NO_COLOR=1').stdout).not.toContain('\u001b[');
    expect(cmd('NO_COLOR=').stdout).toContain('\u001b[1;31m');
  });

  test('one of everything is singular', async () => {
    const r = await run([log]);
    expect(r.stdout).toMatch(/^1 finding from 1 rejection, bounce or deferral;/);
    expect(r.stdout).toContain('1 line was not recognised; run with --unrecognised FILE to see it.');
    expect(r.stdout).not.toMatch(/\b1 (?:events|findings|lines|rows)\b/);
  });
});
