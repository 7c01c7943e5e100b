/**
 * A central syslog file that many hosts log into: every event keeps its host, `--by host`
 * gives each host's findings as if its log had been read alone, and the fleet view lists each
 * finding's hosts with their counts (JSON, and the text report's `hosts:` line).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding, Report } from '../../src/aggregate/types.js';
import { ROOT, run } from '../helpers/cli.js';

const HOSTS = ['mx-a', 'mx-b', 'mx-c'];
let dir: string;
let single: string;
let central: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mld-fleet-hosts-'));
  const text = readFileSync(join(ROOT, 'samples/postfix/mail.log'), 'utf8');
  single = join(dir, 'mx-a.log');
  writeFileSync(single, text.replaceAll(' mx1 postfix/', ' mx-a postfix/'));
  // The hosts one after another, as a central rsyslog file holds them (whole days per host).
  central = join(dir, 'central.log');
  writeFileSync(central, HOSTS.map((h) => text.replaceAll(' mx1 postfix/', ` ${h} postfix/`)).join(''));
});

const identity = (f: Finding) => `${f.mta} ${f.direction} ${f.recipientDomain} ${f.cause} ${f.hint}`;

async function json(args: string[]): Promise<Report> {
  const r = await run([...args, '--year', '2026', '--format', 'json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

describe('a central syslog file of several hosts', () => {
  test('--by host: each host has the findings of its own log, counts exact', async () => {
    const one = await json([single]);
    const split = await json(['--by', 'host', central]);
    expect(split.findings.length).toBe(one.findings.length * HOSTS.length);
    const want = new Map(one.findings.map((f) => [identity(f), f]));
    for (const host of HOSTS) {
      const mine = split.findings.filter((f) => f.hosts.length === 1 && f.hosts[0]!.host === host);
      expect(mine.length).toBe(one.findings.length);
      for (const f of mine) {
        const w = want.get(identity(f))!;
        expect([f.count, f.messages, f.distinctRecipients, f.distinctSenders, f.distinctClients]).toEqual([
          w.count, w.messages, w.distinctRecipients, w.distinctSenders, w.distinctClients,
        ]);
        expect(f.hosts).toEqual([{ host, count: w.count }]);
      }
    }
  });

  test('fleet view: one finding per identity, listing every host with its count', async () => {
    const one = await json([single]);
    const fleet = await json([central]);
    expect(fleet.findings.map(identity).sort()).toEqual(one.findings.map(identity).sort());
    const want = new Map(one.findings.map((f) => [identity(f), f]));
    for (const f of fleet.findings) {
      const w = want.get(identity(f))!;
      expect(f.count).toBe(w.count * HOSTS.length);
      // A message is told apart by its id on its host; a temporary refusal without one is the
      // same message when retried at another MX of the fleet (see messageKeyOf).
      expect(f.messages).toBeGreaterThanOrEqual(w.messages);
      expect(f.messages).toBeLessThanOrEqual(w.messages * HOSTS.length);
      expect(f.hosts).toEqual(HOSTS.map((host) => ({ host, count: w.count })));
    }
  });

  test('the text report shows the hosts of a finding and a host column', async () => {
    const r = await run([central, '--year', '2026', '--width', '120']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hosts: +mx-a \(\d+\), mx-b \(\d+\), mx-c \(\d+\)/);
    expect(r.stdout).toMatch(/ host /);
  });

  test("--host names the host of lines that carry none (Exim's own log), not of the others", async () => {
    const exim = await json(['--host', 'mx-e', join(ROOT, 'samples/exim/mainlog'), join(ROOT, 'samples/exim/rejectlog')]);
    expect(exim.findings.length).toBeGreaterThan(0);
    for (const f of exim.findings) expect(f.hosts).toEqual([{ host: 'mx-e', count: f.count }]);
    const fleet = await json(['--host', 'mx-e', central]);
    expect(new Set(fleet.findings.flatMap((f) => f.hosts.map((h) => h.host)))).toEqual(new Set(HOSTS));
    const bad = await run(['--host', 'a b', central]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--host: not a host name')]);
  });
});
