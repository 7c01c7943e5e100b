/**
 * Diagnosis against a real Postfix (issue 18): a throw-away Postfix 3 on 127.0.0.1, logging with
 * `maillog_file`, provoked into
 * - a directory harvest: one client (127.0.0.9) tries 30 unknown addresses in one session,
 *   another network (127.0.1.5) 5, which stays below the threshold;
 * - an address that worked, then stopped: alice@valias.test is delivered, her alias is removed,
 *   `postfix reload`, and she is refused;
 * - backscatter: relay.test is relayed without relay_recipient_maps to a next hop (the sink)
 *   that refuses unknown users, so Postfix accepts mail from a forged sender, then bounces it,
 *   and its own bounce (sender <>) goes out to the stranger;
 * - a typo domain: our user writes to gmial.com, which bounces.
 * Nothing leaves this machine: relay.test, victim.test and gmial.com go to the sink, which
 * refuses every recipient as unknown; everything else to the error transport.
 * Skipped with the reason when postfix, swaks or root are missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ReportSchema, type Report } from '../../src/report/schema.js';
import { run } from '../helpers/cli.js';
import { skipNote } from '../helpers/skip.js';
import { baseServices, waitFor } from '../lab/postfix.js';
import { atRcpt, reply, startSink, type Sink } from '../lab/sink.js';

const POSTFIX = '/usr/sbin/postfix';

function missing(): string | null {
  if (!existsSync(POSTFIX)) return 'Debian package postfix is not installed';
  if (spawnSync('swaks', ['--version']).error) return 'swaks is not installed';
  if (process.getuid?.() !== 0) return 'postfix start needs root';
  if (spawnSync('id', ['postfix']).status !== 0) return 'the postfix user does not exist';
  return null;
}
const skipReason = missing();
skipNote('real Postfix diagnosis lab', skipReason);

let dir = '';
let log = '';
let port = 0;
let sink: Sink | null = null;
let report: Report;
let text = '';

/** A free TCP port on 127.0.0.1, picked by the kernel. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const p = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return p;
}

function postfix(...args: string[]): void {
  execFileSync(POSTFIX, ['-c', dir, ...args], { stdio: 'pipe', timeout: 30_000 });
}

/** One SMTP session from the loopback address `from`; refused recipients make swaks exit non-zero. */
function swaks(client: string, sender: string, to: string[], quitAfterRcpt: boolean): void {
  const args = ['--server', '127.0.0.1', '--port', String(port), '--local-interface', client, '--helo', 'client.sender.test'];
  args.push('--from', sender, '--to', to.join(','), '--timeout', '10', '--silent', '3');
  if (quitAfterRcpt) args.push('--quit-after', 'RCPT');
  spawnSync('swaks', args, { stdio: 'pipe', timeout: 60_000 });
}

function configure(sinkPort: number): void {
  dir = mkdtempSync(join(tmpdir(), 'mld-diagnosis-'));
  chmodSync(dir, 0o755);
  for (const d of ['queue', 'data', 'mail']) mkdirSync(join(dir, d));
  chownSync(join(dir, 'data'), Number(execFileSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).trim()), 0);
  chownSync(join(dir, 'mail'), 65534, 65534);
  log = join(dir, 'postfix.log');
  const D = dir;
  writeFileSync(
    join(D, 'main.cf'),
    `compatibility_level = 3.6
queue_directory = ${D}/queue
data_directory = ${D}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.maillog-doctor.test
mydomain = maillog-doctor.test
myorigin = $myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
# Only our user's machine may send out; the other loopback addresses play strangers.
mynetworks = 127.0.0.3/32
mydestination = local.test
alias_maps = texthash:${D}/aliases
alias_database =
local_recipient_maps = unix:passwd.byname $alias_maps
virtual_alias_domains = valias.test
virtual_alias_maps = texthash:${D}/virtual
virtual_mailbox_domains = vmbox.test
virtual_mailbox_maps = texthash:${D}/vmailbox
virtual_mailbox_base = ${D}/mail
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
# A relay domain without relay_recipient_maps: every address is accepted (the backscatter setup).
relay_domains = relay.test
relay_recipient_maps =
transport_maps = texthash:${D}/transport
# No session limits, so that the harvest is logged whole (what the advice then says to change).
smtpd_hard_error_limit = 100
smtpd_soft_error_limit = 100
smtpd_error_sleep_time = 0
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
maillog_file = ${D}/postfix.log
maillog_file_prefixes = ${D}
default_transport = error:outbound mail is disabled in this test
smtp_host_lookup = native
smtputf8_enable = no
biff = no
`,
  );
  writeFileSync(
    join(D, 'master.cf'),
    [`127.0.0.1:${port} inet n - n - - smtpd`, ...baseServices(), 'postlog unix-dgram n - n - 1 postlogd', ''].join('\n'),
  );
  writeFileSync(join(D, 'aliases'), 'known /dev/null\npostmaster /dev/null\nMAILER-DAEMON /dev/null\n');
  writeFileSync(join(D, 'virtual'), 'alice@valias.test alice@vmbox.test\n');
  writeFileSync(join(D, 'vmailbox'), 'alice@vmbox.test vmbox.test/alice/\n');
  const sinkRoute = `smtp:[127.0.0.1]:${sinkPort}`;
  writeFileSync(join(D, 'transport'), ['relay.test', 'victim.test', 'gmial.com'].map((d) => `${d} ${sinkRoute}\n`).join(''));
}

const queueEmpty = () => spawnSync('postqueue', ['-c', dir, '-p'], { encoding: 'utf8', timeout: 10_000 }).stdout.includes('Mail queue is empty');
const listening = () =>
  spawnSync('swaks', ['--server', '127.0.0.1', '--port', String(port), '--quit-after', 'CONNECT', '--silent', '3', '--timeout', '2'], { timeout: 10_000 }).status === 0;
const n = (prefix: string, k: number, domain: string) => Array.from({ length: k }, (_, i) => `${prefix}${i + 1}@${domain}`);

describe.skipIf(skipReason !== null)('diagnosis on a real Postfix 3', () => {
  beforeAll(async () => {
    sink = await startSink({ fallback: (a) => atRcpt(reply(550, `5.1.1 <${a}>: Recipient address rejected: User unknown`)), lifetimeMs: 150_000 });
    port = await freePort();
    configure(sink.port);
    postfix('start');
    await waitFor('Postfix to listen', listening, 50, 200);
    // Delivered first: alice works.
    swaks('127.0.0.5', 'friend@partner.test', ['alice@valias.test'], false);
    await waitFor('alice delivered', queueEmpty, 100, 200);
    // The harvest: 30 unknown addresses from one client; 5 from another network.
    swaks('127.0.0.9', 'x@spammer.test', n('guess', 30, 'vmbox.test'), true);
    swaks('127.0.1.5', 'y@other.test', n('try', 5, 'vmbox.test'), true);
    // Backscatter: accepted for the relay domain from a forged sender, refused by the next hop.
    swaks('127.0.0.9', 'forged@victim.test', ['nobody1@relay.test', 'nobody2@relay.test'], false);
    // A typo of our user.
    swaks('127.0.0.3', 'known@local.test', ['ann@gmial.com'], false);
    await waitFor('the queue to drain', queueEmpty, 150, 200);
    // Alice's alias is removed: the address that worked stops working.
    writeFileSync(join(dir, 'virtual'), '\n');
    postfix('reload');
    await waitFor('Postfix to listen after the reload', listening, 50, 200);
    swaks('127.0.3.5', 'friend@partner.test', ['alice@valias.test'], true);
    await waitFor('the queue to drain', queueEmpty, 100, 200);
    postfix('stop');
    await waitFor('Postfix to stop', () => !listening(), 50, 200);
    const r = await run([log, '--format', 'json', '--local-domains', 'relay.test']);
    expect(r.stderr).toBe('');
    report = ReportSchema.parse(JSON.parse(r.stdout));
    text = (await run([log, '--local-domains', 'relay.test', '--width', '200'])).stdout;
  }, 150_000);

  afterAll(async () => {
    await sink?.close();
    if (!dir) return;
    spawnSync(POSTFIX, ['-c', dir, 'stop'], { stdio: 'pipe', timeout: 30_000 });
    if (!process.env.MLD_KEEP_POSTFIX_DIR) rmSync(dir, { recursive: true, force: true });
  });

  test('one client trying 30 unknown addresses is one harvest finding; 5 from another network are not', () => {
    expect(report.harvest.map((h) => [h.mta, h.client, h.network, h.distinctAddresses, h.attempts])).toEqual([
      ['postfix', '127.0.0.9', '127.0.0.0/24', 30, 30],
    ]);
    const h = report.harvest[0]!;
    expect(h.sampleAddresses).toEqual(['guess1@vmbox.test', 'guess2@vmbox.test', 'guess3@vmbox.test', 'guess4@vmbox.test', 'guess5@vmbox.test', 'guess30@vmbox.test']);
    expect(h.setting).toContain('smtpd_hard_error_limit');
    expect(h.ban).toBe("fail2ban-client set postfix banip '127.0.0.9'");
  });

  test('the fail2ban regex matches the very lines Postfix wrote, and takes the client', async () => {
    const { readFileSync } = await import('node:fs');
    const re = new RegExp(report.harvest[0]!.failregex!.replace('<HOST>', '(?<host>[0-9.]+)'));
    const hosts = readFileSync(log, 'utf8')
      .split('\n')
      .map((l) => re.exec(l)?.groups?.host)
      .filter((h) => h !== undefined);
    // The 30 of the harvest, the 5 of the other network, and alice after her alias went.
    expect(hosts.filter((h) => h === '127.0.0.9')).toHaveLength(30);
    expect(hosts.filter((h) => h === '127.0.1.5')).toHaveLength(5);
  });

  test('the guessed addresses are informational; the address that stopped working is actionable', () => {
    const guessed = report.findings.find((f) => f.recipientDomain === 'vmbox.test' && f.cause === 'user-unknown')!;
    expect([guessed.action, guessed.distinctRecipients]).toEqual(['informational', 35]);
    const alice = report.findings.find((f) => f.recipientDomain === 'valias.test')!;
    expect([alice.cause, alice.action, alice.actionReason]).toEqual([
      'user-unknown',
      'actionable',
      expect.stringMatching(/^an address that received mail earlier in the log is now refused/),
    ]);
  });

  test('accept-then-bounce for the relay domain is backscatter risk, with the fix', () => {
    const b = report.backscatter.find((x) => x.kind === 'accept-then-bounce')!;
    expect([b.mta, b.count, b.distinctSenders]).toEqual(['postfix', 2, 1]);
    expect(b.advice).toContain('relay_recipient_maps');
    const relay = report.findings.find((f) => f.recipientDomain === 'relay.test')!;
    expect([relay.direction, relay.cause, relay.action]).toEqual(['local', 'user-unknown', 'actionable']);
  });

  test("our own bounce to the forged sender is seen as null-sender backscatter, and is actionable", () => {
    expect(report.backscatter.map((x) => x.kind).sort()).toEqual(['accept-then-bounce', 'null-sender']);
    const ndr = report.findings.find((f) => f.recipientDomain === 'victim.test')!;
    expect([ndr.direction, ndr.action, ndr.actionReason]).toEqual(['outbound', 'actionable', expect.stringContaining('backscatter')]);
  });

  test('the bounce to gmial.com suggests gmail.com', () => {
    const typo = report.findings.find((f) => f.recipientDomain === 'gmial.com')!;
    expect([typo.direction, typo.suggestion, typo.action]).toEqual(['outbound', 'gmail.com', 'informational']);
  });

  test('the text report shows each of them', () => {
    expect(text).toContain('Directory harvest (1 client network guessing addresses)');
    expect(text).toContain('Backscatter risk');
    expect(text).toContain('typo?:   gmial.com: did the sender mean gmail.com?');
    expect(text).toMatch(/\n!\* *\d+ .*valias\.test +user-unknown/);
  });
});
