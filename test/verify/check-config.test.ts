/**
 * --check-config against the real tools: Postfix's postconf and postmap on a private
 * configuration directory with a hash map from which an alias was removed, and the unpacked
 * Exim 4.96 (`exim -C config -bt`). Each part is skipped with its reason where the tool is not
 * there; the pure parts (edit distance, PowerShell quoting) always run.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Finding } from '../../src/aggregate/types.js';
import { checkConfig, editDistance, exchangeScript, nearestKey } from '../../src/verify/check-config.js';
import { run } from '../helpers/cli.js';
import { skipNote } from '../helpers/skip.js';
import { EXIM_BIN, eximMissing } from '../lab/exim.js';

describe('nearest key', () => {
  test.for([
    { name: 'one substitution', a: 'ann.smith@x.test', b: 'ann.smyth@x.test', max: 3, want: 1 },
    { name: 'insertion and deletion', a: 'jon@x.test', b: 'john@x.test', max: 3, want: 1 },
    { name: 'equal', a: 'a@b', b: 'a@b', max: 1, want: 0 },
    { name: 'past the bound stops early', a: 'aaaaaaaa', b: 'bbbbbbbb', max: 2, want: 3 },
    { name: 'length difference alone past the bound', a: 'a', b: 'abcdef', max: 2, want: 3 },
  ])('$name', ({ a, b, max, want }) => {
    expect(editDistance(a, b, max)).toBe(want);
  });
  test('the nearest within a quarter of the length, case-blind; none when all are far', () => {
    expect(nearestKey('Ann.Smith@x.test', ['bob@x.test', 'ann.smyth@x.test', 'ann.smiths@x.test'])).toEqual({ key: 'ann.smyth@x.test', distance: 1 });
    expect(nearestKey('zed@x.test', ['ann.smyth@x.test', 'sales@x.test'])).toBeNull();
  });
});

const finding = (f: Partial<Finding>): Finding => ({
  rank: 1, mta: 'postfix', direction: 'inbound', recipientDomain: 'x.test', cause: 'user-unknown', hint: 'virtual_alias_maps',
  permanent: true, rule: 'r', rules: [], advice: '', verify: '', smtpCodes: [550], enhancedStatus: ['5.1.1'], messages: 1, count: 1,
  distinctRecipients: 1, distinctSenders: 1, distinctClients: 1, firstSeen: null, lastSeen: null, hosts: [], topRecipients: [], examples: [], ...f,
});

describe('Exchange script', () => {
  test('values are single-quoted PowerShell strings, quotes doubled', () => {
    const s = exchangeScript([finding({ mta: 'exchange', recipientDomain: 'x.test', topRecipients: [{ address: "o'brien$(calc)@x.test", count: 1 }] })]);
    expect(s).toContain("Get-Recipient -Identity 'o''brien$(calc)@x.test'");
    expect(s).toContain("Get-Mailbox -Identity 'o''brien$(calc)@x.test'");
    expect(s).toContain("$_.DomainName -eq 'x.test'");
  });
  test('a missing command is reported, not fatal', () => {
    const r = checkConfig([finding({ topRecipients: [{ address: 'a@x.test', count: 1 }] }), finding({ rank: 2, mta: 'exim', topRecipients: [{ address: 'a@x.test', count: 1 }] })], {
      postconf: '/nonexistent/postconf',
      exim: '/nonexistent/exim',
    }, null);
    expect(r).toEqual([
      { rank: 1, checks: ['postconf virtual_alias_maps: /nonexistent/postconf not found (run --check-config on the mail server)'] },
      { rank: 2, checks: ['exim -bt a@x.test: /nonexistent/exim not found (run --check-config on the mail server)'] },
    ]);
  });
});

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
