/**
 * The phrasebook: every text the Postfix generator writes, in one place so each can be checked
 * against its source. Postfix's own texts follow its source (smtpd_check.c, smtpd.c,
 * postscreen_early.c, smtp_addr.c, smtp_connect.c, log_adhoc.c, format_tv.c); remote servers'
 * replies are copied from real logs (see /work/shared/corpus/postfix and SOURCES.md there) and
 * the providers' published bounce texts. Postfix joins a multi-line reply with spaces, which is
 * why "550-5.1.1 … 550 5.1.1  https://…" appears on one line.
 */
import type { Rng } from './rng.js';

// ---------------------------------------------------------------- smtpd and postscreen

export interface Peer {
  name: string;
  ip: string;
}

export const addr = (p: Peer) => `${p.name}[${p.ip}]`;

/** log_whatsup(): `<id>: reject: <STAGE> from name[ip]: <reply>; from=<…> to=<…> proto=… helo=<…>`. */
export function smtpdReject(
  id: string,
  stage: string,
  client: Peer,
  reply: string,
  env: { from?: string; to?: string; proto: string; helo: string; action?: string },
): string {
  let s = `${id}: ${env.action ?? 'reject'}: ${stage} from ${addr(client)}: ${reply};`;
  if (env.from !== undefined) s += ` from=<${env.from}>`;
  if (env.to !== undefined) s += ` to=<${env.to}>`;
  return `${s} proto=${env.proto} helo=<${env.helo}>`;
}

/** smtpd_check.c: unknown recipients, per table (check_rcpt_maps / reject_unlisted_recipient). */
export type RcptTable = 'virtual alias' | 'virtual mailbox' | 'local recipient' | 'relay recipient';
export const userUnknown = (rcpt: string, table: RcptTable) =>
  `550 5.1.1 <${rcpt}>: Recipient address rejected: User unknown in ${table} table`;

/** defer_unauth_destination, Postfix's default smtpd_relay_restrictions (Debian main.cf). */
export const relayDenied = (rcpt: string) => `454 4.7.1 <${rcpt}>: Relay access denied`;

/** reject_rbl_client with the list's own TXT record appended (default_rbl_reply). */
export function rblReply(rng: Rng, ip: string): string {
  const list = rng.weighted<[string, string]>([
    [['zen.spamhaus.org', `https://www.spamhaus.org/query/ip/${ip}`], 5],
    [['zen.spamhaus.org', 'http://www.spamhaus.org/sbl/query/SBLCSS'], 3],
    [['zen.spamhaus.org', `http://www.spamhaus.org/query/bl?ip=${ip}`], 2],
    [['bl.spamcop.net', `Blocked - see https://www.spamcop.net/bl.shtml?${ip}`], 1],
    [['b.barracudacentral.org', `http://www.barracudanetworks.com/reputation/?pr=1&ip=${ip}`], 1],
  ]);
  return `554 5.7.1 Service unavailable; Client host [${ip}] blocked using ${list[0]}; ${list[1]}`;
}

/** check_*_access with REJECT and no text: access_map_reject_code 554, "Access denied". */
export const clientAccessDenied = (c: Peer) => `554 5.7.1 <${addr(c)}>: Client host rejected: Access denied`;
export const senderAccessDenied = (sender: string) => `554 5.7.1 <${sender}>: Sender address rejected: Access denied`;
export const recipientAccessDenied = (rcpt: string) => `554 5.7.1 <${rcpt}>: Recipient address rejected: Access denied`;
/** reject_unknown_sender_domain, unknown_address_reject_code 450. */
export const senderDomainNotFound = (sender: string) => `450 4.1.8 <${sender}>: Sender address rejected: Domain not found`;
/** reject_non_fqdn_helo_hostname, non_fqdn_reject_code 504. */
export const heloNotFqdn = (helo: string) => `504 5.5.2 <${helo}>: Helo command rejected: need fully-qualified hostname`;
/** postgrey's reply through check_policy_service (the URL names the recipient domain). */
export const postgreyReply = (rcpt: string, domain: string) =>
  `450 4.2.0 <${rcpt}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/${domain}.html`;
/** policyd-spf's reject through check_policy_service. */
export const spfReply = (rcpt: string, sender: string, ip: string) =>
  `550 5.7.23 <${rcpt}>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id=${sender};ip=${ip};r=<UNKNOWN>`;
/** A rate-limiting policy server (as logged on a real submission host). */
export const rateLimitReply = (sender: string) =>
  `450 4.7.1 <${sender}>: Sender address rejected: You are sending too many emails, contact helpdesk`;
/** reject_sender_login_mismatch for a client that did not authenticate. */
export const notLoggedIn = (sender: string) => `553 5.7.1 <${sender}>: Sender address rejected: not logged in`;
/** smtpd_check_size(): MAIL FROM with SIZE= above message_size_limit; logged before from= is set. */
export const sizeExceeded = '552 5.3.4 Message size exceeds fixed limit';
/** reject_multi_recipient_bounce in smtpd_data_restrictions. */
export const multiRecipientBounce = '550 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce';

/** cleanup_milter.c: `<id>: milter-reject: END-OF-MESSAGE from name[ip]: 5.7.1 …; from=<…> to=<…> …`. */
export const milterReject = (id: string, c: Peer, text: string, from: string, to: string, helo: string) =>
  `${id}: milter-reject: END-OF-MESSAGE from ${addr(c)}: ${text}; from=<${from}> to=<${to}> proto=ESMTP helo=<${helo}>`;

/** postscreen_smtpd.c: note the comma-separated trailer, unlike smtpd's. */
export const postscreenReject = (ip: string, port: number, list: string, from: string, to: string, helo: string) =>
  `NOQUEUE: reject: RCPT from [${ip}]:${port}: 550 5.7.1 Service unavailable; client [${ip}] blocked using ${list}; from=<${from}>, to=<${to}>, proto=ESMTP, helo=<${helo}>`;

/** smtpd_format_cmd_stats(): `name=ok[/total]` in command-table order, then commands=. */
export function disconnectStats(cmds: [string, number, number][]): string {
  const order = ['helo', 'ehlo', 'starttls', 'auth', 'mail', 'rcpt', 'data', 'bdat', 'rset', 'noop', 'vrfy', 'quit', 'unknown'];
  let ok = 0;
  let total = 0;
  let s = '';
  for (const name of order) {
    for (const [n, good, all] of cmds) {
      if (n !== name || all === 0) continue;
      s += ` ${n}=${good}${good !== all ? `/${all}` : ''}`;
      ok += good;
      total += all;
    }
  }
  return `${s} commands=${ok}${ok !== total ? `/${total}` : ''}`;
}

export function smtpdTls(rng: Rng): string {
  return rng.weighted<string>([
    ['TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256', 6],
    ['TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256', 2],
    ['TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)', 2],
    ['TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits)', 1],
  ]);
}

export function smtpTls(rng: Rng, host: string): string {
  if (host.endsWith('google.com')) {
    return 'TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256';
  }
  if (host.endsWith('outlook.com')) return 'TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)';
  return smtpdTls(rng);
}

// ---------------------------------------------------------------- delivery lines (log_adhoc.c)

/** format_tv() with 2 significant digits and delay_logging_resolution_limit = 2. */
export function formatTv(micros: number): string {
  const MILLION = 1_000_000;
  let sec = Math.floor(micros / MILLION);
  let usec = Math.floor(micros % MILLION);
  const wid = 100;
  let ures = MILLION / 100;
  if (sec > 0) {
    let n = 1;
    while (sec >= n && n <= wid / 10) n *= 10;
    ures = (MILLION / wid) * n;
  } else {
    while (usec >= wid * ures) ures *= 10;
  }
  if (ures > 1) {
    usec += Math.floor(ures / 2);
    if (usec >= MILLION) {
      sec += 1;
      usec -= MILLION;
    }
  }
  let s = String(sec);
  if (usec >= ures) {
    s += '.';
    for (let rem = usec, n = MILLION / 10; rem >= ures && n > 0; n = Math.floor(n / 10)) {
      s += String(Math.floor(rem / n));
      rem %= n;
    }
  }
  return s;
}

export interface Delivery {
  id: string;
  to: string;
  origTo?: string;
  relay: string;
  connUse?: number;
  /** Microseconds: before qmgr, in qmgr, connection set-up, transmission. */
  delays: [number, number, number, number];
  dsn: string;
  status: 'sent' | 'bounced' | 'deferred';
  reason: string;
}

export function deliveryLine(d: Delivery): string {
  const total = d.delays[0] + d.delays[1] + d.delays[2] + d.delays[3];
  let s = `${d.id}: to=<${d.to}>`;
  if (d.origTo && d.origTo.toLowerCase() !== d.to.toLowerCase()) s += `, orig_to=<${d.origTo}>`;
  s += `, relay=${d.relay}`;
  if (d.connUse && d.connUse > 1) s += `, conn_use=${d.connUse}`;
  s += `, delay=${formatTv(total)}, delays=${d.delays.map(formatTv).join('/')}`;
  return `${s}, dsn=${d.dsn}, status=${d.status} (${d.reason})`;
}

// ---------------------------------------------------------------- what remote servers say

/** A reply as our smtp client saw it: code class, DSN and text, and the command it answered. */
export interface Reply {
  dsn: string;
  text: string;
  /** `RCPT TO`, `MAIL FROM`, `end of DATA`. */
  cmd: string;
}

/** Google's trace id at the end of each reply (`od20si504618ejb.621 - gsmtp`). */
function gsmtp(rng: Rng): string {
  const l = () => rng.alnum(2).toLowerCase().replace(/[0-9]/g, 'x');
  return `${l()}${rng.int(1, 99)}si${rng.int(100000, 99999999)}${l()}${rng.pick(['b', 'x', 'd', 'a'])}.${rng.int(1, 999)} - gsmtp`;
}

/** Region and front-end tags in Exchange Online replies. */
function eop(rng: Rng): string {
  const [site, eur] = rng.pick([
    ['DB5EUR03', 'EUR03'], ['AM5EUR02', 'EUR02'], ['VI1EUR04', 'EUR04'], ['HE1EUR02', 'EUR02'], ['CO1NAM11', 'NAM11'],
  ] as const);
  return `[${site}FT${String(rng.int(1, 64)).padStart(3, '0')}.eop-${eur}.prod.protection.outlook.com]`;
}

export const remote = {
  gmailNoSuchUser: (rng: Rng): Reply => ({
    dsn: '5.1.1',
    cmd: 'RCPT TO',
    text: `550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. Learn more at 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser ${gsmtp(rng)}`,
  }),
  gmailDisabled: (rng: Rng): Reply => ({
    dsn: '5.2.1',
    cmd: 'RCPT TO',
    text: `550-5.2.1 The email account that you tried to reach is disabled. Learn more at 550 5.2.1  https://support.google.com/mail/?p=DisabledUser ${gsmtp(rng)}`,
  }),
  gmailOverQuota: (rng: Rng): Reply => ({
    dsn: '4.2.2',
    cmd: 'RCPT TO',
    text: `452-4.2.2 The email account that you tried to reach is over quota. Please direct 452-4.2.2 the recipient to 452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp ${gsmtp(rng)}`,
  }),
  gmailUnauthenticated: (rng: Rng, senderDomain: string, ip: string): Reply => ({
    dsn: '5.7.26',
    cmd: 'end of DATA',
    text: `550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail 550-5.7.26 requires all senders to authenticate with either SPF or DKIM. 550-5.7.26  550-5.7.26  Authentication results: 550-5.7.26  DKIM = did not pass 550-5.7.26  SPF [${senderDomain}] with ip: [${ip}] = did not pass 550-5.7.26  550-5.7.26  For instructions on setting up authentication, go to 550 5.7.26  https://support.google.com/mail/answer/81126#authentication ${gsmtp(rng)}`,
  }),
  gmailUnsolicited: (rng: Rng, ip: string): Reply => ({
    dsn: '5.7.1',
    cmd: 'end of DATA',
    text: `550-5.7.1 [${ip}      12] Our system has detected that this message is 550-5.7.1 likely unsolicited mail. To reduce the amount of spam sent to Gmail, 550-5.7.1 this message has been blocked. For more information, go to 550 5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError ${gsmtp(rng)}`,
  }),
  o365Unknown: (rng: Rng): Reply => ({
    dsn: '5.4.1',
    cmd: 'RCPT TO',
    text: `550 5.4.1 Recipient address rejected: Access denied. AS(201806281) ${eop(rng)}`,
  }),
  outlookUnknown: (rng: Rng): Reply => ({
    dsn: '5.5.0',
    cmd: 'RCPT TO',
    text: `550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). ${eop(rng)}`,
  }),
  microsoftBlockList: (rng: Rng, ip: string): Reply => ({
    dsn: '5.7.1',
    cmd: 'MAIL FROM',
    text: `550 5.7.1 Unfortunately, messages from [${ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. ${eop(rng)}`,
  }),
  yahooDeferred: (ip: string): Reply => ({
    dsn: '4.7.0',
    cmd: 'MAIL FROM',
    text: `421 4.7.0 [TSS04] Messages from ${ip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes`,
  }),
  yahooUnknown: (rng: Rng, rcpt: string, domain: string): Reply => ({
    dsn: '5.0.0',
    cmd: 'end of DATA',
    text: `554 delivery error: dd This user doesn't have a ${domain} account (${rcpt}) [0] - mta${rng.int(1000, 4999)}.mail.${rng.pick(['bf1', 'gq1', 'ne1'])}.yahoo.com`,
  }),
  yahooDisabled: (rng: Rng, rcpt: string): Reply => ({
    dsn: '5.0.0',
    cmd: 'end of DATA',
    text: `554 delivery error: dd Sorry your message to ${rcpt} cannot be delivered. This mailbox is disabled (554.30). - mta${rng.int(1000, 4999)}.mail.${rng.pick(['bf1', 'gq1', 'ne1'])}.yahoo.com`,
  }),
  icloudUnknown: (rcpt: string): Reply => ({ dsn: '5.1.1', cmd: 'RCPT TO', text: `550 5.1.1 <${rcpt}>: user does not exist` }),
  gmxUnknown: (): Reply => ({ dsn: '5.0.0', cmd: 'RCPT TO', text: '550 Requested action not taken: mailbox unavailable' }),
  postfixUnknown: (rcpt: string, table: RcptTable): Reply => ({ dsn: '5.1.1', cmd: 'RCPT TO', text: userUnknown(rcpt, table) }),
  exchangeUnknown: (): Reply => ({
    dsn: '5.1.10',
    cmd: 'RCPT TO',
    text: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
  }),
  exchangeTooLarge: (): Reply => ({ dsn: '5.3.4', cmd: 'end of DATA', text: '552 5.3.4 Message size exceeds fixed maximum message size' }),
  /** A remote Postfix refusing our SIZE= at MAIL FROM (its smtpd_check_size). */
  postfixTooLarge: (): Reply => ({ dsn: '5.3.4', cmd: 'MAIL FROM', text: sizeExceeded }),
  genericUnknown: (rcpt: string): Reply => ({ dsn: '5.1.1', cmd: 'RCPT TO', text: `550 5.1.1 <${rcpt}>: Recipient address rejected: User unknown` }),
  postgrey: (rcpt: string, domain: string): Reply => ({ dsn: '4.2.0', cmd: 'RCPT TO', text: postgreyReply(rcpt, domain) }),
  greylistedMinutes: (rcpt: string): Reply => ({
    dsn: '4.7.1',
    cmd: 'RCPT TO',
    text: `450 4.7.1 <${rcpt}>: Recipient address rejected: Greylisted for 5 minutes`,
  }),
  tooManyRecipients: (): Reply => ({ dsn: '4.5.3', cmd: 'RCPT TO', text: '452 4.5.3 Error: too many recipients' }),
  starttlsRequired: (): Reply => ({ dsn: '5.7.0', cmd: 'MAIL FROM', text: '530 5.7.0 Must issue a STARTTLS command first' }),
};

/** The reason text of a delivery that got an SMTP reply. */
export const said = (mx: Peer, r: Reply) => `host ${addr(mx)} said: ${r.text} (in reply to ${r.cmd} command)`;

/** smtp_addr.c / dns_strerror.c. */
export const dnsError = (name: string, type: 'MX' | 'A', tryAgain: boolean) =>
  `Host or domain name not found. Name service error for name=${name} type=${type}: Host not found${tryAgain ? ', try again' : ''}`;
/** smtp_connect.c: `connect to host[ip]:25: <strerror>`. */
export const connectError = (mx: Peer, error: 'Connection timed out' | 'Connection refused') => `connect to ${addr(mx)}:25: ${error}`;
export const loopsBack = (domain: string) => `mail for ${domain} loops back to myself`;
