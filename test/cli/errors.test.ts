/**
 * Bad input and usage through the real executable: one line on stderr naming the file, the other
 * inputs still processed, documented exit codes, never a stack trace.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { ReportSchema } from '../../src/report/schema.js';
import { BIN, run } from '../helpers/cli.js';

const GOOD = [
  'Nov 22 06:25:01 mx1 postfix/smtpd[123]: connect from client.example.net[192.0.2.10]',
  'Nov 22 06:25:02 mx1 postfix/smtpd[123]: NOQUEUE: reject: RCPT from client.example.net[192.0.2.10]: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual alias table; from=<a@example.net> to=<nobody@example.org> proto=ESMTP helo=<client.example.net>',
  'Nov 22 06:25:03 mx1 postfix/smtpd[123]: NOQUEUE: reject: RCPT from client.example.net[192.0.2.10]: 550 5.1.1 <ghost@example.org>: Recipient address rejected: User unknown in virtual alias table; from=<a@example.net> to=<ghost@example.org> proto=ESMTP helo=<client.example.net>',
  'Nov 22 06:25:04 mx1 postfix/smtpd[123]: disconnect from client.example.net[192.0.2.10] ehlo=1 mail=1 rcpt=0/2 quit=1 commands=3/5',
].join('\n') + '\n';

let dir: string;
let good: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mld-cli-'));
  good = join(dir, 'mail.log');
  writeFileSync(good, GOOD);
});

const noStack = (stderr: string) => {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/Error:/);
};

describe('exit codes and one-line errors', () => {
  test('a readable log: exit 0, JSON report valid against the schema', async () => {
    const r = await run([good, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ rank: 1, direction: 'inbound', recipientDomain: 'example.org', cause: 'user-unknown', hint: 'virtual_alias_maps', count: 2, distinctRecipients: 2 });
  });

  test('a missing file: named on stderr, the other file still reported, exit 1', async () => {
    const r = await run([join(dir, 'nope.log'), good, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`maillog-doctor: ${join(dir, 'nope.log')}: no such file or directory\n`);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.findings[0]!.count).toBe(2);
    expect(report.summary.files.map((f) => [f.format, f.error ?? null])).toEqual([
      ['unknown', 'no such file or directory'],
      ['postfix', null],
    ]);
  });

  test('a directory without log files: named on stderr, exit 1', async () => {
    const empty = join(dir, 'empty-dir');
    mkdirSync(empty, { recursive: true });
    const r = await run([empty, good]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`maillog-doctor: ${empty}: is a directory with no log files in it (*.log, mainlog, maillog, mail.log.1, …)\n`);
    expect(r.stdout).toContain('virtual_alias_maps');
  });

  test('a directory of logs is read file by file, oldest first', async () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs, { recursive: true });
    const newer = join(logs, 'a-newer.log');
    const older = join(logs, 'z-older.log');
    writeFileSync(newer, GOOD);
    writeFileSync(older, GOOD);
    writeFileSync(join(logs, 'notes.txt'), 'not a log\n');
    utimesSync(older, new Date('2026-11-20T00:00:00Z'), new Date('2026-11-20T00:00:00Z'));
    utimesSync(newer, new Date('2026-11-21T00:00:00Z'), new Date('2026-11-21T00:00:00Z'));
    const r = await run([logs, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.summary.files.map((f) => f.path)).toEqual([older, newer]);
    expect(report.findings[0]!.count).toBe(4);
  });

  test('no read permission', async () => {
    const secret = join(dir, 'secret.log');
    writeFileSync(secret, GOOD);
    chmodSync(secret, 0o000);
    chmodSync(dir, 0o755);
    // root reads everything: run as nobody then (the CI runs as root).
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = await run([secret, good], asNobody);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`maillog-doctor: ${secret}: permission denied\n`);
    noStack(r.stderr);
  });

  test('a truncated .gz keeps the lines before the damage', async () => {
    const many = GOOD.repeat(400);
    const gz = gzipSync(Buffer.from(many));
    const cut = join(dir, 'mail.log.2.gz');
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await run([cut, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^maillog-doctor: .*mail\.log\.2\.gz: corrupt gzip data \(unexpected end of file\) \(after \d+ lines\)\n$/);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.summary.linesRead).toBeGreaterThan(4);
    expect(report.summary.linesRead).toBeLessThan(1600);
    expect(report.summary.files[0]!.format).toBe('postfix (gzip)');
  });

  test('a whole .gz is read like the plain file', async () => {
    const gzPath = join(dir, 'whole.gz');
    writeFileSync(gzPath, gzipSync(Buffer.from(GOOD)));
    const [a, b] = await Promise.all([run([gzPath, '--format', 'json']), run([good, '--format', 'json'])]);
    expect(a.code).toBe(0);
    const ra = JSON.parse(a.stdout);
    const rb = JSON.parse(b.stdout);
    expect(ra.findings).toEqual(rb.findings);
  });

  test('binary junk is not a mail log: exit 1, its lines unrecognised, no crash', async () => {
    const junk = join(dir, 'junk.bin');
    const bytes = Buffer.alloc(64 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    writeFileSync(junk, bytes);
    const r = await run([junk, good, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^maillog-doctor: .*junk\.bin: not a (?:[A-Z][a-z]+, )*[A-Z][a-z]+ or [A-Z][a-z]+ log: no line recognised in the 257 lines \(65536 bytes\) read \(force a format with --mta\)\n$/);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    const junkFile = report.summary.files[0]!;
    expect(junkFile.unrecognised).toBe(junkFile.lines);
    expect(report.findings[0]!.count).toBe(2);
  });

  test('stdin with -', async () => {
    const r = await run(['-', '--format', 'json'], { input: GOOD });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings[0].count).toBe(2);
  });

  test('piped stdin without any file argument', async () => {
    const r = await run(['--format', 'json'], { input: GOOD });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.files[0].path).toBe('-');
  });

  test('usage errors exit 2', async () => {
    const bad = await run(['--format', 'xml', good]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'xml' is invalid");
    expect((await run(['--bogus', good])).code).toBe(2);
    expect((await run(['--year', 'soon', good])).code).toBe(2);
    const by = await run(['--by', 'mta', good]);
    expect([by.code, by.stderr.includes("argument 'mta' is invalid")]).toEqual([2, true]);
    expect((await run(['--local-domains', 'a.test,not a domain', good])).code).toBe(2);
    expect((await run(['-', '-'], { input: GOOD })).code).toBe(2);
  });

  test('--local-domains makes a hosted domain’s next-hop refusal local', async () => {
    // A 5.1.1 relayed back through a next hop on loopback: outbound unless the domain is ours.
    const line =
      'Dec  4 17:40:49 vm postfix-mx/smtp[5590]: 4jgzL93k86zJHp0: to=<ghost@partner.test>, relay=127.0.0.1[127.0.0.1]:41197, delay=0.07, delays=0.02/0/0/0.05, dsn=5.1.1, status=bounced (host 127.0.0.1[127.0.0.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command))\n';
    const key = async (args: string[]) => {
      const f = ReportSchema.parse(JSON.parse((await run(['--format', 'json', ...args, '-'], { input: line })).stdout)).findings[0]!;
      return [f.direction, f.recipientDomain, f.cause, f.hint];
    };
    expect(await key([])).toEqual(['outbound', 'partner.test', 'user-unknown', 'remove the address from lists']);
    expect(await key(['--local-domains', 'other.test, Partner.Test'])).toEqual(['local', 'partner.test', 'user-unknown', 'relay_recipient_maps']);
  });

  test('--help exits 0 and documents the file order', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('maillog-doctor /var/log/mail.log.2.gz /var/log/mail.log.1 /var/log/mail.log');
    expect(r.stdout).toContain('read in the order given');
  });

  test('--fail-on exits 3 when the threshold is reached, 0 below it', async () => {
    expect((await run([good, '--fail-on', '2'])).code).toBe(3);
    expect((await run([good, '--fail-on', '3'])).code).toBe(0);
  });

  test('--unrecognised writes the lines not understood with file and line number', async () => {
    const mixed = join(dir, 'mixed.log');
    writeFileSync(mixed, GOOD + 'Nov 22 06:26:00 mx1 postfix/smtpd[123]: a message Postfix never wrote\nir/)\n');
    const out = join(dir, 'unrecognised.txt');
    const r = await run([mixed, '--unrecognised', out]);
    expect(r.code).toBe(0);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(out, 'utf8')).toBe(
      `${mixed}:5: Nov 22 06:26:00 mx1 postfix/smtpd[123]: a message Postfix never wrote\n${mixed}:6: ir/)\n`,
    );
    // It was given: the report says where the lines are instead of suggesting the option.
    expect(r.stdout).toContain(`2 lines were not recognised; they are in ${out}.`);
    expect(r.stdout).not.toContain('run with --unrecognised');
  });

  test('| head: a closed pipe ends the run quietly', async () => {
    const { spawnSync } = await import('node:child_process');
    const big = join(dir, 'big.log');
    writeFileSync(big, GOOD.repeat(2000));
    const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/maillog-doctor "${big}" --format json | head -c 10`], {
      cwd: new URL('../../', import.meta.url),
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('{\n  "summa');
    expect(r.stderr).toBe('');
  });
});

describe('file names that are not UTF-8', () => {
  test('open as an argument and inside a folder, and are shown escaped', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'mld-bytes-'));
    const nameBytes = Buffer.concat([Buffer.from('mail'), Buffer.from([0xff, 0xfe]), Buffer.from('.log')]);
    writeFileSync(Buffer.concat([Buffer.from(sub + '/'), nameBytes]), GOOD);
    const shown = join(sub, 'mail\\xff\\xfe.log');
    // Arguments as bytes need a shell: spawn() encodes its arguments as UTF-8.
    const viaShell = (arg: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('sh', ['-c', `exec "$0" "$1" "$(printf "${arg}")" --format json`, process.execPath, BIN], {
          env: { ...process.env, TZ: 'UTC' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    for (const r of [await viaShell(`${sub}/mail\\377\\376.log`), await viaShell(sub)]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.summary.files.map((f: { path: string }) => f.path)).toEqual([shown]);
      expect(report.findings[0].count).toBe(2);
    }
  });

  test('output files (--json=, --json, --csv, -o, --unrecognised) are written under their exact bytes, shown escaped', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'mld-bytes-out-'));
    const log = join(sub, 'in.log');
    writeFileSync(log, GOOD + 'not a mail line at all\n');
    const shell = (args: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('sh', ['-c', `cd "$2" && exec "$0" "$1" ${args}`, process.execPath, BIN, sub], {
          env: { ...process.env, TZ: 'UTC' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const byte = (name: string) => `"$(printf -- '${name}')"`;
    const r = await shell(
      `${byte('--json=e\\377q.json')} --csv ${byte('r\\377.csv')} -o ${byte(`${sub}/r\\377.txt`)} --unrecognised ${byte('u\\377.txt')} in.log`,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const names = readdirSync(sub, { encoding: 'buffer' }).map((b) => b.toString('latin1')).sort();
    expect(names).toEqual(['e\xffq.json', 'in.log', 'r\xff.csv', 'r\xff.txt', 'u\xff.txt'].sort());
    const at = (latin1: string) => readFileSync(Buffer.concat([Buffer.from(sub + '/'), Buffer.from(latin1, 'latin1')]), 'utf8');
    expect(JSON.parse(at('e\xffq.json')).findings[0].count).toBe(2);
    expect(at('r\xff.csv').split('\n')[0]).toContain('rank');
    expect(at('u\xff.txt')).toBe(`in.log:${GOOD.split('\n').length}: not a mail line at all\n`);
    // The text report names the --unrecognised file as it is shown: escaped.
    expect(at('r\xff.txt')).toContain('u\\xff.txt');
    // A failure names it escaped too.
    const bad = await shell(`--json ${byte('nowhere/r\\377.json')} in.log`);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('nowhere/r\\xff.json: could not write the report');
  });
});
