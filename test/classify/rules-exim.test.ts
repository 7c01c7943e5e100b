/**
 * The Exim rule table, one row per rule at least, each a log line run through the real Exim
 * parser (test/helpers/parse.ts with eximParser) and then classify(). Lines come verbatim from
 * ../shared/corpus/exim (file and line number in the name) or from samples/exim. Where neither
 * has a line for a rule, the line is written in Exim's log format (4.98: `<id> ** addr R=… T=…
 * H=… : reason`, `<id> == addr R=… T=… defer (errno) …`) around the exact text of Exim's source
 * (file named) or of a provider's real reply (provider named, as in the Postfix table's tests);
 * those names say "constructed".
 */
import { describe, expect, test } from 'vitest';
import { eximParser } from '../../parsers/exim/index.js';
import { classify, directionOf, isPermanent, PLACEHOLDERS } from '../../src/classify/classify.js';
import { LocalDomains } from '../../src/classify/local-domains.js';
import { EXIM_RULES } from '../../src/classify/rules-exim.js';
import { POSTFIX_RULES } from '../../src/classify/rules-postfix.js';
import { REMOTE_STATUS, REMOTE_TEXT } from '../../src/classify/rules-remote.js';
import { Cause, Direction, type Classification } from '../../src/classify/types.js';
import { deliveryEvent, MailEvent, rejectEvent, type DeliveryEvent, type RejectEvent } from '../../src/event.js';
import { lastEventOf, summary, wantFor, type Want } from '../helpers/rule-cases.js';
import { ruleTableInvariants } from '../helpers/rule-table.js';
import { parseLines } from '../helpers/parse.js';

interface Case {
  name: string;
  /** Log lines; the last event they yield is the one classified. */
  lines: string[];
  want: Want;
  /** Must appear in the verify command, with this event's values filled in and quoted. */
  verify: string;
  /** Recipient domains this server hosts (`--local-domains`), where the case depends on them. */
  hosted?: string[];
}

const want = wantFor('exim');

// Prefixes for constructed lines (the corpus and sample lines are verbatim).
const AT = '2026-11-22 10:00:00 ';
const ID = `${AT}1xV5P6-00000000AWF-00AZ `;
const CLIENT = 'H=(mail.example.net) [192.0.2.10]:40000 F=<bob@example.net> ';
const TO_MX = (addr: string, host = 'mx.example.net [192.0.2.25]') =>
  `R=dnslookup T=remote_smtp H=${host} X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after ${addr}`;

const INBOUND: Case[] = [
  {
    name: 'ACL condition that does not expand to yes/no (Exim_exim_test-log-0023 line 44)',
    lines: [
      '1999-03-02 09:44:33 H=(test) [56.56.57.57] U=CALLER F=<userx@test.ex> temporarily rejected RCPT <cond-rhubarb@test.ex>: invalid "condition" value "rhubarb"',
    ],
    want: want('inbound', 'other', 'ACL configuration error', 'acl-config-error', false),
    verify: 'tail -n 20 /var/log/exim4/paniclog',
  },
  {
    name: 'condition not allowed in the non-SMTP ACL (Exim_exim_test-log-0021 line 8)',
    lines: ['1999-03-02 09:44:33 10HmaZ-000000005vi-0000 F=<ok@test2> rejected by non-SMTP ACL: cannot test hosts condition in non-SMTP ACL'],
    want: want('inbound', 'other', 'ACL configuration error', 'acl-config-error', true),
    verify: 'exim -bV',
  },
  {
    name: 'local_scan() timed out (Exim_exim_test-log-9400 line 33)',
    lines: ['1999-03-02 09:44:33 10HmbH-0005vi-00 local_scan() function timed out - message temporarily rejected (size 29)'],
    want: want('inbound', 'other', 'local_scan() (SA-Exim)', 'local-scan-failure', false),
    verify: "zgrep -F -e '10HmbH-0005vi-00' -- 'test.log'",
  },
  {
    name: 'local_scan() crashed (Exim_exim_test-log-9400 line 65)',
    lines: ['1999-03-02 09:44:33 10HmaY-0005vi-00 local_scan() function crashed with signal 11 - message temporarily rejected (size 35)'],
    want: want('inbound', 'other', 'local_scan() (SA-Exim)', 'local-scan-failure', false),
    verify: 'exim -bP local_scan_timeout',
  },
  {
    name: 'SA-Exim rejects the message (perericr_ddgrey_mainlog line 215)',
    lines: [
      '2020-02-22 00:58:55 1j5IBw-00064P-De F=toyaedypo@evowpmy.com H=xdsl-178-35-123-109.soes.su (evowpmy.com) [178.35.123.109] P=smtp rejected by local_scan(): Rejected',
    ],
    want: want('inbound', 'spam-content', 'local_scan() (SA-Exim)', 'local-scan', true),
    verify: "zgrep -F -e '1j5IBw-00064P-De' -- 'test.log'",
  },
  {
    name: 'local_scan() defers the message (Exim_exim_test-log-9400 line 10)',
    lines: ['1999-03-02 09:44:33 10HmbC-0005vi-00 F=test-local-scan@y U=CALLER P=local-smtp temporarily rejected by local_scan(): Temporary local problem'],
    want: want('inbound', 'spam-content', 'local_scan() (SA-Exim)', 'local-scan', false),
    verify: 'grep -F',
  },
  {
    name: 'synchronization error: no wait for the greeting (fail2ban_fail2ban_exim line 18)',
    lines: [
      '2013-06-02 06:54:20 [13314] SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[211.148.195.192]:25936 I=[1.2.3.4]:25 input="GET / HTTP/1.1\\r\\n\\r\\n"',
    ],
    want: want('inbound', 'protocol-error', 'smtp_enforce_sync', 'sync-error', true),
    verify: 'exim -bP smtp_enforce_sync pipelining_advertise_hosts',
  },
  {
    name: 'synchronization error: pipelining not advertised (samples/exim/mainlog line 496)',
    lines: [
      '2026-11-22 22:02:48 SMTP protocol synchronization error (next input sent too soon: pipelining was not advertised): rejected "EHLO User" H=[192.0.2.222]:50113 next input="AUTH LOGIN\\r\\n"',
    ],
    want: want('inbound', 'protocol-error', 'smtp_enforce_sync', 'sync-error', true),
    verify: 'smtp_enforce_sync',
  },
  {
    name: 'EHLO with an invalid argument (samples/exim/mainlog line 480)',
    lines: ['2026-11-22 21:03:03 rejected EHLO from [192.0.2.220]:60221: syntactically invalid argument(s): _'],
    want: want('inbound', 'protocol-error', 'helo_allow_chars / helo_accept_junk_hosts', 'invalid-helo', true),
    verify: 'exim -bP helo_allow_chars helo_accept_junk_hosts',
  },
  {
    name: 'MAIL without HELO (constructed: smtp_in.c "rejected MAIL from %s: no HELO/EHLO given")',
    lines: [`${AT}rejected MAIL from [192.0.2.67]:40812: no HELO/EHLO given`],
    want: want('inbound', 'protocol-error', 'hosts_require_helo / helo_verify_hosts', 'no-helo', true),
    verify: 'exim -bP hosts_require_helo helo_verify_hosts',
  },
  {
    name: 'unqualified sender (constructed: smtp_in.c "unqualified %s rejected: <%s> %s%s")',
    lines: ['2026-11-22 10:20:01 unqualified sender rejected: <root> H=(buildhost) [203.0.113.9]:40001'],
    want: want('inbound', 'access-policy', 'sender_unqualified_hosts / recipient_unqualified_hosts', 'unqualified-address', true),
    verify: 'exim -bP sender_unqualified_hosts recipient_unqualified_hosts',
  },
  {
    name: 'too many recipients (constructed: smtp_in.c "too many recipients: message rejected: sender=<%s> %s")',
    lines: ['2026-11-22 10:20:00 too many recipients: message rejected: sender=<list@bulk.example> H=mail.bulk.example [198.51.100.201]:44110'],
    want: want('inbound', 'rate-limited', 'recipients_max', 'too-many-recipients', true),
    verify: 'exim -bP recipients_max recipients_max_reject',
  },
  {
    name: 'excess recipients deferred (constructed: smtp_in.c "too many recipients: excess temporarily rejected")',
    lines: [`${AT}too many recipients: excess temporarily rejected: sender=<list@bulk.example> H=mail.bulk.example [198.51.100.201]:44110`],
    want: want('inbound', 'rate-limited', 'recipients_max', 'too-many-recipients', false),
    verify: 'recipients_max',
  },
  {
    name: 'ACL defer with 452 4.5.3 (Exim_exim_test-log-0622 line 26)',
    lines: [
      '1999-03-02 09:44:33 H=localhost (myhost.test.ex) [127.0.0.1] F=<CALLER@myhost.test.ex> temporarily rejected RCPT <B@test.ex>: 452 4.5.3 Try again',
    ],
    want: want('inbound', 'rate-limited', 'acl_smtp_rcpt (recipient limit)', 'recipient-limit-status', false),
    verify: "printf 'HELO [%s]\\r\\nMAIL FROM:<%s>\\r\\nRCPT TO:<%s>\\r\\nQUIT\\r\\n' '127.0.0.1' 'CALLER@myhost.test.ex' 'B@test.ex' | exim -bh '127.0.0.1'",
  },
  {
    name: 'too many messages in one connection (constructed: smtp_in.c "rejected MAIL command %s: too many messages in one connection")',
    lines: [`${AT}rejected MAIL command H=mail.bulk.example [198.51.100.201]:44110: too many messages in one connection`],
    want: want('inbound', 'rate-limited', 'smtp_accept_max_per_connection', 'too-many-messages', true),
    verify: 'exim -bP smtp_accept_max_per_connection',
  },
  {
    name: 'sender rate over the limit (samples/exim/mainlog line 425)',
    lines: [
      '2026-11-22 18:00:03 H=mail.bulk.example [198.51.100.201]:44110 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no F=<news@bulk.example> temporarily rejected RCPT <alice@example.org>: Sender rate overlimit - 101.4 / 1h / per_rcpt',
    ],
    want: want('inbound', 'rate-limited', 'ratelimit (ACL)', 'ratelimit', false),
    verify: `exim_dumpdb "$(exim -bP -n spool_directory)" ratelimit | grep -F -e '198.51.100.201'`,
  },
  {
    name: 'connection rate limit in the connect ACL (crowdsecurity_hub_exim-logs line 6)',
    lines: ['2022-06-29 14:33:43 H=test.sa.com [1.2.3.4]:18146 temporarily rejected connection in "connect" ACL: "Host is ratelimited (1.9/1h max:1.2)"'],
    want: want('inbound', 'rate-limited', 'ratelimit (ACL)', 'ratelimit', false),
    verify: "grep -F -e '1.2.3.4'",
  },
  {
    name: 'greylisted (samples/exim/mainlog line 217)',
    lines: [
      '2026-11-22 10:00:31 H=mail.newsender.example [198.51.100.50]:40000 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no F=<promo@newsender.example> temporarily rejected RCPT <carol@example.org>: greylisted - please try again in 5 minutes',
    ],
    want: want('inbound', 'greylisted', 'greylisting (acl_smtp_rcpt defer)', 'greylisted', false),
    verify: "printf 'HELO [%s]\\r\\nMAIL FROM:<%s>\\r\\nRCPT TO:<%s>\\r\\nQUIT\\r\\n' '198.51.100.50' 'promo@newsender.example' 'carol@example.org' | exim -bh '198.51.100.50'",
  },
  {
    name: 'relay not permitted (Exim_exim_test-log-0024 line 10)',
    lines: ['1999-03-02 09:44:33 H=(test) [V4NET.0.0.0] U=CALLER F=<userx@test.ex> rejected RCPT <x@ten-2.test.ex>: relay not permitted'],
    want: want('inbound', 'relay-denied', 'relay_to_domains / relay_from_hosts', 'relay-not-permitted', true),
    verify: 'exim -bP +local_domains +relay_to_domains +relay_from_hosts',
  },
  {
    name: 'relay not permitted, bare addresses and [pid] (fail2ban_fail2ban_exim line 17)',
    lines: [
      '2013-06-10 18:33:32 [10099] H=(yakult.com.tw) [202.132.70.178]:3755 I=[1.2.3.4]:25 F=menacedsj04@listserv.eurasia.org rejected RCPT dir@ml3.ru: relay not permitted',
    ],
    want: want('inbound', 'relay-denied', 'relay_to_domains / relay_from_hosts', 'relay-not-permitted', true),
    verify: '+relay_to_domains',
  },
  {
    name: 'SMTP AUTH required on the submission port (crowdsecurity_hub_exim-logs line 9)',
    lines: [
      '2022-06-29 13:54:29 H=(smtpclient.test) [1.136.28.14]:17125 X=TLS1.3:TLS_AES_128_GCM_SHA256:128 CV=no F=<info@toto.com.au> rejected RCPT <tutu@titi.com.au>: SMTP AUTH is required for message submission on port 587',
    ],
    want: want('inbound', 'auth-required', 'acl_smtp_rcpt (require authenticated)', 'auth-required', true),
    verify: 'exim -bP acl_smtp_rcpt auth_advertise_hosts daemon_smtp_ports',
  },
  {
    name: 'restricted characters in address (gvengel_exim_exporter_rejectlog line 2)',
    lines: ['2020-06-13 16:49:49 H=(test.corp) [1.1.1.1] F=<noreply@test.corp> rejected RCPT <error!@dummy.corp>: restricted characters in address'],
    want: want('inbound', 'access-policy', 'acl_smtp_rcpt (restricted characters)', 'restricted-characters', true),
    verify: "printf 'HELO [%s]\\r\\nMAIL FROM:<%s>\\r\\nRCPT TO:<%s>\\r\\nQUIT\\r\\n' '1.1.1.1' 'noreply@test.corp' 'error!@dummy.corp' | exim -bh '1.1.1.1'",
  },
  {
    name: 'DNSLIST message (Exim_exim_test-log-0023 line 60)',
    lines: ['1999-03-02 09:44:33 H=(test) [V4NET.11.12.13] U=CALLER F=<x@y> rejected RCPT <x@y>: DNSLIST (rbl.test.ex: This is a test blacklisting message)'],
    want: want('inbound', 'blocklisted', 'dnslists (ACL)', 'dnslists', true),
    verify: "printf 'HELO [%s]\\r\\nMAIL FROM:<%s>\\r\\nRCPT TO:<%s>\\r\\nQUIT\\r\\n' 'V4NET.11.12.13' 'x@y' 'x@y' | exim -bh 'V4NET.11.12.13'",
  },
  {
    name: 'configure.default dnslists wording (Exim_exim_test-log-0024 line 23)',
    lines: [
      '1999-03-02 09:44:33 H=(test) [V4NET.11.12.13] U=CALLER F=<userx@test.ex> rejected RCPT <userx@test.ex>: rejected because V4NET.11.12.13 is in a black list at rbl.test.ex',
    ],
    want: want('inbound', 'blocklisted', 'dnslists (ACL)', 'dnslists', true),
    verify: '| exim -bh',
  },
  {
    name: 'quoted custom RBL message (crowdsecurity_hub_exim-logs line 4)',
    lines: [
      '2022-06-29 15:33:46 H=test.com [1.2.3.4]:53343 F=<info@test.com> rejected RCPT <toto@toto.com>: "JunkMail rejected - test.com [1.2.3.4]:53343 is in an RBL: https://www.spamhaus.org/sbl/query/SBLCSS"',
    ],
    want: want('inbound', 'blocklisted', 'dnslists (ACL)', 'dnslists', true),
    verify: "'1.2.3.4' 'info@test.com' 'toto@toto.com' | exim -bh '1.2.3.4'",
  },
  {
    name: 'SPF check failed (perericr_ddgrey_mainlog line 2398)',
    lines: ['2020-02-22 07:44:42 H=(smtp.filpo.eu) [117.69.47.186] F=<zatjswpeg@micahs.se> rejected RCPT <sales@rosnix.net>: SPF check failed.'],
    want: want('inbound', 'sender-auth-failed', 'spf / dkim / dmarc (ACL)', 'sender-auth', true),
    verify: "dig +short -t TXT -q 'micahs.se'; dig +short -t TXT -q '_dmarc.micahs.se'",
  },
  {
    name: 'recipient callout could not complete (Exim_exim_test-log-0227 line 18)',
    lines: [
      '1999-03-02 09:44:33 H=(test) [V4NET.0.0.3] U=root F=<uncheckable@localhost1> temporarily rejected RCPT <z@remote.domain>: Could not complete recipient verify callout',
    ],
    want: want('inbound', 'connection-failed', 'verify = recipient/callout', 'recipient-callout-incomplete', false),
    verify: "exim -bt -- 'z@remote.domain'",
  },
  {
    name: 'recipient callout could not complete, with the host (Exim_exim_test-log-0365 line 11)',
    lines: [
      '1999-03-02 09:44:33 U=CALLER F=<recipcallout@y> temporarily rejected RCPT <callout@y>: Could not complete recipient verify callout: V4NET.0.0.0 [V4NET.0.0.0] : Network Error',
    ],
    want: want('inbound', 'connection-failed', 'verify = recipient/callout', 'recipient-callout-incomplete', false),
    verify: "exim -bt -- 'callout@y'",
  },
  {
    name: 'cached recipient callout failure (perericr_ddgrey_mainlog line 241)',
    lines: [
      '2020-02-22 01:06:24 H=(ejectfox.icu) [193.31.117.203] F=<keto@ejectfox.icu> rejected RCPT <535f.49acfc5e@rosnix.net>: Previous (cached) callout verification failure',
    ],
    want: want('inbound', 'user-unknown', 'verify = recipient/callout', 'recipient-callout', true),
    verify: "exim -bt -- '535f.49acfc5e@rosnix.net'",
  },
  {
    name: "recipient callout quoting the next hop's 550 (Exim_exim_test-log-0227 line 15)",
    lines: [
      '1999-03-02 09:44:33 H=(test) [V4NET.0.0.3] U=root F=<uncheckable@localhost1> rejected RCPT <z@remote.domain>: 127.0.0.1 [127.0.0.1] : SMTP error from remote mail server after RCPT TO:<z@remote.domain>: 550 Recipient not liked',
    ],
    want: want('inbound', 'user-unknown', 'verify = recipient/callout', 'recipient-callout', true),
    verify: 'exim -bt',
  },
  {
    name: 'sender callout could not complete (Exim_exim_test-log-0227 line 4)',
    lines: [
      '1999-03-02 09:44:33 H=(test) [V4NET.0.0.1] U=root F=<uncheckable@localhost1> temporarily rejected RCPT <z@test.ex>: Could not complete sender verify callout',
    ],
    want: want('inbound', 'connection-failed', 'verify = sender/callout', 'sender-callout-incomplete', false),
    verify: "dig +short -t MX -q 'localhost1'",
  },
  {
    name: 'sender verify failed (Exim_exim_test-log-0024 line 2)',
    lines: ['1999-03-02 09:44:33 H=(test) [V4NET.0.0.0] U=CALLER F=<x@y> rejected RCPT <userx@test.ex>: Sender verify failed'],
    want: want('inbound', 'domain-not-found', 'verify = sender', 'sender-verify', true),
    verify: "exim -bvs -- 'x@y'",
  },
  {
    name: 'sender verify failed, after its detail line (samples/exim/mainlog lines 206-207)',
    lines: [
      '2026-11-22 09:10:00 H=(nodomain.example) [203.0.113.160]:50331 sender verify fail for <ghost@nodomain.example>: Unrouteable address',
      '2026-11-22 09:10:00 H=(nodomain.example) [203.0.113.160]:50331 F=<ghost@nodomain.example> rejected RCPT <bob@example.org>: Sender verify failed',
    ],
    want: want('inbound', 'domain-not-found', 'verify = sender', 'sender-verify', true),
    verify: "exim -bvs -- 'ghost@nodomain.example'",
  },
  {
    name: 'sender verify failed with an ACL prefix (Exim_exim_test-log-0376 line 4)',
    lines: ['1999-03-02 09:44:33 H=(test) [V4NET.0.0.1] U=root F=<bad@localhost> rejected RCPT <z@test.ex>: (recipient): Sender verify failed'],
    want: want('inbound', 'domain-not-found', 'verify = sender', 'sender-verify', true),
    verify: "exim -bvs -- 'bad@localhost'",
  },
  {
    name: 'unknown user (Exim_exim_test-log-0024 line 17)',
    lines: ['1999-03-02 09:44:33 H=(test) [V4NET.255.255.0] U=CALLER F=<userx@test.ex> rejected RCPT <bad@test.ex>: unknown user'],
    want: want('inbound', 'user-unknown', 'acl_smtp_rcpt: deny message / redirect :fail:', 'unknown-user', true),
    verify: `exim -bt -- 'bad@test.ex'; K='bad' awk '/^[^ \\t#]/ { k = $1; sub(/:.*/, "", k); if (tolower(k) == tolower(ENVIRON["K"])) print }' /etc/aliases`,
  },
  {
    name: 'Unknown user (fail2ban_fail2ban_exim line 27)',
    lines: ['2013-06-15 16:36:49 H=altmx.marsukov.com [111.67.203.116] F=<kadrofutcheti@mail.ru> rejected RCPT <oksana@birzhatm.ua>: Unknown user'],
    want: want('inbound', 'user-unknown', 'acl_smtp_rcpt: deny message / redirect :fail:', 'unknown-user', true),
    verify: `K='oksana' awk '/^[^ \\t#]/ { k = $1; sub(/:.*/, "", k); if (tolower(k) == tolower(ENVIRON["K"])) print }' /etc/aliases`,
  },
  {
    name: 'cPanel "No Such User Here" (crowdsecurity_hub_exim-logs line 5)',
    lines: [
      '2022-06-29 14:34:58 H=imfo.test.biz [1.2.3.4]:35328 X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no F=<jack@test.biz> rejected RCPT <sales@toto.com.au>: No Such User Here',
    ],
    want: want('inbound', 'user-unknown', 'acl_smtp_rcpt: deny message / redirect :fail:', 'unknown-user', true),
    verify: "exim -bt -- 'sales@toto.com.au'",
  },
  {
    name: 'Unrouteable address (perericr_ddgrey_mainlog line 3)',
    lines: [
      '2020-02-22 00:48:43 H=([185.143.223.163]) [185.143.223.168] F=<fhlon4qcwjl2f1m@mirdifphysiorehab.com> rejected RCPT <explain@dissonantia.se>: Unrouteable address',
    ],
    want: want('inbound', 'user-unknown', 'verify = recipient (acl_smtp_rcpt): no router accepted', 'unrouteable-address', true),
    verify: `exim -bt -- 'explain@dissonantia.se'; K='explain' awk '/^[^ \\t#]/ { k = $1; sub(/:.*/, "", k); if (tolower(k) == tolower(ENVIRON["K"])) print }' /etc/aliases`,
  },
  {
    name: 'Unrouteable address, dictionary attack (samples/exim/mainlog line 63)',
    lines: ['2026-11-22 03:17:02 H=(spammer.example) [192.0.2.66]:51344 F=<newsletter@spammer.example> rejected RCPT <info@example.org>: Unrouteable address'],
    want: want('inbound', 'user-unknown', 'verify = recipient (acl_smtp_rcpt): no router accepted', 'unrouteable-address', true),
    verify: "exim -bt -- 'info@example.org'",
  },
  {
    name: 'alias :fail: closed mailbox through verify = recipient (lab: Exim 4.96, redirect data ":fail: This mailbox was closed …")',
    lines: [
      '2026-12-04 17:34:59.641 [23616] H=(client.lab.test) [127.0.0.2]:54873 I=[127.0.0.1]:4013 F=<friend@gmail.test> rejected RCPT <gone@lab.test>: This mailbox was closed on 2026-01-01, write to sales@example.org',
    ],
    want: want('inbound', 'mailbox-disabled', 'acl_smtp_rcpt: deny message / redirect :fail:', 'mailbox-closed', true),
    verify: "exim -bt -- 'gone@lab.test'; K='gone' awk '/^[^ \\t#]/ { k = $1; sub(/:.*/, \"\", k); if (tolower(k) == tolower(ENVIRON[\"K\"])) print }' /etc/aliases",
  },
  {
    name: 'a deny message that says spam, at RCPT: policy, not content (lab: Exim 4.96, deny local_parts = spamtrap)',
    lines: [
      '2026-12-04 17:34:59.642 [23616] H=(client.lab.test) [127.0.0.2]:54873 I=[127.0.0.1]:4013 F=<friend@gmail.test> rejected RCPT <spamtrap@lab.test>: 550 5.7.1 Spam trap hit: go away',
    ],
    want: want('inbound', 'access-policy', 'acl_smtp_rcpt: deny message / redirect :fail:', 'acl-rcpt', true),
    verify: "printf 'HELO [%s]\\r\\nMAIL FROM:<%s>\\r\\nRCPT TO:<%s>\\r\\nQUIT\\r\\n' '127.0.0.2' 'friend@gmail.test' 'spamtrap@lab.test' | exim -bh '127.0.0.2'",
  },
  {
    name: 'alias :defer: through verify = recipient (lab: Exim 4.96, redirect data ":defer: alias backend being migrated")',
    lines: [
      '2026-12-04 17:34:59.641 [23616] H=(client.lab.test) [127.0.0.2]:54873 I=[127.0.0.1]:4013 F=<friend@gmail.test> temporarily rejected RCPT <tempalias@lab.test>: alias backend being migrated',
    ],
    want: want('inbound', 'other', 'acl_smtp_rcpt: defer / router :defer:', 'acl-rcpt-defer', false),
    verify: "printf 'HELO [%s]\\r\\nMAIL FROM:<%s>\\r\\nRCPT TO:<%s>\\r\\nQUIT\\r\\n' '127.0.0.2' 'friend@gmail.test' 'tempalias@lab.test' | exim -bh '127.0.0.2'",
  },
  {
    name: 'mail loop refused at SMTP time with cutthrough delivery (constructed: receive.c "rejected from <%s>%s%s: Too many \"Received\" headers")',
    lines: [`${AT}1xV5P6-00000000AWF-00AZ rejected from <bob@example.net> H=(mail.example.net) [192.0.2.10]:40000: Too many "Received" headers`],
    want: want('inbound', 'mail-loop', 'received_headers_max', 'mail-loop', true),
    verify: 'exim -bP received_headers_max',
  },
  {
    name: 'SIZE too big at MAIL (Exim_exim_test-log-0180 line 1)',
    lines: ['1999-03-02 09:44:33 rejected MAIL FROM:<userx@test.ex> U=CALLER: message too big: size=1000000000 max=100'],
    want: want('inbound', 'message-too-large', 'message_size_limit', 'message-too-big', true),
    verify: 'exim -bP message_size_limit',
  },
  {
    name: 'message too big while reading the data (samples/exim/mainlog line 462)',
    lines: [
      '2026-11-22 20:09:12 1xVDrw-000000004ov-00Cf rejected from <scans@printer.partner.example> H=smtp.partner.example [198.51.100.42]:33016: message too big: read=52431872 max=52428800',
    ],
    want: want('inbound', 'message-too-large', 'message_size_limit', 'message-too-big', true),
    verify: 'exim -bP message_size_limit',
  },
  {
    // receive.c: log_write(… "rejected from <%s>%s%s%s%s: Too many \"Received\" headers" …).
    name: 'too many Received: headers (source: receive.c, in the form of samples/exim/mainlog line 462)',
    lines: [
      '2026-11-22 20:09:12 1xVDrw-000000004ov-00Cf rejected from <scans@printer.partner.example> H=smtp.partner.example [198.51.100.42]:33016: Too many "Received" headers',
    ],
    want: want('inbound', 'mail-loop', 'received_headers_max', 'mail-loop', true),
    verify: 'exim -bP received_headers_max',
  },
  {
    name: 'header syntax (Exim_exim_test-log-0026 line 5)',
    lines: ['1999-03-02 09:44:33 10HmaX-000000005vi-0000 U=CALLER F=<x@y> rejected after DATA: domain missing or malformed: failing address in "From:" header is: @'],
    want: want('inbound', 'access-policy', 'verify = header_syntax (acl_smtp_data)', 'header-syntax', true),
    verify: "exigrep -l -- '10HmaX-000000005vi-0000' 'test.log'; grep -F -A 30 -e '10HmaX-000000005vi-0000' -- /var/log/exim4/rejectlog",
  },
  {
    name: "header syntax: '>' missing (Exim_exim_test-log-0026 line 9)",
    lines: [
      `1999-03-02 09:44:33 10HmaY-000000005vi-0000 U=CALLER F=<x@y> rejected after DATA: '>' missing at end of address: failing address in "To:" header is: <dummy@gmail.com`,
    ],
    want: want('inbound', 'access-policy', 'verify = header_syntax (acl_smtp_data)', 'header-syntax', true),
    verify: 'exigrep',
  },
  {
    name: 'no valid sender in any header line (Exim_exim_test-log-0026 line 14)',
    lines: ['1999-03-02 09:44:33 10HmbA-000000005vi-0000 U=CALLER F=<> rejected after DATA: there is no valid sender in any header line'],
    want: want('inbound', 'access-policy', 'verify = header_sender (acl_smtp_data)', 'header-sender', true),
    verify: "exigrep -l -- '10HmbA-000000005vi-0000'",
  },
  {
    name: 'virus (samples/exim/mainlog line 341)',
    lines: [
      '2026-11-22 13:57:26 1xV84M-000000005U8-00Ap H=(invoices.example) [203.0.113.190]:52702 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no F=<hr@invoices.example> rejected after DATA: This message contains a virus (Win.Trojan.Agent-1234567) or other harmful content.',
    ],
    want: want('inbound', 'spam-content', 'malware = (acl_smtp_data)', 'malware', true),
    verify: "exigrep -l -- '1xV84M-000000005U8-00Ap'",
  },
  {
    name: 'spam score (samples/exim/mainlog line 250)',
    lines: [
      '2026-11-22 11:06:40 1xV5P6-00000000AWF-00AZ H=(lottery.example) [192.0.2.180]:50702 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no F=<winner@lottery.example> rejected after DATA: This message scored 17.3 spam points.',
    ],
    want: want('inbound', 'spam-content', 'spam = (acl_smtp_data)', 'spam', true),
    verify: "grep -F -A 30 -e '1xV5P6-00000000AWF-00AZ' -- /var/log/exim4/rejectlog",
  },
  {
    name: 'host_reject_connection (constructed: smtp_in.c "refused connection from %s (host_reject_connection)")',
    lines: ['2026-11-22 10:20:02 refused connection from [192.0.2.9]:35110 (host_reject_connection)'],
    want: want('inbound', 'access-policy', 'host_reject_connection', 'host-reject-connection', true),
    verify: 'exim -bP host_reject_connection',
  },
  {
    name: 'connect ACL (Exim_exim_test-log-0021 line 19)',
    lines: ['1999-03-02 09:44:33 H=[10.9.8.7] U=CALLER rejected connection in "connect" ACL'],
    want: want('inbound', 'access-policy', 'acl_smtp_connect', 'acl-connect', true),
    verify: "exim -bh '10.9.8.7' </dev/null",
  },
  {
    name: 'dropped by the connect ACL (fail2ban_fail2ban_exim line 51)',
    lines: ["2022-04-03 21:53:54 H=[192.0.2.101]:62839 dropped by 'connect' ACL: Country is banned"],
    want: want('inbound', 'access-policy', 'acl_smtp_connect', 'acl-connect', true),
    verify: "exim -bh '192.0.2.101' </dev/null",
  },
  {
    name: 'connect ACL defers (Exim_exim_test-log-0548 line 27)',
    lines: ['1999-03-02 09:44:33 H=[127.0.0.1] temporarily rejected connection in "connect" ACL: host deferred'],
    want: want('inbound', 'access-policy', 'acl_smtp_connect', 'acl-connect', false),
    verify: 'exim -bh',
  },
  {
    name: 'HELO ACL (Exim_exim_test-log-0021 line 28)',
    lines: ['1999-03-02 09:44:33 H=(x.y.z) [10.9.8.10] U=CALLER rejected EHLO or HELO x.y.z'],
    want: want('inbound', 'access-policy', 'acl_smtp_helo', 'acl-helo', true),
    verify: "'10.9.8.10' SENDER postmaster | exim -bh '10.9.8.10'",
  },
  {
    name: 'MAIL ACL (Exim_exim_test-log-0021 line 21)',
    lines: ['1999-03-02 09:44:33 H=[10.9.8.8] U=CALLER rejected MAIL <bad@test1>'],
    want: want('inbound', 'access-policy', 'acl_smtp_mail', 'acl-mail', true),
    verify: "printf 'HELO [%s]\\r\\nMAIL FROM:<%s>\\r\\nRCPT TO:<%s>\\r\\nQUIT\\r\\n' '10.9.8.8' 'bad@test1' postmaster | exim -bh '10.9.8.8'",
  },
  {
    name: 'RCPT ACL defer with its own message (Exim_exim_test-log-0548 line 26)',
    lines: [
      '1999-03-02 09:44:33 H=the.local.host.name [ip4.ip4.ip4.ip4] F=<CALLER@test.ex> temporarily rejected RCPT <userx@test.ex>: Recipient deferred',
    ],
    want: want('inbound', 'other', 'acl_smtp_rcpt: defer / router :defer:', 'acl-rcpt-defer', false),
    verify: "'ip4.ip4.ip4.ip4' 'CALLER@test.ex' 'userx@test.ex' | exim -bh 'ip4.ip4.ip4.ip4'",
  },
  {
    name: 'RCPT ACL defer without a message (Exim_exim_test-log-0612 line 121)',
    lines: ['1999-03-02 09:44:33 H=localhost (myhost.test.ex) [127.0.0.1] F=<c@dump.ex> temporarily rejected RCPT <rmt_defer@test.ex>'],
    want: want('inbound', 'other', 'acl_smtp_rcpt: defer / router :defer:', 'acl-rcpt-defer', false),
    verify: "printf 'HELO [%s]\\r\\nMAIL FROM:<%s>\\r\\nRCPT TO:<%s>\\r\\nQUIT\\r\\n' '127.0.0.1' 'c@dump.ex' 'rmt_defer@test.ex' | exim -bh '127.0.0.1'",
  },
  {
    name: 'RCPT ACL deny without a message (Exim_exim_test-log-0023 line 51)',
    lines: ['1999-03-02 09:44:33 H=(test) [56.56.58.58] U=CALLER F=<rcpttest@test.ex> rejected RCPT <bad1@test.ex>'],
    want: want('inbound', 'access-policy', 'acl_smtp_rcpt: deny message / redirect :fail:', 'acl-rcpt', true),
    verify: "printf 'HELO [%s]\\r\\nMAIL FROM:<%s>\\r\\nRCPT TO:<%s>\\r\\nQUIT\\r\\n' '56.56.58.58' 'rcpttest@test.ex' 'bad1@test.ex' | exim -bh '56.56.58.58'",
  },
  {
    name: 'RCPT ACL deny with its own 599 code (Exim_exim_test-log-0536 line 2)',
    lines: ['1999-03-02 09:44:33 U=CALLER F=<> rejected RCPT <user2@test.ex>: 599 Main code'],
    want: want('inbound', 'access-policy', 'acl_smtp_rcpt: deny message / redirect :fail:', 'acl-rcpt', true),
    verify: "CLIENT_IP '' 'user2@test.ex' | exim -bh CLIENT_IP",
  },
  {
    name: 'pre-data ACL (constructed: smtp_in.c smtp_handle_acl_fail, what = "DATA")',
    lines: [`${AT}${CLIENT}rejected DATA: Command rejected`],
    want: want('inbound', 'access-policy', 'acl_smtp_predata', 'acl-predata', true),
    verify: 'exim -bP acl_smtp_predata',
  },
  {
    name: 'data ACL with its own message (Exim_exim_test-log-0026 line 17)',
    lines: ['1999-03-02 09:44:33 10HmbB-000000005vi-0000 U=CALLER F=<x@y> rejected after DATA: body contains trigger'],
    want: want('inbound', 'spam-content', 'acl_smtp_data / acl_smtp_mime', 'acl-data', true),
    verify: "exigrep -l -- '10HmbB-000000005vi-0000'",
  },
  {
    name: 'data ACL without a message (Exim_exim_test-log-0365 line 8)',
    lines: ['1999-03-02 09:44:33 10HmaZ-000000005vi-0000 U=CALLER F=<nosyntax@x> rejected after DATA'],
    want: want('inbound', 'spam-content', 'acl_smtp_data / acl_smtp_mime', 'acl-data', true),
    verify: 'rejectlog',
  },
  {
    name: 'non-SMTP ACL (Exim_exim_test-log-0021 line 1)',
    lines: ["1999-03-02 09:44:33 10HmaY-000000005vi-0000 F=<userx@test1> rejected by non-SMTP ACL: don't like sender userx@test1"],
    want: want('inbound', 'access-policy', 'acl_not_smtp', 'acl-not-smtp', true),
    verify: 'exim -bP acl_not_smtp',
  },
  {
    name: 'catch-all: an EXPN refused (constructed: smtp_in.c smtp_handle_acl_fail, what = "EXPN <x>")',
    lines: [`${AT}H=(x.example) [192.0.2.9]:40023 rejected EXPN postmaster`],
    want: want('inbound', 'other', 'acl_smtp_* (the ACL of this command)', 'other', true),
    verify: "exim -bP | grep -E '^acl_'",
  },
];

const OUTBOUND: Case[] = [
  {
    name: 'unrouteable address of a domain we do not host (lab: Exim 4.96, no dnslookup router, local_domains = lab.test)',
    lines: ['2026-12-04 17:35:01.108 [23661] 1vRFkW-000677-0Y ** x@nowhere.test: Unrouteable address'],
    hosted: ['lab.test'],
    want: want('outbound', 'domain-not-found', 'fix the domain (typo?)', 'unrouteable-address', true),
    verify: "dig +short -t MX -q 'nowhere.test'; exim -bt -- 'x@nowhere.test'",
  },
  {
    // The next hop on loopback is still a remote server: its reply decides (issue 14).
    name: '5.1.1 through a manualroute next hop on loopback (lab: Exim 4.96, sink answering as Postfix does)',
    lines: [
      '2026-12-04 17:35:07.105 [23856] 1xZXBW-0006Al-2z ** ghost@relay.test F=<sender@lab.test> P=<sender@lab.test> R=sink T=remote_smtp H=127.0.0.1 [127.0.0.1]:41453 I=[127.0.0.1]:47336: SMTP error from remote mail server after RCPT TO:<ghost@relay.test>: 550 5.1.1 <ghost@relay.test>: Recipient address rejected: User unknown in virtual mailbox table DT=0.000s',
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'user-unknown', true),
    verify: "swaks --to='ghost@relay.test' --quit-after RCPT",
  },
  {
    name: 'Gmail NoSuchUser, multi-line, through a loopback next hop (lab: Exim 4.96)',
    lines: [
      "2026-12-04 17:35:07.105 [23856] 1xZXBW-0006Al-2z ** nobody@gmail.test F=<sender@lab.test> P=<sender@lab.test> R=sink T=remote_smtp H=127.0.0.1 [127.0.0.1]:41453 I=[127.0.0.1]:47336: SMTP error from remote mail server after RCPT TO:<nobody@gmail.test>: 550-5.1.1 The email account that you tried to reach does not exist. Please try\\n550-5.1.1 double-checking the recipient's email address for typos or\\n550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser DT=0.000s",
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'user-unknown', true),
    verify: "swaks --to='nobody@gmail.test' --quit-after RCPT",
  },
  {
    name: 'SMTP delivery explicitly queued (Exim_exim_test-log-0209 line 2)',
    lines: ['1999-03-02 09:44:33 10HmaX-000000005vi-0000 == userz@domain1 R=others T=smtp defer (0): SMTP delivery explicitly queued'],
    want: want('outbound', 'other', 'queue_smtp_domains / -odqs', 'queued-on-purpose', false),
    verify: "exim -bP queue_smtp_domains queue_only; exiqgrep -r 'domain1'",
  },
  {
    name: 'retry timeout exceeded after a timed-out connection (gvengel_exim_exporter_mainlog lines 1-4)',
    lines: [
      '2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386',
      '2020-06-19 04:54:02 1jmFYj-00039V-QX H=null.corp [6.6.6.6] Connection timed out',
      '2020-06-19 04:54:02 1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (110): Connection timed out',
      '2020-06-19 04:54:02 1jmFYj-00039V-QX ** bob@null.corp: retry timeout exceeded',
    ],
    // The expiry carries the deferral's reason (parsers/exim): the same failure, a timed-out connection.
    want: want('outbound', 'connection-failed', 'their server (or our port 25)', 'connect-failed', true),
    verify: "swaks --to='bob@null.corp' --quit-after CONNECT",
  },
  {
    name: 'retry timeout exceeded with no attempt before it (samples/exim/mainlog lines 36-37)',
    lines: [
      "2026-11-22 02:15:00 1xTU1o-0000000063z-006e == info@gone.example R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host for 'gone.example'",
      '2026-11-22 02:15:01 1xTU1o-0000000063z-006e ** info@gone.example: retry timeout exceeded',
    ],
    want: want('outbound', 'connection-failed', 'retry rules (begin retry)', 'retry-timeout', true),
    verify: "exim_dumpdb \"$(exim -bP -n spool_directory)\" retry | grep -F -e 'gone.example'; exim -brt 'gone.example'; exigrep -l -- '1xTU1o-0000000063z-006e' 'test.log'",
  },
  {
    name: 'retry timeout exceeded, its deferral not in the log (constructed: retry.c "** %s: retry timeout exceeded")',
    lines: [`${ID}** carol@far.example: retry timeout exceeded`],
    want: want('outbound', 'connection-failed', 'retry rules (begin retry)', 'retry-timeout', true),
    verify: "exim_dumpdb \"$(exim -bP -n spool_directory)\" retry | grep -F -e 'far.example'; exim -brt 'far.example'; exigrep -l -- '1xV5P6-00000000AWF-00AZ' 'test.log'",
  },
  {
    name: 'remote mailbox full, deferred past the retry cutoff (lab: Exim 4.96, manualroute to a sink answering 452 4.2.2)',
    lines: [
      "2026-12-04 17:34:59.463 [23599] 1xZXBT-00068a-0L == full@outlook.test R=sink T=remote_smtp defer (-44) H=127.0.0.1 [127.0.0.1]:41453 I=[127.0.0.1]:45380 DT=0.000s: SMTP error from remote mail server after RCPT TO:<full@outlook.test>: 452 4.2.2 The recipient's mailbox is full and can't accept messages now. Please try again later.",
      '2026-12-04 17:35:06.998 [23853] 1xZXBT-00068a-0L ** full@outlook.test: retry timeout exceeded',
    ],
    want: want('outbound', 'mailbox-full', 'their mailbox is full', 'mailbox-full', true),
    verify: "exiqgrep -r 'full@outlook.test'",
  },
  {
    name: 'retry timeout exceeded of a message from an older log (samples/exim/mainlog line 37)',
    lines: ['2026-11-22 02:15:01 1xTU1o-0000000063z-006e ** info@gone.example: retry timeout exceeded'],
    want: want('outbound', 'connection-failed', 'retry rules (begin retry)', 'retry-timeout', true),
    verify: "exim -brt 'gone.example'",
  },
  {
    name: 'retry time not reached for any host (samples/exim/mainlog line 261)',
    lines: [
      "2026-11-22 11:19:59 1xV5QE-000000006Q8-006b == max@old-host.example R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host for 'old-host.example'",
    ],
    want: want('outbound', 'connection-failed', 'retry configuration', 'retry-time-not-reached', false),
    verify: `exim_dumpdb "$(exim -bP -n spool_directory)" retry | grep -F -e 'old-host.example'; exim -brt 'old-host.example'`,
  },
  {
    name: 'routing defer: retry time not reached, no router or transport (Exim_exim_test-log-0209 line 7)',
    lines: ['1999-03-02 09:44:33 10HmaY-000000005vi-0000 == userz@domain1 routing defer (-52): retry time not reached'],
    want: want('outbound', 'connection-failed', 'retry configuration', 'retry-time-not-reached', false),
    verify: "exim -brt 'domain1'",
  },
  {
    name: 'MX records point to non-existent hosts (constructed: dnslookup.c, wording also in fail2ban_fail2ban_exim line 25)',
    lines: [`${ID}** info@broken-mx.example R=dnslookup: all relevant MX records point to non-existent hosts`],
    want: want('outbound', 'domain-not-found', 'their DNS (MX targets)', 'mx-nonexistent', true),
    verify: "dig +short -t MX -q 'broken-mx.example'",
  },
  {
    name: 'null MX (constructed: dnslookup.c "an MX or SRV record indicated no SMTP service")',
    lines: [`${ID}** info@nomail.example R=dnslookup: an MX or SRV record indicated no SMTP service`],
    want: want('outbound', 'domain-not-found', 'remove the address from lists', 'null-mx', true),
    verify: "dig +short -t MX -q 'nomail.example'",
  },
  {
    name: 'unrouteable mail domain from a :fail: router (Exim_exim_test-log-0208 line 2)',
    lines: ['1999-03-02 09:44:33 10HmaX-000000005vi-0000 ** fail.route@unknown.domain R=fail_remote_domains : unrouteable mail domain "unknown.domain"'],
    want: want('outbound', 'domain-not-found', 'fix the domain (typo?)', 'unrouteable-domain', true),
    verify: "dig +short -t MX -q 'unknown.domain'; exim -bt -- 'fail.route@unknown.domain'",
  },
  {
    name: 'host lookup did not complete (constructed: dnslookup.c "host lookup did not complete")',
    lines: [`${ID}== info@dns-broken.example R=dnslookup defer (-1): host lookup did not complete`],
    want: want('outbound', 'domain-not-found', 'DNS lookups (ours or theirs)', 'dns-temporary', false),
    verify: `dig -t MX -q 'dns-broken.example' | grep -E -e 'status|IN.MX'`,
  },
  {
    name: 'TLS required but not offered (constructed: smtp.c "a TLS session is required, but …")',
    lines: [
      `${ID}== alice@example.net R=dnslookup T=remote_smtp defer (-38) H=mx.example.net [192.0.2.25]: a TLS session is required, but the server did not offer TLS support`,
    ],
    want: want('outbound', 'connection-failed', 'hosts_require_tls / tls_verify_hosts', 'tls-failed', false),
    verify: "swaks --to='alice@example.net' --quit-after STARTTLS -tls",
  },
  {
    name: 'Connection refused (samples/exim/mainlog line 256)',
    lines: ['2026-11-22 11:07:51 1xV5QE-000000006Q8-006b == max@old-host.example R=dnslookup T=remote_smtp defer (111): Connection refused'],
    want: want('outbound', 'connection-failed', 'their server (or our port 25)', 'connect-failed', false),
    verify: "swaks --to='max@old-host.example' --quit-after CONNECT",
  },
  {
    name: 'Connection timed out (gvengel_exim_exporter_mainlog line 3)',
    lines: ['2020-06-19 04:54:02 1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (110): Connection timed out'],
    want: want('outbound', 'connection-failed', 'their server (or our port 25)', 'connect-failed', false),
    verify: '--quit-after CONNECT',
  },
  {
    name: "the test suite's munged Network Error (Exim_exim_test-log-0135 line 6)",
    lines: ['1999-03-02 09:44:33 10HmaX-000000005vi-0000 == a@unknown.ex R=default T=smtp defer (dd): Network Error'],
    want: want('outbound', 'connection-failed', 'their server (or our port 25)', 'connect-failed', false),
    verify: "swaks --to='a@unknown.ex'",
  },
  {
    name: 'IPv6 not accepted (constructed: Microsoft 365 5.2.1 over IPv6, from Microsoft Learn)',
    lines: [
      `${ID}** alice@contoso.com ${TO_MX('RCPT TO:<alice@contoso.com>', 'contoso-com.mail.protection.outlook.com [2001:db8::25]')}: 550 5.2.1 Service unavailable, [contoso.com] does not accept email over IPv6.`,
    ],
    want: want('outbound', 'access-policy', 'send over IPv4 (dns_ipv4_lookup)', 'ipv6-not-accepted', true),
    verify: 'exim -bP dns_ipv4_lookup disable_ipv6',
  },
  {
    name: 'Directory-Based Edge Blocking 5.4.1 (constructed: reply of the Postfix corpus louisitvn line 83)',
    lines: [
      `${ID}** julie@contoso.com ${TO_MX('RCPT TO:<julie@contoso.com>', 'contoso-com.mail.protection.outlook.com [192.0.2.40]')}: 550 5.4.1 [julie@contoso.com]: Recipient address rejected: Access denied. AS(201806281)`,
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'eop-recipient-not-found', true),
    verify: "swaks --to='julie@contoso.com' --quit-after RCPT",
  },
  {
    name: 'too many invalid recipients (constructed: reply of the Postfix corpus louisitvn line 97)',
    lines: [`${ID}== a@example.net R=dnslookup T=remote_smtp defer (-44) H=mx.example.net [192.0.2.25]: SMTP error from remote mail server after initial connection: 421 Too many invalid recipients`],
    want: want('outbound', 'rate-limited', 'remove invalid addresses from lists', 'too-many-invalid-recipients', false),
    verify: "exiqgrep -c -r 'example.net'",
  },
  {
    name: 'remote mailbox full (samples/exim/mainlog line 321)',
    lines: [
      '2026-11-22 13:20:47 1xV7Ur-000000003P8-005O ** kim@example.com R=dnslookup T=remote_smtp H=mx1.example.com [203.0.113.10] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after RCPT TO:<kim@example.com>: 552 5.2.2 <kim@example.com>: Recipient address rejected: Mailbox full',
    ],
    want: want('outbound', 'mailbox-full', 'their mailbox is full', 'mailbox-full', true),
    verify: "exiqgrep -r 'kim@example.com'",
  },
  {
    // A remote Postfix's cleanup_strerror.c answer to a message over its hopcount_limit.
    name: 'mail loop ended by the hop count (constructed: Postfix reply seen in the Postfix lab)',
    lines: [`${ID}** someone@loop.example ${TO_MX('end of data')}: 554 5.4.0 Error: too many hops`],
    want: want('outbound', 'mail-loop', 'mail loop (MX / router / smarthost)', 'mail-loop', true),
    verify: "exim -bt -- 'someone@loop.example'",
  },
  {
    name: 'remote mailbox full after end of data, DN= quoted (gvengel_exim_exporter_mainlog line 13)',
    lines: [
      '2020-06-19 10:32:57 [789] 1jmKso-0009d4-Uf ** molly@zee.corp R=dnslookup T=remote_smtp H=mail.zee.corp [3.3.3.3] X=TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256 CV=yes DN="C=US,ST=Fake,L=Lost,O=Zee Corp,CN=mail.zee.corp": SMTP error from remote mail server after end of data: 554 5.2.0 mKr3jsd25ZIfXmKr4jFD2w Recipient Mailbox Full [504]',
    ],
    want: want('outbound', 'mailbox-full', 'their mailbox is full', 'mailbox-full', true),
    verify: "exiqgrep -r 'molly@zee.corp'",
  },
  {
    name: 'account disabled (constructed: Gmail reply of the Postfix corpus louisitvn line 230)',
    lines: [
      `${ID}** anna@gmail.com ${TO_MX('RCPT TO:<anna@gmail.com>', 'gmail-smtp-in.l.google.com [74.125.136.26]')}: 550 5.2.1 The email account that you tried to reach is disabled.`,
    ],
    want: want('outbound', 'mailbox-disabled', 'remove the address from lists', 'mailbox-disabled', true),
    verify: "swaks --to='anna@gmail.com'",
  },
  {
    name: 'user has moved (constructed: reply of the Postfix corpus louisitvn line 1801)',
    lines: [`${ID}** bel@example.net ${TO_MX('RCPT TO:<bel@example.net>')}: 550 5.1.6 <bel@example.net>: Recipient address rejected: User has moved to bel@example.com`],
    want: want('outbound', 'user-unknown', 'update the address (user moved)', 'user-moved', true),
    verify: "swaks --to='bel@example.net'",
  },
  {
    name: 'rate limited (constructed: Gmail "unusual rate of unsolicited mail", as in the Postfix table)',
    lines: [
      `${ID}== alice@gmail.com R=dnslookup T=remote_smtp defer (-44) H=gmail-smtp-in.l.google.com [74.125.136.26]: SMTP error from remote mail server after RCPT TO:<alice@gmail.com>: 421 4.7.0 Our system has detected an unusual rate of unsolicited mail originating from your IP address.`,
    ],
    // Gmail's "unsolicited mail originating from your IP address" is about our IP's reputation.
    want: want('outbound', 'blocklisted', 'our IP reputation', 'provider-ip-block', false),
    verify: "printf 'IP %s: look it up or ask for delisting at %s\\n' REPLY_IP 'https://postmaster.google.com/'",
  },
  {
    name: 'rate limited (constructed: Microsoft "Server busy" 4.7.500 reply)',
    lines: [
      `${ID}== bob@outlook.com R=dnslookup T=remote_smtp defer (-44) H=outlook-com.olc.protection.outlook.com [52.101.42.1]: SMTP error from remote mail server after RCPT TO:<bob@outlook.com>: 451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77714)`,
    ],
    want: want('outbound', 'rate-limited', 'our sending rate', 'rate-limited', false),
    verify: 'exim -bP remote_max_parallel',
  },
  {
    name: 'fix reverse DNS, older format with the host in the reason (perericr_ddgrey_mainlog line 2844)',
    lines: [
      '2020-02-22 08:47:17 1j5PVL-00068g-Vf ** wwyc@sbcglobal.net R=dnslookup T=remote_smtp: SMTP error from remote mail server after MAIL FROM:<noreply@pilgrimbrevet.se>: host ff-ip4-mx-vip2.prodigy.net [144.160.159.22]: 550 5.7.1 Connections not accepted from servers without a valid sender domain.flph831 Fix reverse DNS for 95.142.170.63',
    ],
    want: want('outbound', 'sender-auth-failed', 'our PTR record (reverse DNS)', 'ptr-missing', true),
    verify: 'exim -bP primary_hostname',
  },
  {
    name: 'DMARC (constructed: Gmail 5.7.26, as in the Postfix table)',
    lines: [
      `${ID}** alice@gmail.com ${TO_MX('end of data', 'gmail-smtp-in.l.google.com [74.125.136.26]')}: 550 5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy.`,
    ],
    want: want('outbound', 'sender-auth-failed', 'our SPF/DKIM/DMARC', 'sender-auth', true),
    verify: 'dig +short -t TXT',
  },
  {
    name: 'Gmail likely unsolicited (constructed: reply of the Postfix corpus grok test line 114)',
    lines: [
      `${ID}** alice@gmail.com ${TO_MX('end of data', 'gmail-smtp-in.l.google.com [74.125.136.26]')}: 550 5.7.1 Our system has detected that this message is likely unsolicited mail.`,
    ],
    want: want('outbound', 'spam-content', 'our message content', 'likely-spam-message', true),
    verify: "exim -Mvh '1xV5P6-00000000AWF-00AZ' || exigrep -l -- '1xV5P6-00000000AWF-00AZ' 'test.log'",
  },
  {
    name: 'blocklisted (constructed: Postfix default_rbl_reply at the remote end)',
    lines: [`${ID}** bob@example.net ${TO_MX('RCPT TO:<bob@example.net>')}: 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org`],
    want: want('outbound', 'blocklisted', 'our IP reputation', 'blocklisted', true),
    verify: "printf 'IP %s: look it up or ask for delisting at %s\\n' '192.0.2.1' 'https://check.spamhaus.org/'",
  },
  {
    name: 'blocklisted (constructed: Microsoft S3140 reply of the Postfix corpus lightmeter 2 line 21)',
    lines: [
      `${ID}** r1@hotmail.com ${TO_MX('RCPT TO:<r1@hotmail.com>', 'hotmail-com.olc.protection.outlook.com [104.47.10.33]')}: 550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).`,
    ],
    want: want('outbound', 'blocklisted', 'our IP reputation', 'provider-ip-block', true),
    verify: "'192.0.2.1' 'https://sender.office.com/'",
  },
  {
    name: 'Microsoft banned sending IP (constructed: sisimai set-of-emails rhost-microsoft-01, Microsoft 5.7.606)',
    lines: [
      `${ID}** r1@outlook.com ${TO_MX('RCPT TO:<r1@outlook.com>', 'outlook-com.olc.protection.outlook.com [52.101.42.17]')}: 550 5.7.606 Access denied, banned sending IP [198.51.100.222]. To request removal from this list please visit https://sender.office.com/ and follow the directions.`,
    ],
    want: want('outbound', 'blocklisted', 'our IP reputation', 'provider-ip-block', true),
    verify: "printf 'IP %s: look it up or ask for delisting at %s\\n' '198.51.100.222' 'https://sender.office.com/'",
  },
  {
    name: 'Yahoo TSS04 (constructed: reply of the Postfix samples, Yahoo error codes page)',
    lines: [
      `${ID}== alice@yahoo.com R=dnslookup T=remote_smtp defer (-44) H=mta5.am0.yahoodns.net [67.195.204.204]: SMTP error from remote mail server after MAIL FROM:<bob@example.org>: 421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes`,
    ],
    want: want('outbound', 'blocklisted', 'our IP reputation', 'provider-ip-block', false),
    verify: "printf 'IP %s: look it up or ask for delisting at %s\\n' '192.0.2.1' 'https://senders.yahooinc.com/'",
  },
  {
    name: 'URI block list (constructed: sisimai set-of-emails lhost-imailserver-06)',
    lines: [`${ID}** alice@example.net ${TO_MX('end of data')}: 550 Body of message generated response: REJECTED - Blacklisted URL in message. (example.com) in [black]. See http://lookup.uribl.com.`],
    want: want('outbound', 'spam-content', 'our message content', 'listed-url', true),
    verify: "exim -Mvb '1xV5P6-00000000AWF-00AZ' | grep -io",
  },
  {
    name: 'Gmail several From addresses (constructed: sisimai set-of-emails lhost-postfix-28)',
    lines: [
      `${ID}** alice@gmail.com ${TO_MX('end of data', 'gmail-smtp-in.l.google.com [74.125.136.26]')}: 550-5.7.1 [192.0.2.222 13] Messages with multiple addresses in From: header are not accepted. v14si1155795plk.134 - gsmtp`,
    ],
    want: want('outbound', 'spam-content', 'our message content', 'malformed-message', true),
    verify: "exim -Mvh '1xV5P6-00000000AWF-00AZ'",
  },
  {
    name: 'Sendmail relay: host unknown (constructed: sisimai set-of-emails lhost-v5sendmail-02)',
    lines: [`${ID}** alice@example.net ${TO_MX('RCPT TO:<alice@example.net>')}: 550 Host unknown (Authoritative answer from name server)`],
    want: want('outbound', 'domain-not-found', 'fix the domain (typo?)', 'domain-not-found', true),
    verify: "dig +short -t MX -q 'example.net'; dig +short -t A -q 'example.net'",
  },
  {
    name: 'status 5.6.9 (constructed: sisimai set-of-emails lhost-sendmail-06)',
    lines: [`${ID}** alice@example.net ${TO_MX('end of data')}: 550 5.6.9 improper use of 8-bit data in message header`],
    want: want('outbound', 'spam-content', 'our message content', 'status-content', true),
    verify: "exim -Mvh '1xV5P6-00000000AWF-00AZ'",
  },
  {
    name: 'code 503 without status (constructed: sisimai set-of-emails rfc3464-29)',
    lines: [`${ID}** alice@example.net ${TO_MX('RCPT TO:<alice@example.net>')}: 503 Improper sequence of commands`],
    want: want('outbound', 'protocol-error', 'contact the remote admin', 'code-protocol', true),
    verify: "swaks --to='alice@example.net' --quit-after RCPT",
  },
  {
    name: 'code 551 without status (constructed: sisimai set-of-emails lhost-sendmail-17)',
    lines: [`${ID}** alice@example.net ${TO_MX('end of data')}: 551 not our user`],
    want: want('outbound', 'user-unknown', 'update the address (user moved)', 'code-user-not-local', true),
    verify: "swaks --to='alice@example.net' --quit-after RCPT",
  },
  {
    name: 'remote user unknown (samples/exim/mainlog line 200)',
    lines: [
      '2026-11-22 09:03:12 1xV3Tb-000000008Lq-00Md ** nosuchuser@example.net R=dnslookup T=remote_smtp H=mx.example.net [198.51.100.25] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after RCPT TO:<nosuchuser@example.net>: 550 5.1.1 <nosuchuser@example.net>: Recipient address rejected: User unknown in virtual mailbox table',
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'user-unknown', true),
    verify: "swaks --to='nosuchuser@example.net' --quit-after RCPT",
  },
  {
    name: 'remote greylisting (samples/exim/mainlog line 181)',
    lines: [
      '2026-11-22 08:41:31 1xV38c-00000000APh-00HG == sam@example.com R=dnslookup T=remote_smtp defer (-44) H=mx1.example.com [203.0.113.10]: SMTP error from remote mail server after RCPT TO:<sam@example.com>: 451 4.7.1 <sam@example.com>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/example.com.html',
    ],
    want: want('outbound', 'greylisted', 'nothing (retries succeed)', 'greylisted', false),
    verify: "exiqgrep -r 'sam@example.com'; exim -brt 'example.com'",
  },
  {
    name: '"please try later" (Exim_exim_test-log-0612 line 64)',
    lines: [
      '1999-03-02 09:44:33 10HmbD-000000005vi-0000 == rmt_defer@test.ex R=r2 T=smtp defer (-44) H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after RCPT TO:<rmt_defer@test.ex>: 451 Temporary local problem - please try later',
    ],
    want: want('outbound', 'greylisted', 'nothing (retries succeed)', 'greylisted', false),
    verify: "exim -brt 'test.ex'",
  },
  {
    name: "message too large (constructed: Gmail \"exceeded Google's message size limits\")",
    lines: [
      `${ID}** alice@gmail.com ${TO_MX('end of data', 'gmail-smtp-in.l.google.com [74.125.136.26]')}: 552 5.2.3 Your message exceeded Google's message size limits.`,
    ],
    want: want('outbound', 'message-too-large', 'message size (attachments)', 'message-too-large', true),
    verify: "swaks --to='alice@gmail.com' --quit-after EHLO",
  },
  {
    name: 'relaying refused (constructed: qmail "allowed rcpthosts", as in the Postfix table)',
    lines: [`${ID}** alice@example.net ${TO_MX('RCPT TO:<alice@example.net>')}: 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)`],
    want: want('outbound', 'relay-denied', 'smarthost login or their MX', 'relay-denied', true),
    verify: "exim -bt -- 'alice@example.net'; dig +short -t MX -q 'example.net'",
  },
  {
    name: 'smarthost refused our login (constructed: Exim "SMTP error from remote mail server after AUTH PLAIN")',
    lines: [
      `${ID}== alice@example.net R=smarthost T=remote_smtp_smarthost defer (-42) H=smtp.provider.example [192.0.2.30]: SMTP error from remote mail server after AUTH PLAIN: 535 5.7.8 Error: authentication failed: authentication failure`,
    ],
    want: want('outbound', 'auth-required', 'client authenticators (hosts_require_auth)', 'auth-required', false),
    verify: 'exim -bP authenticator_list',
  },
  {
    name: 'our sender domain unknown to them (constructed: reply of the Postfix corpus grok test line 117)',
    lines: [
      `${ID}== alice@example.net R=dnslookup T=remote_smtp defer (-44) H=relay.example.com [192.0.2.1]: SMTP error from remote mail server after RCPT TO:<alice@example.net>: 450 4.1.8 <root@localhost.localdomain>: Sender address rejected: Domain not found`,
    ],
    want: want('outbound', 'access-policy', 'our sender address', 'sender-rejected', false),
    verify: 'dig +short -t MX',
  },
  {
    name: 'remote spam rejection after end of data, IPv6 host (samples/exim/mainlog line 408)',
    lines: [
      '2026-11-22 17:05:12 1xVB01-000000001rv-00Bw ** ola@customer.example R=dnslookup T=remote_smtp H=mail.customer.example [2001:db8:c::25] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after end of data: 554 5.7.1 Message rejected as spam (score 7.9)',
    ],
    want: want('outbound', 'spam-content', 'our message content', 'spam-content', true),
    verify: "exim -Mvh '1xVB01-000000001rv-00Bw'",
  },
  {
    name: 'administrative prohibition (Exim_exim_test-log-0612 line 7)',
    lines: [
      '1999-03-02 09:44:33 10HmaX-000000005vi-0000 ** rmt_reject@test.ex R=r2 T=smtp H=127.0.0.1 [127.0.0.1] : SMTP error from remote mail server after RCPT TO:<rmt_reject@test.ex>: 550 Administrative prohibition',
    ],
    want: want('outbound', 'access-policy', 'contact the remote admin', 'administrative-prohibition', true),
    verify: "swaks --to='rmt_reject@test.ex'",
  },
  {
    name: "Yahoo: user doesn't have an account, older format (perericr_ddgrey_mainlog line 1944)",
    lines: [
      "2020-02-22 07:09:24 1j5NyY-0004Xp-NZ ** ronnienorcross@yahoo.com R=dnslookup T=remote_smtp: SMTP error from remote mail server after end of data: host mta5.am0.yahoodns.net [67.195.204.72]: 554 delivery error: dd This user doesn't have a yahoo.com account (ronnienorcross@yahoo.com) [-9] - mta4420.mail.bf1.yahoo.com",
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'user-unknown', true),
    verify: "swaks --to='ronnienorcross@yahoo.com'",
  },
  {
    name: 'invalid mailbox (gvengel_exim_exporter_mainlog line 24)',
    lines: [
      "2020-06-20 05:13:04 1raAO5-0091Cv-IH ** dave@foo.corp R=dnslookup T=remote_smtp H=(relay.test.corp) [4.4.4.4]: SMTP error from remote mail server after end of data: 550 Message was not accepted -- invalid mailbox.  Local mailbox dave@foo.corp is unavailable: dave's not here man",
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'user-unknown', true),
    verify: "swaks --to='dave@foo.corp'",
  },
  {
    name: 'fakereject by the remote Exim, multi-line reply (Exim_exim_test-log-0612 line 42)',
    lines: [
      '1999-03-02 09:44:33 10HmbB-000000005vi-0000 ** rmt_fakereject@test.ex R=r2 T=smtp H=127.0.0.1 [127.0.0.1] : SMTP error from remote mail server after end of data: 550-Your message has been rejected but is being kept for evaluation.\\n550-If it was a legitimate message, it may still be delivered to the target\\n550 recipient(s).',
    ],
    want: want('outbound', 'spam-content', 'our message content', 'fake-reject', true),
    verify: "exim -Mvh '10HmbB-000000005vi-0000'",
  },
  {
    name: '452 4.5.3 too many recipients (Exim_exim_test-log-0622 line 11)',
    lines: [
      '1999-03-02 09:44:33 10HmbB-000000005vi-0000 == b@test.ex <B@test.ex> R=client T=send_to_server defer (-44) H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after RCPT TO:<B@test.ex>: 452 4.5.3 Try again',
    ],
    want: want('outbound', 'rate-limited', 'max_rcpt (smtp transport)', 'too-many-recipients', false),
    verify: "exiqgrep -c -r 'test.ex'",
  },
  {
    name: 'greeting refused (Exim_exim_test-log-0548 line 4)',
    lines: [
      '1999-03-02 09:44:33 10HmaX-000000005vi-0000 == userx@test.ex R=smarthost T=smtp defer (0) H=thishost.test.ex [127.0.0.1]: SMTP error from remote mail server after initial connection: 451 host deferred',
    ],
    want: want('outbound', 'connection-failed', 'their server (greeting refused)', 'greeting-refused', false),
    verify: "swaks --to='userx@test.ex' --quit-after CONNECT",
  },
  {
    name: 'status 5.1.1 with an unusual text (constructed: AOL reply, as in the Postfix table)',
    lines: [`${ID}** email@aim.com ${TO_MX('RCPT TO:<email@aim.com>', 'mailin-03.mx.aol.com [64.12.90.97]')}: 550 5.1.1 email@aim.com: Recipient address rejected: aim.com`],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'status-user-unknown', true),
    verify: "swaks --to='email@aim.com'",
  },
  {
    name: 'status 5.4.4 (constructed: "550 5.4.4 Invalid domain", as in the Postfix table)',
    lines: [`${ID}** alice@example.net ${TO_MX('RCPT TO:<alice@example.net>')}: 550 5.4.4 Invalid domain`],
    want: want('outbound', 'domain-not-found', 'fix the domain (typo?)', 'status-domain', true),
    verify: "dig +short -t MX -q 'example.net'; dig +short -t A -q 'example.net'",
  },
  {
    name: 'status 5.2.1 with a generic text (constructed: "550 5.2.1 Mailbox unavailable.", as in the Postfix table)',
    lines: [`${ID}** alice@example.net ${TO_MX('RCPT TO:<alice@example.net>')}: 550 5.2.1 Mailbox unavailable.`],
    want: want('outbound', 'mailbox-disabled', 'remove the address from lists', 'status-disabled', true),
    verify: '--quit-after RCPT',
  },
  {
    name: 'status 5.2.2 (constructed: Exchange QuotaExceededException, as in the Postfix table)',
    lines: [
      `${ID}** alice@example.net ${TO_MX('end of data')}: 552 5.2.2 STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded`,
    ],
    want: want('outbound', 'mailbox-full', 'their mailbox is full', 'status-full', true),
    verify: "exiqgrep -r 'alice@example.net'",
  },
  {
    name: 'status 5.3.4 with another text (constructed: "552 5.3.4 Error: message file too big")',
    lines: [`${ID}** alice@example.net ${TO_MX('end of data')}: 552 5.3.4 Error: message file too big`],
    want: want('outbound', 'message-too-large', 'message size (attachments)', 'status-too-large', true),
    verify: "grep -i -e 'size'",
  },
  {
    name: 'status 5.7.23 (constructed: Exchange Online "Sender Policy Framework violation", as in the Postfix table)',
    lines: [`${ID}** alice@example.net ${TO_MX('end of data')}: 550 5.7.23 The message was rejected because of Sender Policy Framework violation`],
    want: want('outbound', 'sender-auth-failed', 'our SPF/DKIM/DMARC', 'status-sender-auth', true),
    verify: 'dig +short -t TXT',
  },
  {
    name: 'mailbox unavailable with 5.5.0 (constructed: Outlook.com unknown user, as in the Postfix table)',
    lines: [
      `${ID}** alice@outlook.com ${TO_MX('RCPT TO:<alice@outlook.com>', 'outlook-com.olc.protection.outlook.com [104.47.10.33]')}: 550 5.5.0 Requested action not taken: mailbox unavailable`,
    ],
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'mailbox-unavailable', true),
    verify: "swaks --to='alice@outlook.com'",
  },
  {
    name: 'reply code 530 (constructed: Microsoft 365 "Client not authenticated to send mail", as in the Postfix table)',
    lines: [
      `${ID}** alice@contoso.com R=smarthost T=remote_smtp_smarthost H=smtp.office365.com [192.0.2.30] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after MAIL FROM:<bob@example.org> SIZE=1234: 530 5.7.57 Client not authenticated to send mail`,
    ],
    want: want('outbound', 'auth-required', 'client authenticators (hosts_require_auth)', 'code-auth-required', true),
    verify: "exim -bP authenticator_list; exim -bt -- 'alice@contoso.com'",
  },
  {
    name: 'status 5.7.1 "Blocked" (gvengel_exim_exporter_mainlog line 28)',
    lines: [
      '2020-06-24 00:13:06 1raAO7-0094KF-7u ** rudy@foo.corp R=dnslookup T=remote_smtp H=(relay.test.corp) [4.4.4.4]: SMTP error from remote mail server after RCPT TO:<rudy@test.corp>: 540 5.7.1 <rudy@test.corp>: recipient address rejected: Blocked',
    ],
    want: want('outbound', 'access-policy', 'contact the remote admin', 'status-policy', true),
    verify: "swaks --to='rudy@foo.corp'",
  },
  {
    name: 'status 4.4.2 (constructed: Postfix\'s own "421 4.4.2 <host> Error: timeout exceeded" reply)',
    lines: [
      `${ID}== alice@example.net R=dnslookup T=remote_smtp defer (-46) H=mx.example.net [192.0.2.25]: SMTP error from remote mail server after end of data: 421 4.4.2 mx.example.net Error: timeout exceeded`,
    ],
    want: want('outbound', 'connection-failed', 'their server (or our port 25)', 'status-network', false),
    verify: '--quit-after CONNECT',
  },
  {
    name: 'status 5.5.2 (constructed: Gmail "Syntax error", as in the Postfix table)',
    lines: [
      `${ID}** alice@gmail.com ${TO_MX('MAIL FROM:<bob@example.org>', 'gmail-smtp-in.l.google.com [74.125.136.26]')}: 555 5.5.2 Syntax error. a1si1234567wra.1 - gsmtp`,
    ],
    want: want('outbound', 'protocol-error', 'contact the remote admin', 'status-protocol', true),
    verify: "swaks --to='alice@gmail.com'",
  },
  {
    name: 'a bare 550 to RCPT TO (Exim_exim_test-log-0208 line 6)',
    lines: [
      '1999-03-02 09:44:33 10HmaX-000000005vi-0000 ** fail.transport@test.ex R=fail_transport T=fail H=127.0.0.1 [127.0.0.1] : SMTP error from remote mail server after RCPT TO:<fail.transport@test.ex>: 550 Recipient refused',
    ],
    want: want('outbound', 'user-unknown', 'check the address (refused at RCPT)', 'rcpt-refused', true),
    verify: "swaks --to='fail.transport@test.ex'",
  },
  {
    name: 'a bare 450 to RCPT TO (Exim_exim_test-log-0209 line 6)',
    lines: [
      '1999-03-02 09:44:33 10HmaX-000000005vi-0000 == userz@domain1 R=others T=smtp defer (-44) H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after RCPT TO:<userz@domain1>: 450 Temporary error 1',
    ],
    want: want('outbound', 'other', 'their server (temporary refusal; retried)', 'remote-deferral', false),
    verify: "exim -brt 'domain1'",
  },
  {
    name: 'a bare 451 to RCPT TO (Exim_exim_test-log-0548 line 17)',
    lines: [
      '1999-03-02 09:44:33 10HmaY-000000005vi-0000 == usery@test.ex R=smarthost T=smtp defer (-44) H=ip4.ip4.ip4.ip4 [ip4.ip4.ip4.ip4]: SMTP error from remote mail server after RCPT TO:<usery@test.ex>: 451 Recipient deferred',
    ],
    want: want('outbound', 'other', 'their server (temporary refusal; retried)', 'remote-deferral', false),
    verify: "exim -brt 'test.ex'",
  },
  {
    name: 'catch-all: a bare 554 after the data (constructed)',
    lines: [`${ID}** alice@example.net ${TO_MX('end of data')}: 554 Transaction failed`],
    want: want('outbound', 'other', 'contact the remote admin', 'other', true),
    verify: "swaks --to='alice@example.net' --quit-after RCPT",
  },
];

const LOCAL: Case[] = [
  {
    name: 'mail loop (lab: Exim 4.96, received_headers_max = 12 and a message with 13 Received: headers)',
    lines: ['2026-12-04 17:35:07.165 [23861] 1xZXBW-0006Af-1w ** bob@lab.test F=<sender@lab.test>: Too many "Received" headers - suspected mail loop DT=0.000s'],
    want: want('local', 'mail-loop', 'received_headers_max', 'mail-loop', true),
    verify: "exim -bP received_headers_max; exigrep -l -- '1xZXBW-0006Af-1w' 'test.log'",
  },
  {
    name: 'pipe transport exit 67, EX_NOUSER (lab: Exim 4.96, pipe transport whose command exits 67)',
    lines: [
      '2026-12-04 17:35:06.659 [23833] 1xZXBW-0006Ad-10 ** pipe67@lab.test F=<sender@lab.test> P=<sender@lab.test> R=pipes T=pipe_t: Child process of pipe_t transport returned 67 (could mean user nonexistent) from command: /tmp/mld-exim-YuptWS/pipe.sh DT=0.021s',
    ],
    want: want('local', 'user-unknown', 'pipe transport: exit 67 (EX_NOUSER)', 'pipe-no-user', true),
    verify: "exim -bt -- 'pipe67@lab.test'; exim -bP transports | grep -E 'transport:$|^command ='",
  },
  {
    name: 'pipe transport exit 75, EX_TEMPFAIL (lab: Exim 4.96, pipe transport whose command exits 75)',
    lines: [
      '2026-12-04 17:35:07.281 [23865] 1xZXBS-00067s-1P == pipe75@lab.test R=pipes T=pipe_t defer (0) DT=0.022s: Child process of pipe_t transport returned 75 (could mean temporary error) from command: /tmp/mld-exim-YuptWS/pipe.sh',
    ],
    want: want('local', 'other', 'pipe transport: exit 75 (EX_TEMPFAIL)', 'pipe-tempfail', false),
    verify: "exim -bt -- 'pipe75@lab.test'; exim_dumpdb \"$(exim -bP -n spool_directory)\" retry | grep -F -e 'lab.test'; exim -brt 'lab.test'",
  },
  {
    name: 'pipe transport exit 75 past the retry cutoff: the same failure (lab: Exim 4.96)',
    lines: [
      '2026-12-04 17:35:07.281 [23865] 1xZXBS-00067s-1P == pipe75@lab.test R=pipes T=pipe_t defer (0) DT=0.022s: Child process of pipe_t transport returned 75 (could mean temporary error) from command: /tmp/mld-exim-YuptWS/pipe.sh',
      '2026-12-04 17:35:07.282 [23865] 1xZXBS-00067s-1P ** pipe75@lab.test: retry timeout exceeded',
    ],
    want: want('local', 'other', 'pipe transport: exit 75 (EX_TEMPFAIL)', 'pipe-tempfail', true),
    verify: "exim -bt -- 'pipe75@lab.test'; exim_dumpdb \"$(exim -bP -n spool_directory)\" retry | grep -F -e 'lab.test'; exim -brt 'lab.test'",
  },
  {
    name: 'pipe transport printing a quota text, log_fail_output (lab: Exim 4.96)',
    lines: [
      '2026-12-04 17:35:06.682 [23833] 1xZXBW-0006Ad-10 <pipequota@lab.test>: pipe_t transport output: mailbox quota exceeded for pipequota',
      '2026-12-04 17:35:06.683 [23833] 1xZXBW-0006Ad-10 ** pipequota@lab.test F=<sender@lab.test> P=<sender@lab.test> R=pipes T=pipe_t: Child process of pipe_t transport returned 1 from command: /tmp/mld-exim-YuptWS/pipe.sh DT=0.021s',
    ],
    want: want('local', 'mailbox-full', 'pipe transport output (quota)', 'pipe-output-quota', true),
    verify: "exim -bt -- 'pipequota@lab.test'; exigrep -l -- '1xZXBW-0006Ad-10' 'test.log'",
  },
  {
    name: 'alias :fail: closed mailbox, at delivery (lab: Exim 4.96)',
    lines: [
      '2026-12-04 17:35:06.635 [23833] 1xZXBW-0006Ad-10 ** gone@lab.test F=<sender@lab.test> R=aliases: This mailbox was closed on 2026-01-01, write to sales@example.org DT=0.000s',
    ],
    want: want('local', 'mailbox-disabled', 'redirect router :fail:', 'mailbox-closed', true),
    verify: "exim -bt -- 'gone@lab.test'; K='gone' awk '/^[^ \\t#]/ { k = $1; sub(/:.*/, \"\", k); if (tolower(k) == tolower(ENVIRON[\"K\"])) print }' /etc/aliases",
  },
  {
    name: 'alias :defer: past the retry cutoff: the same failure (lab: Exim 4.96)',
    lines: [
      '2026-12-04 17:35:07.257 [23865] 1xZXBS-00067s-1P == tempalias@lab.test R=aliases defer (-1) DT=0.000s: alias backend being migrated',
      '2026-12-04 17:35:07.282 [23865] 1xZXBS-00067s-1P ** tempalias@lab.test: retry timeout exceeded',
    ],
    want: want('local', 'other', 'redirect router :defer:', 'router-defer-expired', true),
    verify: "exim -bt -- 'tempalias@lab.test'",
  },
  {
    name: 'appendfile quota past the retry cutoff: the same failure (lab: Exim 4.96, quota = 1K)',
    lines: [
      '2026-12-04 17:35:06.750 [23844] 1xZXBS-00068B-2W == full@lab.test R=localuser T=local_delivery defer (-22) DT=0.008s: mailbox is full (MTA-imposed quota exceeded while writing to /tmp/mld-exim-YuptWS/mail/full)',
      '2026-12-04 17:35:06.751 [23844] 1xZXBS-00068B-2W ** full@lab.test: retry timeout exceeded',
    ],
    want: want('local', 'mailbox-full', 'quota (appendfile transport)', 'quota', true),
    verify: "exim -bt -- 'full@lab.test'; exim -bP transports | grep -E 'transport:$|^quota'",
  },
  {
    name: 'cron mail to a removed account (samples/exim/mainlog line 92)',
    lines: ['2026-11-22 04:02:01 1xUym9-000000005xs-00LO ** oldadmin@example.org: Unrouteable address'],
    want: want('local', 'user-unknown', 'routers: no router accepted (aliases / local users)', 'unrouteable-address', true),
    verify: `exim -bt -- 'oldadmin@example.org'; K='oldadmin' awk '/^[^ \\t#]/ { k = $1; sub(/:.*/, "", k); if (tolower(k) == tolower(ENVIRON["K"])) print }' /etc/aliases`,
  },
  {
    name: "Unrouteable address with Exim 4.99's ' : ' (Exim_exim_test-log-0208 line 3)",
    lines: ['1999-03-02 09:44:33 10HmaX-000000005vi-0000 ** fail.direct@test.ex : Unrouteable address'],
    want: want('local', 'user-unknown', 'routers: no router accepted (aliases / local users)', 'unrouteable-address', true),
    verify: "exim -bt -- 'fail.direct@test.ex'",
  },
  {
    name: 'a bounce to a sender domain that does not route (perericr_ddgrey_mainlog line 312)',
    lines: ['2020-02-22 01:41:08 1j4ZTB-0001Sv-P4 ** noreply@pilgrimbrevet.se: Unrouteable address'],
    want: want('local', 'user-unknown', 'routers: no router accepted (aliases / local users)', 'unrouteable-address', true),
    verify: "exim -bt -- 'noreply@pilgrimbrevet.se'",
  },
  {
    name: "Dovecot LMTP: user doesn't exist (constructed: lmtp.c \"LMTP error after %s: %s\" around Dovecot's reply)",
    lines: [
      `${ID}** alice@example.org R=local_user T=dovecot_lmtp: LMTP error after RCPT TO:<alice@example.org>: 550 5.1.1 <alice@example.org> User doesn't exist: alice@example.org`,
    ],
    want: want('local', 'user-unknown', 'Dovecot userdb vs Exim routers', 'lmtp-unknown-user', true),
    verify: "doveadm user -- 'alice@example.org'",
  },
  {
    name: 'alias :fail: Unknown user (constructed: redirect router data ":fail: Unknown user")',
    lines: [`${ID}** ghost@example.org R=system_aliases: Unknown user`],
    want: want('local', 'user-unknown', 'redirect router :fail:', 'unknown-user', true),
    verify: `K='ghost' awk '/^[^ \\t#]/ { k = $1; sub(/:.*/, "", k); if (tolower(k) == tolower(ENVIRON["K"])) print }' /etc/aliases`,
  },
  {
    name: 'local quota (samples/exim/mainlog line 308)',
    lines: [
      '2026-11-22 12:55:41 1xV76a-00000000ENW-00MS == dave@example.org R=local_user T=mail_spool defer (-22): mailbox is full (MTA-imposed quota exceeded while writing to /var/mail/dave)',
    ],
    want: want('local', 'mailbox-full', 'quota (appendfile transport)', 'quota', false),
    verify: "exim -bt -- 'dave@example.org'",
  },
  {
    name: 'local quota in the test suite (Exim_exim_test-log-0135 line 3)',
    lines: [
      '1999-03-02 09:44:33 10HmaX-000000005vi-0000 == c@test.ex R=smart T=local_delivery defer (-22): mailbox is full (MTA-imposed quota exceeded while writing to TESTSUITE/test-mail/c)',
    ],
    want: want('local', 'mailbox-full', 'quota (appendfile transport)', 'quota', false),
    verify: 'quota',
  },
  {
    name: 'mailbox lock failed (constructed: appendfile.c "failed to lock mailbox %s (lock file)")',
    lines: [`${ID}== bob@example.org R=local_user T=mail_spool defer (-9): failed to lock mailbox /var/mail/bob (lock file)`],
    want: want('local', 'other', 'mailbox permissions (appendfile transport)', 'mailbox-write-failed', false),
    verify: "exim -bt -- 'bob@example.org'",
  },
  {
    name: 'router lookup file missing (Exim lab, test/lab/exim-health.test.ts)',
    lines: [
      `${ID}== bob@example.org R=virtual_routes defer (-1) DT=0.000s: failed to expand "\${lookup{$local_part}lsearch{/etc/exim4/routes}}": failed to open /etc/exim4/routes for linear search: No such file or directory`,
    ],
    want: want('local', 'other', 'router lookup failed', 'lookup-failed', false),
    verify: "exim -bt -- 'bob@example.org'",
  },
  {
    name: 'pipe command failed (constructed: pipe.c "Child process of %s transport returned %d")',
    lines: [
      `${ID}** alice@example.org <alice@example.org> R=userforward T=address_pipe: Child process of address_pipe transport returned 1 (could mean general error) from command: /usr/bin/procmail`,
    ],
    want: want('local', 'other', 'pipe transport (command failed)', 'pipe-failed', true),
    verify: 'exim -bP transport address_pipe',
  },
  {
    name: 'LMTP server gone (constructed: lmtp.c "LMTP connection closed after %s")',
    lines: [`${ID}== carol@example.org R=local_user T=dovecot_lmtp defer (-18): LMTP connection closed after RCPT TO:<carol@example.org>`],
    want: want('local', 'other', 'lmtp transport (Dovecot)', 'lmtp', false),
    verify: "doveadm user -- 'carol@example.org'",
  },
  {
    name: 'local retry time not yet reached (Exim_exim_test-log-0135 line 16)',
    lines: ['1999-03-02 09:44:33 10HmaX-000000005vi-0000 == d@test.ex R=smart T=local_delivery defer (-53): Retry time not yet reached'],
    want: want('local', 'other', 'retry configuration (an earlier local failure)', 'retry-time-not-reached', false),
    verify: "exim -brt 'd@test.ex'",
  },
  {
    name: 'redirect :fail: (Exim_exim_test-log-9400 line 36)',
    lines: ['1999-03-02 09:44:33 10HmbU-0005vi-00 ** bounce@test.ex R=r0: bounced (:fail:)'],
    want: want('local', 'other', 'redirect router :fail:', 'redirect-fail', true),
    verify: `K='bounce' awk '/^[^ \\t#]/ { k = $1; sub(/:.*/, "", k); if (tolower(k) == tolower(ENVIRON["K"])) print }' /etc/aliases`,
  },
  {
    name: 'redirect :fail: with its own SMTP code (Exim_exim_test-log-0536 line 33)',
    lines: ['1999-03-02 09:44:33 10HmbB-000000005vi-0000 ** user22@test.ex R=r1 : 590 5.4.3 Main and extended code'],
    want: want('local', 'other', 'redirect router :fail:', 'redirect-fail', true),
    verify: "exim -bt -- 'user22@test.ex'",
  },
  {
    name: 'redirect :defer: (Exim_exim_test-log-0208 line 4)',
    lines: ["1999-03-02 09:44:33 10HmaX-000000005vi-0000 == defer@test.ex R=defer defer (-1): don't do this yet"],
    want: want('local', 'other', 'redirect router :defer:', 'router-defer', false),
    verify: "exim -bt -- 'defer@test.ex'",
  },
  {
    name: 'redirect :defer:, millisecond stamp (Exim_exim_test-log-0608 line 48)',
    lines: ['2017-07-30 18:51:05.712 10HmbM-000000005vi-0000 == delay_p@test.ex R=delay defer (-1): deliberate for test purposes'],
    want: want('local', 'other', 'redirect router :defer:', 'router-defer', false),
    verify: "exim -bt -- 'delay_p@test.ex'",
  },
  {
    name: 'catch-all: mailbox owned by someone else (constructed: appendfile.c "mailbox %s%s has wrong uid (%ld != %ld)")',
    lines: [`${ID}== bob@example.org R=local_user T=mail_spool defer (-6): mailbox /var/mail/bob has wrong uid (1001 != 1000)`],
    want: want('local', 'other', 'routers / local transports', 'other', false),
    verify: "exim -bt -- 'bob@example.org'; exigrep -l -- '1xV5P6-00000000AWF-00AZ' 'test.log'",
  },
];

const CASES: Case[] = [...INBOUND, ...OUTBOUND, ...LOCAL];

const eventOf = (c: Case): MailEvent => lastEventOf(c.lines, eximParser);


describe('Exim rules, one real line per rule', () => {
  test.for(CASES)('$name', (c) => {
    const ev = eventOf(c);
    MailEvent.parse(ev);
    expect(ev.mta).toBe('exim');
    const got = classify(ev, c.hosted && new LocalDomains(c.hosted));
    expect(summary(got)).toEqual(c.want);
    expect(got!.verify).toContain(c.verify);
  });
});

describe('the rule table', () => {
  ruleTableInvariants('exim', EXIM_RULES, () => CASES.map((c) => c.want.rule));

  test('every cause a direction can produce is produced by a case of that direction', () => {
    for (const d of Direction.options) {
      const causes = new Set(EXIM_RULES.filter((r) => r.direction === d).map((r) => r.cause));
      const seen = new Set(CASES.filter((c) => c.want.direction === d).map((c) => c.want.cause));
      expect([...causes].filter((c) => !seen.has(c)), d).toEqual([]);
    }
  });

  test('Exim commands only: no Postfix tools in hints, advice or verify', () => {
    for (const r of EXIM_RULES) {
      expect(`${r.hint} ${r.advice} ${r.verify}`, r.id).not.toMatch(/postconf|postmap|postqueue|postcat|smtpd_/);
    }
  });

  test('the remote-reply rules share match and cause with the Postfix table (rules-remote.ts)', () => {
    const names = [...Object.keys(REMOTE_TEXT), ...Object.keys(REMOTE_STATUS)];
    for (const name of names) {
      const exim = EXIM_RULES.find((r) => r.id === `exim.outbound.${name}`);
      const postfix = POSTFIX_RULES.find((r) => r.id === `postfix.outbound.${name}`);
      expect(exim, name).toBeDefined();
      expect(postfix, name).toBeDefined();
      expect(exim!.match, name).toBe(postfix!.match);
      expect(exim!.cause, name).toBe(postfix!.cause);
    }
    // and in the same order in both tables
    const order = (rules: readonly { id: string }[], mta: string) =>
      rules.map((r) => r.id.slice(`${mta}.outbound.`.length)).filter((n) => names.includes(n));
    expect(order(EXIM_RULES, 'exim')).toEqual(order(POSTFIX_RULES, 'postfix'));
  });
});

describe('direction and permanence of Exim events', () => {
  const base = {
    mta: 'exim' as const,
    time: null,
    host: null,
    program: null,
    queueId: '1xV5P6-00000000AWF-00AZ',
    raw: '',
    origin: { file: 'test.log', line: 1 },
  };
  const delivery = (f: Partial<DeliveryEvent>): DeliveryEvent =>
    deliveryEvent({
      ...base,
      status: 'deferred',
      agent: null,
      router: null,
      to: 'alice@example.org',
      origTo: null,
      relay: null,
      dsn: null,
      reason: '',
      smtpCode: null,
      remoteHost: null,
      inReplyTo: null,
      from: null,
      client: null,
      ...f,
    });
  const reject = (f: Partial<RejectEvent>): RejectEvent =>
    rejectEvent({
      ...base,
      via: 'acl',
      stage: 'RCPT',
      smtpCode: null,
      enhancedStatus: null,
      text: 'rejected RCPT <alice@example.org>',
      client: null,
      from: null,
      to: 'alice@example.org',
      helo: null,
      proto: null,
      ...f,
    });

  test.for([
    ['an H= peer', { relay: { name: 'mx.example.net', ip: '192.0.2.25', port: null } }, 'outbound'],
    ['an SMTP transport without a peer', { agent: 'remote_smtp', reason: 'Connection refused' }, 'outbound'],
    ['a remote reply in the reason', { agent: 'fail', reason: 'SMTP error from remote mail server after RCPT TO:<a@b>: 550 x' }, 'outbound'],
    ['an LMTP transport, even over TCP', { agent: 'dovecot_lmtp', relay: { name: null, ip: '127.0.0.1', port: 24 } }, 'local'],
    ['an appendfile transport', { agent: 'mail_spool', router: 'local_user', reason: 'mailbox is full' }, 'local'],
    ['a pipe transport', { agent: 'address_pipe', router: 'userforward', reason: 'Child process of address_pipe transport returned 1' }, 'local'],
    ['no router accepted it', { reason: 'Unrouteable address' }, 'local'],
    ['a redirect :defer:', { router: 'system_aliases', reason: "don't do this yet" }, 'local'],
    ['retry data of remote hosts', { reason: 'retry time not reached' }, 'outbound'],
    ['retry timeout exceeded', { status: 'bounced', reason: 'retry timeout exceeded' }, 'outbound'],
    ['MX records pointing nowhere', { router: 'dnslookup', reason: 'all relevant MX records point to non-existent hosts' }, 'outbound'],
    ['a DNS lookup that did not complete', { router: 'dnslookup', reason: 'host lookup for mx.example.net did not complete (DNS timeout?)' }, 'outbound'],
  ] as const)('a delivery with %s is %s', ([, f, d]) => {
    expect(directionOf(delivery(f as Partial<DeliveryEvent>))).toBe(d);
  });

  test('rejects: `temporarily` and Exim-made 4xx are temporary, `rejected` permanent (550 by default)', () => {
    expect(isPermanent(reject({ text: 'rejected RCPT <a@b>: relay not permitted' }))).toBe(true);
    expect(isPermanent(reject({ text: 'temporarily rejected RCPT <a@b>: greylisted' }))).toBe(false);
    expect(isPermanent(reject({ text: 'temporarily refused connection', stage: 'CONNECT' }))).toBe(false);
    expect(isPermanent(reject({ text: 'local_scan() function timed out - message temporarily rejected (size 29)' }))).toBe(false);
    expect(isPermanent(reject({ text: 'too many recipients: excess temporarily rejected' }))).toBe(false);
    expect(isPermanent(reject({ text: 'too many recipients: message rejected' }))).toBe(true);
    expect(isPermanent(reject({ text: 'SMTP protocol synchronization error (x): rejected connection' }))).toBe(true);
    expect(isPermanent(reject({ text: 'rejected RCPT <a@b>: 599 Main code', smtpCode: 599 }))).toBe(true);
    expect(isPermanent(reject({ text: 'rejected RCPT <a@b>: 451 odd', smtpCode: 451 }))).toBe(false);
    // deliveries: as for Postfix
    expect(isPermanent(delivery({ status: 'bounced' }))).toBe(true);
    expect(isPermanent(delivery({ status: 'deferred' }))).toBe(false);
  });

  test('a sent delivery, an arrival and a bounce notice are not classified', () => {
    const events = parseLines(
      [
        '2020-06-19 04:51:49 1jmFYj-00039V-QX => bob@test.corp R=dnslookup T=remote_smtp H=mx.test.corp [3.3.3.3]',
        '2020-06-19 04:54:02 1jmFYn-00039c-3R <= <> R=1jmFYj-00039V-QX U=Debian-exim P=local S=9114',
      ],
      eximParser,
    );
    expect(events.map((e) => e.kind)).toEqual(['delivery', 'received', 'notification']);
    for (const ev of events) expect(classify(ev)).toBeNull();
  });

  const MB = 1 << 20;
  test.for([
    ['slashes', '/'.repeat(MB)],
    ['an endless host lookup', 'host lookup for ' + 'a'.repeat(MB)],
    ['a remote error that never ends', 'SMTP error from remote mail server after ' + 'x'.repeat(MB)],
    ['spaces', ' '.repeat(MB)],
  ] as const)('1 MB of %s classifies', ([, text]) => {
    expect(classify(delivery({ reason: text }))).not.toBeNull();
    expect(classify(delivery({ reason: text, status: 'bounced' }))).not.toBeNull();
    expect(classify(reject({ text }))?.direction).toBe('inbound');
  });
});
