/**
 * --journal through the built executable, with a stub journalctl on PATH that records its
 * arguments and prints the Postfix sample as `journalctl -o json` would (the reading itself:
 * test/input/journal.test.ts).
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { installedMailUnits } from '../../src/input/journal.js';
import { run } from '../helpers/cli.js';
import { journalOfSample } from '../input/journal-sample.js';

const dir = mkdtempSync(join(tmpdir(), 'mld-journal-'));
const jsonFile = join(dir, 'journal.json');
writeFileSync(jsonFile, journalOfSample().json);

describe('--journal', () => {
  const stubDir = mkdtempSync(join(tmpdir(), 'mld-stub-'));
  const stub = join(stubDir, 'journalctl');
  writeFileSync(stub, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "$STUB_ARGV"\ncat "$STUB_DATA"\n');
  chmodSync(stub, 0o755);
  const env = (argv: string) => ({ ...process.env, TZ: 'UTC', FORCE_COLOR: '0', PATH: `${stubDir}:${process.env.PATH}`, STUB_ARGV: argv, STUB_DATA: jsonFile });

  test('runs journalctl with an argument vector and reads its output', async () => {
    const argv = join(dir, 'argv1');
    const r = await run(['--journal', '--since', '2026-11-22T06:00Z', '--until', '2026-11-23', '--format', 'json'], { env: env(argv) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(argv, 'utf8').split('\n').filter(Boolean)).toEqual([
      '-o', 'json', '--no-pager', '--all', ...installedMailUnits().map((u) => `--unit=${u}`), '--since=@1795327200', '--until=@1795392000',
    ]);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings.length).toBeGreaterThan(10);
    expect(doc.summary.files[0].format).toBe('postfix');
    expect(doc.summary.window.since).toBe('2026-11-22T06:00:00.000Z');
  }, 30_000);

  test('-f is passed on; the problems are printed as they are read', async () => {
    const argv = join(dir, 'argv2');
    const r = await run(['--journal', '-f', '--format', 'json'], { env: env(argv) });
    expect(r.code).toBe(0);
    expect(readFileSync(argv, 'utf8').split('\n').filter(Boolean).slice(-2)).toEqual(['--follow', '--lines=all']);
    const first = JSON.parse(r.stdout.split('\n')[0]!);
    expect(first).toMatchObject({ mta: 'postfix', host: 'mx1' });
  }, 30_000);

  test('a missing journalctl is one line, exit 1; log files with it are a usage error', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'mld-nopath-'));
    const r = await run(['--journal'], { env: { ...process.env, PATH: empty } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('maillog-doctor: journalctl: not found (is systemd installed? otherwise name the log file)\n');
    const u = await run(['--journal', 'samples/postfix/mail.log']);
    expect(u.code).toBe(2);
  }, 30_000);
});
