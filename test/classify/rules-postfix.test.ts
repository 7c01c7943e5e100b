import fc from 'fast-check';
/**
 * The Postfix rule table, one row per rule at least, each a log line run through the real parser
 * (test/helpers/parse.ts) and then classify(). Lines come verbatim from ../shared/corpus/postfix
 * (file and line number in the name). Where the corpus has no line for a rule, the line is
 * written in Postfix's log format around the exact text of Postfix's source (file named) or of
 * a provider's real reply (provider named); those names say "source:" or "provider:".
 */
import { describe, expect, test } from 'vitest';
import {
  classify,
  classifyWith,
  dnsblQuery,
  enhancedMatches,
  normalise,
  PLACEHOLDERS,
  reverseIp,
  shellQuote,
} from '../../src/classify/classify.js';
import { LocalDomains } from '../../src/classify/local-domains.js';
import { POSTFIX_RULES } from '../../src/classify/rules-postfix.js';
import { Cause, Direction, type Classification } from '../../src/classify/types.js';
import { deliveryEvent, MailEvent, rejectEvent, type DeliveryEvent, type RejectEvent } from '../../src/event.js';
import { lastEventOf, summary, wantFor, type Want } from '../helpers/rule-cases.js';
import { ruleTableInvariants } from '../helpers/rule-table.js';
import { parseLines } from '../helpers/parse.js';
import { runs } from '../helpers/runs.js';

interface Case {
  name: string;
  /** Log lines; the last event they yield is the one classified. */
  lines: string[];
  want: Want;
  /** Must appear in the verify command, with this event's values filled in and quoted. */
  verify: string;
  /** Recipient domains this server hosts (--local-domains), when the case needs them. */
  local?: string[];
}

const want = wantFor('postfix');

// Prefixes for lines written around source or provider texts (the corpus lines are verbatim).
const SMTPD = 'Nov  3 10:00:00 mx postfix/smtpd[4242]: ';
// Lines of the real-Postfix lab (test/e2e/lab-postfix.test.ts: Postfix 3.7.11, syslog_name postfix-mx).
const LAB = 'Dec  4 17:40:23 vm postfix-mx/';
const SMTP = 'Nov  3 10:00:00 mx postfix/smtp[4243]: 3F2A1B4C5D: ';
const LMTP = 'Nov  3 10:00:00 mx postfix/lmtp[4244]: 3F2A1B4C5D: ';
const TO_MX = 'to=<alice@example.net>, relay=mx.example.net[192.0.2.25]:25, delay=1.2, delays=0.1/0/0.6/0.5, ';
const MX_SAID = 'host mx.example.net[192.0.2.25] said: ';

const INBOUND: Case[] = [
  {
    name: 'server configuration error (vdukhovni smtpd_exp.ref line 2)',
    lines: [
      './smtpd_check: <queue id>: reject: RCPT from spike.porcupine.org[168.100.3.2]: 451 4.3.5 Server configuration error; from=<sname@sdomain> to=<rname@rdomain> proto=SMTP helo=<foobar>',
    ],
    want: want('inbound', 'other', 'Postfix warning:/fatal: lines', 'server-config-error', false),
    verify: "zgrep -E -e 'postfix/[^ ]+: (warning|error|fatal|panic): ' -- 'test.log'",
  },
  {
    name: 'temporary lookup failure (source: smtpd_check.c reject_dict_retry)',
    lines: [
      `${SMTPD}NOQUEUE: reject: RCPT from mail.example.net[192.0.2.10]: 451 4.3.0 <alice@example.org>: Temporary lookup failure; from=<bob@example.net> to=<alice@example.org> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'other', 'Postfix warning:/fatal: lines', 'server-config-error', false),
    verify: 'tail -n 20',
  },
  {
    name: 'insufficient system storage (source: smtpd_check.c smtpd_check_queue)',
    lines: [
      `${SMTPD}NOQUEUE: reject: MAIL from mail.example.net[192.0.2.10]: 452 4.3.1 Insufficient system storage; from=<bob@example.net> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'other', 'queue_minfree (disk space)', 'insufficient-storage', false),
    verify: 'df -h "$(postconf -h queue_directory)"',
  },
  {
    name: 'unverified sender whose probe reply names a table (source: smtpd_check.c reject_unverified_address)',
    lines: [
      `${SMTPD}NOQUEUE: reject: RCPT from mail.example.net[192.0.2.10]: 450 4.1.7 <bob@example.net>: Sender address rejected: undeliverable address: host mx.example.net[192.0.2.20] said: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command); from=<bob@example.net> to=<alice@example.org> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'user-unknown', 'reject_unverified_sender', 'unverified-sender', false),
    verify: `postmap -q 'bob@example.net' "$(postconf -hx address_verify_map)"`,
  },
  {
    name: 'unverified recipient (fail2ban line 9)',
    lines: [
      'May 19 00:00:30 proxy2 postfix/smtpd[16123]: NOQUEUE: reject: RCPT from example.net[192.0.2.2]: 550 5.1.1 <user1@example.com>: Recipient address rejected: undeliverable address: verification failed; from=<user2@example.org> to=<user1@example.com> proto=ESMTP helo=<example.net>',
    ],
    want: want('inbound', 'user-unknown', 'reject_unverified_recipient', 'unverified-recipient', true),
    verify: "postmap -q 'user1@example.com'",
  },
  {
    name: 'user unknown in virtual alias table (source: trivial-rewrite resolve.c + smtpd_check.c)',
    lines: [
      `${SMTPD}NOQUEUE: reject: RCPT from mail.example.net[192.0.2.10]: 550 5.1.1 <nobody@alias.example.org>: Recipient address rejected: User unknown in virtual alias table; from=<bob@example.net> to=<nobody@alias.example.org> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'user-unknown', 'virtual_alias_maps', 'virtual-alias-unknown', true),
    verify: `for m in $(postconf -hx virtual_alias_maps | tr ',' ' '); do printf '%s: ' "$m"; postmap -q 'nobody@alias.example.org' "$m" || echo 'not found'; done`,
  },
  {
    name: 'user unknown in virtual mailbox table (lightmeter 17 line 3)',
    lines: [
      'Feb 16 22:23:11 mx postfix/smtpd[17727]: 769FF2E0760: reject: RCPT from h-72f555a0840e4b9553[117.165.155.187]: 550 5.1.1 <h-f91a317fd08716dbf2@h-ff6b5e9182fd933.com>: Recipient address rejected: User unknown in virtual mailbox table; from=<h-59bd@h-183bcda0e2fe4.com> to=<h-f91a317fd08716dbf2@h-ff6b5e9182fd933.com> proto=ESMTP helo=<h-72f555a0840e4b9553>',
    ],
    want: want('inbound', 'user-unknown', 'virtual_mailbox_maps', 'virtual-mailbox-unknown', true),
    verify: "postconf -hx virtual_mailbox_maps | tr ',' ' '); do printf '%s: ' \"$m\"; postmap -q 'h-f91a317fd08716dbf2@h-ff6b5e9182fd933.com'",
  },
  {
    name: 'user unknown in virtual mailbox table, VRFY (grok test line 150)',
    lines: [
      'NOQUEUE: reject: VRFY from unknown[2001:968:9999:20:88b:9b7d:2a54:2bd2]: 550 5.1.1 <does-not-exist@example.com>: Recipient address rejected: User unknown in virtual mailbox table; to=<does-not-exist@example.com> proto=SMTP helo=<me>',
    ],
    want: want('inbound', 'user-unknown', 'virtual_mailbox_maps', 'virtual-mailbox-unknown', true),
    verify: "postmap -q 'does-not-exist@example.com'",
  },
  {
    name: 'user unknown in local recipient table (fail2ban line 8)',
    lines: [
      'Aug 13 15:45:46 server postfix/smtpd[13844]: 00ADB3C0899: reject: RCPT from example.com[192.0.2.1]: 550 5.1.1 <sales@server.com>: Recipient address rejected: User unknown in local recipient table; from=<xxxxxx@example.com> to=<sales@server.com> proto=ESMTP helo=<mail.example.com>',
    ],
    want: want('inbound', 'user-unknown', 'local_recipient_maps', 'local-recipient-unknown', true),
    verify: "postmap -q 'sales' \"$m\" || echo 'not found'; done; getent passwd -- 'sales'",
  },
  {
    name: 'user unknown in local recipient table, cut short, no address (fail2ban line 7)',
    lines: [
      'Aug 10 10:55:38 f-vanier-bourgeois postfix/smtpd[2162]: NOQUEUE: reject: VRFY from 72-53-132-234.cpe.distributel.net[72.53.132.234]: 550 5.1.1 : Recipient address rejected: User unknown in local recipient tab',
    ],
    want: want('inbound', 'user-unknown', 'local_recipient_maps', 'local-recipient-unknown', true),
    verify: 'getent passwd -- LOCAL',
  },
  {
    name: 'user unknown in relay recipient table (source: smtpd_check.c; the same text is a remote reply in louisitvn line 20)',
    lines: [
      `${SMTPD}NOQUEUE: reject: RCPT from mail.example.net[192.0.2.10]: 550 5.1.1 <carol@relayed.example.org>: Recipient address rejected: User unknown in relay recipient table; from=<bob@example.net> to=<carol@relayed.example.org> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'user-unknown', 'relay_recipient_maps', 'relay-recipient-unknown', true),
    verify: "postconf -hx relay_recipient_maps | tr ',' ' '); do printf '%s: ' \"$m\"; postmap -q 'carol@relayed.example.org'",
  },
  {
    name: 'user unknown, table name hidden (source: smtpd_check.c with show_user_unknown_table_name = no)',
    lines: [
      `${SMTPD}NOQUEUE: reject: RCPT from mail.example.net[192.0.2.10]: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown; from=<bob@example.net> to=<nobody@example.org> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'user-unknown', 'local/virtual/relay recipient maps', 'recipient-unknown-unnamed', true),
    verify: 'postconf show_user_unknown_table_name',
  },
  {
    name: 'relay access denied (fail2ban line 2)',
    lines: [
      'Jul 12 07:47:48 saturn postfix/smtpd[8738]: NOQUEUE: reject: RCPT from 1-2-3-4-example.com[1.2.3.4]: 554 5.7.1 <smtp@example.com>: Relay access denied; from=<john@example.com> to=<smtp@example.org> proto=SMTP helo=<198.51.100.17>',
    ],
    want: want('inbound', 'relay-denied', 'smtpd_relay_restrictions', 'relay-denied', true),
    verify: 'postconf smtpd_relay_restrictions mynetworks relay_domains',
  },
  {
    name: 'relay access denied, check_relay_domains wording (shlomif line 9)',
    lines: [
      'Oct  2 18:38:01 telaviv1 postfix/smtpd[1086635]: NOQUEUE: reject: RCPT from unknown[127.0.0.1]: 554 5.7.1 <shlomif@gmail.com>: Recipient address rejected: Relay access denied; from=<shlomif@shlomifish.org> to=<shlomif@gmail.com> proto=ESMTP helo=<localhost>',
    ],
    want: want('inbound', 'relay-denied', 'smtpd_relay_restrictions', 'relay-denied', true),
    verify: 'postconf smtpd_relay_restrictions',
  },
  {
    name: 'relay access denied, temporary 454 at VRFY (grok test line 149)',
    lines: [
      'NOQUEUE: reject: VRFY from unknown[2001:968:9999:20:88b:9b7d:2a54:2bd2]: 454 4.7.1 <aap@henk.com>: Relay access denied; to=<aap@henk.com> proto=SMTP helo=<me>',
    ],
    want: want('inbound', 'relay-denied', 'smtpd_relay_restrictions', 'relay-denied', false),
    verify: 'mynetworks',
  },
  {
    name: 'DNSBL in postscreen (fail2ban line 26)',
    lines: [
      'May  5 15:51:11 xxx postfix/postscreen[1148]: NOQUEUE: reject: RCPT from [216.245.194.173]:60591: 550 5.7.1 Service unavailable; client [216.245.194.173] blocked using rbl.example.com; from=<spammer@example.com>, to=<goodguy@example.com>, proto=ESMTP, helo=<badguy.example.com>',
    ],
    want: want('inbound', 'blocklisted', 'postscreen_dnsbl_action', 'dnsbl-postscreen', true),
    verify: "dig +short -q '173.194.245.216.rbl.example.com'",
  },
  {
    name: 'DNSBL in postscreen, message-only line (grok test line 80)',
    lines: [
      'NOQUEUE: reject: RCPT from [27.157.200.233]:4984: 550 5.7.1 Service unavailable; client [27.157.200.233] blocked using zen.spamhaus.org; from=<hcdvbnm@qhhn.com>, to=<4ECEA00F.9040306@example.com>, proto=ESMTP, helo=<qhhn.com>',
    ],
    want: want('inbound', 'blocklisted', 'postscreen_dnsbl_action', 'dnsbl-postscreen', true),
    verify: "dig +short -q '233.200.157.27.zen.spamhaus.org'",
  },
  {
    name: 'RHSBL sender (source: default_rbl_reply in mail_params.h, class "Sender address")',
    lines: [
      `${SMTPD}NOQUEUE: reject: RCPT from mail.bad.example[192.0.2.66]: 554 5.7.1 Service unavailable; Sender address [spam@bad.example] blocked using dbl.spamhaus.org; from=<spam@bad.example> to=<alice@example.org> proto=ESMTP helo=<mail.bad.example>`,
    ],
    want: want('inbound', 'blocklisted', 'reject_rhsbl_sender', 'rhsbl-sender', true),
    verify: "dig +short -q 'bad.example.dbl.spamhaus.org'",
  },
  {
    name: 'RHSBL HELO name (grok test line 141)',
    lines: [
      'NOQUEUE: reject: RCPT from news.zihan-promo.com[192.36.205.58]: 554 5.7.1 Service unavailable; Helo command [news.zihan-promo.com] blocked using dbl.spamhaus.org; http://www.spamhaus.org/query/dbl?domain=zihan-promo.com; from=<mark.alexander@zihan-promo.com> to=<tom@example.com> proto=ESMTP helo=<news.zihan-promo.com>',
    ],
    want: want('inbound', 'blocklisted', 'reject_rhsbl_helo', 'rhsbl-helo', true),
    verify: "dig +short -q 'news.zihan-promo.com.dbl.spamhaus.org'",
  },
  {
    name: 'RHSBL reverse client name (source: default_rbl_reply, class "Unverified Client host" from smtpd_dsn_fix.h)',
    lines: [
      `${SMTPD}NOQUEUE: reject: RCPT from unknown[192.0.2.67]: 554 5.7.1 Service unavailable; Unverified Client host [dyn-192-0-2-67.isp.example] blocked using dbl.example.org; from=<bob@example.net> to=<alice@example.org> proto=ESMTP helo=<pc>`,
    ],
    want: want('inbound', 'blocklisted', 'reject_rhsbl_reverse_client', 'rhsbl-reverse-client', true),
    verify: "dig +short -q 'dyn-192-0-2-67.isp.example.dbl.example.org'",
  },
  {
    name: 'DNSBL client IP (kdent line 17)',
    lines: [
      'Nov  1 10:11:14 conch postfix/smtpd[21656]: NOQUEUE: reject: RCPT from unknown[107.182.31.15]: 554 5.7.1 Service unavailable; Client host [107.182.31.15] blocked using zen.spamhaus.org; http://www.spamhaus.org/sbl/query/SBLCSS; from=<Documentary|Diet@see-diet-chart.top> to=<jdent@seaglass.com> proto=ESMTP helo=<0028c174.see-diet-chart.top>',
    ],
    want: want('inbound', 'blocklisted', 'reject_rbl_client', 'dnsbl-client', true),
    verify: "dig +short -q '15.31.182.107.zen.spamhaus.org'",
  },
  {
    name: 'DNSBL client IP, temporary 454 (fail2ban line 31)',
    lines: [
      'Dec 30 18:19:15 xxx postfix/smtpd[1574]: NOQUEUE: reject: RCPT from badguy.example.com[93.184.216.34]: 454 4.7.1 Service unavailable; Client host [93.184.216.34] blocked using rbl.example.com; http://www.example.com/query?ip=93.184.216.34; from=<spammer@example.com> to=<goodguy@example.com> proto=ESMTP helo=<badguy.example.com>',
    ],
    want: want('inbound', 'blocklisted', 'reject_rbl_client', 'dnsbl-client', false),
    verify: "dig +short -q '34.216.184.93.rbl.example.com'",
  },
  {
    name: 'DNSBL client IP, custom upper-case reply template (vdukhovni smtpd_exp.ref line 5)',
    lines: [
      './smtpd_check: <queue id>: reject: RCPT from foo[127.0.0.2]: 554 5.7.1 SERVICE UNAVAILABLE; Client host [127.0.0.2] blocked using dnsbltest.porcupine.org; DNS blocklist test; from=<sname@sdomain> to=<rname@rdomain> proto=SMTP helo=<foobar>',
    ],
    want: want('inbound', 'blocklisted', 'reject_rbl_client', 'dnsbl-client', true),
    verify: "dig +short -q '2.0.0.127.dnsbltest.porcupine.org'",
  },
  {
    name: 'RHSBL client name (source: default_rbl_reply, class "Client host" with a name)',
    lines: [
      `${SMTPD}NOQUEUE: reject: RCPT from mail.bad.example[192.0.2.66]: 554 5.7.1 Service unavailable; Client host [mail.bad.example] blocked using dbl.example.org; from=<bob@bad.example> to=<alice@example.org> proto=ESMTP helo=<mail.bad.example>`,
    ],
    want: want('inbound', 'blocklisted', 'reject_rhsbl_client', 'rhsbl-client', true),
    verify: "dig +short -q 'mail.bad.example.dbl.example.org'",
  },
  {
    name: 'no reverse hostname (fail2ban line 23)',
    lines: [
      'Jun 12 08:58:35 xxx postfix/smtpd[27296]: NOQUEUE: reject: RCPT from unknown[1.2.3.4]: 450 4.7.1 Client host rejected: cannot find your reverse hostname, [2.3.4.5]; from=<meow@kitty.com> to=<kitty@meow.com> proto=ESMTP helo=<kitty.com>',
    ],
    want: want('inbound', 'access-policy', 'reject_unknown_reverse_client_hostname', 'unknown-reverse-client-hostname', false),
    verify: "dig +short -x '1.2.3.4'",
  },
  {
    name: 'hostname not forward-confirmed, 4.7.25 (fail2ban line 14)',
    lines: [
      'Dec 21 21:17:30 xxx postfix/smtpd[7150]: NOQUEUE: reject: RCPT from badserver.example.com[93.184.216.34]: 450 4.7.25 Client host rejected: cannot find your hostname, [93.184.216.34]; from=<badactor@example.com> to=<goodguy@example.com> proto=ESMTP helo=<badserver.example.com>',
    ],
    want: want('inbound', 'access-policy', 'reject_unknown_client_hostname', 'unknown-client-hostname', false),
    verify: "dig +short -x '93.184.216.34'",
  },
  {
    name: 'hostname not forward-confirmed at CONNECT, 5.7.25 (fail2ban line 20)',
    lines: [
      'Apr  7 03:10:56 server postfix/smtpd[7754]: NOQUEUE: reject: RCPT from unknown[192.0.2.246]: 550 5.7.25 Client host rejected: cannot find your hostname, [192.0.2.246]; from=<laqqubtbyop@example.com> to=<sxhcpltqhpex@example.com> proto=ESMTP helo=<[192.0.2.246]>',
    ],
    want: want('inbound', 'access-policy', 'reject_unknown_client_hostname', 'unknown-client-hostname', true),
    verify: "dig +short -x '192.0.2.246'",
  },
  {
    name: 'HELO host not found (fail2ban line 24)',
    lines: [
      'Jun 12 08:58:35 xxx postfix/smtpd[2931]: NOQUEUE: reject: RCPT from unknown[1.2.3.4]: 450 4.7.1 <kitty.com>: Helo command rejected: Host not found; from=<meow@kitty.com> to=<kitty@meow.com> proto=SMTP helo=<kitty.com>',
    ],
    want: want('inbound', 'access-policy', 'reject_unknown_helo_hostname', 'unknown-helo-hostname', false),
    verify: "dig +short -t A -q 'kitty.com'; dig +short -t MX -q 'kitty.com'",
  },
  {
    name: 'HELO not fully qualified (fail2ban line 16)',
    lines: [
      'Jan 31 13:55:24 xxx postfix/smtpd[3462]: NOQUEUE: reject: EHLO from s271272.static.corbina.ru[78.107.251.238]: 504 5.5.2 <User>: Helo command rejected: need fully-qualified hostname; proto=SMTP helo=<User>',
    ],
    want: want('inbound', 'access-policy', 'reject_non_fqdn_helo_hostname', 'non-fqdn-helo', true),
    verify: 'postconf smtpd_helo_restrictions smtpd_helo_required',
  },
  {
    name: 'HELO invalid IP literal (vdukhovni smtpd_check.ref line 11)',
    lines: [
      './smtpd_check: <queue id>: reject: HELO from foo[123.123.123.123]: 501 5.5.2 <[::]>: Helo command rejected: invalid ip address; proto=SMTP helo=<[::]>',
    ],
    want: want('inbound', 'access-policy', 'reject_invalid_helo_hostname', 'invalid-helo', true),
    verify: 'postconf smtpd_helo_restrictions',
  },
  {
    name: 'sender not fully qualified, IPv6 client (grok test line 140)',
    lines: [
      'NOQUEUE: reject: RCPT from unknown[2001:980:cfb1:1:82f:f74e:a45c:3033]: 504 5.5.2 <aap@henk>: Sender address rejected: need fully-qualified address; from=<aap@henk> to=<user@example.com> proto=SMTP helo=<test>',
    ],
    want: want('inbound', 'access-policy', 'reject_non_fqdn_sender', 'non-fqdn-sender', true),
    verify: 'postconf smtpd_sender_restrictions',
  },
  {
    name: 'recipient not fully qualified (vdukhovni smtpd_check.ref line 42)',
    lines: [
      './smtpd_check: <queue id>: reject: RCPT from foo[131.155.210.17]: 504 5.5.2 <foo@foo>: Recipient address rejected: need fully-qualified address; from=<foo> to=<foo@foo> proto=SMTP helo=<foo>',
    ],
    want: want('inbound', 'access-policy', 'reject_non_fqdn_recipient', 'non-fqdn-recipient', true),
    verify: 'postconf smtpd_recipient_restrictions',
  },
  {
    name: 'sender not owned by the login (grok test line 163, which is reject_warning:, here as the enforced reject:)',
    lines: [
      'NOQUEUE: reject: RCPT from example.com[93.184.216.34]: 553 5.7.1 <sender@example.com>: Sender address rejected: not owned by user ph123; from=<sender@example.com> to=<recipient@example.com> proto=ESMTP helo=<example.com>',
    ],
    want: want('inbound', 'access-policy', 'smtpd_sender_login_maps', 'sender-login-mismatch', true),
    verify: "postconf -hx smtpd_sender_login_maps | tr ',' ' '); do printf '%s: ' \"$m\"; postmap -q 'sender@example.com'",
  },
  {
    name: 'sender domain not found (fail2ban line 15)',
    lines: [
      'Nov 22 22:33:44 xxx postfix/smtpd[11111]: NOQUEUE: reject: RCPT from 1-2-3-4.example.com[1.2.3.4]: 450 4.1.8 <some@nonexistant.tld>: Sender address rejected: Domain not found; from=<some@nonexistant.tld> to=<goodguy@example.com> proto=ESMTP helo=<1-2-3-4.example.com>',
    ],
    want: want('inbound', 'domain-not-found', 'reject_unknown_sender_domain', 'unknown-sender-domain', false),
    verify: "dig -t MX -q 'nonexistant.tld'",
  },
  {
    name: 'sender domain: malformed DNS server reply, 4.1.8 (fail2ban line 6)',
    lines: [
      'Jul 18 23:12:57 xxx postfix/smtpd[8722]: NOQUEUE: reject: RCPT from foo[192.51.100.143]: 450 4.1.8 <foo@bad.domain>: Sender address rejected: Malformed DNS server reply; from=<foo@bad.domain> to=<foo@porcupine.org> proto=SMTP helo=<192.51.100.143>',
    ],
    want: want('inbound', 'domain-not-found', 'reject_unknown_sender_domain', 'unknown-sender-domain', false),
    verify: "dig -t MX -q 'bad.domain'",
  },
  {
    name: 'recipient domain not found (source: smtpd_check.c reject_unknown_mailhost)',
    lines: [
      `${SMTPD}NOQUEUE: reject: RCPT from mail.example.net[192.0.2.10]: 450 4.1.2 <alice@nx.example.org>: Recipient address rejected: Domain not found; from=<bob@example.net> to=<alice@nx.example.org> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'domain-not-found', 'reject_unknown_recipient_domain', 'unknown-recipient-domain', false),
    verify: "dig -t MX -q 'nx.example.org'",
  },
  {
    name: 'sender not logged in (source: smtpd_check.c reject_unauth_sender_login_mismatch)',
    lines: [
      `${SMTPD}NOQUEUE: reject: RCPT from mail.example.net[192.0.2.10]: 553 5.7.1 <ceo@example.org>: Sender address rejected: not logged in; from=<ceo@example.org> to=<alice@example.org> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'auth-required', 'smtpd_sender_login_maps', 'sender-not-logged-in', true),
    verify: "postmap -q 'ceo@example.org'",
  },
  {
    name: 'session encryption required (source: smtpd_check.c reject_plaintext_session)',
    lines: [
      `${SMTPD}NOQUEUE: reject: MAIL from mail.example.net[192.0.2.10]: 450 4.7.1 Session encryption is required; from=<bob@example.net> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'auth-required', 'smtpd_tls_security_level', 'tls-required', false),
    verify: 'postconf smtpd_tls_security_level',
  },
  {
    name: 'greylisting milter (grok test line 170)',
    lines: [
      'NOQUEUE: milter-reject: RCPT from mailrelay.example.com[8.8.8.8]: 451 4.7.1 Greylisting in action, please come back later; from=<support@example.com> to=<example@example.org> proto=ESMTP helo=<mailrelay.example.com>',
    ],
    want: want('inbound', 'greylisted', 'smtpd_milters', 'greylisted-milter', false),
    verify: 'postconf smtpd_milters',
  },
  {
    name: 'rspamd soft reject, enhanced code only (lightmeter 15 line 4)',
    lines: [
      'Jan 25 18:54:51 mx postfix/cleanup[8966]: B37FD2E05B9: milter-reject: END-OF-MESSAGE from h-ca74a0a011076cd81347f8f11e[254.65.43.194]: 4.7.1 Try again later; from=<bounce+1b6a63.922c68-christoph=h-ffd2115d4f@h-79b594737831a5d176dabf9.com> to=<h-7abde52c2@h-ffd2115d4f.com> proto=ESMTP helo=<h-ca74a0a011076cd81347f8f11e>',
    ],
    want: want('inbound', 'greylisted', 'smtpd_milters', 'greylisted-milter', false),
    verify: 'milter_default_action',
  },
  {
    name: "greylisting policy service (provider: postgrey's reply, as quoted by a remote in grok test line 122)",
    lines: [
      `${SMTPD}NOQUEUE: reject: RCPT from mail.example.net[192.0.2.10]: 450 4.2.0 <alice@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html; from=<bob@example.net> to=<alice@example.org> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'greylisted', 'check_policy_service', 'greylisted-policy', false),
    verify: 'check_policy_service',
  },
  {
    name: 'postscreen connection count limit (grok test line 75)',
    lines: ['NOQUEUE: reject: CONNECT from [1.2.3.4]:1337: too many connections'],
    want: want('inbound', 'rate-limited', 'postscreen_client_connection_count_limit', 'postscreen-connection-limit', false),
    verify: 'postconf postscreen_client_connection_count_limit',
  },
  {
    name: 'postscreen: all server ports busy (grok test line 76)',
    lines: ['NOQUEUE: reject: CONNECT from [5.6.7.8]:1337: all server ports busy'],
    want: want('inbound', 'rate-limited', 'postscreen_post_queue_limit', 'postscreen-ports-busy', false),
    verify: 'postconf -M smtpd/pass',
  },
  {
    // Postfix logs anvil's refusals only as warnings (smtpd.c); the parser rebuilds smtpd's reply.
    name: 'anvil message rate limit, warning only (lab: Postfix 3.7, smtpd_client_message_rate_limit = 1)',
    lines: [`${LAB}smtpd[3184]: warning: Message delivery request rate limit exceeded: 2 from unknown[127.0.0.5] for service 127.0.0.1:34431`],
    want: want('inbound', 'rate-limited', 'smtpd_client_message_rate_limit', 'anvil-message-rate', false),
    verify: 'smtpd_client_message_rate_limit',
  },
  {
    name: 'anvil recipient rate limit, warning only (lab: Postfix 3.7, smtpd_client_recipient_rate_limit = 2)',
    lines: [`${LAB}smtpd[3184]: warning: Recipient address rate limit exceeded: 3 from unknown[127.0.0.5] for service 127.0.0.1:34431`],
    want: want('inbound', 'rate-limited', 'smtpd_client_recipient_rate_limit', 'anvil-recipient-rate', false),
    verify: 'anvil_rate_time_unit',
  },
  {
    name: 'anvil connection rate limit, warning only (source: smtpd.c)',
    lines: [`${SMTPD}warning: Connection rate limit exceeded: 31 from mail.example.net[192.0.2.10] for service smtp`],
    want: want('inbound', 'rate-limited', 'smtpd_client_connection_rate_limit / _count_limit', 'anvil-connection-rate', false),
    verify: 'smtpd_client_connection_count_limit',
  },
  {
    // cleanup_message.c: `warning: ID: message rejected: hopcount exceeded`; smtpd answers 554 5.4.0.
    name: 'too many Received: headers, warning only (lab: Postfix 3.7, hopcount_limit = 10)',
    lines: [`${LAB}cleanup[3764]: warning: 4jgzKg2zpJzJHm2: message rejected: hopcount exceeded`],
    want: want('inbound', 'mail-loop', 'hopcount_limit', 'hopcount', true),
    verify: 'postconf hopcount_limit',
  },
  {
    name: 'policy service rate limit (lightmeter 20 line 5)',
    lines: [
      'Dec 19 19:42:14 sm02 postfix/submission/smtpd[21379]: D155CDC24C3: reject: RCPT from unknown[30.207.11.100]: 450 4.7.1 <>: Sender address rejected: You are sending too many emails, contact helpdesk; from=<> to=<h-2d34d8bb8@h-93a1a37cd1.com> proto=ESMTP helo=<localhost>',
    ],
    want: want('inbound', 'rate-limited', 'check_policy_service', 'policy-rate-limit', false),
    verify: "grep -o 'check_policy_service [^ ,]*'",
  },
  {
    name: 'message size limit (source: smtpd_check.c smtpd_check_size)',
    lines: [
      `${SMTPD}NOQUEUE: reject: MAIL from mail.example.net[192.0.2.10]: 552 5.3.4 Message size exceeds fixed limit; from=<bob@example.net> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'message-too-large', 'message_size_limit', 'message-too-large', true),
    verify: 'postconf message_size_limit',
  },
  {
    // Without SIZE in MAIL FROM only the data tells; smtpd (or cleanup) logs just this warning.
    name: 'message size limit hit in the data, warning only (lab: Postfix 3.7, message_size_limit = 100000)',
    lines: [`${LAB}smtpd[3140]: warning: 4jgzKd2NdgzJHlN: queue file size limit exceeded`],
    want: want('inbound', 'message-too-large', 'message_size_limit', 'message-too-large', true),
    verify: 'postconf message_size_limit',
  },
  {
    name: 'multi-recipient bounce at BDAT, long queue id (fail2ban line 18)',
    lines: [
      'Mar 11 23:27:54 server postfix-smo/submission/smtpd[22427]: 44JCRG5tYPzCqt2: reject: BDAT from signing-milter.example.com[192.0.2.109]: 550 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce; from=<> to=<some@example.com> proto=ESMTP helo=<domain.tld>',
    ],
    want: want('inbound', 'protocol-error', 'reject_multi_recipient_bounce', 'multi-recipient-bounce', true),
    verify: 'postconf smtpd_data_restrictions',
  },
  {
    name: 'unauthorized pipelining (source: smtpd_check.c reject_unauth_pipelining)',
    lines: [
      `${SMTPD}NOQUEUE: reject: DATA from unknown[192.0.2.99]: 503 5.5.0 <DATA>: Data command rejected: Improper use of SMTP command pipelining; from=<bob@example.net> to=<alice@example.org> proto=SMTP helo=<pc>`,
    ],
    want: want('inbound', 'protocol-error', 'reject_unauth_pipelining', 'unauth-pipelining', true),
    verify: 'reject_unauth_pipelining',
  },
  {
    name: 'bare LF (source: smtpd.c log_whatsup "bare <LF> received")',
    lines: [
      `${SMTPD}3F2A1B4C5D: reject: DATA from unknown[192.0.2.99]: bare <LF> received; from=<bob@example.net> to=<alice@example.org> proto=SMTP helo=<pc>`,
    ],
    want: want('inbound', 'protocol-error', 'smtpd_forbid_bare_newline', 'bare-newline', false),
    verify: 'postconf smtpd_forbid_bare_newline',
  },
  {
    name: 'postscreen protocol error (grok test line 79)',
    lines: [
      'NOQUEUE: reject: RCPT from [182.98.255.184]:2413: 550 5.5.1 Protocol error; from=<lvtowxfdp@yahoo.com>, to=<tom@example.com>, proto=SMTP, helo=<mx32.usaindiamunish.net>',
    ],
    want: want('inbound', 'protocol-error', 'postscreen_greet_action', 'postscreen-protocol', true),
    verify: 'postscreen_greet_action',
  },
  {
    name: 'DMARC milter (provider: OpenDMARC reply "rejected by DMARC policy for")',
    lines: [
      `${SMTPD}3F2A1B4C5D: milter-reject: END-OF-MESSAGE from mail.example.net[192.0.2.10]: 5.7.1 rejected by DMARC policy for paypal.com; from=<service@paypal.com> to=<alice@example.org> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'sender-auth-failed', 'smtpd_milters', 'sender-auth-milter', true),
    verify: "dig +short -t TXT -q '_dmarc.paypal.com'",
  },
  {
    name: 'SPF policy service (provider: policyd-spf reply as seen in dmlinarr line 48)',
    lines: [
      `${SMTPD}NOQUEUE: reject: RCPT from mail.example.net[192.0.2.10]: 550 5.7.23 <alice@example.org>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id=bob@example.net;ip=192.0.2.10;r=<UNKNOWN>; from=<bob@example.net> to=<alice@example.org> proto=ESMTP helo=<mail.example.net>`,
    ],
    want: want('inbound', 'sender-auth-failed', 'check_policy_service', 'sender-auth-policy', true),
    verify: "dig +short -t TXT -q 'example.net'",
  },
  {
    name: 'header_checks REJECT (source: cleanup_message.c cleanup_act_log, default text)',
    lines: [
      'Nov  3 10:00:00 mx postfix/cleanup[4245]: 3F2A1B4C5D: reject: header Subject: You won a prize from mail.example.net[192.0.2.10]; from=<bob@example.net> to=<alice@example.org> proto=ESMTP helo=<mail.example.net>: 5.7.1 message content rejected',
    ],
    want: want('inbound', 'spam-content', 'header_checks', 'header-checks', true),
    verify: 'postconf header_checks',
  },
  {
    name: 'body_checks REJECT (source: cleanup_message.c cleanup_act_log)',
    lines: [
      'Nov  3 10:00:00 mx postfix/cleanup[4245]: 3F2A1B4C5D: reject: body click here to unsubscribe from mail.example.net[192.0.2.10]; from=<bob@example.net> to=<alice@example.org> proto=ESMTP helo=<mail.example.net>: 5.7.1 message content rejected',
    ],
    want: want('inbound', 'spam-content', 'body_checks', 'body-checks', true),
    verify: 'postconf body_checks',
  },
  {
    name: 'milter spam reject (lightmeter 17 line 6)',
    lines: [
      'Feb 16 22:23:12 mx postfix/cleanup[9060]: 769FF2E0760: milter-reject: END-OF-MESSAGE from h-72f555a0840e4b9553[117.165.155.187]: 5.7.1 Spam message rejected; from=<h-59bd@h-183bcda0e2fe4.com> to=<h-688f0f21f362894034ba55@h-ff6b5e9182fd933.com> proto=ESMTP helo=<h-72f555a0840e4b9553>',
    ],
    want: want('inbound', 'spam-content', 'smtpd_milters', 'milter-content', true),
    verify: 'postconf smtpd_milters',
  },
  {
    name: 'milter SpamAssassin reject (grok test line 17)',
    lines: [
      '4104E3D: milter-reject: END-OF-MESSAGE from 061238241086.static.ctinets.com[61.238.241.86]: 5.7.1 Blocked by SpamAssassin; from=<wumt5@cchfdc.com> to=<voorzitter@example.com> proto=ESMTP helo=<ecsolved.com>',
    ],
    want: want('inbound', 'spam-content', 'smtpd_milters', 'milter-content', true),
    verify: 'milter_default_action',
  },
  {
    name: 'before-queue content filter (grok test line 154)',
    lines: [
      'proxy-reject: END-OF-MESSAGE: 554 5.7.0 Reject, contact postmaster@example.com, id=31619-02 - spam; from=<> to=<user2@example2.com> proto=SMTP helo=<17.33.12.53>',
    ],
    want: want('inbound', 'spam-content', 'smtpd_proxy_filter', 'proxy-filter', true),
    verify: 'postconf smtpd_proxy_filter',
  },
  {
    name: 'client access map with its own text (kdent line 2536)',
    lines: [
      'Nov  2 04:49:09 conch postfix/smtpd[25062]: NOQUEUE: reject: RCPT from mail50.fssprus.ru[87.251.141.160]: 554 5.7.1 <mail50.fssprus.ru[87.251.141.160]>: Client host rejected: Currently receiving backscatter from *.ru. Blocking temporarily.; from=<maria@fssprus.ru> to=<kdent@seaglass.com> proto=ESMTP helo=<mail50.fssprus.ru>',
    ],
    want: want('inbound', 'access-policy', 'check_client_access', 'client-access', true),
    verify: "grep -o 'check_client_access [^ ,]*' | cut -d' ' -f2); do printf '%s: ' \"$m\"; postmap -q '87.251.141.160'",
  },
  {
    name: 'HELO access map (fail2ban line 3)',
    lines: [
      'Jul 18 23:12:56 xxx postfix/smtpd[8738]: NOQUEUE: reject: RCPT from foo[192.51.100.65]: 554 5.7.1 <bad.domain>: Helo command rejected: match bad.domain; from=<foo@good.domain> to=<foo@porcupine.org> proto=SMTP helo=<bad.domain>',
    ],
    want: want('inbound', 'access-policy', 'check_helo_access', 'helo-access', true),
    verify: "postmap -q 'bad.domain'",
  },
  {
    name: 'HELO access map DEFER: "Try again later" is not greylisting (vdukhovni smtpd_check.ref line 78)',
    lines: [
      './smtpd_check: <queue id>: reject: HELO from foo[131.155.210.17]: 444 4.3.2 <foobar>: Helo command rejected: Try again later; from=<foo> proto=SMTP helo=<foobar>',
    ],
    want: want('inbound', 'access-policy', 'check_helo_access', 'helo-access', false),
    verify: "postmap -q 'foobar'",
  },
  {
    name: 'sender access map (kdent line 1239)',
    lines: [
      'Nov  1 15:33:19 conch postfix/smtpd[22720]: NOQUEUE: reject: RCPT from unknown[40.124.44.192]: 554 5.7.1 <root@seaglass.com>: Sender address rejected: Access denied; from=<root@seaglass.com> to=<sarrahtompson@gmail.com> proto=ESMTP helo=<copemanian>',
    ],
    want: want('inbound', 'access-policy', 'check_sender_access', 'sender-access', true),
    verify: "grep -o 'check_sender_access [^ ,]*' | cut -d' ' -f2); do printf '%s: ' \"$m\"; postmap -q 'root@seaglass.com'",
  },
  {
    name: 'recipient access map (kdent line 20)',
    lines: [
      'Nov  1 10:11:45 conch postfix/smtpd[21656]: NOQUEUE: reject: RCPT from unknown[117.31.21.115]: 554 5.7.1 <sales@seaglass.com>: Recipient address rejected: Access denied; from=<mci@niaol.com> to=<sales@seaglass.com> proto=ESMTP helo=<niaol.com>',
    ],
    want: want('inbound', 'access-policy', 'check_recipient_access', 'recipient-access', true),
    verify: "postmap -q 'sales@seaglass.com'",
  },
  {
    name: 'recipient access map, odd enhanced code 5.12.345 (grok test line 162)',
    lines: [
      'NOQUEUE: reject: RCPT from 061238241086.static.ctinets.com[61.238.241.86]: 550 5.12.345 <user@example.com>: Recipient address rejected: Some error message; from=<wumt5@cchfdc.com> to=<user@example.com> proto=ESMTP helo=<ecsolved.com>',
    ],
    want: want('inbound', 'access-policy', 'check_recipient_access', 'recipient-access', true),
    verify: "postmap -q 'user@example.com'",
  },
  {
    name: 'postscreen permanent denylist (source: postscreen.c "Service currently unavailable")',
    lines: [
      'Nov  3 10:00:00 mx postfix/postscreen[4246]: NOQUEUE: reject: RCPT from [192.0.2.66]:50123: 550 5.3.2 Service currently unavailable; from=<bob@bad.example>, to=<alice@example.org>, proto=ESMTP, helo=<mail.bad.example>',
    ],
    want: want('inbound', 'access-policy', 'postscreen_access_list', 'postscreen-access', true),
    verify: 'postconf postscreen_access_list',
  },
  {
    name: 'bare "Service unavailable", reply cut short (crowdsecurity line 2)',
    lines: [
      'May 11 04:02:37 host1 postfix/smtpd[26897]: NOQUEUE: reject: RCPT from unknown[192.168.1.1]: 554 5.7.1 Service unavailable',
    ],
    want: want('inbound', 'access-policy', 'smtpd_recipient_restrictions', 'policy-fallback', true),
    verify: "postconf -n | grep -E '^smtpd_.*_restrictions'",
  },
  {
    name: 'catch-all (made up: no real Postfix text reaches it; a class-less 4.3.x reply)',
    lines: [`${SMTPD}NOQUEUE: reject: CONNECT from unknown[192.0.2.99]: 421 4.3.2 System not accepting network messages; proto=SMTP`],
    want: want('inbound', 'other', 'smtpd_client_restrictions', 'other', false),
    verify: "postconf -n | grep -E '^smtpd_.*_restrictions'",
  },
];

const OUTBOUND: Case[] = [
  {
    // Postfix's cleanup_strerror.c answer to a message over hopcount_limit, relayed to us.
    name: 'transport loop ended by the hop count (lab: loop.test routed back to our own smtpd)',
    lines: [
      `${LAB}smtp[7399]: 4jh0PZ2F77zJg1c: to=<someone@loop.test>, relay=127.0.0.1[127.0.0.1]:41565, conn_use=5, delay=0, delays=0/0/0/0, dsn=5.4.0, status=bounced (host 127.0.0.1[127.0.0.1] said: 554 5.4.0 Error: too many hops (in reply to end of DATA command))`,
    ],
    want: want('outbound', 'mail-loop', 'mail loop (MX / transport_maps / relayhost)', 'mail-loop', true),
    verify: "postmap -q 'loop.test'",
  },
  {
    // Postfix's own default_rbl_reply, as a remote Postfix answers it.
    name: 'remote DNSBL refusal (source: Postfix default_rbl_reply at the remote end)',
    lines: [`${SMTP}${TO_MX}dsn=5.7.1, status=bounced (${MX_SAID}554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1 (in reply to RCPT TO command))`],
    want: want('outbound', 'blocklisted', 'our IP reputation', 'blocklisted', true),
    verify: "printf 'IP %s: look it up or ask for delisting at %s\\n' '192.0.2.1' 'https://check.spamhaus.org/'",
  },
  {
    name: 'Gmail, next hop on loopback relays the 5.1.1 (lab: relayhost-like transport to the sink)',
    lines: [
      `${LAB}smtp[5590]: 4jgzL45qKmzJHYr: to=<nobody@gmail.test>, relay=127.0.0.1[127.0.0.1]:41197, delay=0.16, delays=0.01/0/0.01/0.13, dsn=5.1.1, status=bounced (host 127.0.0.1[127.0.0.1] said: 550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. Learn more at 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123456wrb.22 - gsmtp (in reply to RCPT TO command))`,
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'user-unknown', true),
    verify: "swaks --to='nobody@gmail.test' --quit-after RCPT",
  },
  {
    name: 'Microsoft banned sending IP 5.7.606 (lab: sink answers the published text)',
    lines: [
      `${SMTP}to=<someone@outlook.com>, relay=outlook-com.olc.protection.outlook.com[192.0.2.30]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.7.606, status=bounced (host outlook-com.olc.protection.outlook.com[192.0.2.30] said: 550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430) (in reply to RCPT TO command))`,
    ],
    want: want('outbound', 'blocklisted', 'our IP reputation', 'provider-ip-block', true),
    verify: "printf 'IP %s: look it up or ask for delisting at %s\\n' '192.0.2.1' 'https://sender.office.com/'",
  },
  {
    name: 'Yahoo [TSS04] deferral (provider: Yahoo error-codes page)',
    lines: [
      `${SMTP}to=<someone@yahoo.com>, relay=mta5.am0.yahoodns.net[192.0.2.31]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=4.7.0, status=deferred (host mta5.am0.yahoodns.net[192.0.2.31] said: 421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command))`,
    ],
    want: want('outbound', 'blocklisted', 'our IP reputation', 'provider-ip-block', false),
    verify: "printf 'IP %s: look it up or ask for delisting at %s\\n' '192.0.2.1' 'https://senders.yahooinc.com/'",
  },
  {
    name: 'mail loops back to myself (source: smtp_addr.c)',
    lines: [
      `${SMTP}to=<alice@example.net>, relay=none, delay=0.1, delays=0.05/0/0.05/0, dsn=5.4.6, status=bounced (mail for example.net loops back to myself)`,
    ],
    want: want('outbound', 'mail-loop', 'mydestination / relayhost', 'loops-back', true),
    verify: "dig +short -t MX -q 'example.net'",
  },
  {
    name: 'null MX (lightmeter 2 line 19)',
    lines: [
      'Dec  9 10:18:24 mail postfix/smtp[20054]: 1310930001DB: to=<recipient42@example.com>, relay=none, delay=0.09, delays=0.02/0.05/0.02/0, dsn=5.1.0, status=bounced (Domain example.com does not accept mail (nullMX))',
    ],
    want: want('outbound', 'domain-not-found', 'remove the address from lists', 'null-mx', true),
    verify: "dig +short -t MX -q 'example.com'",
  },
  {
    name: 'MX lookup failed temporarily (kdent line 2098)',
    lines: [
      'Nov  2 00:48:17 conch postfix/smtp[24240]: E70F1242A6: to=<Avoid-Heart-@com-gacty.webcam>, relay=none, delay=416430, delays=416390/0.01/40/0, dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=com-gacty.webcam type=MX: Host not found, try again)',
    ],
    want: want('outbound', 'domain-not-found', 'DNS lookups (ours or theirs)', 'dns-temporary', false),
    verify: "dig -t MX -q 'com-gacty.webcam'",
  },
  {
    name: 'expired after temporary DNS failures: permanent (kdent lines 2098 and 2645)',
    lines: [
      'Nov  2 00:48:17 conch postfix/smtp[24240]: E70F1242A6: to=<Avoid-Heart-@com-gacty.webcam>, relay=none, delay=416430, delays=416390/0.01/40/0, dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=com-gacty.webcam type=MX: Host not found, try again)',
      'Nov  2 05:28:19 conch postfix/qmgr[25409]: E70F1242A6: from=<>, status=expired, returned to sender',
    ],
    want: want('outbound', 'domain-not-found', 'DNS lookups (ours or theirs)', 'dns-temporary', true),
    verify: "dig -t MX -q 'com-gacty.webcam'",
  },
  {
    name: 'domain does not exist (fonylew line 2084)',
    lines: [
      'Jun  2 15:06:51 host postfix/smtp[2689]: 96E52106C46: to=<w@w.example.com>, relay=none, delay=0.12, delays=0.02/0.03/0.07/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=w.example.com type=A: Host not found)',
    ],
    want: want('outbound', 'domain-not-found', 'fix the domain (typo?)', 'dns-not-found', true),
    verify: "dig +short -t MX -q 'w.example.com'; dig +short -t A -q 'w.example.com'",
  },
  {
    name: 'TLS required but not offered (source: smtp_proto.c)',
    lines: [
      `${SMTP}${TO_MX}dsn=4.7.4, status=deferred (TLS is required, but was not offered by host mx.example.net[192.0.2.25])`,
    ],
    want: want('outbound', 'connection-failed', 'smtp_tls_security_level / smtp_tls_policy_maps', 'tls-failed', false),
    verify: "posttls-finger -c -- 'example.net'",
  },
  {
    name: 'connection timed out (kdent line 256)',
    lines: [
      'Nov  1 10:48:03 conch postfix/smtp[21799]: 99379242BC: to=<Avoid-Heart-@com-gacty.webcam>, relay=none, delay=365970, delays=365935/0.01/35/0, dsn=4.4.1, status=deferred (connect to com-gacty.webcam[138.99.219.53]:25: Connection timed out)',
    ],
    want: want('outbound', 'connection-failed', 'their server (or our port 25)', 'connect-failed', false),
    verify: "swaks --to='Avoid-Heart-@com-gacty.webcam' --quit-after CONNECT",
  },
  {
    name: 'connection refused, replayed by the error agent: still outbound (louisitvn line 665)',
    lines: [
      'Dec 15 07:56:04 phoenix postfix/error[30363]: 7C6A111058DA: to=<sniplip.Mortrim@dmn.co.uk>, relay=none, delay=384842, delays=383282/1560/0/0, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect to mail.urs.co.uk[206.16.243.2.123]:25: Connection refused)',
    ],
    want: want('outbound', 'connection-failed', 'their server (or our port 25)', 'connect-failed', false),
    verify: "swaks --to='sniplip.Mortrim@dmn.co.uk'",
  },
  {
    name: 'lost connection at the greeting (kdent line 155)',
    lines: [
      'Nov  1 10:32:28 conch postfix/smtp[21753]: B3405242E7: to=<ShoppingGuide:KitchenCabinets@findivisitnighteen.download>, relay=lbzod.findivisitnighteen.download[128.177.48.75]:25, delay=260884, delays=260884/0.01/0.17/0, dsn=4.4.2, status=deferred (lost connection with lbzod.findivisitnighteen.download[128.177.48.75] while receiving the initial server greeting)',
    ],
    want: want('outbound', 'connection-failed', 'their server (or a middlebox)', 'lost-connection', false),
    verify: "--to='ShoppingGuide:KitchenCabinets@findivisitnighteen.download' --quit-after RCPT",
  },
  {
    name: 'conversation timed out (kdent line 1679)',
    lines: [
      'Nov  1 18:45:34 conch postfix/smtp[23239]: B3405242E7: to=<ShoppingGuide:KitchenCabinets@findivisitnighteen.download>, relay=lbzod.findivisitnighteen.download[128.177.48.75]:25, delay=290470, delays=290289/0.01/0.26/180, dsn=4.4.2, status=deferred (conversation with lbzod.findivisitnighteen.download[128.177.48.75] timed out while sending message body)',
    ],
    want: want('outbound', 'connection-failed', 'their server (or a middlebox)', 'lost-connection', false),
    verify: 'swaks',
  },
  {
    name: 'expired, earlier deferrals not in the log (grok test line 94)',
    lines: ['585BC3F: from=<>, status=expired, returned to sender'],
    want: want('outbound', 'other', 'maximal_queue_lifetime', 'message-expired', true),
    verify: "zgrep -F -e '585BC3F' -- 'test.log'",
  },
  {
    name: 'IPv6 not accepted (provider: Microsoft 365, 5.2.1 over IPv6, from Microsoft Learn)',
    lines: [
      `${SMTP}to=<alice@contoso.com>, relay=contoso-com.mail.protection.outlook.com[2001:db8::25]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.2.1, status=bounced (host contoso-com.mail.protection.outlook.com[2001:db8::25] said: 550 5.2.1 Service unavailable, [contoso.com] does not accept email over IPv6. (in reply to RCPT TO command))`,
    ],
    want: want('outbound', 'access-policy', 'send over IPv4 (smtp_address_preference)', 'ipv6-not-accepted', true),
    verify: 'postconf inet_protocols smtp_address_preference',
  },
  {
    name: 'Exchange Online Directory-Based Edge Blocking 5.4.1 (louisitvn line 83)',
    lines: [
      'Dec 15 07:48:04 phoenix postfix/smtp[28970]: 7BFD811050E5: to=<snipie.Trim@dmncastle.info>, relay=testrelaystle-edu-au.mail.protection.outlook.com[213.199.154.123]:25, delay=313011, delays=311931/1072/3/5.3, dsn=5.4.1, status=bounced (host newcastle-edu-au.mail.protection.outlook.com[213.199.154.23] said: 550 5.4.1 [Julie.Trim@dmncastle.info]: Recipient address rejected: Access denied (in reply to RCPT TO command))',
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'eop-recipient-not-found', true),
    verify: "--to='snipie.Trim@dmncastle.info' --quit-after RCPT",
  },
  {
    name: 'too many invalid recipients at the greeting (louisitvn line 97)',
    lines: [
      'Dec 15 07:48:10 phoenix postfix/smtp[29045]: EF0771103AB0: to=<snipxtrim@dmnd.info>, relay=mail-in.bond.info[131.244.5.8]:25, delay=329951, delays=328865/1086/0.1/0, dsn=4.0.0, status=deferred (host mail-in.bond.info[131.244.5.8] refused to talk to me: 550 Too many invalid recipients)',
    ],
    want: want('outbound', 'rate-limited', 'remove invalid addresses from lists', 'too-many-invalid-recipients', false),
    verify: "postqueue -p | grep -ciF -e 'dmnd.info'",
  },
  {
    name: 'Google over quota with a misleading 4.1.1 (lightmeter 18 line 10)',
    lines: [
      'Sep 25 18:26:36 smtpnode16 postfix-239.58.50.50/smtp[5084]: 23EBE3D5C0: to=<h-664d01@h-695da2287.com>, relay=ALT2.ASPMX.L.GOOGLE.com[3.155.237.60]:25, delay=2, delays=0.18/0/1.6/0.19, dsn=4.1.1, status=deferred (host ALT2.ASPMX.L.GOOGLE.com[3.155.237.60] said: 452 4.1.1 <h-664d01@h-695da2287.com> user is over quota, please try again later (in reply to RCPT TO command))',
    ],
    want: want('outbound', 'mailbox-full', 'their mailbox is full', 'mailbox-full', false),
    verify: "postqueue -p | grep -B2 -F -e 'h-664d01@h-695da2287.com'",
  },
  {
    name: 'Gmail account disabled 5.2.1 (louisitvn line 230)',
    lines: [
      'Dec 15 07:48:48 phoenix postfix/smtp[29045]: 2FA93110312A: to=<snipammed.Alojtrim@dmnt.info>, relay=rmit.info.s10a1.psmtp.com[74.125.244.123]:25, delay=316974, delays=315850/1122/1.2/0.74, dsn=5.2.1, status=bounced (host rmit.info.s10a1.psmtp.com[74.125.244.10] said: 550 5.2.1 The email account that you tried to reach is disabled. ss3si5959376pbc.155 - gsmtp (in reply to RCPT TO command))',
    ],
    want: want('outbound', 'mailbox-disabled', 'remove the address from lists', 'mailbox-disabled', true),
    verify: "--to='snipammed.Alojtrim@dmnt.info'",
  },
  {
    name: 'user has moved 5.1.6 (louisitvn line 1801)',
    lines: [
      'Dec 15 08:12:21 phoenix postfix/smtp[29058]: 6E336110487D: to=<snipinda.Dtrim@dmn.info>, relay=smtp-in.jcu.info[137.219.20.123]:25, delay=300607, delays=298070/2537/0.21/0.53, dsn=5.1.6, status=bounced (host smtp-in.jcu.info[137.219.20.34] said: 550 5.1.6 <Belinda.Dtrim@dmn.info>: Recipient address rejected: User has moved to belinda.dtrim@my.jcu.info (in reply to RCPT TO command))',
    ],
    want: want('outbound', 'user-unknown', 'update the address (user moved)', 'user-moved', true),
    verify: "--to='snipinda.Dtrim@dmn.info'",
  },
  {
    name: 'too many recipients per message (kdent line 29)',
    lines: [
      'Nov  1 10:12:30 conch postfix/smtp[21677]: ABC85242CA: to=<roy-brierley@talktalk.net>, relay=mx-c1.talktalk.net[62.24.202.3]:25, delay=332320, delays=332319/0.01/1/0.24, dsn=4.0.0, status=deferred (host mx-c1.talktalk.net[62.24.202.3] said: 452 Too many recipients received from the sender (in reply to RCPT TO command))',
    ],
    want: want('outbound', 'rate-limited', 'our sending rate', 'rate-limited', false),
    verify: "postqueue -p | grep -ciF -e 'talktalk.net'",
  },
  {
    name: 'Gmail rate limit for unsolicited mail (provider: Gmail reply from grok test line 119)',
    lines: [
      `${SMTP}to=<alice@gmail.com>, relay=gmail-smtp-in.l.google.com[74.125.136.26]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=4.7.0, status=deferred (host gmail-smtp-in.l.google.com[74.125.136.26] said: 421-4.7.0 [1.2.3.4      15] Our system has detected an unusual rate of 421-4.7.0 unsolicited mail originating from your IP address. To protect our 421-4.7.0 users from spam, mail sent from your IP address has been temporarily 421-4.7.0 rate limited. Please visit 421-4.7.0  https://support.google.com/mail/answer/81126 to review our Bulk Email 421 4.7.0 Senders Guidelines. bv15si15610322wjb.142 - gsmtp (in reply to end of DATA command))`,
    ],
    // "unsolicited mail originating from your IP address": a block of our IP's reputation that
    // Gmail words as a rate limit; delivery does not recover by sending slower.
    want: want('outbound', 'blocklisted', 'our IP reputation', 'provider-ip-block', false),
    verify: "printf 'IP %s: look it up or ask for delisting at %s\\n' '1.2.3.4' 'https://postmaster.google.com/'",
  },
  {
    name: 'no PTR record (provider: Gmail 5.7.25)',
    lines: [
      `${SMTP}to=<alice@gmail.com>, relay=gmail-smtp-in.l.google.com[74.125.136.26]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.7.25, status=bounced (host gmail-smtp-in.l.google.com[74.125.136.26] said: 550-5.7.25 [192.0.2.1] The IP address sending this message does not have a 550-5.7.25 PTR record setup, or the corresponding forward DNS entry does not 550-5.7.25 point to the sending IP. As a policy, Gmail does not accept messages 550-5.7.25 from IPs with missing PTR records. 550 5.7.25 a1si1234567wra.1 - gsmtp (in reply to end of DATA command))`,
    ],
    want: want('outbound', 'sender-auth-failed', 'our PTR record (reverse DNS)', 'ptr-missing', true),
    verify: 'dig +short -x $(dig +short myip.opendns.com @resolver1.opendns.com)',
  },
  {
    name: 'SPF fail at a remote policyd-spf, IPv6 relay (dmlinarr line 48)',
    lines: [
      'Jun  1 09:17:49 postfix postfix/smtp[3076]: 9FB7660673: to=<reflector@cyberlab.fhnw.ch>, relay=srvMSG01.cyberlab.fhnw.ch[2001:470:b78e:8000::33]:25, delay=0.39, delays=0.1/0.02/0.11/0.16, dsn=5.7.23, status=bounced (host srvMSG01.cyberlab.fhnw.ch[2001:470:b78e:8000::33] said: 550 5.7.23 <reflector@cyberlab.fhnw.ch>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id=damjan@u10.cyberlab.fhnw.ch;ip=2001:470:b78e:f100::e77e;r=<UNKNOWN> (in reply to RCPT TO command))',
    ],
    // The sender comes from the qmgr line, which is not in this one-line case.
    want: want('outbound', 'sender-auth-failed', 'our SPF/DKIM/DMARC', 'sender-auth', true),
    verify: 'dig +short -t TXT -q SENDER_DOMAIN; dig +short -t TXT -q DMARC_NAME',
  },
  {
    name: 'Gmail DMARC (provider: Gmail 5.7.26 "Unauthenticated email … DMARC policy")',
    lines: [
      'Nov  3 10:00:00 mx postfix/qmgr[4247]: 3F2A1B4C5D: from=<news@example.org>, size=2048, nrcpt=1 (queue active)',
      `${SMTP}to=<alice@gmail.com>, relay=gmail-smtp-in.l.google.com[74.125.136.26]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.7.26, status=bounced (host gmail-smtp-in.l.google.com[74.125.136.26] said: 550-5.7.26 Unauthenticated email from example.org is not accepted due to 550-5.7.26 domain's DMARC policy. Please contact the administrator of 550-5.7.26 example.org domain if this was a legitimate mail. 550 5.7.26 a1si1234567wra.1 - gsmtp (in reply to end of DATA command))`,
    ],
    want: want('outbound', 'sender-auth-failed', 'our SPF/DKIM/DMARC', 'sender-auth', true),
    verify: "dig +short -t TXT -q 'example.org'; dig +short -t TXT -q '_dmarc.example.org'",
  },
  {
    name: 'Microsoft S3140 block list (lightmeter 2 line 21)',
    lines: [
      "Dec  9 10:18:24 mail postfix/smtp[20056]: 1310930001DB: to=<recipient1@dst4.example.com>, relay=hotmail-com.olc.protection.outlook.com[104.47.10.33]:25, delay=0.22, delays=0.02/0.08/0.09/0.03, dsn=5.7.1, status=bounced (host hotmail-com.olc.protection.outlook.com[104.47.10.33] said: 550 5.7.1 Unfortunately, messages from [142.93.169.220] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [DB5EUR03FT029.eop-EUR03.prod.protection.outlook.com] (in reply to MAIL FROM command))",
    ],
    want: want('outbound', 'blocklisted', 'our IP reputation', 'provider-ip-block', true),
    // The IP the reply names (not ours, not the MX's 104.47.10.33) and Microsoft's delist portal.
    verify: "'142.93.169.220' 'https://sender.office.com/'",
  },
  {
    name: 'Microsoft banned sending IP (sisimai set-of-emails rhost-microsoft-01, Microsoft 5.7.606)',
    lines: [
      `${SMTP}to=<alice@outlook.com>, relay=outlook-com.olc.protection.outlook.com[52.101.42.17]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.7.606, status=bounced (host outlook-com.olc.protection.outlook.com[52.101.42.17] said: 550 5.7.606 Access denied, banned sending IP [198.51.100.222]. To request removal from this list please visit https://sender.office.com/ and follow the directions. (in reply to RCPT TO command))`,
    ],
    want: want('outbound', 'blocklisted', 'our IP reputation', 'provider-ip-block', true),
    verify: "printf 'IP %s: look it up or ask for delisting at %s\\n' '198.51.100.222' 'https://sender.office.com/'",
  },
  {
    name: 'Gmail low IP reputation, worded as a rate limit (provider: Gmail 421-4.7.0)',
    lines: [
      `${SMTP}to=<alice@gmail.com>, relay=gmail-smtp-in.l.google.com[74.125.136.26]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=4.7.0, status=deferred (host gmail-smtp-in.l.google.com[74.125.136.26] said: 421-4.7.0 This message is suspicious due to the very low reputation of the 421-4.7.0 sending IP address. To protect our users from spam, mail sent from 421-4.7.0 your IP address has been temporarily rate limited. 421 4.7.0 a1si1234567wra.1 - gsmtp (in reply to end of DATA command))`,
    ],
    want: want('outbound', 'blocklisted', 'our IP reputation', 'provider-ip-block', false),
    verify: "printf 'IP %s: look it up or ask for delisting at %s\\n' REPLY_IP 'https://postmaster.google.com/'",
  },
  {
    name: 'URI block list (sisimai set-of-emails lhost-imailserver-06)',
    lines: [`${SMTP}${TO_MX}dsn=5.0.0, status=bounced (${MX_SAID}550 Body of message generated response: REJECTED - Blacklisted URL in message. (example.com) in [black]. See http://lookup.uribl.com. (in reply to end of DATA command))`],
    want: want('outbound', 'spam-content', 'our message content', 'listed-url', true),
    verify: "postcat -q -- '3F2A1B4C5D' | grep -io -e \"https\\?://[^/ ]*\" | sort -u",
  },
  {
    name: 'Gmail several From addresses (sisimai set-of-emails lhost-postfix-28)',
    lines: [
      `${SMTP}to=<alice@gmail.com>, relay=gmail-smtp-in.l.google.com[74.125.136.26]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.7.1, status=bounced (host gmail-smtp-in.l.google.com[74.125.136.26] said: 550-5.7.1 [192.0.2.222 13] Messages with multiple addresses in From: header are not 550 5.7.1 accepted. v14si1155795plk.134 - gsmtp (in reply to end of DATA command))`,
    ],
    want: want('outbound', 'spam-content', 'our message content', 'malformed-message', true),
    verify: "postcat -hq -- '3F2A1B4C5D' || zgrep -F -e '3F2A1B4C5D' -- 'test.log'",
  },
  {
    name: 'Sendmail relay: host unknown (sisimai set-of-emails lhost-v5sendmail-02)',
    lines: [`${SMTP}${TO_MX}dsn=5.0.0, status=bounced (${MX_SAID}550 Host unknown (Authoritative answer from name server) (in reply to RCPT TO command))`],
    want: want('outbound', 'domain-not-found', 'fix the domain (typo?)', 'domain-not-found', true),
    verify: "dig +short -t MX -q 'example.net'; dig +short -t A -q 'example.net'",
  },
  {
    name: 'Gmail likely unsolicited mail (grok test line 114)',
    lines: [
      '4E74613FE76: to=<redacted@gmail.com>, relay=gmail-smtp-in.l.google.com[2607:f8b0:400e:c04::1b]:25, delay=1.9, delays=0.05/0/1.1/0.71, dsn=5.7.1, status=bounced (host gmail-smtp-in.l.google.com[2607:f8b0:400e:c04::1b] said: 550-5.7.1 [2607:4100:3:25:100::2      12] Our system has detected that this 550-5.7.1 message is likely unsolicited mail. To reduce the amount of spam sent 550-5.7.1 to Gmail, this message has been blocked. Please visit 550-5.7.1 http://support.google.com/mail/bin/answer.py?hl=en&answer=188131 for 550 5.7.1 more information. qc12si8475009pab.211 - gsmtp (in reply to end of DATA command))',
    ],
    want: want('outbound', 'spam-content', 'our message content', 'likely-spam-message', true),
    verify: "postcat -hq -- '4E74613FE76'",
  },
  {
    name: 'user unknown (lightmeter 1 line 19)',
    lines: [
      'Jun  3 10:40:59 mail postfix/smtp[9890]: 776E41855DB2: to=<invalid.email@example.com>, relay=mx.example.com[11.22.33.44]:25, delay=1.9, delays=0/0/1.5/0.37, dsn=5.1.1, status=bounced (host mx.example.com[11.22.33.44] said: 550 5.1.1 <invalid.email@example.com> User unknown (in reply to RCPT TO command))',
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'user-unknown', true),
    verify: "swaks --to='invalid.email@example.com' --quit-after RCPT",
  },
  {
    name: 'Gmail account does not exist, folded reply (louisitvn line 242)',
    lines: [
      "Dec 15 07:48:54 phoenix postfix/smtp[28970]: 233E4110258A: to=<snipn.Castrim@dmnwhite.com>, relay=testrelay.l.google.com[173.194.72.123]:25, delay=336721, delays=335591/1128/2.2/0.32, dsn=5.1.1, status=bounced (host aspmx.l.google.com[173.194.72.27] said: 550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. Learn more at 550 5.1.1 http://support.google.com/mail/bin/answer.py?answer=6596 fj1si11166992pdb.82 - gsmtp (in reply to RCPT TO command))",
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'user-unknown', true),
    verify: "--to='snipn.Castrim@dmnwhite.com'",
  },
  {
    name: 'remote Postfix relay recipient table (louisitvn line 20)',
    lines: [
      'Dec 15 07:46:45 phoenix postfix/smtp[29103]: 5EDC01104345: to=<sniphleen.Denitrim@dmn.info>, relay=smtp-in.jcu.info[137.219.20.123]:25, delay=299084, delays=298083/1001/0.17/0.11, dsn=5.1.1, status=bounced (host smtp-in.jcu.info[137.219.20.34] said: 550 5.1.1 <Kathleen.Denitrim@dmn.info>: Recipient address rejected: User unknown in relay recipient table (in reply to RCPT TO command))',
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'user-unknown', true),
    verify: "--to='sniphleen.Denitrim@dmn.info'",
  },
  {
    name: 'mailbox does not exist with a 5.7.1 code (louisitvn line 1142)',
    lines: [
      'Dec 15 08:02:02 phoenix postfix/smtp[29041]: E85671106336: to=<snipl.Cametrim@dmnash.edu>, relay=mx.its.monash.info[130.194.11.1.123]:25, delay=297040, delays=295121/1918/1.2/0.04, dsn=5.7.1, status=bounced (host mx.its.monash.info[130.194.11.147] said: 550 5.7.1 <Paul.Cametrim@dmnash.edu>: Recipient address rejected: Mailbox does not exist (in reply to RCPT TO command))',
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'user-unknown', true),
    verify: "--to='snipl.Cametrim@dmnash.edu'",
  },
  {
    name: 'Exim callout failure folded into one reply (okfde 006 line 4)',
    lines: [
      'Jul  7 13:01:27 brooke postfix/smtp[586922]: ABCDEF12345: to=<bouncing@exapmle.com>, relay=exapmle.com[1.2.3.4]:25, delay=2.6, delays=0.09/0/1/1.4, dsn=5.0.0, status=bounced (host example.com[1.2.3.4] said: 550-Callout verification failed: 550-550 5.1.1 <bouncing@example.com>: Recipient address rejected: 550 Ungueltige Mail-Domain example.com (in reply to RCPT TO command))',
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'user-unknown', true),
    verify: "--to='bouncing@exapmle.com'",
  },
  {
    name: 'greylisted, multi-line 451 (lightmeter 6 line 30)',
    lines: [
      'Dec  7 13:28:02 mail postfix/smtp[18832]: A17F830001CA: to=<recipient@recipient.com>, relay=mailin6.zih.recipient.relay.example.com[141.30.67.69]:25, delay=0.75, delays=0/0.03/0.66/0.06, dsn=4.0.0, status=deferred (host mailin6.zih.recipient.relay.example.com[141.30.67.69] said: 451-You have been greylisted. This is part of our standard anti-spam measures 451-and your mail system should automatically try again later. We will accept 451 this mail from you in 42 seconds (in reply to RCPT TO command))',
    ],
    want: want('outbound', 'greylisted', 'nothing (retries succeed)', 'greylisted', false),
    verify: "postqueue -p | grep -B2 -F -e 'recipient@recipient.com'",
  },
  {
    name: 'greylisted by postgrey (grok test line 122)',
    lines: [
      'A0E85200BD: to=<whatever-user@lists.example.org>, relay=open.example.nl[10.49.140.10]:25, delay=2.3, delays=0.25/0.05/2/0.04, dsn=4.2.0, status=deferred (host open.example.nl[10.49.140.10] said: 450 4.2.0 <whatever-user@lists.example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/lists.example.org.html (in reply to RCPT TO command))',
    ],
    want: want('outbound', 'greylisted', 'nothing (retries succeed)', 'greylisted', false),
    verify: "grep -B2 -F -e 'whatever-user@lists.example.org'",
  },
  {
    name: "message larger than the server's SIZE (source: smtp_proto.c)",
    lines: [
      `${SMTP}${TO_MX}dsn=5.3.4, status=bounced (message size 31457280 exceeds size limit 26214400 of server mx.example.net[192.0.2.25])`,
    ],
    want: want('outbound', 'message-too-large', 'message size (attachments)', 'message-too-large', true),
    verify: "swaks --to='alice@example.net' --quit-after EHLO",
  },
  {
    name: 'relaying refused (provider: qmail "allowed rcpthosts")',
    lines: [
      `${SMTP}${TO_MX}dsn=5.0.0, status=bounced (${MX_SAID}553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1) (in reply to RCPT TO command))`,
    ],
    want: want('outbound', 'relay-denied', 'relayhost login or their MX', 'relay-denied', true),
    verify: 'postconf relayhost smtp_sasl_auth_enable',
  },
  {
    name: 'relayhost refused our login (source: smtp_sasl_proto.c, server reply from grok test line 128)',
    lines: [
      `${SMTP}to=<alice@example.net>, relay=xyz.example.com[1.2.3.4]:587, delay=1.2, delays=0.1/0/1.1/0, dsn=4.7.8, status=deferred (SASL authentication failed; server xyz.example.com[1.2.3.4] said: 535 5.7.8 Error: authentication failed: authentication failure)`,
    ],
    want: want('outbound', 'auth-required', 'smtp_sasl_password_maps', 'auth-required', false),
    verify: 'smtp_sasl_password_maps',
  },
  {
    name: 'our sender domain unknown to them (grok test line 117, as a status line)',
    lines: [
      `${SMTP}to=<alice@example.net>, relay=relay.example.com[192.0.2.1]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=4.1.8, status=deferred (host relay.example.com[192.0.2.1] said: 450 4.1.8 root@localhost.localdomain: Sender address rejected: Domain not found (in reply to RCPT TO command))`,
    ],
    want: want('outbound', 'access-policy', 'our sender address', 'sender-rejected', false),
    verify: 'dig +short -t MX -q SENDER_DOMAIN',
  },
  {
    name: 'content blocked (provider: Gmail 5.7.0 "content presents a potential security issue")',
    lines: [
      `${SMTP}to=<alice@gmail.com>, relay=gmail-smtp-in.l.google.com[74.125.136.26]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.7.0, status=bounced (host gmail-smtp-in.l.google.com[74.125.136.26] said: 552-5.7.0 This message was blocked because its content presents a potential 552-5.7.0 security issue. Please visit 552-5.7.0  https://support.google.com/mail/?p=BlockedMessage to review our 552 5.7.0 message content and attachment content guidelines. a1si1234567wra.1 - gsmtp (in reply to end of DATA command))`,
    ],
    want: want('outbound', 'spam-content', 'our message content', 'spam-content', true),
    verify: "postcat -hq -- '3F2A1B4C5D'",
  },
  {
    name: 'administrative prohibition (kdent line 2809)',
    lines: [
      'Nov  2 06:11:45 conch postfix/smtp[25370]: B5EE224099: to=<jdent@seaglass.com>, relay=mail.seaglass.com[74.220.219.61]:25, delay=3.2, delays=0.61/0.01/2.2/0.4, dsn=5.0.0, status=bounced (host mail.seaglass.com[74.220.219.61] said: 550 Administrative prohibition (in reply to end of DATA command))',
    ],
    want: want('outbound', 'access-policy', 'contact the remote admin', 'administrative-prohibition', true),
    verify: "--to='jdent@seaglass.com' --quit-after RCPT",
  },
  {
    name: 'greeting refused (provider: T-Online, from Mailu/Mailu#1614)',
    lines: [
      `${SMTP}to=<alice@t-online.de>, relay=mx03.t-online.de[194.25.134.73]:25, delay=1.2, delays=0.1/0/1.1/0, dsn=5.0.0, status=deferred (host mx03.t-online.de[194.25.134.73] refused to talk to me: 554 IP=192.0.2.1 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL))`,
    ],
    want: want('outbound', 'connection-failed', 'their server (greeting refused)', 'refused-to-talk', false),
    verify: "swaks --to='alice@t-online.de' --quit-after CONNECT",
  },
  {
    name: 'status 5.1.1 with an unusual text (provider: AOL, from hippich/PHPMailer-BMH#1)',
    lines: [
      `${SMTP}to=<email@aim.com>, relay=mailin-03.mx.aol.com[64.12.90.97]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.1.1, status=bounced (host mailin-03.mx.aol.com[64.12.90.97] said: 550 5.1.1 email@aim.com: Recipient address rejected: aim.com (in reply to RCPT TO command))`,
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'status-user-unknown', true),
    verify: "--to='email@aim.com'",
  },
  {
    name: 'status 5.4.4 (provider reply "550 5.4.4 Invalid domain", as quoted in bounce guides)',
    lines: [`${SMTP}${TO_MX}dsn=5.4.4, status=bounced (${MX_SAID}550 5.4.4 Invalid domain (in reply to RCPT TO command))`],
    want: want('outbound', 'domain-not-found', 'fix the domain (typo?)', 'status-domain', true),
    verify: "dig +short -t MX -q 'example.net'",
  },
  {
    name: 'status 5.2.1 with a generic text (provider: dalgakiran.com.ua "550 5.2.1 Mailbox unavailable.")',
    lines: [`${SMTP}${TO_MX}dsn=5.2.1, status=bounced (${MX_SAID}550 5.2.1 Mailbox unavailable. (in reply to RCPT TO command))`],
    want: want('outbound', 'mailbox-disabled', 'remove the address from lists', 'status-disabled', true),
    verify: "--to='alice@example.net'",
  },
  {
    name: 'status 5.2.2 (provider: Exchange STOREDRV QuotaExceededException)',
    lines: [
      `${SMTP}${TO_MX}dsn=5.2.2, status=bounced (${MX_SAID}552 5.2.2 STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded (in reply to end of DATA command))`,
    ],
    want: want('outbound', 'mailbox-full', 'their mailbox is full', 'status-full', true),
    verify: "grep -B2 -F -e 'alice@example.net'",
  },
  {
    name: 'status 5.3.4 (RFC 3463 wording "Message too big for system", which servers send as-is)',
    lines: [`${SMTP}${TO_MX}dsn=5.3.4, status=bounced (${MX_SAID}552 5.3.4 Message too big for system (in reply to end of DATA command))`],
    want: want('outbound', 'message-too-large', 'message size (attachments)', 'status-too-large', true),
    verify: 'EHLO',
  },
  {
    name: 'status 5.7.23 (provider: Exchange Online "Sender Policy Framework violation")',
    lines: [
      `${SMTP}${TO_MX}dsn=5.7.23, status=bounced (${MX_SAID}550 5.7.23 The message was rejected because of Sender Policy Framework violation (in reply to end of DATA command))`,
    ],
    want: want('outbound', 'sender-auth-failed', 'our SPF/DKIM/DMARC', 'status-sender-auth', true),
    verify: 'dig +short -t TXT',
  },
  {
    name: 'mailbox unavailable with 5.5.0 (provider: Outlook.com unknown user)',
    lines: [
      `${SMTP}to=<alice@outlook.com>, relay=outlook-com.olc.protection.outlook.com[104.47.10.33]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.5.0, status=bounced (host outlook-com.olc.protection.outlook.com[104.47.10.33] said: 550 5.5.0 Requested action not taken: mailbox unavailable (in reply to RCPT TO command))`,
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'mailbox-unavailable', true),
    verify: "--to='alice@outlook.com'",
  },
  {
    name: 'reply code 530 (provider: Microsoft 365 "Client not authenticated to send mail")',
    lines: [
      `${SMTP}to=<alice@contoso.com>, relay=smtp.office365.com[192.0.2.30]:587, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.7.57, status=bounced (host smtp.office365.com[192.0.2.30] said: 530 5.7.57 Client not authenticated to send mail (in reply to MAIL FROM command))`,
    ],
    want: want('outbound', 'auth-required', 'smtp_sasl_password_maps', 'code-auth-required', true),
    verify: 'postconf relayhost smtp_sasl_auth_enable',
  },
  {
    name: 'status 5.7.1 with a policy text (provider: Orange "Service refuse")',
    lines: [
      `${SMTP}to=<alice@orange.fr>, relay=smtp-in.orange.fr[192.0.2.31]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.7.1, status=bounced (host smtp-in.orange.fr[192.0.2.31] said: 550 5.7.1 Service refuse. Veuillez essayer plus tard. service refused, please try later. (in reply to MAIL FROM command))`,
    ],
    want: want('outbound', 'access-policy', 'contact the remote admin', 'status-policy', true),
    verify: "--to='alice@orange.fr'",
  },
  {
    name: 'status 4.4.7 from a relay (provider: Exchange "QUEUE.Expired; message expired")',
    lines: [`${SMTP}${TO_MX}dsn=5.4.7, status=bounced (${MX_SAID}550 4.4.7 QUEUE.Expired; message expired (in reply to end of DATA command))`],
    want: want('outbound', 'connection-failed', 'their server (or our port 25)', 'status-network', true),
    verify: 'CONNECT',
  },
  {
    name: 'status 5.6.9 (sisimai set-of-emails lhost-sendmail-06: "improper use of 8-bit data")',
    lines: [`${SMTP}${TO_MX}dsn=5.6.9, status=bounced (${MX_SAID}550 5.6.9 improper use of 8-bit data in message header (in reply to end of DATA command))`],
    want: want('outbound', 'spam-content', 'our message content', 'status-content', true),
    verify: "postcat -hq -- '3F2A1B4C5D' || zgrep -F -e '3F2A1B4C5D' -- 'test.log'",
  },
  {
    name: 'status 5.5.2 (provider: Gmail "Syntax error")',
    lines: [
      `${SMTP}to=<alice@gmail.com>, relay=gmail-smtp-in.l.google.com[74.125.136.26]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.5.2, status=bounced (host gmail-smtp-in.l.google.com[74.125.136.26] said: 555 5.5.2 Syntax error. a1si1234567wra.1 - gsmtp (in reply to MAIL FROM command))`,
    ],
    want: want('outbound', 'protocol-error', 'contact the remote admin', 'status-protocol', true),
    verify: "--to='alice@gmail.com'",
  },
  {
    name: 'code 503 without status (sisimai set-of-emails rfc3464-29)',
    lines: [`${SMTP}${TO_MX}dsn=5.0.0, status=bounced (${MX_SAID}503 Improper sequence of commands (in reply to RCPT TO command))`],
    want: want('outbound', 'protocol-error', 'contact the remote admin', 'code-protocol', true),
    verify: "swaks --to='alice@example.net' --quit-after RCPT",
  },
  {
    name: 'code 551 without status (sisimai set-of-emails lhost-sendmail-17)',
    lines: [`${SMTP}${TO_MX}dsn=5.0.0, status=bounced (${MX_SAID}551 not our user (in reply to RCPT TO command))`],
    want: want('outbound', 'user-unknown', 'update the address (user moved)', 'code-user-not-local', true),
    verify: "swaks --to='alice@example.net' --quit-after RCPT",
  },
  {
    name: 'catch-all (provider: Yahoo "Internal error reading data", grok test line 120, as a status line)',
    lines: [
      `${SMTP}to=<alice@yahoo.com>, relay=mta7.am0.yahoodns.net[66.196.118.34]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=4.3.2, status=deferred (host mta7.am0.yahoodns.net[66.196.118.34] said: 451 4.3.2 Internal error reading data (in reply to MAIL FROM command))`,
    ],
    want: want('outbound', 'other', 'contact the remote admin', 'other', false),
    verify: "--to='alice@yahoo.com'",
  },
];

// A domain we host (relay_domains), handed to our mailbox server over SMTP.
const TO_STORE = 'to=<bob@example.org>, relay=mailstore.example.org[10.0.0.5]:25, delay=0.3, delays=0.1/0/0.1/0.1, ';
const STORE_SAID = 'host mailstore.example.org[10.0.0.5] said: ';

const LOCAL: Case[] = [
  {
    name: 'content filter refuses the message itself (lab: amavisd-new reply from the filter sink)',
    lines: [
      `${LAB}smtp[5600]: 4jgzL96wq3zJHp2: to=<virus@vmbox.test>, relay=127.0.0.1[127.0.0.1]:42189, delay=0.13, delays=0.02/0/0.06/0.05, dsn=5.7.0, status=bounced (host 127.0.0.1[127.0.0.1] said: 554 5.7.0 Reject, id=10374-01 - spam (in reply to end of DATA command))`,
    ],
    want: want('local', 'spam-content', 'content_filter', 'content-filter-refused', true),
    verify: 'postconf content_filter',
  },
  {
    // A 5.1.1 relayed back through a loopback next hop is the text's, not the filter's: for a
    // domain we host it is our stale recipient list.
    name: 'hosted relay domain, next hop on loopback says user unknown (lab: relay_recipient_maps lists carol)',
    lines: [
      `${LAB}smtp[5582]: 4jgzL85qXjzJHnw: to=<carol@relay.test>, relay=127.0.0.1[127.0.0.1]:41197, delay=0.07, delays=0.01/0/0/0.05, dsn=5.1.1, status=bounced (host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <carol@relay.test>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))`,
    ],
    local: ['relay.test'],
    want: want('local', 'user-unknown', 'relay_recipient_maps', 'next-hop-user-unknown', true),
    verify: "postmap -q 'carol@relay.test'",
  },
  {
    name: 'hosted domain, our mailbox server answers 5.1.1 in its own words (constructed)',
    lines: [`${SMTP}${TO_STORE}dsn=5.1.1, status=bounced (${STORE_SAID}550 5.1.1 Recipient rejected (in reply to RCPT TO command))`],
    local: ['example.org'],
    want: want('local', 'user-unknown', 'relay_recipient_maps', 'next-hop-status-user-unknown', true),
    verify: "postmap -q 'bob@example.org'",
  },
  {
    name: 'hosted domain, our mailbox server is full (constructed)',
    lines: [`${SMTP}${TO_STORE}dsn=4.2.2, status=deferred (${STORE_SAID}452 4.2.2 Mailbox full (in reply to RCPT TO command))`],
    local: ['example.org'],
    want: want('local', 'mailbox-full', 'our next hop for the domain', 'next-hop-mailbox-full', false),
    verify: 'transport_maps',
  },
  {
    name: 'hosted domain, our mailbox server refuses the size (constructed)',
    lines: [`${SMTP}${TO_STORE}dsn=5.3.4, status=bounced (${STORE_SAID}552 5.3.4 Message size exceeds fixed maximum message size (in reply to end of DATA command))`],
    local: ['example.org'],
    want: want('local', 'message-too-large', 'our next hop for the domain', 'next-hop-message-too-large', true),
    verify: 'transport_maps',
  },
  {
    name: 'hosted domain, our mailbox server greylists (constructed)',
    lines: [`${SMTP}${TO_STORE}dsn=4.7.1, status=deferred (${STORE_SAID}450 4.7.1 <bob@example.org>: Recipient address rejected: Greylisted for 300 seconds (in reply to RCPT TO command))`],
    local: ['example.org'],
    want: want('local', 'greylisted', 'our next hop for the domain', 'next-hop-greylisted', false),
    verify: 'transport_maps',
  },
  {
    name: 'hosted domain, our mailbox server limits recipients (constructed)',
    lines: [`${SMTP}${TO_STORE}dsn=4.5.3, status=deferred (${STORE_SAID}452 4.5.3 Error: too many recipients (in reply to RCPT TO command))`],
    local: ['example.org'],
    want: want('local', 'rate-limited', 'our next hop for the domain', 'next-hop-rate-limited', false),
    verify: 'transport_maps',
  },
  {
    name: 'hosted domain, our mailbox server unreachable (constructed around smtp_connect.c)',
    lines: [`${SMTP}to=<bob@example.org>, relay=none, delay=30, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to mailstore.example.org[10.0.0.5]:25: Connection timed out)`],
    local: ['example.org'],
    want: want('local', 'connection-failed', 'our next hop for the domain', 'next-hop-down', false),
    verify: 'relay_transport',
  },
  {
    name: 'hosted domain, our mailbox server refuses for another reason (constructed)',
    lines: [`${SMTP}${TO_STORE}dsn=5.7.1, status=bounced (${STORE_SAID}550 5.7.1 Message rejected by local policy (in reply to end of DATA command))`],
    local: ['example.org'],
    want: want('local', 'other', 'our next hop for the domain', 'next-hop-other', true),
    verify: 'transport_maps',
  },
  {
    // pipe(8) + sys_exits.c: EX_NOUSER (67) is `user unknown` with 5.1.1.
    name: 'pipe command exits 67, EX_NOUSER (lab: master.cf pipe service)',
    lines: [`${LAB}pipe[5700]: 4jgzLB2wBpzJHp2: to=<nouser@pipe.test>, relay=labpipe, delay=0.17, delays=0.02/0.1/0/0.06, dsn=5.1.1, status=bounced (user unknown)`],
    want: want('local', 'user-unknown', 'pipe transport in master.cf', 'pipe-user-unknown', true),
    verify: 'postconf -M | grep -w pipe',
  },
  {
    name: 'pipe command exits 75, EX_TEMPFAIL (lab: master.cf pipe service)',
    lines: [`${LAB}pipe[5701]: 4jgzLB60KVzJHp2: to=<tempfail@pipe.test>, relay=labpipe, delay=0.07, delays=0.01/0/0/0.05, dsn=4.3.0, status=deferred (temporary failure)`],
    want: want('local', 'other', 'pipe transport in master.cf', 'pipe-other', false),
    verify: 'postconf -M | grep -w pipe',
  },
  {
    name: 'pipe command prints a quota text (lab: exit 75 with Dovecot\'s wording)',
    lines: [`${LAB}pipe[5702]: 4jgzLC10rfzJHp9: to=<quota@pipe.test>, relay=labpipe, delay=0.06, delays=0.01/0/0/0.05, dsn=4.3.0, status=deferred (temporary failure. Command output: Quota exceeded (mailbox for user is full) )`],
    want: want('local', 'mailbox-full', 'mailbox quota (Dovecot or file system)', 'quota', false),
    verify: 'doveadm quota get',
  },
  {
    // virtual(8) limits its file size to virtual_mailbox_limit; the write fails with EFBIG.
    name: 'virtual_mailbox_limit reached, mbox-style mailbox (lab: virtual_mailbox_limit = 200000)',
    lines: [`${LAB}virtual[6001]: 4jgzLD4ZwnzJHpJ: to=<big@vmbox.test>, relay=virtual, delay=0.05, delays=0.03/0/0/0.02, dsn=5.2.2, status=bounced (delivery failed to mailbox /var/mail/vhosts/vmbox.test/big: error writing message: File too large)`],
    want: want('local', 'mailbox-full', 'virtual_mailbox_limit', 'virtual-mailbox-limit', true),
    verify: 'postconf virtual_mailbox_limit',
  },
  {
    name: 'mailbox_size_limit reached by a file delivery (lab: alias to an mbox file, mailbox_size_limit = 200000)',
    lines: [`${LAB}local[6100]: 4jgzLG0V4lzJHpP: to=<bigbox@local.test>, relay=local, delay=0.07, delays=0.01/0.05/0/0.01, dsn=5.2.2, status=bounced (cannot append message to file /var/mail/archive/bigbox.mbox: error writing message: File too large)`],
    want: want('local', 'mailbox-full', 'mailbox_size_limit', 'mailbox-size-limit', true),
    verify: 'postconf mailbox_size_limit',
  },
  {
    name: 'alias loop (lab: loop1 -> loop2 -> loop1 in aliases)',
    lines: [`${LAB}local[6228]: 4jgzLG325LzJHpR: to=<loop2@local.test>, orig_to=<loop1@local.test>, relay=local, delay=0.02, delays=0.01/0/0/0.01, dsn=5.4.6, status=bounced (alias database loop for loop2)`],
    want: want('local', 'mail-loop', 'aliases / .forward loop', 'forwarding-loop', true),
    verify: 'alias_maps',
  },
  {
    name: 'content filter on loopback down, relay=none (source: smtp_connect.c)',
    lines: [
      `${SMTP}to=<alice@example.org>, relay=none, delay=0.2, delays=0.1/0/0.1/0, dsn=4.4.1, status=deferred (connect to 127.0.0.1[127.0.0.1]:10024: Connection refused)`,
    ],
    want: want('local', 'connection-failed', 'content_filter', 'content-filter-down', false),
    verify: 'postconf content_filter',
  },
  {
    name: 'content filter refused the message (provider: amavisd-new "451 4.5.0 Error in processing")',
    lines: [
      `${SMTP}to=<alice@example.org>, relay=127.0.0.1[127.0.0.1]:10024, delay=1.5, delays=0.1/0/0/1.4, dsn=4.5.0, status=deferred (host 127.0.0.1[127.0.0.1] said: 451 4.5.0 Error in processing, id=12345-01, virus_scan FAILED: virus scanners failed (in reply to end of DATA command))`,
    ],
    want: want('local', 'other', 'content_filter', 'content-filter-error', false),
    verify: "zgrep -F -e '3F2A1B4C5D' -- 'test.log'",
  },
  {
    name: 'LMTP socket missing (source: smtp_connect.c for unix-domain LMTP)',
    lines: [
      `${LMTP}to=<alice@example.org>, relay=none, delay=0.1, delays=0.05/0/0.05/0, dsn=4.4.1, status=deferred (connect to mail.example.org[private/dovecot-lmtp]: No such file or directory)`,
    ],
    want: want('local', 'connection-failed', 'virtual_transport / mailbox_transport (LMTP)', 'lmtp-down', false),
    verify: 'doveadm service status lmtp',
  },
  {
    name: 'accepted, then no virtual alias (source: resolve.c text, as grok test line 37 shows it, via error(8))',
    lines: [
      'Nov  3 10:00:00 mx postfix/error[4248]: 3F2A1B4C5D: to=<nobody@alias.example.org>, relay=none, delay=0.01, delays=0.01/0/0/0, dsn=5.1.1, status=bounced (User unknown in virtual alias table)',
    ],
    want: want('local', 'user-unknown', 'virtual_alias_maps', 'virtual-alias-unknown', true),
    verify: "postmap -q 'nobody@alias.example.org'",
  },
  {
    name: 'local(8) unknown user, pre-2.1 address form (grok test line 40)',
    lines: [
      '892A0205B6: to=ghdsgfhdslfh@localhost, relay=local, delay=0.05, delays=0.02/0/0/0.02, dsn=5.1.1, status=bounced (unknown user: "ghdsgfhdslfh")',
    ],
    want: want('local', 'user-unknown', 'alias_maps / local_recipient_maps', 'local-unknown-user', true),
    verify: "postmap -q 'ghdsgfhdslfh' \"$m\" || echo 'not found'; done; getent passwd -- 'ghdsgfhdslfh'",
  },
  {
    name: 'virtual(8) unknown user (source: virtual/unknown.c)',
    lines: [
      'Nov  3 10:00:00 mx postfix/virtual[4249]: 3F2A1B4C5D: to=<nobody@example.org>, relay=virtual, delay=0.02, delays=0.01/0/0/0.01, dsn=5.1.1, status=bounced (unknown user: "nobody@example.org")',
    ],
    want: want('local', 'user-unknown', 'virtual_mailbox_maps', 'virtual-unknown-user', true),
    verify: "postconf -hx virtual_mailbox_maps | tr ',' ' '); do printf '%s: ' \"$m\"; postmap -q 'nobody@example.org'",
  },
  {
    name: "Dovecot LMTP user doesn't exist (provider: Mailu/Mailu#1614 log line)",
    lines: [
      "Sep 07 13:35:41 mail postfix/lmtp[26538]: 81EE0980F16: to=<doesnotexist@example.com>, relay=172.19.0.7[172.19.0.7]:2525, delay=0.72, delays=0.54/0.09/0.05/0.04, dsn=5.1.1, status=bounced (host 172.19.0.7[172.19.0.7] said: 550 5.1.1 <doesnotexist@example.com> User doesn't exist: doesnotexist@example.com (in reply to RCPT TO command))",
    ],
    want: want('local', 'user-unknown', 'Dovecot userdb vs virtual_mailbox_maps', 'mailbox-server-unknown-user', true),
    verify: "doveadm user -- 'doesnotexist@example.com'",
  },
  {
    name: 'pipe transport (relay=dovecot, no program) exit EX_NOUSER (grok test line 50)',
    lines: ['2F6C83D: to=<user@example.org>, relay=dovecot, delay=5.1, delays=4.4/0.02/0/0.61, dsn=5.1.1, status=bounced (user unknown)'],
    want: want('local', 'user-unknown', 'Dovecot userdb vs virtual_mailbox_maps', 'mailbox-server-unknown-user', true),
    verify: "doveadm user -- 'user@example.org'",
  },
  {
    name: 'mailbox file at mailbox_size_limit (source: local/mailbox.c + mail_copy.c, EFBIG)',
    lines: [
      'Nov  3 10:00:00 mx postfix/local[4250]: 3F2A1B4C5D: to=<alice@example.org>, relay=local, delay=0.05, delays=0.02/0/0/0.03, dsn=5.2.2, status=bounced (cannot update mailbox /var/mail/alice for user alice. error writing message: File too large)',
    ],
    want: want('local', 'mailbox-full', 'mailbox_size_limit', 'mailbox-size-limit', true),
    verify: 'postconf mailbox_size_limit virtual_mailbox_limit message_size_limit',
  },
  {
    name: 'Dovecot quota (provider: Dovecot LMTP 552 with quota_exceeded_message default)',
    lines: [
      `${LMTP}to=<alice@example.org>, relay=mail.example.org[private/dovecot-lmtp], delay=0.1, delays=0.05/0/0/0.05, dsn=5.2.2, status=bounced (host mail.example.org[private/dovecot-lmtp] said: 552 5.2.2 <alice@example.org> Quota exceeded (mailbox for user is full) (in reply to end of DATA command))`,
    ],
    want: want('local', 'mailbox-full', 'mailbox quota (Dovecot or file system)', 'quota', true),
    verify: "doveadm quota get -u 'alice@example.org'",
  },
  {
    name: 'forwarding loop (grok test line 49)',
    lines: ['95ECE24E0: to=<tom@example.com>, relay=dovecot, delay=0.12, delays=0.03/0/0/0.08, dsn=5.4.6, status=bounced (mail forwarding loop for tom@example.com)'],
    want: want('local', 'mail-loop', 'aliases / .forward loop', 'forwarding-loop', true),
    verify: "postmap -q 'tom'",
  },
  {
    name: 'pipe command died (source: global/pipe_command.c)',
    lines: [
      'Nov  3 10:00:00 mx postfix/pipe[4251]: 3F2A1B4C5D: to=<alice@example.org>, relay=dovecot, delay=0.3, delays=0.1/0/0/0.2, dsn=5.3.0, status=bounced (Command died with status 1: "/usr/lib/dovecot/deliver")',
    ],
    want: want('local', 'other', 'pipe transport in master.cf', 'pipe-command-failed', true),
    verify: 'postconf -M | grep -w pipe',
  },
  {
    name: 'maildir not writable (source: virtual/maildir.c)',
    lines: [
      'Nov  3 10:00:00 mx postfix/virtual[4249]: 3F2A1B4C5D: to=<alice@example.org>, relay=virtual, delay=0.02, delays=0.01/0/0/0.01, dsn=4.2.0, status=deferred (create maildir file /var/mail/vhosts/example.org/alice/tmp/1700000000.P4249.mx: Permission denied)',
    ],
    want: want('local', 'other', 'mailbox permissions', 'mailbox-write-failed', false),
    verify: 'postconf mail_spool_directory home_mailbox virtual_mailbox_base',
  },
  {
    name: 'catch-all (provider: Dovecot LMTP "Temporary internal error")',
    lines: [
      `${LMTP}to=<alice@example.org>, relay=mail.example.org[private/dovecot-lmtp], delay=0.1, delays=0.05/0/0/0.05, dsn=4.3.0, status=deferred (host mail.example.org[private/dovecot-lmtp] said: 451 4.3.0 <alice@example.org> Temporary internal error (in reply to end of DATA command))`,
    ],
    want: want('local', 'other', 'local delivery agent', 'other', false),
    verify: "zgrep -F -e '3F2A1B4C5D' -- 'test.log'",
  },
];

/** A hand-built reject, for the hostile-text tests. */
const ANVIL_EVENT: RejectEvent = rejectEvent({
  mta: 'postfix',
  time: null,
  host: 'mx',
  program: 'postfix/smtpd',
  queueId: null,
  raw: '',
  origin: { file: 'test.log', line: 1 },
  via: 'smtpd',
  stage: 'MAIL',
  smtpCode: 450,
  enhancedStatus: '4.7.1',
  text: 'Error: too much mail from 192.0.2.10',
  client: { name: 'mail.example.net', ip: '192.0.2.10', port: null },
  from: 'bob@example.net',
  to: null,
  helo: 'mail.example.net',
  proto: 'ESMTP',
});

const CASES: Case[] = [...INBOUND, ...OUTBOUND, ...LOCAL];

const eventOf = (c: Case): MailEvent => lastEventOf(c.lines);


describe('Postfix rules, one real line per rule', () => {
  test.for(CASES)('$name', (c) => {
    const ev = eventOf(c);
    MailEvent.parse(ev);
    const got = classify(ev, c.local ? new LocalDomains(c.local) : undefined);
    expect(summary(got)).toEqual(c.want);
    expect(got!.verify).toContain(c.verify);
  });
});

describe('the answer cache', () => {
  // classify() remembers answers per facts, and the last facts and answer. A copy of the table
  // has no cache yet, so classifyWith() on a fresh copy is the answer worked out from scratch.
  // Variants of each case differ from it in one fact only (code, enhanced status, stage), the
  // look-alikes a cache must tell apart.
  const variants: MailEvent[] = CASES.map(eventOf).flatMap((ev) => {
    if (ev.kind !== 'reject' && ev.kind !== 'delivery') return [ev];
    const code = ev.smtpCode === null ? 550 : ev.smtpCode >= 500 ? ev.smtpCode - 100 : ev.smtpCode + 100;
    const sameClass = ev.smtpCode === 550 ? 554 : ev.smtpCode === 554 ? 550 : ev.smtpCode === 450 ? 421 : 450;
    const out: MailEvent[] = [ev, { ...ev, smtpCode: code }, { ...ev, smtpCode: sameClass }];
    if (ev.kind === 'reject') out.push({ ...ev, enhancedStatus: ev.enhancedStatus === '5.1.1' ? '5.7.1' : '5.1.1' }, { ...ev, stage: ev.stage === 'RCPT' ? 'DATA' : 'RCPT' });
    else out.push({ ...ev, dsn: ev.dsn === '5.1.1' ? '4.4.1' : '5.1.1' });
    return out;
  });
  test('any order of look-alike events, with repeats, gives what an empty cache gives', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: variants.length - 1 }), { minLength: 1, maxLength: 80 }), (picks) =>
        picks.every((i) => {
          const ev = variants[i]!;
          const fresh = ev.kind === 'reject' || ev.kind === 'delivery' ? classifyWith([...POSTFIX_RULES], ev) : null;
          return JSON.stringify(summary(classify(ev))) === JSON.stringify(summary(fresh));
        }),
      ),
      { numRuns: runs(300), seed: 5 },
    );
  });
});

describe('the rule table', () => {
  ruleTableInvariants('postfix', POSTFIX_RULES, () => CASES.map((c) => c.want.rule));
});

describe('what is not a problem', () => {
  test('a sent delivery (grok test line 32) is not classified', () => {
    const [ev] = parseLines([
      '25F2E5E061: to=<george.desantis@test.example.com>, relay=none, delay=0.05, delays=0.05/0/0/0, dsn=2.0.0, status=sent (test.example.com)',
    ]);
    expect(ev?.kind).toBe('delivery');
    expect(classify(ev!)).toBeNull();
  });

  test('a bounce notification (lightmeter 1 line 22) is not classified', () => {
    const [ev] = parseLines(['Jun  3 10:40:59 mail postfix/bounce[9719]: 776E41855DB2: sender non-delivery notification: A48191855DA0']);
    expect(ev?.kind).toBe('notification');
    expect(classify(ev!)).toBeNull();
  });
});

describe('texts from strangers', () => {
  const delivery = (reason: string, to = 'alice@example.net'): DeliveryEvent =>
    deliveryEvent({
      mta: 'postfix',
      time: null,
      host: null,
      program: 'postfix/smtp',
      queueId: '3F2A1B4C5D',
      raw: '',
      origin: { file: 'test.log', line: 1 },
      status: 'bounced',
      agent: 'smtp',
      to,
      origTo: null,
      relay: { name: 'mx.example.net', ip: '192.0.2.25', port: 25 },
      dsn: '5.0.0',
      reason,
      smtpCode: 550,
      remoteHost: null,
      inReplyTo: null,
      from: null,
      client: null,
      router: null,
    });

  test('host names and echoed addresses do not decide the rule', () => {
    const got = classify(delivery('host spam-dkim.example.net[192.0.2.25] said: 550 <spf-dmarc@example.net> No such user (in reply to RCPT TO command)'));
    expect(got?.rule).toBe('postfix.outbound.user-unknown');
  });

  test("addresses are single-quoted for the shell, with ' escaped and control characters shown as ?", () => {
    const got = classify(delivery('host mx.example.net[192.0.2.25] said: 550 5.1.1 No such user', "o'hara@example.net\n;rm -rf /"));
    expect(got?.verify).toContain(`--to='o'\\''hara@example.net?;rm -rf /'`);
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });

  const MB = 1 << 20;
  const hostile = {
    'semicolons': '; '.repeat(MB / 2),
    'angle brackets': '<'.repeat(MB),
    'an unclosed address': '<' + 'a'.repeat(MB),
    'spaces': ' '.repeat(MB),
    'square brackets': '['.repeat(MB),
    'blocked-using lists': '] blocked using '.repeat(MB / 16),
    'a host that never says anything': 'host ' + 'x'.repeat(MB),
    'a connect with no end': 'connect to ' + 'a'.repeat(MB),
    'client brackets with hex': 'blocked using client host [' + 'a'.repeat(MB),
  };

  // No timing asserts: a backtracking regex would not finish within the test timeout.
  test.for(Object.entries(hostile))('1 MB of %s classifies', ([, text]) => {
    expect(classify(delivery(text))?.direction).toBe('outbound');
    expect(classify({ ...ANVIL_EVENT, text })?.direction).toBe('inbound');
  });
});

describe('helpers', () => {
  test('enhanced status patterns compare whole fields', () => {
    expect(enhancedMatches('x.1.1', '4.1.1')).toBe(true);
    expect(enhancedMatches('x.1.1', '5.1.10')).toBe(false);
    expect(enhancedMatches('x.7', '5.7.26')).toBe(true);
    expect(enhancedMatches('5.7.23', '4.7.23')).toBe(false);
    expect(enhancedMatches('x.1.1', null)).toBe(false);
  });

  test('reversed IPs for DNSBL queries, IPv4 and IPv6', () => {
    expect(reverseIp('192.0.2.1')).toBe('1.2.0.192');
    expect(reverseIp('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2');
    expect(reverseIp('300.1.1.1')).toBeNull();
    expect(reverseIp('mail.example.net')).toBeNull();
  });

  test('IPv4 digits are zeroed for matching, keeping length and shape; the verify command still has the real one', () => {
    const reply = (ip: string) =>
      `Service unavailable; Client host [${ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/${ip}`;
    const a = normalise(reply('203.0.113.77'), 'reject');
    expect(normalise(reply('192.0.211.12'), 'reject')).toBe(a);
    expect(a).toBe('service unavailable; client host [000.0.000.00] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/000.0.000.00');
    expect(normalise('4.7.1 try again, build 10.0.1', 'reject')).toBe('4.7.1 try again, build 10.0.1');
    expect(dnsblQuery(reply('203.0.113.77'))).toBe('77.113.0.203.zen.spamhaus.org');
    // Any shape of quad, anywhere: every digit of it, and nothing else, becomes 0.
    const quad = fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 4, maxLength: 4 }).map((o) => o.join('.'));
    fc.assert(
      // Around it: letters, digits, dots and brackets (no `-`, which could make a folded reply code).
      fc.property(fc.string({ unit: fc.constantFrom('a', 'B', ' ', '.', '7', '<', '>'), maxLength: 12 }), quad, fc.string({ unit: fc.constantFrom('x', ' ', '.', '1', ']'), maxLength: 12 }), (before, ip, after) => {
        const text = `${before} [${ip}] ${after}`.toLowerCase();
        const want = text.replace(/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g, (m) => m.replace(/\d/g, '0')).replace(/<[^<>]{3,}>/g, '<>');
        expect(normalise(text, 'reject')).toBe(want);
      }),
      { numRuns: runs(500) },
    );
  });

  test("Gmail's session id before ` - gsmtp` is dropped for matching, so its replies classify once", () => {
    const gmail = (id: string) =>
      `host gmail-smtp-in.l.google.com[142.250.27.26] said: 550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser ${id} - gsmtp (in reply to RCPT TO command)`;
    const a = normalise(gmail('d9443c01a7336-21f8c1c1b4bsi12345678ad.123'), 'delivery');
    expect(normalise(gmail('a640c23a62f3a-abf4ebcd96fsi9876543.456'), 'delivery')).toBe(a);
    expect(a.endsWith('?p=nosuchuser - gsmtp')).toBe(true);
    // A last word that is no session id stays.
    expect(normalise('550 5.7.1 message blocked - gsmtp', 'reject')).toBe('550 5.7.1 message blocked - gsmtp');
    expect(normalise('550 see https://x.example/a.1 - gsmtp', 'reject')).toBe('550 see https://x.example/a.1 - gsmtp');
  });

  test('the DNSBL query comes from the reply text', () => {
    expect(dnsblQuery('Service unavailable; Client host [2001:db8::1] blocked using zen.spamhaus.org; see …')).toBe(
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org',
    );
    expect(dnsblQuery('Service unavailable')).toBeNull();
  });
});
