/**
 * The Exim lab: a real Exim 4.96 (test/lab/exim.ts) configured through its own options —
 * redirect routers with `:fail:`/`:defer:`/`:blackhole:`, appendfile with a quota, pipe
 * transports that exit 67/75 or print a quota text, a manualroute next hop on loopback (the
 * scripted sink, answering provider texts), ACL statements (`verify = recipient`, `verify =
 * sender`, a `deny` with its message, `ratelimit`), a data ACL, message_size_limit,
 * received_headers_max and tiny retry rules — is sent a known mix of mail. The expected
 * findings are declared per recipient from what was sent and from Exim's documented texts
 * (Scenarios), never read from the log, and compared as a set of (direction, recipient domain,
 * cause, hint) groups with exact counts.
 *
 * Shapes: Exim's own mainlog + rejectlog read in one run (log_selector +all), and Exim writing
 * to syslog through a private rsyslogd (both logs in one stream, long entries split into
 * pieces), read as RFC 3339 and classic mail logs and from a shared system log among thousands
 * of other programs' lines (log_selector -all plus a few). Skipped, with the reason, without
 * root, swaks or the unpacked package.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyse } from '../../src/pipeline.js';
import { eximMissing, runAsync, startExim, type Exim } from './exim.js';
import { agreement, groupsOf, Scenarios, type Group, type Outcome } from './scenario.js';
import { atData, atRcpt, reply, startSink, type Sink } from './sink.js';
import { startSyslog, syslogMissing, type PrivateSyslog } from './syslog.js';

const skipReason = eximMissing();
if (skipReason) console.warn(`Exim lab skipped: ${skipReason}`);
const syslogSkip = skipReason ?? syslogMissing();
if (!skipReason && syslogSkip) console.warn(`Exim lab, syslog shapes skipped: ${syslogSkip}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- what the sink answers

/** Provider reply texts (as their servers send them) for the recipients routed to the sink. */
const SINK_ANSWERS = {
  'nobody@gmail.test': atRcpt(
    reply(550, "5.1.1 The email account that you tried to reach does not exist. Please try", "5.1.1 double-checking the recipient's email address for typos or", '5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser'),
  ),
  'full@outlook.test': atRcpt(reply(452, '4.2.2 The recipient\'s mailbox is full and can\'t accept messages now. Please try again later.')),
  'someone@yahoo.test': atRcpt(reply(553, '5.7.1 [BL21] Connections will not be accepted from 127.0.0.1, because the ip is in Spamhaus\'s list; see https://postmaster.yahooinc.com/error-codes')),
  'content@gmail.test': atData(reply(550, '5.7.1 [127.0.0.1] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked.')),
  'ghost@relay.test': atRcpt(reply(550, '5.1.1 <ghost@relay.test>: Recipient address rejected: User unknown in virtual mailbox table')),
};

// ---------------------------------------------------------------- the scenarios

/** Hints and causes as the rules must give them, named once. */
const H = {
  verifyRecipient: 'verify = recipient (acl_smtp_rcpt): no router accepted',
  rcptMessage: 'acl_smtp_rcpt: deny message / redirect :fail:',
  rcptDefer: 'acl_smtp_rcpt: defer / router :defer:',
  relay: 'relay_to_domains / relay_from_hosts',
  verifySender: 'verify = sender',
  ratelimit: 'ratelimit (ACL)',
  size: 'message_size_limit',
  dataAcl: 'acl_smtp_data / acl_smtp_mime',
  loop: 'received_headers_max',
  pipeNoUser: 'pipe transport: exit 67 (EX_NOUSER)',
  pipeTemp: 'pipe transport: exit 75 (EX_TEMPFAIL)',
  pipeOutput: 'pipe transport output (quota)',
  quota: 'quota (appendfile transport)',
  redirectFail: 'redirect router :fail:',
  redirectDefer: 'redirect router :defer:',
  noRouter: 'routers: no router accepted (aliases / local users)',
} as const;

interface Send {
  /** 127.0.0.2 is a stranger; 127.0.0.1 is in relay_from_hosts (our own users). */
  client: '127.0.0.1' | '127.0.0.2';
  from: string;
  to: string[];
  /** Extra headers (swaks --add-header) and a body of this many bytes. */
  headers?: string[];
  bodyBytes?: number;
  /** Sent with Python's smtplib: 'size' announces SIZE= at MAIL, 'helo' sends no SIZE at all. */
  smtplib?: 'size' | 'helo';
  /** Holds recipients that defer: sent and delivered first (see exercise()). */
  defers?: boolean;
}

/**
 * Every message the lab sends, and for every recipient what it must come out as. Deferred
 * recipients are retried once after the retry rule's 4 s cutoff (`F,4s,1s`), so each comes out
 * twice: the deferral (`==`) and the final failure (`**`, `retry timeout exceeded`), which is the
 * same failure and so the same group.
 */
function scenarios(): { lab: Scenarios; sends: Send[] } {
  const lab = new Scenarios();
  const sends: Send[] = [];
  const inbound = (cause: string, hint: string, recipientDomain?: string | null): Outcome => ({ direction: 'inbound', cause, hint, recipientDomain });
  const local = (cause: string, hint: string): Outcome => ({ direction: 'local', cause, hint });
  const outbound = (cause: string, hint: string): Outcome => ({ direction: 'outbound', cause, hint });
  const stranger = (to: string[], from = 'friend@gmail.test') => sends.push({ client: '127.0.0.2', from, to });
  const ours = (to: string[], extra: Partial<Send> = {}) => sends.push({ client: '127.0.0.1', from: 'sender@lab.test', to, ...extra });

  // ---- RCPT ACL: verify = recipient runs the routers.
  stranger([
    lab.expect('nobody1@lab.test', inbound('user-unknown', H.verifyRecipient)),
    lab.expect('nobody2@lab.test', inbound('user-unknown', H.verifyRecipient)),
    // redirect `:fail: <text>`: the text decides the cause (a closed mailbox, an unknown user).
    lab.expect('gone@lab.test', inbound('mailbox-disabled', H.rcptMessage)),
    lab.expect('retired@lab.test', inbound('user-unknown', H.rcptMessage)),
    // redirect `:defer: <text>`: a temporary refusal that is not greylisting.
    lab.expect('tempalias@lab.test', inbound('other', H.rcptDefer)),
    // `deny local_parts = spamtrap` with `message = 550 5.7.1 …`.
    lab.expect('spamtrap@lab.test', inbound('access-policy', H.rcptMessage)),
    // A deny message of ~900 characters ending `listed on a DNS blocklist` (split in syslog).
    lab.expect('longtext@lab.test', inbound('blocklisted', 'dnslists (ACL)')),
    // Neither a local nor a relay domain, from a host not in relay_from_hosts.
    lab.expect('x@elsewhere.test', inbound('relay-denied', H.relay)),
    lab.accept('alice@lab.test'),
  ]);
  // `require verify = sender`: the sender's domain has no router (no dnslookup here).
  stranger([lab.expect('bob@lab.test', inbound('domain-not-found', H.verifySender))], 'someone@nowhere.test');
  // `ratelimit = 2 / 1h / per_rcpt / strict`: the rate grows by one per RCPT, so the 3rd and 4th are over.
  sends.push({
    client: '127.0.0.1',
    from: 'bulk@lab.test',
    to: [lab.accept('alice@lab.test'), lab.accept('bob@lab.test'), lab.expect('sender@lab.test', inbound('rate-limited', H.ratelimit)), lab.expect('alice@lab.test', inbound('rate-limited', H.ratelimit))],
  });

  // ---- Size: message_size_limit = 20K, announced with SIZE= (refused at MAIL, before any
  // recipient) and not announced (refused after the data; the rejectlog lists the recipients).
  sends.push({ client: '127.0.0.1', from: 'sender@lab.test', to: ['alice@lab.test'], bodyBytes: 30_000, smtplib: 'size' });
  lab.expect('alice@lab.test', inbound('message-too-large', H.size, null));
  sends.push({ client: '127.0.0.1', from: 'sender@lab.test', to: [lab.expect('alice@lab.test', inbound('message-too-large', H.size)), lab.expect('carol@gmail.test', inbound('message-too-large', H.size))], bodyBytes: 30_000, smtplib: 'helo' });

  // ---- DATA ACL: one refusal of a message for three domains counts once per recipient.
  ours(
    [
      lab.expect('alice@lab.test', inbound('spam-content', H.dataAcl)),
      lab.expect('carol@gmail.test', inbound('spam-content', H.dataAcl)),
      lab.expect('dave@outlook.test', inbound('spam-content', H.dataAcl)),
    ],
    { headers: ['Subject: FORBIDDEN offer'] },
  );

  // ---- Deferrals: each recipient defers at the first delivery, defers again at the second (past
  // the retry rule's cutoff), and that second deferral is followed by `** …: retry timeout
  // exceeded`, its final failure: three events of one cause (the expiry is the same failure).
  // One message, so that it is seconds old at its first delivery however slow the machine is
  // (older than the cutoff, it would fail at its first deferral). appendfile quota = 1K for
  // `full`: its 3 KB do not fit.
  ours(
    [
      lab.expect('pipe75@lab.test', local('other', H.pipeTemp), 3),
      lab.expect('tempalias@lab.test', local('other', H.redirectDefer), 3),
      lab.expect('full@lab.test', local('mailbox-full', H.quota), 3),
      lab.expect('full@outlook.test', outbound('mailbox-full', 'their mailbox is full'), 3),
    ],
    { bodyBytes: 3000, defers: true },
  );

  // ---- Local deliveries (accepted first: 127.0.0.1 skips verify = recipient).
  ours([
    lab.expect('pipe67@lab.test', local('user-unknown', H.pipeNoUser)),
    lab.expect('pipequota@lab.test', local('mailbox-full', H.pipeOutput)),
    lab.expect('gone@lab.test', local('mailbox-disabled', H.redirectFail)),
    lab.expect('nobody9@lab.test', local('user-unknown', H.noRouter)),
    lab.accept('devnull@lab.test'),
    lab.accept('bob@lab.test'),
  ]);
  // received_headers_max = 12: a message that already has 13 Received: headers is failed at delivery.
  ours([lab.expect('bob@lab.test', local('mail-loop', H.loop))], {
    headers: Array.from({ length: 13 }, (_, i) => `Received: from hop${i}.loop.test by hop${i + 1}.loop.test; Fri, 4 Dec 2026 10:00:${String(i).padStart(2, '0')} +0000`),
  });

  // ---- Outbound, through the manualroute next hop (the sink on loopback).
  ours([
    lab.expect('nobody@gmail.test', outbound('user-unknown', 'remove the address from lists')),
    lab.expect('someone@yahoo.test', outbound('blocklisted', 'our IP reputation')),
    lab.expect('ghost@relay.test', outbound('user-unknown', 'remove the address from lists')),
    lab.accept('friend@gmail.test'),
  ]);
  ours([lab.expect('content@gmail.test', outbound('spam-content', 'our message content'))]);
  // No router for the domain (and no dnslookup): unrouteable.
  ours([lab.expect('x@nowhere.test', outbound('domain-not-found', 'fix the domain (typo?)'))]);
  return { lab, sends };
}

// ---------------------------------------------------------------- sending

function swaks(port: number, s: Send): Promise<unknown> {
  const args = ['--server', '127.0.0.1', '--port', String(port), '--local-interface', s.client, '--helo', 'client.lab.test', '--from', s.from, '--to', s.to.join(','), '--timeout', '10', '--silent', '3'];
  for (const h of s.headers ?? []) args.push('--add-header', h);
  if (s.bodyBytes) args.push('--body', `${'x'.repeat(76)}\n`.repeat(Math.ceil(s.bodyBytes / 77)));
  return runAsync('swaks', args, 30_000);
}

/** smtplib: with `size`, SIZE= at MAIL (EHLO); with `helo`, no ESMTP at all, so no SIZE. */
const SMTPLIB = `
import smtplib, sys
port, client, mode, sender, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
rcpts = sys.argv[6:]
body = ("Subject: big\\r\\n\\r\\n" + ("x" * 76 + "\\r\\n") * (n // 78 + 1)).encode()
s = smtplib.SMTP("127.0.0.1", port, source_address=(client, 0), timeout=10)
if mode == "helo":
    s.helo("client.lab.test")
else:
    s.ehlo("client.lab.test")
try:
    s.sendmail(sender, rcpts, body)
except smtplib.SMTPException:
    pass
try:
    s.quit()
except Exception:
    pass
`;

function smtplib(port: number, s: Send): Promise<unknown> {
  return runAsync('python3', ['-c', SMTPLIB, String(port), s.client, s.smtplib!, s.from, String(s.bodyBytes ?? 0), ...s.to], 30_000);
}

/**
 * Sends the messages that defer and delivers them at once (their first failure; a message older
 * than the retry cutoff would be failed at its first failure), then sends the rest, waits out
 * the 6 s cutoff and delivers again (the deferred ones now time out), then once more for the
 * bounces.
 */
async function exercise(exim: Exim, port: number, sends: Send[], between: () => void = () => {}): Promise<void> {
  const send = async (s: Send) => {
    await (s.smtplib ? smtplib : swaks)(port, s);
    between();
  };
  for (const s of sends.filter((x) => x.defers)) await send(s);
  await exim.runQueue();
  const firstRun = Date.now();
  for (const s of sends.filter((x) => !x.defers)) await send(s);
  await sleep(Math.max(0, firstRun + 7000 - Date.now()));
  await exim.runQueue();
  await exim.runQueue();
}

async function groupsFrom(files: string[]): Promise<{ groups: Group[]; unrecognised: string[] }> {
  const unrecognised: string[] = [];
  const r = await analyse(files, { threads: 1, onUnrecognised: (f, no, line) => unrecognised.push(`${f}:${no}: ${line}`) });
  return { groups: groupsOf(r.aggregator.snapshot(r.stats).findings), unrecognised };
}

function report(shape: string, got: Group[], want: Group[]): void {
  const a = agreement(got, want);
  console.log(`Exim lab ${shape}: ${a.exact}/${a.total} groups exact`);
  for (const g of a.missing) console.log(`  missing    ${JSON.stringify(g)}`);
  for (const g of a.unexpected) console.log(`  unexpected ${JSON.stringify(g)}`);
}

const PORT = 3525 + (process.pid % 1000);

describe.skipIf(skipReason !== null)('Exim lab: own mainlog and rejectlog (log_selector +all)', () => {
  let dir = '';
  let sink: Sink;
  let exim: Exim;
  const { lab, sends } = scenarios();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mld-exim-'));
    chmodSync(dir, 0o755);
    sink = await startSink({ answers: SINK_ANSWERS, lifetimeMs: 120_000 });
    exim = await startExim({ dir, port: PORT, sinkPort: sink.port, logTo: 'files', logSelector: '+all' });
    await exercise(exim, PORT, sends);
  }, 60_000);

  afterAll(async () => {
    exim?.stop();
    await sink?.close();
    if (dir && !process.env.MLD_KEEP_LAB) rmSync(dir, { recursive: true, force: true });
  });

  test('findings are exactly the declared groups, every line understood', async () => {
    const { groups, unrecognised } = await groupsFrom([exim.mainlog, exim.rejectlog]);
    report('files', groups, lab.groups());
    if (process.env.MLD_KEEP_LAB) console.log(readFileSync(exim.mainlog, 'utf8'));
    expect(groups).toEqual(groupsOf(lab.groups()));
    expect(unrecognised).toEqual([]);
  });
});

/** The pid of the private rsyslogd (found by its configuration file), whose mount namespace Exim must share. */
function rsyslogdPid(dir: string): number | null {
  const conf = join(dir, 'rsyslog.conf');
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'latin1').split('\0');
      if (cmd[0]?.endsWith('rsyslogd') && cmd.includes(conf)) return Number(p);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

describe.skipIf(syslogSkip !== null)('Exim lab: log_file_path = syslog through rsyslog (log_selector -all +rejected_header …)', () => {
  let dir = '';
  let sink: Sink;
  let exim: Exim | undefined;
  let sys: PrivateSyslog | undefined;
  const { lab, sends } = scenarios();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mld-exim-syslog-'));
    chmodSync(dir, 0o755);
    sys = await startSyslog(join(dir, 'syslog'));
    const ns = rsyslogdPid(join(dir, 'syslog'));
    if (ns === null) throw new Error('private rsyslogd not found');
    // Other programs' lines before, between and after Exim's, as in a real /var/log/syslog.
    sys.noise(500, 1);
    sink = await startSink({ answers: SINK_ANSWERS, lifetimeMs: 120_000 });
    exim = await startExim({
      dir: join(dir, 'exim'),
      port: PORT + 1,
      sinkPort: sink.port,
      logTo: 'syslog',
      logSelector: '-all +rejected_header +received_recipients +delivery_size',
      prefix: ['nsenter', '-t', String(ns), '-m', '--'],
    });
    let n = 1;
    await exercise(exim, PORT + 1, sends, () => sys!.noise(150, ++n));
    sys.noise(500, 99);
    await sys.sync();
  }, 90_000);

  afterAll(async () => {
    exim?.stop();
    await sink?.close();
    await sys?.stop();
    if (dir && !process.env.MLD_KEEP_LAB) rmSync(dir, { recursive: true, force: true });
  });

  test.for([
    ['RFC 3339 mail log', 'rfc3339'],
    ['classic mail log', 'classic'],
    ['shared system log (thousands of other programs\' lines)', 'shared'],
  ] as const)('%s: findings are exactly the declared groups', async ([shape, file]) => {
    const path = sys!.files[file];
    const { groups, unrecognised } = await groupsFrom([path]);
    report(`syslog, ${shape}`, groups, lab.groups());
    if (process.env.MLD_KEEP_LAB && file === 'classic') console.log(readFileSync(path, 'utf8'));
    expect(groups).toEqual(groupsOf(lab.groups()));
    expect(unrecognised).toEqual([]);
  });
});
