/**
 * The real-Postfix lab: one throw-away Postfix 3 (Debian's package) on 127.0.0.1 only, logging
 * through a private rsyslogd (test/lab/syslog.ts) with a non-default syslog_name and long queue
 * ids, configured through Postfix's own settings to produce each kind of refusal: recipient
 * tables, access maps, a policy service, anvil rate limits, message size limits with and without
 * SIZE, a hop-count limit, postscreen, a relayhost-like next hop (test/lab/sink.ts) answering with
 * provider texts, an after-queue content filter, pipe(8) commands, virtual(8) and local(8) size
 * limits and an alias loop. Every recipient's outcome is declared before it is sent
 * (test/lab/scenario.ts); the findings read from the RFC 3339 file, the classic file and the
 * shared system log must all be exactly those groups. Skipped with the reason when postfix,
 * swaks, python3, rsyslogd or root are missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ReportSchema, type Report } from '../../src/report/schema.js';
import { noPflogsumm, pflogsummTotals } from '../helpers/pflogsumm.js';
import { run } from '../helpers/cli.js';
import { baseServices, sleep, waitFor } from '../lab/postfix.js';
import { agreement, groupsOf, Scenarios, type Outcome } from '../lab/scenario.js';
import { atData, atRcpt, reply, startSink, type Sink } from '../lab/sink.js';
import { startSyslog, syslogMissing, type PrivateSyslog } from '../lab/syslog.js';

const POSTFIX = '/usr/sbin/postfix';

function missing(): string | null {
  if (!existsSync(POSTFIX)) return 'Debian package postfix is not installed';
  if (spawnSync('swaks', ['--version']).error) return 'swaks is not installed';
  if (spawnSync('id', ['postfix']).status !== 0) return 'the postfix user does not exist';
  return syslogMissing();
}
const skipReason = missing();
if (skipReason) console.warn(`real-Postfix lab skipped: ${skipReason}`);

/**
 * A client command, run without blocking: the sink, the filter and the policy service live in
 * this process and must keep answering while it runs. Killed after `timeoutMs`.
 */
function client(cmd: string, args: string[], timeoutMs = 40_000): Promise<{ code: number | null; out: string }> {
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

/** Free TCP ports on 127.0.0.1, picked by the kernel. */
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

/**
 * A Postfix policy service (SMTPD_POLICY_README): one `name=value` request per blank line, one
 * `action=…` answer. Its answers are those of real policy daemons, by recipient local part.
 */
async function startPolicy(answers: Record<string, string>): Promise<{ port: number; close(): Promise<void> }> {
  const server = createNetServer((sock) => {
    sock.setEncoding('utf8');
    sock.setTimeout(30_000, () => sock.destroy());
    sock.on('error', () => sock.destroy());
    let buf = '';
    sock.on('data', (d: string) => {
      buf += d;
      for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
        const req = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const rcpt = /^recipient=(.*)$/m.exec(req)?.[1] ?? '';
        sock.write(`action=${answers[rcpt.toLowerCase()] ?? 'DUNNO'}\n\n`);
      }
      if (buf.length > 65536) sock.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// ------------------------------------------------------------------ the scenarios

const lab = new Scenarios();
const inbound = (cause: string, hint: string, recipientDomain?: string | null): Outcome => ({ direction: 'inbound', cause, hint, recipientDomain });
const outbound = (cause: string, hint: string): Outcome => ({ direction: 'outbound', cause, hint });
const local = (cause: string, hint: string, recipientDomain?: string | null): Outcome => ({ direction: 'local', cause, hint, recipientDomain });
const n = (prefix: string, k: number, domain: string) => Array.from({ length: k }, (_, i) => `${prefix}${i + 1}@${domain}`);

// Provider texts, as the providers publish them (sisimai's set-of-emails corpus, the providers' help pages).
const GMAIL_UNKNOWN = reply(
  550,
  '5.1.1 The email account that you tried to reach does not exist. Please try',
  "5.1.1 double-checking the recipient's email address for typos or",
  '5.1.1 unnecessary spaces. Learn more at',
  '5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123456wrb.22 - gsmtp',
);
const GMAIL_FULL = reply(
  452,
  '4.2.2 The email account that you tried to reach is over quota. Please direct',
  '4.2.2 the recipient to',
  '4.2.2  https://support.google.com/mail/?p=OverQuotaTemp a1si123456wrb.23 - gsmtp',
);
const GMAIL_LOW_REPUTATION = reply(
  550,
  '5.7.1 [127.0.0.1] Our system has detected that this message is likely',
  '5.7.1 suspicious due to the very low reputation of the sending IP address.',
  '5.7.1 To best protect our users from spam, the message has been blocked.',
  '5.7.1 Please visit https://support.google.com/mail/answer/188131 for more information. a1si1wrb.24 - gsmtp',
);
const GMAIL_UNSOLICITED = reply(
  550,
  '5.7.1 [127.0.0.1] Our system has detected that this message is likely unsolicited',
  '5.7.1 mail. To reduce the amount of spam sent to Gmail, this message has been',
  '5.7.1 blocked. Please visit',
  '5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError a1si1wrb.25 - gsmtp',
);
const MS_BANNED = reply(
  550,
  '5.7.606 Access denied, banned sending IP [127.0.0.1]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430)',
);
const MS_S3140 = reply(
  550,
  "5.7.1 Unfortunately, messages from [127.0.0.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [AM1PEPF000000.eurprd01.prod.exchangelabs.com]",
);
const MS_BUSY = reply(451, '4.7.500 Server busy. Please try again later from [127.0.0.1]. (S77714) [DB5EUR03FT000.eop-EUR03.prod.protection.outlook.com]');
const YAHOO_TSS04 = reply(
  421,
  '4.7.0 [TSS04] Messages from 127.0.0.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
);
const GREYLISTED = reply(450, '4.2.0 <grey@greylist.test>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/greylist.test.html');
const TOO_BIG = reply(552, '5.3.4 Message size exceeds fixed maximum message size');
const RELAY_UNKNOWN = reply(550, '5.1.1 <carol@relay.test>: Recipient address rejected: User unknown in virtual mailbox table');
const AMAVIS_SPAM = reply(554, '5.7.0 Reject, id=10374-01 - spam');

const OUT_UNKNOWN = outbound('user-unknown', 'remove the address from lists');
const OUT_BLOCKED = outbound('blocklisted', 'our IP reputation');

// Delivered mail: must not show up anywhere.
const accepted = {
  vmbox: lab.accept('alice@vmbox.test'),
  provider: lab.accept('friend@gmail.test'),
  filtered: lab.accept('clean@vmbox.test'),
};

// Outbound, through the sink as the next hop (transport_maps → [127.0.0.1]:sink). One message per recipient.
const outboundCases: Array<[string, ReturnType<typeof atRcpt>, Outcome]> = [
  [lab.expect('nobody@gmail.test', OUT_UNKNOWN), atRcpt(GMAIL_UNKNOWN), OUT_UNKNOWN],
  [lab.expect('nobody2@gmail.test', OUT_UNKNOWN), atRcpt(GMAIL_UNKNOWN), OUT_UNKNOWN],
  [lab.expect('full@gmail.test', outbound('mailbox-full', 'their mailbox is full')), atRcpt(GMAIL_FULL), outbound('mailbox-full', 'their mailbox is full')],
  [lab.expect('rep@googlemail.test', OUT_BLOCKED), atData(GMAIL_LOW_REPUTATION), OUT_BLOCKED],
  [lab.expect('spam@googlemail.test', outbound('spam-content', 'our message content')), atData(GMAIL_UNSOLICITED), outbound('spam-content', 'our message content')],
  [lab.expect('someone@outlook.test', OUT_BLOCKED), atRcpt(MS_BANNED), OUT_BLOCKED],
  [lab.expect('someone@hotmail.test', OUT_BLOCKED), atRcpt(MS_S3140), OUT_BLOCKED],
  [lab.expect('busy@live.test', outbound('rate-limited', 'our sending rate')), atRcpt(MS_BUSY), outbound('rate-limited', 'our sending rate')],
  [lab.expect('someone@yahoo.test', OUT_BLOCKED), atRcpt(YAHOO_TSS04), OUT_BLOCKED],
  [lab.expect('grey@greylist.test', outbound('greylisted', 'nothing (retries succeed)')), atRcpt(GREYLISTED), outbound('greylisted', 'nothing (retries succeed)')],
  [lab.expect('big@bigfiles.test', outbound('message-too-large', 'message size (attachments)')), atData(TOO_BIG), outbound('message-too-large', 'message size (attachments)')],
];
const PROVIDER_DOMAINS = ['gmail.test', 'googlemail.test', 'outlook.test', 'hotmail.test', 'live.test', 'yahoo.test', 'greylist.test', 'bigfiles.test', 'partner.test', 'relay.test'];

// partner.test: nothing in the log says it is ours, so without --local-domains it is a remote domain.
const partner = lab.expect('ghost@partner.test', OUT_UNKNOWN);
// relay.test is ours (relay_domains, with a stale relay_recipient_maps): its next hop's 5.1.1 is a local failure.
const relayStale = lab.expect('carol@relay.test', local('user-unknown', 'relay_recipient_maps'));

describe.skipIf(skipReason !== null)('real-Postfix lab (syslog_name postfix-mx, long queue ids, rsyslog)', () => {
  let dir = '';
  let sys: PrivateSyslog | null = null;
  let sink: Sink | null = null;
  let filter: Sink | null = null;
  let policy: Awaited<ReturnType<typeof startPolicy>> | null = null;
  let ports: number[] = [];
  const reports: Record<string, Report> = {};
  const unrecognised: Record<string, string> = {};

  const pf = (...args: string[]) => {
    const r = sys!.run(POSTFIX, ['-c', dir, ...args], 60_000);
    if (r.status !== 0) throw new Error(`postfix ${args.join(' ')}: ${r.stderr}`);
  };

  /** One swaks session; `from` 127.0.0.x picks the client address. Refused recipients make swaks exit non-zero. */
  const swaks = (port: number, from: string, to: string[], opts: { client?: string; quitAfter?: string; extra?: string[] } = {}) => {
    const args = ['--server', '127.0.0.1', '--port', String(port), '--helo', 'client.sender.test', '--from', from, '--to', to.join(','), '--timeout', '15', '--silent', '3'];
    if (opts.client) args.push('--local-interface', opts.client);
    if (opts.quitAfter) args.push('--quit-after', opts.quitAfter);
    args.push(...(opts.extra ?? []));
    return client('swaks', args);
  };

  /** Python smtplib: a message of `size` bytes, with the SIZE parameter or without (then only the data tells). */
  const pySend = (port: number, to: string, size: number, declareSize: boolean) => {
    const script = `
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', ${port}, timeout=15)
s.ehlo('client.sender.test')
body = 'Subject: big\\r\\n\\r\\n' + ('x' * 76 + '\\r\\n') * (${size} // 78)
opts = ['SIZE=%d' % len(body)] if ${declareSize ? 'True' : 'False'} else []
code, _ = s.mail('lab@vmbox.test', opts)
if code == 250:
    s.rcpt('${to}')
    try:
        s.data(body)
    except smtplib.SMTPException as e:
        pass
try:
    s.quit()
except Exception:
    pass
`;
    return client('python3', ['-c', script]);
  };

  /** A session to postscreen from `client`; `pregreet` talks before the greeting ends. Bounded by socket timeouts. */
  const postscreenSession = (port: number, from: string, to: string, pregreet: boolean) => {
    const script = `
import socket
s = socket.create_connection(('127.0.0.1', ${port}), timeout=15, source_address=('${from}', 0))
f = s.makefile('rb')
def reply():
    while True:
        l = f.readline()
        if not l or l[3:4] != b'-':
            return l
first = f.readline()
if ${pregreet ? 'True' : 'False'}:
    s.sendall(b'EHLO client.sender.test\\r\\n')
if first[3:4] == b'-':
    reply()
s.sendall(b'EHLO client.sender.test\\r\\n')
reply()
for c in [b'MAIL FROM:<lab@vmbox.test>', b'RCPT TO:<${to}>', b'QUIT']:
    s.sendall(c + b'\\r\\n')
    reply()
`;
    return client('python3', ['-c', script]);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mld-lab-postfix-'));
    chmodSync(dir, 0o755);
    const D = dir;
    for (const d of ['queue', 'data', 'mail', 'boxes']) mkdirSync(join(D, d));
    const pfUid = Number(spawnSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).stdout.trim());
    chownSync(join(D, 'data'), pfUid, 0);
    chownSync(join(D, 'mail'), 65534, 65534);
    chownSync(join(D, 'boxes'), 65534, 65534);

    sink = await startSink({
      answers: Object.fromEntries([...outboundCases.map(([to, a]) => [to, a] as const), [relayStale, atRcpt(RELAY_UNKNOWN)], [partner, atRcpt(GMAIL_UNKNOWN)]]),
    });
    filter = await startSink({ name: 'amavis.lab.test', answers: { 'virus@vmbox.test': atData(AMAVIS_SPAM) } });
    policy = await startPolicy({
      'grey-policy@vmbox.test': 'DEFER_IF_PERMIT Greylisted, see http://postgrey.schweikert.ch/help/vmbox.test.html',
      'spf@vmbox.test': '550 5.7.23 Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id=lab@spf-fail.test;ip=127.0.0.1;r=mx.lab.test',
    });
    ports = await freePorts(4);
    const [MAIN, FILTERED, RATED, SCREEN] = ports as [number, number, number, number];

    // 100 kB messages at most; mailboxes may grow to 200 kB (local(8) and virtual(8) refuse to
    // start with a mailbox limit below message_size_limit).
    writeFileSync(
      join(D, 'main.cf'),
      `compatibility_level = 3.6
queue_directory = ${D}/queue
data_directory = ${D}/data
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-mx
enable_long_queue_ids = yes
myhostname = mx.lab.test
mydomain = lab.test
myorigin = $myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
mydestination = local.test
alias_maps = texthash:${D}/aliases
alias_database =
local_recipient_maps = unix:passwd.byname $alias_maps
mail_spool_directory = ${D}/boxes
message_size_limit = 100000
mailbox_size_limit = 200000
virtual_mailbox_limit = 200000
virtual_mailbox_domains = vmbox.test
virtual_mailbox_maps = texthash:${D}/vmailbox
virtual_mailbox_base = ${D}/mail
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
relay_domains = relay.test
relay_recipient_maps = texthash:${D}/relay_recipients
transport_maps = texthash:${D}/transport
hopcount_limit = 10
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = check_client_access texthash:${D}/client_access, check_sender_access texthash:${D}/sender_access, check_recipient_access texthash:${D}/recipient_access, check_policy_service inet:127.0.0.1:${policy.port}
anvil_rate_time_unit = 60s
postscreen_access_list = permit_mynetworks, cidr:${D}/postscreen_access.cidr
postscreen_denylist_action = enforce
postscreen_greet_action = enforce
postscreen_greet_wait = 1s
default_transport = error:outbound mail is disabled in this lab
smtputf8_enable = no
biff = no
`,
    );
    writeFileSync(
      join(D, 'master.cf'),
      [
        `127.0.0.1:${MAIN} inet n - n - - smtpd`,
        // Mail submitted here goes through the after-queue content filter (the second sink).
        `127.0.0.1:${FILTERED} inet n - n - - smtpd -o content_filter=smtp:[127.0.0.1]:${filter.port}`,
        // anvil limits, with nobody exempt: 2 recipients and 1 message per minute per client.
        `127.0.0.1:${RATED} inet n - n - - smtpd -o smtpd_client_recipient_rate_limit=2 -o smtpd_client_message_rate_limit=1 -o smtpd_client_event_limit_exceptions=`,
        `127.0.0.1:${SCREEN} inet n - n - 1 postscreen`,
        'smtpd pass - - n - - smtpd',
        ...baseServices(),
        'dnsblog unix - - n - 0 dnsblog',
        'tlsproxy unix - - n - 0 tlsproxy',
        // A mailbox command behind a transport: what it does depends on the recipient's local part.
        `labpipe unix - n n - - pipe flags=R user=nobody argv=${D}/deliver.sh \${user}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(D, 'deliver.sh'),
      `#!/bin/sh
# The recipient's local part says how delivery ends: sysexits codes, as mail delivery programs use them.
cat >/dev/null
case "$1" in
  nouser*) exit 67 ;;          # EX_NOUSER
  tempfail*) exit 75 ;;        # EX_TEMPFAIL
  quota*) echo "Quota exceeded (mailbox for user is full)"; exit 75 ;;
esac
exit 0
`,
    );
    chmodSync(join(D, 'deliver.sh'), 0o755);
    writeFileSync(
      join(D, 'aliases'),
      ['known /dev/null', 'ghost nosuchuser-xyz@local.test', `bigbox ${D}/boxes/bigbox.mbox`, 'loop1 loop2@local.test', 'loop2 loop1@local.test', ''].join('\n'),
    );
    // Mailboxes 150 kB full: one more 60 kB message passes the 200 kB limits.
    const filler = ('From old@lab.test Thu Dec  3 00:00:00 2026\nSubject: old\n\n' + 'y'.repeat(1000) + '\n\n').repeat(150);
    writeFileSync(join(D, 'boxes', 'bigbox.mbox'), filler);
    chownSync(join(D, 'boxes', 'bigbox.mbox'), 65534, 65534);
    mkdirSync(join(D, 'mail', 'vmbox.test'));
    chownSync(join(D, 'mail', 'vmbox.test'), 65534, 65534);
    writeFileSync(join(D, 'mail', 'vmbox.test', 'big'), filler);
    chownSync(join(D, 'mail', 'vmbox.test', 'big'), 65534, 65534);
    writeFileSync(
      join(D, 'vmailbox'),
      ['alice', 'blocked', 'clean', 'virus', 'lab', 'grey-policy', 'spf', 'rate1', 'rate2', 'rate3', 'size1', 'size2', 'hops'].map((u) => `${u}@vmbox.test vmbox.test/${u}/`).join('\n') +
        '\nbig@vmbox.test vmbox.test/big\n',
    );
    writeFileSync(join(D, 'relay_recipients'), 'carol@relay.test OK\n');
    writeFileSync(
      join(D, 'transport'),
      // loop.test is sent back to our own smtpd: smtp(8) sees its own greeting and refuses to loop.
      [...PROVIDER_DOMAINS.map((d) => `${d} smtp:[127.0.0.1]:${sink!.port}`), 'pipe.test labpipe:', `loop.test smtp:[127.0.0.1]:${MAIN}`, ''].join('\n'),
    );
    writeFileSync(join(D, 'client_access'), '127.0.0.6 REJECT Client blocked by the lab\n');
    writeFileSync(join(D, 'sender_access'), 'spammer@bad.test REJECT Sender blacklisted\n');
    writeFileSync(join(D, 'recipient_access'), 'blocked@vmbox.test REJECT Mailbox closed\n');
    writeFileSync(join(D, 'postscreen_access.cidr'), '127.0.0.2/32 reject\n');

    sys = await startSyslog(join(D, 'syslog'));
    sys.noise(1500, 1);
    pf('start');
    const listening = async () => {
      for (const p of ports) if ((await client('swaks', ['--server', '127.0.0.1', '--port', String(p), '--quit-after', 'CONNECT', '--silent', '3', '--timeout', '3'], 10_000)).code !== 0) return false;
      return true;
    };
    for (let i = 0; !(await listening()); i++) {
      if (i === 50) throw new Error('timed out waiting for Postfix to listen');
      await sleep(200);
    }

    // ---- Inbound: refused at RCPT by the recipient tables, first (so relay.test is known as ours early).
    const rcptRefusal = async (from: string, to: string[], outcome: Outcome, client?: string) => {
      for (const t of to) lab.expect(t, outcome);
      await swaks(MAIN, from, to, { quitAfter: 'RCPT', client });
    };
    await rcptRefusal('a@sender.test', n('nobody', 3, 'vmbox.test'), inbound('user-unknown', 'virtual_mailbox_maps'));
    await rcptRefusal('b@sender.test', n('nosuch', 2, 'local.test'), inbound('user-unknown', 'local_recipient_maps'));
    await rcptRefusal('c@sender.test', n('dave', 2, 'relay.test'), inbound('user-unknown', 'relay_recipient_maps'));
    await rcptRefusal('d@sender.test', n('someone', 2, 'elsewhere.test'), inbound('relay-denied', 'smtpd_relay_restrictions'), '127.0.0.9');
    await rcptRefusal('e@sender.test', ['blocked@vmbox.test'], inbound('access-policy', 'check_recipient_access'));
    await rcptRefusal('spammer@bad.test', ['alice@vmbox.test'], inbound('access-policy', 'check_sender_access'));
    await rcptRefusal('f@sender.test', ['alice@vmbox.test'], inbound('access-policy', 'check_client_access'), '127.0.0.6');
    await rcptRefusal('g@sender.test', ['grey-policy@vmbox.test'], inbound('greylisted', 'check_policy_service'));
    await rcptRefusal('h@spf-fail.test', ['spf@vmbox.test'], inbound('sender-auth-failed', 'check_policy_service'));

    // ---- Inbound: message size. With SIZE, smtpd refuses at MAIL (a reject: line, no recipient yet);
    // without it only the data tells, and Postfix logs just a warning.
    lab.expect('size1@vmbox.test', inbound('message-too-large', 'message_size_limit', null));
    await pySend(MAIN, 'size1@vmbox.test', 150_000, true);
    lab.expect('size2@vmbox.test', inbound('message-too-large', 'message_size_limit', null), 2);
    await pySend(MAIN, 'size2@vmbox.test', 150_000, false);
    await pySend(MAIN, 'size2@vmbox.test', 150_000, false);
    // ---- Inbound: too many Received: headers (hopcount_limit 10): cleanup refuses, smtpd answers 554.
    lab.expect('hops@vmbox.test', inbound('mail-loop', 'hopcount_limit', null));
    const received = Array.from({ length: 11 }, (_, i) => ['--add-header', `Received: from hop${i}.lab.test by hop${i + 1}.lab.test; Thu, 3 Dec 2026 00:00:00 +0000`]).flat();
    await swaks(MAIN, 'lab@vmbox.test', ['hops@vmbox.test'], { extra: received });

    // ---- Inbound: anvil. 127.0.0.5 may send 2 recipients and 1 message a minute on RATED.
    await swaks(RATED, 'lab@vmbox.test', ['rate1@vmbox.test', 'rate2@vmbox.test', 'rate3@vmbox.test'], { client: '127.0.0.5' });
    lab.expect('rate3@vmbox.test', inbound('rate-limited', 'smtpd_client_recipient_rate_limit', null));
    await swaks(RATED, 'lab@vmbox.test', ['rate1@vmbox.test'], { client: '127.0.0.5' });
    lab.expect('rate1@vmbox.test', inbound('rate-limited', 'smtpd_client_message_rate_limit', null));

    // ---- Inbound: postscreen. 127.0.0.2 is denied by postscreen_access_list; 127.0.0.3 talks first.
    lab.expect('alice@vmbox.test', inbound('access-policy', 'postscreen_access_list'));
    await postscreenSession(SCREEN, '127.0.0.2', 'alice@vmbox.test', false);
    lab.expect('alice@vmbox.test', inbound('protocol-error', 'postscreen_greet_action'));
    await postscreenSession(SCREEN, '127.0.0.3', 'alice@vmbox.test', true);

    // ---- Accepted and delivered.
    await swaks(MAIN, 'lab@vmbox.test', [accepted.vmbox, accepted.provider]);
    await swaks(FILTERED, 'lab@vmbox.test', [accepted.filtered]);

    // ---- Outbound through the sink: one message per recipient.
    for (const [to] of outboundCases) await swaks(MAIN, 'lab@vmbox.test', [to]);
    await swaks(MAIN, 'lab@vmbox.test', [relayStale]);
    // partner.test is ours only by --local-domains (nothing in the log says so).
    await swaks(MAIN, 'lab@vmbox.test', [partner]);

    // ---- The content filter refuses one message itself.
    lab.expect('virus@vmbox.test', local('spam-content', 'content_filter'));
    await swaks(FILTERED, 'lab@vmbox.test', ['virus@vmbox.test']);

    // ---- Local deliveries that fail after acceptance.
    lab.expect('nouser@pipe.test', local('user-unknown', 'pipe transport in master.cf'));
    lab.expect('tempfail@pipe.test', local('other', 'pipe transport in master.cf'));
    lab.expect('quota@pipe.test', local('mailbox-full', 'mailbox quota (Dovecot or file system)'));
    for (const to of ['nouser@pipe.test', 'tempfail@pipe.test', 'quota@pipe.test']) await swaks(MAIN, 'lab@vmbox.test', [to]);
    lab.expect('big@vmbox.test', local('mailbox-full', 'virtual_mailbox_limit'));
    await pySend(MAIN, 'big@vmbox.test', 60_000, true);
    lab.expect('bigbox@local.test', local('mailbox-full', 'mailbox_size_limit'));
    await pySend(MAIN, 'bigbox@local.test', 60_000, true);
    lab.expect('loop1@local.test', local('mail-loop', 'aliases / .forward loop'));
    await swaks(MAIN, 'lab@vmbox.test', ['loop1@local.test']);
    // A transport loop: loop.test goes to our own smtpd on [127.0.0.1]:port (an explicit next hop,
    // so smtp(8) does not check for its own greeting) until the 11th copy passes hopcount_limit:
    // our cleanup refuses it (a warning) and our smtp client bounces it with that 554 5.4.0.
    lab.expect('someone@loop.test', outbound('mail-loop', 'mail loop (MX / transport_maps / relayhost)'));
    lab.expect('someone@loop.test', inbound('mail-loop', 'hopcount_limit', null));
    await swaks(MAIN, 'lab@vmbox.test', ['someone@loop.test']);
    lab.expect('ghost@local.test', local('user-unknown', 'alias_maps / local_recipient_maps'));
    await swaks(MAIN, 'lab@vmbox.test', ['ghost@local.test']);
    sys.noise(1500, 2);

    // Everything is delivered, bounced or deferred once nothing is left in the incoming or active queue.
    const settled = () => {
      const r = spawnSync('postqueue', ['-c', D, '-j'], { encoding: 'utf8', timeout: 10_000 });
      return r.status === 0 && r.stdout.split('\n').filter((l) => l.trim() !== '').every((l) => (JSON.parse(l) as { queue_name: string }).queue_name === 'deferred');
    };
    await sleep(1000);
    await waitFor('the queue to settle', settled, 150, 200);
    pf('stop');
    await sys.sync();
    sys.noise(500, 3);
    await sys.sync();

    for (const [name, file] of Object.entries(sys.files)) {
      const out = join(D, `unrecognised-${name}.txt`);
      const r = await run([file, '--format', 'json', '--unrecognised', out]);
      expect(r.stderr).toBe('');
      reports[name] = ReportSchema.parse(JSON.parse(r.stdout));
      unrecognised[name] = readFileSync(out, 'utf8');
    }
  }, 180_000);

  afterAll(async () => {
    if (dir && sys) sys.run(POSTFIX, ['-c', dir, 'stop'], 30_000);
    await sys?.stop();
    await sink?.close();
    await filter?.close();
    await policy?.close();
    if (dir && !process.env.MLD_KEEP_POSTFIX_DIR) rmSync(dir, { recursive: true, force: true });
  });

  test('at least 30 groups are declared', () => {
    expect(lab.groups().length).toBeGreaterThanOrEqual(30);
  });

  for (const name of ['rfc3339', 'classic', 'shared'] as const) {
    test(`${name}: every Postfix line is understood`, () => {
      expect(unrecognised[name]).toBe('');
      expect(reports[name]!.summary.files[0]!.format).toBe('postfix');
    });

    test(`${name}: the findings are exactly the declared groups`, () => {
      const got = groupsOf(reports[name]!.findings);
      const a = agreement(got, lab.groups());
      console.log(`lab-postfix ${name}: ${a.exact}/${a.total} groups exact`);
      expect(got).toEqual(lab.groups());
    });
  }

  test('the shared system log holds thousands of other programs’ lines, counted as other-program', () => {
    expect(reports.shared!.summary.ignoredByReason['other-program']).toBeGreaterThanOrEqual(3500);
    expect(reports.shared!.summary.linesRead).toBe(reports.classic!.summary.linesRead + 3500);
  });

  test('two threads (the reader thread reduces sent deliveries to counts) give the same groups', async () => {
    const env = { ...process.env, TZ: 'UTC', FORCE_COLOR: '0', MAILLOG_DOCTOR_THREADS: '2' };
    const r = await run([sys!.files.shared, '--format', 'json'], { env });
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(groupsOf(report.findings)).toEqual(lab.groups());
    // The shortcuts for sent deliveries and arrivals count the traffic as the events would.
    expect(report.traffic).toEqual(reports.shared!.traffic);
  });

  // Ground truth for the traffic overview: pflogsumm on the same log (see test/e2e/pflogsumm.test.ts
  // for how the two count differently: received and the expired part of bounced).
  test.skipIf(noPflogsumm !== null)('traffic totals agree with pflogsumm on the lab log', async () => {
    const p = await pflogsummTotals(sys!.files.classic, 'postfix-mx');
    const t = reports.classic!.traffic;
    expect(t.delivered).toBe(p.delivered);
    expect(t.deferred).toEqual({ messages: p.deferred, attempts: p.deferrals });
    // Plus the 6 refusals Postfix records only in a warning (message_size_limit: size1 once and
    // size2 twice; hopcount_limit; the client recipient and message rate limits): pflogsumm
    // lists those under warnings.
    expect(t.rejected.attempts).toBe(p.rejected + 6);
    expect(t.bounced - t.expired).toBe(p.bounced);
    expect(t.received).toBeGreaterThan(0);
    expect(reports.rfc3339!.traffic.delivered).toBe(t.delivered);
  });

  test('--local-domains makes a domain ours: its next hop’s refusal is local', async () => {
    const r = await run([sys!.files.rfc3339, '--format', 'json', '--local-domains', 'partner.test,other.test']);
    const groups = groupsOf(ReportSchema.parse(JSON.parse(r.stdout)).findings);
    // The same groups, except that partner.test's refusal moved from outbound to local.
    const want = new Scenarios();
    for (const { address, outcome, times } of lab.recipients) {
      if (outcome === null) continue;
      want.expect(address, address === partner ? local('user-unknown', 'relay_recipient_maps') : outcome, times);
    }
    expect(groups).toEqual(want.groups());
  });
});


