/**
 * Real Postfix, end to end: a throw-away Postfix instance (Debian's `postfix` package) on
 * 127.0.0.1 only, logging with `maillog_file` (no syslog needed), with a virtual alias domain, a
 * virtual mailbox domain, a local domain, a relay domain with relay_recipient_maps and access
 * tables. swaks sends a known mix of mail; Postfix writes the log; maillog-doctor must report
 * exactly what was provoked. Installs nothing: .ci/run installs postfix and swaks, and without
 * them (or without root, which `postfix start` needs) the test is skipped with the reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ReportSchema, type Report } from '../../src/report/schema.js';
import { run } from '../helpers/cli.js';
import { skipNote } from '../helpers/skip.js';
import { baseServices, waitFor } from '../lab/postfix.js';

const POSTFIX = '/usr/sbin/postfix';
const PORT = 2525 + (process.pid % 1000);

function missing(): string | null {
  if (!existsSync(POSTFIX)) return 'Debian package postfix is not installed';
  if (spawnSync('swaks', ['--version']).error) return 'swaks is not installed';
  if (process.getuid?.() !== 0) return 'postfix start needs root';
  if (spawnSync('id', ['postfix']).status !== 0) return 'the postfix user does not exist';
  return null;
}
const skipReason = missing();
skipNote('real Postfix end-to-end test', skipReason);

let dir = '';
let log = '';
let report: Report;

function postfix(...args: string[]): void {
  execFileSync(POSTFIX, ['-c', dir, ...args], { stdio: 'pipe', timeout: 30_000 });
}

/** One SMTP session to the test instance; rejected recipients make swaks exit non-zero. */
function swaks(from: string, to: string[], quitAfterRcpt: boolean): void {
  const args = ['--server', '127.0.0.1', '--port', String(PORT), '--helo', 'client.sender.test', '--from', from, '--to', to.join(','), '--timeout', '10', '--silent', '3'];
  if (quitAfterRcpt) args.push('--quit-after', 'RCPT');
  spawnSync('swaks', args, { stdio: 'pipe', timeout: 30_000 });
}

function configure(): void {
  dir = mkdtempSync(join(tmpdir(), 'mld-postfix-'));
  chmodSync(dir, 0o755); // the postfix user must reach data/ and the maps
  for (const d of ['queue', 'data', 'mail']) mkdirSync(join(dir, d));
  const pf = Number(execFileSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).trim());
  chownSync(join(dir, 'data'), pf, 0);
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
# 127.0.0.1 is deliberately not trusted, so relaying from it is refused.
mynetworks = 192.0.2.0/24
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
relay_domains = relay.test
relay_recipient_maps = texthash:${D}/relay_recipients
transport_maps = texthash:${D}/transport
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = check_sender_access texthash:${D}/sender_access, check_recipient_access texthash:${D}/recipient_access
maillog_file = ${D}/postfix.log
maillog_file_prefixes = ${D}
# Nothing leaves this machine.
default_transport = error:outbound mail is disabled in this test
smtputf8_enable = no
biff = no
`,
  );
  writeFileSync(
    join(D, 'master.cf'),
    [
      `127.0.0.1:${PORT} inet n - n - - smtpd`,
      ...baseServices(),
      'postlog unix-dgram n - n - 1 postlogd',
      '',
    ].join('\n'),
  );
  // texthash maps need no postmap; aliases in texthash take `key value` (no colon).
  writeFileSync(join(D, 'aliases'), 'known /dev/null\nghost nosuchuser-xyz@local.test\n');
  writeFileSync(join(D, 'virtual'), 'alice@valias.test alice@vmbox.test\n');
  writeFileSync(join(D, 'vmailbox'), 'alice@vmbox.test vmbox.test/alice/\nblocked@vmbox.test vmbox.test/blocked/\n');
  writeFileSync(join(D, 'relay_recipients'), 'bob@relay.test OK\n');
  writeFileSync(join(D, 'transport'), 'relay.test discard:relayed in test\n');
  writeFileSync(join(D, 'sender_access'), 'spammer@bad.test REJECT Sender blacklisted\n');
  writeFileSync(join(D, 'recipient_access'), 'blocked@vmbox.test REJECT Mailbox closed\n');
}

const queueEmpty = () =>
  spawnSync('postqueue', ['-c', dir, '-p'], { encoding: 'utf8', timeout: 10_000 }).stdout.includes('Mail queue is empty');
const listening = () => spawnSync('swaks', ['--server', '127.0.0.1', '--port', String(PORT), '--quit-after', 'CONNECT', '--silent', '3', '--timeout', '2'], { timeout: 10_000 }).status === 0;

describe.skipIf(skipReason !== null)('real Postfix 3 on 127.0.0.1, end to end', () => {
  beforeAll(async () => {
    configure();
    postfix('start');
    await waitFor('Postfix to listen', listening, 50, 200);
    const n = (prefix: string, k: number, domain: string) => Array.from({ length: k }, (_, i) => `${prefix}${i + 1}@${domain}`);
    // Rejected at RCPT time, one session per kind (each recipient is refused separately).
    swaks('a@sender.test', n('ghost', 5, 'valias.test'), true); // virtual_alias_maps
    swaks('b@sender.test', n('nobody', 4, 'vmbox.test'), true); // virtual_mailbox_maps
    swaks('c@sender.test', n('nosuch', 3, 'local.test'), true); // local_recipient_maps
    swaks('d@sender.test', n('carol', 2, 'relay.test'), true); // relay_recipient_maps
    swaks('e@sender.test', n('someone', 3, 'elsewhere.test'), true); // relay denied
    swaks('f@sender.test', ['blocked@vmbox.test', 'blocked@vmbox.test'], true); // check_recipient_access
    swaks('spammer@bad.test', ['alice@vmbox.test'], true); // check_sender_access
    // Accepted and delivered: alias → mailbox, mailbox, relay (discarded), local alias.
    swaks('g@sender.test', ['alice@valias.test', 'alice@vmbox.test', 'bob@relay.test', 'known@local.test'], false);
    // Accepted, then local(8) bounces: the alias points at a user that does not exist. The null
    // sender keeps Postfix from sending a bounce notification (which would leave via the error transport).
    swaks('<>', ['ghost@local.test'], false);
    await waitFor('the queue to drain', queueEmpty, 100, 200);
    postfix('stop');
    await waitFor('Postfix to stop', () => !listening(), 50, 200);
    const r = await run([log, '--format', 'json', '--unrecognised', join(dir, 'unrecognised.txt')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    report = ReportSchema.parse(JSON.parse(r.stdout));
  }, 120_000);

  afterAll(() => {
    if (!dir) return;
    spawnSync(POSTFIX, ['-c', dir, 'stop'], { stdio: 'pipe', timeout: 30_000 });
    if (!process.env.MLD_KEEP_POSTFIX_DIR) rmSync(dir, { recursive: true, force: true });
  });

  test('every line Postfix wrote is understood', () => {
    expect(report.summary.files[0]!.format).toBe('postfix');
    // On failure this shows the very lines Postfix wrote that were not understood.
    expect(readFileSync(join(dir, 'unrecognised.txt'), 'utf8')).toBe('');
    expect(report.summary.linesUnrecognised).toBe(0);
    expect(report.summary.linesRead).toBeGreaterThan(30);
  });

  test('the findings are exactly what was provoked, ranked by count', () => {
    const got = report.findings.map((f) => ({
      direction: f.direction,
      recipientDomain: f.recipientDomain,
      cause: f.cause,
      hint: f.hint,
      count: f.count,
      distinctRecipients: f.distinctRecipients,
      smtpCodes: f.smtpCodes,
      enhancedStatus: f.enhancedStatus,
    }));
    expect(got).toEqual([
      { direction: 'inbound', recipientDomain: 'valias.test', cause: 'user-unknown', hint: 'virtual_alias_maps', count: 5, distinctRecipients: 5, smtpCodes: [550], enhancedStatus: ['5.1.1'] },
      { direction: 'inbound', recipientDomain: 'vmbox.test', cause: 'user-unknown', hint: 'virtual_mailbox_maps', count: 4, distinctRecipients: 4, smtpCodes: [550], enhancedStatus: ['5.1.1'] },
      { direction: 'inbound', recipientDomain: 'elsewhere.test', cause: 'relay-denied', hint: 'smtpd_relay_restrictions', count: 3, distinctRecipients: 3, smtpCodes: [554], enhancedStatus: ['5.7.1'] },
      { direction: 'inbound', recipientDomain: 'local.test', cause: 'user-unknown', hint: 'local_recipient_maps', count: 3, distinctRecipients: 3, smtpCodes: [550], enhancedStatus: ['5.1.1'] },
      { direction: 'inbound', recipientDomain: 'relay.test', cause: 'user-unknown', hint: 'relay_recipient_maps', count: 2, distinctRecipients: 2, smtpCodes: [550], enhancedStatus: ['5.1.1'] },
      { direction: 'inbound', recipientDomain: 'vmbox.test', cause: 'access-policy', hint: 'check_recipient_access', count: 2, distinctRecipients: 1, smtpCodes: [554], enhancedStatus: ['5.7.1'] },
      // equal counts: permanent first, then by domain
      { direction: 'local', recipientDomain: 'local.test', cause: 'user-unknown', hint: expect.stringContaining('alias_maps'), count: 1, distinctRecipients: 1, smtpCodes: [], enhancedStatus: ['5.1.1'] },
      { direction: 'inbound', recipientDomain: 'vmbox.test', cause: 'access-policy', hint: 'check_sender_access', count: 1, distinctRecipients: 1, smtpCodes: [554], enhancedStatus: ['5.7.1'] },
    ]);
  });

  test('the verify commands name the real maps and the real addresses', () => {
    const byHint = new Map(report.findings.map((f) => [f.hint, f]));
    expect(byHint.get('virtual_alias_maps')!.verify).toMatch(/postconf -hx virtual_alias_maps.*postmap -q 'ghost1@valias\.test'/);
    expect(byHint.get('relay_recipient_maps')!.verify).toContain("'carol1@relay.test'");
    expect(byHint.get('smtpd_relay_restrictions')!.verify).toContain('smtpd_relay_restrictions');
  });

  test('accepted mail is counted as sent, not as a problem', () => {
    // alice via the alias, alice direct, bob (relay, discarded), known (alias to /dev/null)
    expect(report.summary.eventsByStatus.sent).toBe(4);
    expect(report.summary.eventsByStatus.bounced).toBe(1);
    expect(report.summary.eventsByKind.reject).toBe(20);
  });

  test('the log as Postfix wrote it is kept for reference in the examples', () => {
    const log0 = readFileSync(log, 'utf8');
    for (const f of report.findings) for (const ex of f.examples) expect(log0).toContain(ex);
  });
});
