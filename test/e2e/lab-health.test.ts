/**
 * Server health and onset against a real Postfix 3 (Debian's package) on 127.0.0.1, logging
 * through a private rsyslogd (test/lab/syslog.ts): a lookup table made stale (postmap, then the
 * source touched), then a `postfix reload` after which the transport table is gone and a policy
 * service that does not listen is named. The first batch of mail goes through; the second hits
 * the broken settings. The report must have a health finding for each, the refusals of the
 * second batch must name the broken table as their likely cause, the reload must be a marker,
 * and the broken table's onset must say it began after the reload. Skipped with the reason when
 * postfix, swaks, rsyslogd or root are missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ReportSchema } from '../../src/report/schema.js';
import type { Report } from '../../src/aggregate/types.js';
import { run } from '../helpers/cli.js';
import { baseServices, sleep } from '../lab/postfix.js';
import { startSyslog, syslogMissing, type PrivateSyslog } from '../lab/syslog.js';

const POSTFIX = '/usr/sbin/postfix';
const POSTMAP = '/usr/sbin/postmap';

function missing(): string | null {
  if (!existsSync(POSTFIX)) return 'Debian package postfix is not installed';
  if (spawnSync('swaks', ['--version']).error) return 'swaks is not installed';
  if (spawnSync('id', ['postfix']).status !== 0) return 'the postfix user does not exist';
  return syslogMissing();
}
const skipReason = missing();
if (skipReason) console.warn(`real-Postfix health lab skipped: ${skipReason}`);

/** A client command, run without blocking; killed after `timeoutMs`. */
function client(cmd: string, args: string[], timeoutMs = 30_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Free TCP ports on 127.0.0.1, picked by the kernel (the last one is left closed: nobody listens there). */
async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = createNetServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    servers.push(s);
    ports.push((s.address() as { port: number }).port);
  }
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

describe.skipIf(skipReason !== null)('real-Postfix health lab: a stale table, a reload, a removed table, a silent policy service', () => {
  let dir = '';
  let sys: PrivateSyslog | null = null;
  let report: Report | null = null;
  let log = '';
  let port = 0;
  let deadPolicy = 0;

  const pf = (...args: string[]) => {
    const r = sys!.run(POSTFIX, ['-c', dir, ...args], 60_000);
    if (r.status !== 0) throw new Error(`postfix ${args.join(' ')}: ${r.stderr}`);
  };
  const send = (to: string) =>
    client('swaks', ['--server', '127.0.0.1', '--port', String(port), '--helo', 'client.sender.test', '--from', 'lab@sender.test', '--to', to, '--timeout', '10', '--silent', '3']);

  const mainCf = (D: string, policy: boolean) => `compatibility_level = 3.6
queue_directory = ${D}/queue
data_directory = ${D}/data
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-health
myhostname = mx.lab.test
mydomain = lab.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
mydestination =
alias_maps =
alias_database =
relay_domains = relay.test
relay_recipient_maps =
virtual_alias_maps = hash:${D}/virtual
transport_maps = hash:${D}/transport
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = ${policy ? `check_policy_service inet:127.0.0.1:${deadPolicy}` : 'permit'}
default_transport = error:outbound mail is disabled in this lab
smtputf8_enable = no
biff = no
`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mld-lab-health-'));
    chmodSync(dir, 0o755);
    const D = dir;
    for (const d of ['queue', 'data']) mkdirSync(join(D, d));
    const pfUid = Number(spawnSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).stdout.trim());
    chownSync(join(D, 'data'), pfUid, 0);
    [port, deadPolicy] = (await freePorts(2)) as [number, number];
    writeFileSync(join(D, 'main.cf'), mainCf(D, false));
    writeFileSync(join(D, 'master.cf'), [`127.0.0.1:${port} inet n - n - - smtpd`, ...baseServices(), ''].join('\n'));
    // Everything for relay.test is accepted and thrown away; the alias table is built, then its
    // source is edited (touched a minute later): Postfix warns that the .db is older.
    writeFileSync(join(D, 'transport'), 'relay.test discard:\n');
    writeFileSync(join(D, 'virtual'), 'alias@relay.test a@relay.test\n');
    for (const t of ['transport', 'virtual']) {
      const r = spawnSync(POSTMAP, ['-c', D, `hash:${join(D, t)}`], { encoding: 'utf8', timeout: 20_000 });
      if (r.status !== 0) throw new Error(`postmap ${t}: ${r.stderr}`);
    }
    // dict_db.c warns only when the source is newer than the .db and was last changed over
    // 100 s ago (not while postmap may still be running): both are set back in time.
    const built = new Date(Date.now() - 300_000);
    const edited = new Date(Date.now() - 200_000);
    utimesSync(join(D, 'virtual.db'), built, built);
    utimesSync(join(D, 'virtual'), edited, edited);

    sys = await startSyslog(join(D, 'syslog'));
    pf('start');
    for (let i = 0; (await client('swaks', ['--server', '127.0.0.1', '--port', String(port), '--quit-after', 'CONNECT', '--silent', '3', '--timeout', '3'], 10_000)).code !== 0; i++) {
      if (i === 50) throw new Error('timed out waiting for Postfix to listen');
      await sleep(200);
    }
    // Batch 1: delivered (discarded), with the stale alias table warned about.
    for (let i = 1; i <= 3; i++) await send(`ok${i}@relay.test`);
    // A quiet spell, so that the second batch's problems have a before to be compared with.
    await sleep(12_000);
    // The transport table's .db is removed and a policy service that nobody runs is named.
    unlinkSync(join(D, 'transport.db'));
    writeFileSync(join(D, 'main.cf'), mainCf(D, true));
    pf('reload');
    await sleep(1_500);
    // Batch 2: each recipient is deferred at RCPT (451 4.3.0 / 4.3.5).
    for (let i = 1; i <= 6; i++) await send(`late${i}@relay.test`);
    await sleep(1_000);
    await sys.sync();
    log = readFileSync(sys.files.rfc3339, 'utf8');
    const r = await run([sys.files.rfc3339, '--format', 'json']);
    if (r.code !== 0) throw new Error(`maillog-doctor exited ${r.code}: ${r.stderr}`);
    report = ReportSchema.parse(JSON.parse(r.stdout));
  }, 120_000);

  afterAll(async () => {
    if (dir && sys) sys.run(POSTFIX, ['-c', dir, 'stop'], 30_000);
    await sys?.stop();
    if (dir && !process.env.MLD_KEEP_POSTFIX_DIR) rmSync(dir, { recursive: true, force: true });
  });

  const health = () => report!.findings.filter((f) => f.cause === 'server-health');
  const byHint = (hint: string) => {
    const f = health().find((h) => h.hint === hint);
    if (!f) throw new Error(`no health finding ${hint}; have ${health().map((h) => h.hint).join(' | ')}\n${log}`);
    return f;
  };

  test('the removed table is a health finding of its own, with its setting, advice and a verify command', () => {
    const f = byHint(`table unavailable: hash:${dir}/transport`);
    expect([f.mta, f.direction, f.permanent]).toEqual(['postfix', 'local', false]);
    expect(f.advice).toContain('Setting: transport_maps.');
    expect(f.verify).toBe(`postconf -n | grep -F -e 'hash:${dir}/transport'; postmap -q - -- 'hash:${dir}/transport' </dev/null && echo 'the table opens'`);
  });

  test('the stale table is a health finding naming its source file', () => {
    const f = byHint(`table older than its source: ${dir}/virtual`);
    expect(f.advice).toContain('Setting: virtual_alias_maps.');
    expect(f.verify).toContain(`ls -l --full-time -- '${dir}/virtual' '${dir}/virtual'.db`);
  });

  test('the policy service that does not answer is a health finding', () => {
    expect(health().map((h) => h.hint)).toContain(`service not answering: 127.0.0.1:${deadPolicy}`);
  });

  test('the refusals of the second batch name the silent policy service as their likely cause', () => {
    // smtpd logs the policy client's warning in the same session (same pid) just before each 451 4.3.5.
    const refusals = report!.findings.filter((f) => f.cause !== 'server-health' && f.smtpCodes.includes(451));
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.map((f) => f.after)).toEqual(refusals.map(() => `problem talking to server 127.0.0.1:${deadPolicy}: Connection refused`));
  });

  test('the start and the reload are markers, in order', () => {
    expect(report!.markers.map((m) => m.marker)).toEqual(['start', 'reload']);
    expect(report!.markers[1]!.version).toMatch(/^3\.\d+/);
  });

  test('the removed table began after the reload; the stale one is steady from the start', () => {
    const reload = report!.markers[1]!.time!.slice(11, 16);
    const broken = byHint(`table unavailable: hash:${dir}/transport`);
    expect(broken.onsetNote).toMatch(new RegExp(`^began \\d\\d:\\d\\d \\(\\d+ s after the ${reload} reload\\), none in the \\d+ s before$`));
    expect(Date.parse(broken.onset!)).toBeGreaterThanOrEqual(Date.parse(report!.markers[1]!.time!) - 1000);
    const stale = byHint(`table older than its source: ${dir}/virtual`);
    expect(stale.onsetNote).not.toMatch(/^began/);
  });
});
