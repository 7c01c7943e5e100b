/**
 * --check-config against the real tools: Postfix's postconf and postmap on a private
 * configuration directory with a hash map from which an alias was removed, and the unpacked
 * Exim 4.96 (`exim -C config -bt`). Each part is skipped with its reason where the tool is not
 * there; the pure parts (edit distance, PowerShell quoting) are in test/verify/check-config.test.ts.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkConfig } from '../../src/verify/check-config.js';
import { run } from '../helpers/cli.js';
import { skipNote } from '../helpers/skip.js';
import { EXIM_BIN, eximMissing } from '../lab/exim.js';
import { finding } from '../verify/fixtures.js';

const noPostfix = existsSync('/usr/sbin/postmap') && existsSync('/usr/sbin/postconf') ? null : 'Debian package postfix is not installed';
skipNote('--check-config with the real postconf and postmap', noPostfix);

describe.skipIf(noPostfix !== null)('--check-config, real Postfix tools', () => {
  test('a removed alias: not found, and the nearest existing key; another setting shown by postconf', async () => {
    const D = mkdtempSync(join(tmpdir(), 'mld-check-'));
    writeFileSync(join(D, 'main.cf'), `compatibility_level = 3.6\nvirtual_alias_domains = valias.test\nvirtual_alias_maps = hash:${D}/virtual\n`);
    // ann.smith was removed; ann.smyth is there (the map as an admin edited it).
    writeFileSync(join(D, 'virtual'), 'ann.smyth@valias.test ann\nsales@valias.test bob\n');
    const pm = spawnSync('/usr/sbin/postmap', ['-c', D, join(D, 'virtual')], { encoding: 'utf8', timeout: 10_000 });
    expect(pm.status, pm.stderr).toBe(0);
    const line = (s: number, to: string, code: string, text: string) =>
      `Nov 22 06:25:0${s} mx1 postfix/smtpd[123]: NOQUEUE: reject: RCPT from mail.sender.test[192.0.2.10]: ${code} <${to}>: ${text}; from=<a@sender.test> to=<${to}> proto=ESMTP helo=<mail.sender.test>`;
    writeFileSync(
      join(D, 'mail.log'),
      [
        line(1, 'ann.smith@valias.test', '550 5.1.1', 'Recipient address rejected: User unknown in virtual alias table'),
        line(2, 'ann.smith@valias.test', '550 5.1.1', 'Recipient address rejected: User unknown in virtual alias table'),
        line(3, 'zed@valias.test', '550 5.1.1', 'Recipient address rejected: User unknown in virtual alias table'),
        line(4, 'x@elsewhere.test', '554 5.7.1', 'Relay access denied'),
      ].join('\n') + '\n',
    );
    const r = await run(['--year', '2026', '--check-config', '--postfix-config', D, '--format', 'json', join(D, 'mail.log')]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const map = `hash:${D}/virtual`;
    expect(doc.configChecks).toEqual([
      {
        rank: 1,
        checks: [
          `postmap -q ann.smith@valias.test: not found in ${map}; nearest key ann.smyth@valias.test in ${map} (1 edit): a likely typo or a removed alias`,
          `postmap -q zed@valias.test: not found in ${map}`,
        ],
      },
      { rank: 2, checks: [expect.stringMatching(/^postconf: smtpd_relay_restrictions = .*defer_unauth_destination/)] },
    ]);
    // The alias put back: found.
    writeFileSync(join(D, 'virtual'), 'ann.smith@valias.test ann\n');
    spawnSync('/usr/sbin/postmap', ['-c', D, join(D, 'virtual')], { timeout: 10_000 });
    const t = await run(['--year', '2026', '--check-config', '--postfix-config', D, '--width', '200', join(D, 'mail.log')]);
    expect(t.stdout).toContain(`checked: postmap -q ann.smith@valias.test: found in ${map} (→ ann)`);
  }, 60_000);
});

const noExim = eximMissing();
skipNote('--check-config with the unpacked Exim', noExim);

describe.skipIf(noExim !== null)('--check-config, real Exim', () => {
  test('exim -bt: the router that accepts, or unrouteable', () => {
    const D = mkdtempSync(join(tmpdir(), 'mld-check-exim-'));
    chmodSync(D, 0o755);
    mkdirSync(join(D, 'spool'));
    const uid = Number(spawnSync('id', ['-u', 'Debian-exim'], { encoding: 'utf8' }).stdout.trim());
    chownSync(join(D, 'spool'), uid, 0);
    writeFileSync(join(D, 'users'), 'alice: alice@mailbox.test\n');
    // Exim refuses a -C file that others could have written: root's, 0644.
    writeFileSync(
      join(D, 'exim.conf'),
      `primary_hostname = mx.maillog-doctor.test
domainlist local_domains = lab.test
spool_directory = ${D}/spool
log_file_path = ${D}/%slog
begin routers
users:
  driver = redirect
  domains = +local_domains
  data = \${lookup{$local_part}lsearch{${D}/users}}
remote:
  driver = manualroute
  domains = ! +local_domains
  route_list = * 127.0.0.1
  transport = devnull
begin transports
devnull:
  driver = appendfile
  file = /dev/null
`,
      { mode: 0o644 },
    );
    const r = checkConfig(
      [finding({ mta: 'exim', recipientDomain: 'lab.test', hint: 'redirect router :fail:', topRecipients: [{ address: 'alice@lab.test', count: 2 }, { address: 'bob@lab.test', count: 1 }] })],
      { exim: EXIM_BIN, eximConfig: join(D, 'exim.conf') },
      null,
    );
    expect(r).toEqual([
      { rank: 1, checks: ['exim -bt alice@lab.test: redirected to alice@mailbox.test, routed by remote to devnull', 'exim -bt bob@lab.test: is undeliverable: Unrouteable address'] },
    ]);
  }, 60_000);
});
