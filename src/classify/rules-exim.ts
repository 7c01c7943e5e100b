/**
 * Exim classification rules, as data. The first matching rule of the event's direction wins
 * (classify.ts), so within each direction: Exim's own texts first, then the ACL statements
 * that wrote the refusal, then fallbacks by SMTP stage, then one `other`.
 *
 * What the texts are (parsers/exim): inbound, the reject text from `rejected …` /
 * `temporarily rejected …` to the end of the line, i.e. `rejected RCPT <a@b>: <ACL message>`
 * (Exim does not log the reply code; `temporarily` means 4xx, see classify.ts). Outbound, the
 * reason of a `**`/`==` line: the remote reply (`SMTP error from remote mail server after RCPT
 * TO:<a@b>: 550 5.1.1 …`) or Exim's own text (`retry time not reached for any host …`,
 * `Connection refused`). Local, the router's or the local transport's text (`Unrouteable
 * address`, `mailbox is full (MTA-imposed quota exceeded …)`). Texts are matched lower-cased
 * with addresses in angle brackets blanked (classify.ts normalise).
 *
 * Hints name Exim's configuration: the ACL (acl_smtp_rcpt, …) and the statement in it
 * (`verify = recipient`, `dnslists`, `ratelimit`), the main options (message_size_limit,
 * smtp_enforce_sync), the named lists (+local_domains, +relay_to_domains, +relay_from_hosts),
 * routers and transports. Outbound hints say what to do on our side; the remote-reply phrases
 * are shared with Postfix (rules-remote.ts). Paths are Debian's exim4 (`/var/log/exim4/`,
 * `/etc/aliases`); `exim -bP log_file_path` names them elsewhere.
 */
import type { Rule } from './rule.js';
import { REMOTE_TEXT, remoteReply, type RemoteName } from './rules-remote.js';

const REJECTLOG = '/var/log/exim4/rejectlog';
const PANICLOG = '/var/log/exim4/paniclog';

/**
 * The refused client's RCPT again, through the ACLs, as a fake SMTP session fed to `exim -bh
 * <ip>` (what exim_checkaccess does): nothing is delivered and no callouts are made; the ACL
 * trace shows what accepted or refused it. Not exim_checkaccess itself: it passes its
 * arguments word-split and through a shell command line, so a sender with a space or `;` in it
 * would run as a command.
 */
const smtpSession = (rcpt: string): string =>
  `printf 'HELO [%s]\\r\\nMAIL FROM:<%s>\\r\\nRCPT TO:<%s>\\r\\nQUIT\\r\\n' {client_ip} {sender} ${rcpt} | exim -bh {client_ip}`;
const CHECKACCESS = smtpSession('{rcpt}');
/** The HELO and MAIL ACLs for the client and sender (any recipient will do: they run first). */
const MAIL_CHECK = smtpSession('postmaster');
/** The connect ACL for the client: `exim -bh` with no SMTP input after the greeting. */
const CONNECT_CHECK = 'exim -bh {client_ip} </dev/null';
/** How Exim routes the address: which router accepts it and where it would go (`--`: an address may start with `-`). */
const ROUTE = 'exim -bt -- {rcpt}';
/** The log lines of the message in the analysed log (exigrep -l: the id literally, not as a regex). */
const EXIGREP = 'exigrep -l -- {queue_id} {log_file}';
/** The log lines of the message, with its rejectlog header dump when there is one. */
const REJECTED_MESSAGE = `${EXIGREP}; grep -F -A 30 -e {queue_id} -- ${REJECTLOG}`;
/**
 * Whether /etc/aliases has an entry for exactly this local part, as Exim's lsearch reads it: the
 * key starts the line and ends at a colon or white space, compared without case. Passed through
 * the environment, so no character of it is read as awk syntax or an option.
 */
const ALIAS = `K={local} awk '/^[^ \\t#]/ { k = $1; sub(/:.*/, "", k); if (tolower(k) == tolower(ENVIRON["K"])) print }' /etc/aliases`;
/** A message's headers while it is queued; once it has left the queue, its lines in the log. */
const MESSAGE = `exim -Mvh {queue_id} || ${EXIGREP}`;

/** Our public IPv4 address as the world sees it. */
const OUR_IP = '$(dig +short myip.opendns.com @resolver1.opendns.com)';
// swaks looks up the MX itself; an MTA-neutral probe of what the remote server says. `--to=`
// attached: swaks's --to takes an optional value, so a detached one starting with `-` would be
// read as an option of its own (`--pipe=…` runs a command).
const PROBE = 'swaks --to={rcpt} --quit-after RCPT';
/**
 * Retry data for the domain's hosts (the retry hints database), and the retry rule that applies
 * (`exim -brt` takes the words after it literally). Not exinext: it reads a first argument
 * starting with `-C` or `-D` as its own options (`-DEXIM_PATH=…` picks the program it runs).
 */
const RETRY = 'exim_dumpdb "$(exim -bP -n spool_directory)" retry | grep -F -e {domain}; exim -brt {domain}';
/** See rules-postfix.ts: where to look up and ask to lift a provider's block of the IP it names. */
const BLOCKED = "printf 'IP %s: look it up or ask for delisting at %s\\n' {reply_ip} {lookup_page}";

/**
 * A closed or disabled mailbox, in the words of an alias's `:fail: <text>` (or an ACL's deny
 * message): the remote phrases, and how admins word a mailbox that was closed.
 */
const CLOSED_MAILBOX = [
  ...REMOTE_TEXT['mailbox-disabled'].match.any!,
  'mailbox was closed',
  'mailbox has been closed',
  'mailbox is closed',
  'account was closed',
  'account has been closed',
  'account is closed',
  'no longer with',
  'has left the company',
];
/** What `verify = recipient` or a `deny` wrote: the ACL statement's message or a redirect `:fail:` text. */
const RCPT_MESSAGE_HINT = 'acl_smtp_rcpt: deny message / redirect :fail:';
/** A mail loop (receive.c with cutthrough delivery at SMTP time, deliver.c otherwise). */
const MAIL_LOOP = 'too many "received" headers';

/** The SMTP stages at which the message content has been read (reject.ts). */
const DATA_STAGES = ['DATA', 'END-OF-MESSAGE', 'NON-SMTP'];

const INBOUND: Rule[] = [
  // ---- Exim's own trouble first: these refusals are about us, not the client.
  {
    // acl.c: an ACL statement that cannot be evaluated fails the command (451 in the SMTP ACLs)
    // with the error as its log message.
    id: 'exim.inbound.acl-config-error',
    direction: 'inbound',
    match: {
      re: /invalid "condition" value|failed to expand acl string|internal configuration error|database not available|acl nested too deep|failed to open acl file|cannot (?:use|test) [a-z_]{1,30} condition in /,
    },
    cause: 'other',
    hint: 'ACL configuration error',
    advice:
      'Exim could not evaluate an ACL statement (a condition that does not expand to true/false, a lookup that fails, a condition used in the wrong ACL) and refused everyone it applies to. Fix the statement the text names; the paniclog often has more.',
    verify: `exim -bV >/dev/null && echo 'configuration OK'; tail -n 20 ${PANICLOG}`,
  },
  {
    id: 'exim.inbound.local-scan-failure',
    direction: 'inbound',
    match: { any: ['local_scan() function timed out', 'local_scan() function crashed'] },
    cause: 'other',
    hint: 'local_scan() (SA-Exim)',
    advice:
      'The local_scan() function (SA-Exim and spamd, or a custom one) timed out or crashed, so Exim told the client to retry later. Check that spamd runs and answers; local_scan_timeout bounds the wait.',
    verify: 'exim -bP local_scan_timeout; zgrep -F -e {queue_id} -- {log_file}',
  },

  // ---- Content scanners that refuse after the data.
  {
    // SA-Exim: `SA: Action: permanently rejected message: score=…` then `rejected by local_scan(): …`.
    id: 'exim.inbound.local-scan',
    direction: 'inbound',
    match: { via: ['milter'] },
    cause: 'spam-content',
    hint: 'local_scan() (SA-Exim)',
    advice:
      "The local_scan() function (usually SA-Exim running SpamAssassin) rejected the message; the `SA: Action:` line before it gives the score. Check the score threshold (SApermreject in sa-exim.conf) if wanted mail is hit.",
    verify: 'zgrep -F -e {queue_id} -- {log_file}',
  },

  {
    // receive.c: with cutthrough delivery the loop is refused at SMTP time. Before the limits:
    // their `too many` would take it.
    id: 'exim.inbound.mail-loop',
    direction: 'inbound',
    match: { any: [MAIL_LOOP] },
    cause: 'mail-loop',
    hint: 'received_headers_max',
    advice:
      'The message already carries more Received: headers than received_headers_max (30 by default): it is going round in circles between servers. Find the two servers that forward it to each other (the Received: headers say which).',
    verify: `exim -bP received_headers_max; ${REJECTED_MESSAGE}`,
  },

  // ---- SMTP protocol violations (Exim's built-in checks).
  {
    id: 'exim.inbound.sync-error',
    direction: 'inbound',
    match: { any: ['smtp protocol synchronization error'] },
    cause: 'protocol-error',
    hint: 'smtp_enforce_sync',
    advice:
      'The client sent commands before our reply (before the greeting, or ahead of a synchronization point without PIPELINING). A spamware signature; a broken in-house client can be exempted with control = no_enforce_sync in the connect ACL.',
    verify: 'exim -bP smtp_enforce_sync pipelining_advertise_hosts',
  },
  {
    id: 'exim.inbound.invalid-helo',
    direction: 'inbound',
    match: { any: ['syntactically invalid argument'] },
    cause: 'protocol-error',
    hint: 'helo_allow_chars / helo_accept_junk_hosts',
    advice:
      'The HELO/EHLO argument is not a valid host name or address literal, so Exim refused it before any ACL. Bots mostly; a broken client can be listed in helo_accept_junk_hosts.',
    verify: 'exim -bP helo_allow_chars helo_accept_junk_hosts',
  },
  {
    // smtp_in.c: `rejected MAIL from <host>: no HELO/EHLO given` (helo_verify_hosts, hosts_require_helo).
    id: 'exim.inbound.no-helo',
    direction: 'inbound',
    match: { any: ['no helo/ehlo given'] },
    cause: 'protocol-error',
    hint: 'hosts_require_helo / helo_verify_hosts',
    advice: 'The client sent MAIL without HELO/EHLO, which hosts_require_helo (default: all hosts) or helo_verify_hosts demand.',
    verify: 'exim -bP hosts_require_helo helo_verify_hosts',
  },
  {
    // smtp_in.c: `unqualified sender rejected: <s> H=…` / `unqualified recipient rejected: <r> …`.
    id: 'exim.inbound.unqualified-address',
    direction: 'inbound',
    match: { any: ['unqualified sender rejected', 'unqualified recipient rejected'] },
    cause: 'access-policy',
    hint: 'sender_unqualified_hosts / recipient_unqualified_hosts',
    advice: 'The client gave an address without a domain, which Exim accepts only from hosts in sender_unqualified_hosts / recipient_unqualified_hosts. Fix the sending application to use full addresses.',
    verify: 'exim -bP sender_unqualified_hosts recipient_unqualified_hosts',
  },

  // ---- Limits.
  {
    // smtp_in.c: `too many recipients: message rejected` (552) or `… excess temporarily rejected` (452).
    id: 'exim.inbound.too-many-recipients',
    direction: 'inbound',
    match: { any: ['too many recipients'] },
    cause: 'rate-limited',
    hint: 'recipients_max',
    advice: 'The client gave more RCPTs in one message than recipients_max allows. Real servers send the rest in another transaction; recipients_max_reject decides whether the whole message is refused.',
    verify: 'exim -bP recipients_max recipients_max_reject',
  },
  {
    // RFC 3463 x.5.3 "too many recipients": an ACL `defer message = 452 4.5.3 …` that limits RCPTs.
    id: 'exim.inbound.recipient-limit-status',
    direction: 'inbound',
    match: { enhanced: ['x.5.3'] },
    cause: 'rate-limited',
    hint: 'acl_smtp_rcpt (recipient limit)',
    advice: 'An ACL statement refused further recipients of this message with 4.5.3/5.5.3 (too many recipients). Real servers send the rest in another transaction.',
    verify: CHECKACCESS,
  },
  {
    // smtp_in.c: `rejected MAIL command H=…: too many messages in one connection`.
    id: 'exim.inbound.too-many-messages',
    direction: 'inbound',
    match: { any: ['too many messages in one connection'] },
    cause: 'rate-limited',
    hint: 'smtp_accept_max_per_connection',
    advice: 'The client sent more messages in one SMTP connection than smtp_accept_max_per_connection allows; it has to reconnect for the rest.',
    verify: 'exim -bP smtp_accept_max_per_connection',
  },
  {
    // `ratelimit = …` in an ACL; the message is the admin's (`Sender rate overlimit - 101.4 / 1h / per_rcpt`).
    id: 'exim.inbound.ratelimit',
    direction: 'inbound',
    match: { any: ['ratelimit', 'rate overlimit', 'rate limit', 'sending rate', 'too many'] },
    cause: 'rate-limited',
    hint: 'ratelimit (ACL)',
    advice:
      'A ratelimit condition in an ACL found the client or sender above its limit (connections, messages or recipients per period). Check whether the sender is a compromised account before raising the limit; known bulk senders can be exempted before the ratelimit statement.',
    verify: 'exim_dumpdb "$(exim -bP -n spool_directory)" ratelimit | grep -F -e {client_ip}',
  },

  // ---- Greylisting: a deferral that real servers retry.
  {
    id: 'exim.inbound.greylisted',
    direction: 'inbound',
    match: { any: ['greylist', 'graylist'] },
    cause: 'greylisted',
    hint: 'greylisting (acl_smtp_rcpt defer)',
    advice:
      'The greylisting statement (a `defer` in acl_smtp_rcpt, greylistd or a ${lookup} on a greylist table) told a first-time sender to come back later. Real servers retry and get through; persistent deferrals mean a sender that never retries or rotates IPs.',
    verify: CHECKACCESS,
  },

  // ---- Relaying and authentication.
  {
    // The default configuration: `require message = relay not permitted / domains = +local_domains : +relay_to_domains`.
    id: 'exim.inbound.relay-not-permitted',
    direction: 'inbound',
    match: { any: ['relay not permitted', 'relaying denied', 'relay access denied', 'relaying not permitted'] },
    cause: 'relay-denied',
    hint: 'relay_to_domains / relay_from_hosts',
    advice:
      'A client that is neither in relay_from_hosts nor authenticated sent to a domain in neither local_domains nor relay_to_domains. Usually an open-relay probe; if it is your own users, have them authenticate on the submission port.',
    verify: 'exim -bP +local_domains +relay_to_domains +relay_from_hosts',
  },
  {
    id: 'exim.inbound.auth-required',
    direction: 'inbound',
    match: { any: ['smtp auth is required', 'authentication required', 'auth required', 'must authenticate'] },
    cause: 'auth-required',
    hint: 'acl_smtp_rcpt (require authenticated)',
    advice: 'An ACL statement requires SMTP AUTH (typically on the submission port) and the client did not log in. A mail client with its account settings wrong, or a bot.',
    verify: 'exim -bP acl_smtp_rcpt auth_advertise_hosts daemon_smtp_ports',
  },

  // ---- Addresses.
  {
    // The default configuration's check on local parts of remote domains.
    id: 'exim.inbound.restricted-characters',
    direction: 'inbound',
    match: { any: ['restricted characters in address'] },
    cause: 'access-policy',
    hint: 'acl_smtp_rcpt (restricted characters)',
    advice:
      "The recipient's local part has characters the default ACL refuses (a leading dot, slash or bar, or @ % ! inside), which are used to trick routing. Harmless to refuse; change the local_parts patterns only if a real address needs them.",
    verify: CHECKACCESS,
  },

  // ---- DNS blocklists: `dnslists = …` in an ACL; the message is the admin's.
  {
    id: 'exim.inbound.dnslists',
    direction: 'inbound',
    match: { any: ['is in a black list at', 'dnslist', 'in an rbl', 'rbl:', 'listed at', 'blacklisted', 'blocklisted', 'block list', 'blocklist', 'spamhaus'] },
    cause: 'blocklisted',
    hint: 'dnslists (ACL)',
    advice:
      "The client's IP (or sender domain) is listed on a DNS blocklist that a dnslists condition checks. Mostly spam sources; if a wanted sender is listed, accept its host before the dnslists statement (a hostlist of exceptions).",
    verify: CHECKACCESS,
  },

  // ---- SPF / DKIM / DMARC conditions in ACLs (or the spf= / dmarc_status checks).
  {
    id: 'exim.inbound.sender-auth',
    direction: 'inbound',
    match: { re: /(?:^|[^a-z0-9])(?:spf|dkim|dmarc)(?:[^a-z0-9]|$)|openspf|open-spf/ },
    cause: 'sender-auth-failed',
    hint: 'spf / dkim / dmarc (ACL)',
    advice:
      "An ACL check of the sender domain's SPF, DKIM or DMARC failed (the spf condition, acl_smtp_dkim, dmarc_status). Forged mail mostly; a wanted sender must fix its DNS records or its forwarding.",
    verify: 'dig +short -t TXT -q {sender_domain}; dig +short -t TXT -q {dmarc_name}',
  },

  // ---- Callouts: `verify = recipient/callout`, `verify = sender/callout` (verify.c, acl.c).
  {
    id: 'exim.inbound.recipient-callout-incomplete',
    direction: 'inbound',
    match: { any: ['could not complete recipient verify callout'] },
    cause: 'connection-failed',
    hint: 'verify = recipient/callout',
    advice:
      'The recipient callout to the server behind us (the mailbox server, or the relay domain\'s MX) did not complete: no connection, a timeout or a 4xx. The client was told to retry. Check that server is up and reachable from here.',
    verify: ROUTE,
  },
  {
    id: 'exim.inbound.recipient-callout',
    direction: 'inbound',
    match: { any: ['callout verification failure', 'smtp error from remote mail server after rcpt to'] },
    cause: 'user-unknown',
    hint: 'verify = recipient/callout',
    advice:
      'The recipient callout asked the server behind us and it refused the address (a cached failure says so without asking again). The mailbox does not exist there; if it should, add it on that server, then clear the callout cache (exim_tidydb -t 0 … callout).',
    verify: ROUTE,
  },
  {
    id: 'exim.inbound.sender-callout-incomplete',
    direction: 'inbound',
    match: { any: ['could not complete sender verify callout'] },
    cause: 'connection-failed',
    hint: 'verify = sender/callout',
    advice:
      "The sender callout to the sender domain's MX did not complete (no connection, a timeout or a 4xx), so the client was told to retry. Their server is down or refuses our callouts; the detail line `sender verify defer for <…>` says which.",
    verify: 'dig +short -t MX -q {sender_domain}',
  },
  {
    // `sender verify fail for <s>: <why>` precedes it; `verify = sender` routes the sender like a
    // recipient, so for a remote sender the usual why is a domain without MX/A (`Unrouteable
    // address`, `all relevant MX records point to non-existent hosts`); with /callout it may
    // also be the sender's server refusing the address.
    id: 'exim.inbound.sender-verify',
    direction: 'inbound',
    match: { any: ['sender verify failed'] },
    cause: 'domain-not-found',
    hint: 'verify = sender',
    advice:
      "The envelope sender did not verify: its domain does not route (no MX or A record) or, with a callout, the sender's own server refused it. The `sender verify fail for <…>` line just before says which. Forged senders mostly.",
    verify: 'exim -bvs -- {sender}',
  },

  // ---- Unknown recipients: `verify = recipient` in acl_smtp_rcpt.
  {
    // A redirect router's `:fail: Unknown user`, or an ACL `deny message = No Such User Here / !verify = recipient`.
    // The log gives only the text, not which of the two wrote it: the hint names both.
    id: 'exim.inbound.unknown-user',
    direction: 'inbound',
    match: { any: ['unknown user', 'no such user', 'user unknown', 'unknown local-part', 'unknown recipient', 'recipient unknown', 'no such recipient', 'no such mailbox', 'mailbox unavailable'] },
    cause: 'user-unknown',
    hint: RCPT_MESSAGE_HINT,
    advice:
      'verify = recipient found the address unknown (an alias or router that fails it, or an ACL message for unknown users). Normal for mistyped or harvested addresses; if the user exists, check the alias file and the router that should accept it.',
    verify: `${ROUTE}; ${ALIAS}`,
  },
  {
    // route.c: no router accepted the address. For local_domains: no such user or alias. For
    // relay_to_domains (and callouts off) the domain itself does not route.
    id: 'exim.inbound.unrouteable-address',
    direction: 'inbound',
    match: { any: ['unrouteable address'] },
    cause: 'user-unknown',
    hint: 'verify = recipient (acl_smtp_rcpt): no router accepted',
    advice:
      'verify = recipient ran the routers and none accepted the address: for a local domain no alias, .forward or local user matches it (a dictionary attack when many arrive from one client); for a relay_to_domains domain the domain itself does not route. If the user should exist, add the alias or account.',
    verify: `${ROUTE}; ${ALIAS}`,
  },

  {
    // An alias's `:fail: This mailbox was closed …` through verify = recipient, or a deny message.
    id: 'exim.inbound.mailbox-closed',
    direction: 'inbound',
    match: { stages: ['RCPT'], any: CLOSED_MAILBOX },
    cause: 'mailbox-disabled',
    hint: RCPT_MESSAGE_HINT,
    advice:
      "The recipient's mailbox was closed or disabled on purpose; the text is the alias entry's `:fail:` message (or a deny statement's). Nothing to fix unless the address should be live again.",
    verify: `${ROUTE}; ${ALIAS}`,
  },

  // ---- Size.
  {
    // smtp_in.c (SIZE= at MAIL) and receive.c (while reading the data).
    id: 'exim.inbound.message-too-big',
    direction: 'inbound',
    match: { any: ['message too big', 'message too large', 'message size exceeds'] },
    cause: 'message-too-large',
    hint: 'message_size_limit',
    advice: 'The message (or the SIZE the client announced) is larger than message_size_limit. Raise the limit if such mail is wanted; keep mailbox quotas above it.',
    verify: 'exim -bP message_size_limit',
  },

  // ---- Data ACL: header checks and content scanning (exiscan).
  {
    id: 'exim.inbound.header-syntax',
    direction: 'inbound',
    match: { any: ['failing address in "', 'missing or malformed'] },
    cause: 'access-policy',
    hint: 'verify = header_syntax (acl_smtp_data)',
    advice: 'An address header (From:, To:, Cc:, …) has broken syntax, which verify = header_syntax refuses. Spamware mostly; a broken application has to fix its headers.',
    verify: REJECTED_MESSAGE,
  },
  {
    id: 'exim.inbound.header-sender',
    direction: 'inbound',
    match: { any: ['no valid sender in any header line'] },
    cause: 'access-policy',
    hint: 'verify = header_sender (acl_smtp_data)',
    advice: 'No address in Sender:, Reply-To: or From: verified (verify = header_sender). Spam and broken bulk mailers; a wanted sender needs a routable From: address.',
    verify: REJECTED_MESSAGE,
  },
  {
    id: 'exim.inbound.malware',
    direction: 'inbound',
    // Content checks run once the data is in: a deny message at RCPT that says `spam` is policy.
    match: { stages: DATA_STAGES, any: ['virus', 'malware', 'harmful content'] },
    cause: 'spam-content',
    hint: 'malware = (acl_smtp_data)',
    advice: 'The virus scanner (ClamAV through the malware condition) found malware in the message. Nothing to fix here unless the scanner is wrong.',
    verify: REJECTED_MESSAGE,
  },
  {
    id: 'exim.inbound.spam',
    direction: 'inbound',
    match: { stages: DATA_STAGES, any: ['spam'] },
    cause: 'spam-content',
    hint: 'spam = (acl_smtp_data)',
    advice: 'SpamAssassin (through the spam condition) scored the message above the limit the ACL uses. Check the score threshold if wanted mail is hit.',
    verify: REJECTED_MESSAGE,
  },

  // ---- Connections refused before any ACL.
  {
    id: 'exim.inbound.host-reject-connection',
    direction: 'inbound',
    match: { any: ['host_reject_connection'] },
    cause: 'access-policy',
    hint: 'host_reject_connection',
    advice: 'The client is in host_reject_connection, so Exim refused it at connect time without any ACL.',
    verify: 'exim -bP host_reject_connection',
  },

  // ---- Fallbacks: the ACL of the SMTP stage, with the admin's own message.
  {
    id: 'exim.inbound.acl-connect',
    direction: 'inbound',
    match: { stages: ['CONNECT'] },
    cause: 'access-policy',
    hint: 'acl_smtp_connect',
    advice: 'A statement of the connect ACL refused (or dropped) the client; the text after the colon is its message.',
    verify: CONNECT_CHECK,
  },
  {
    id: 'exim.inbound.acl-helo',
    direction: 'inbound',
    match: { stages: ['HELO', 'EHLO'] },
    cause: 'access-policy',
    hint: 'acl_smtp_helo',
    advice: 'A statement of the HELO ACL refused the HELO/EHLO name (helo verification, a deny list of names).',
    verify: MAIL_CHECK,
  },
  {
    id: 'exim.inbound.acl-mail',
    direction: 'inbound',
    match: { stages: ['MAIL'] },
    cause: 'access-policy',
    hint: 'acl_smtp_mail',
    advice: 'A statement of the MAIL ACL refused the envelope sender; the text after the colon is its message.',
    verify: MAIL_CHECK,
  },
  {
    // "temporarily rejected RCPT" with no known text: a `defer` in acl_smtp_rcpt, which in
    // practice is greylisting (or a lookup that deferred; the text then names it).
    id: 'exim.inbound.acl-rcpt-defer',
    direction: 'inbound',
    match: { stages: ['RCPT'], permanent: false },
    cause: 'other',
    hint: 'acl_smtp_rcpt: defer / router :defer:',
    advice:
      "A defer statement of the RCPT ACL, or verify = recipient meeting a router that deferred (redirect data `:defer: <text>`, a lookup that failed for now), told the client to try again later. The text is the statement's or the alias entry's; greylisting says so in its text.",
    verify: CHECKACCESS,
  },
  {
    id: 'exim.inbound.acl-rcpt',
    direction: 'inbound',
    match: { stages: ['RCPT'] },
    cause: 'access-policy',
    hint: RCPT_MESSAGE_HINT,
    advice:
      "A deny or require statement of the RCPT ACL refused the recipient, or verify = recipient met a redirect `:fail: <text>`; the text after the colon is the statement's message or the alias entry's.",
    verify: CHECKACCESS,
  },
  {
    id: 'exim.inbound.acl-predata',
    direction: 'inbound',
    match: { stages: ['DATA'] },
    cause: 'access-policy',
    hint: 'acl_smtp_predata',
    advice: 'A statement of the pre-data ACL refused the DATA command.',
    verify: 'exim -bP acl_smtp_predata',
  },
  {
    id: 'exim.inbound.acl-data',
    direction: 'inbound',
    match: { stages: ['END-OF-MESSAGE'] },
    cause: 'spam-content',
    hint: 'acl_smtp_data / acl_smtp_mime',
    advice: 'A statement of the DATA (or MIME) ACL refused the message after reading it: a content check (regex, spam, malware, header checks). The text after the colon is its message.',
    verify: REJECTED_MESSAGE,
  },
  {
    id: 'exim.inbound.acl-not-smtp',
    direction: 'inbound',
    match: { stages: ['NON-SMTP'] },
    cause: 'access-policy',
    hint: 'acl_not_smtp',
    advice: 'The non-SMTP ACL refused a message submitted on the command line (sendmail, cron, a web application).',
    verify: 'exim -bP acl_not_smtp',
  },
  {
    id: 'exim.inbound.other',
    direction: 'inbound',
    match: {},
    cause: 'other',
    hint: 'acl_smtp_* (the ACL of this command)',
    advice: 'A refusal no rule knows. The command it refused (AUTH, VRFY, ETRN, …) names the ACL: acl_smtp_auth, acl_smtp_vrfy, acl_smtp_etrn.',
    verify: "exim -bP | grep -E '^acl_'",
  },
];

/** What to check when a remote server blocks our IP (blocklists, provider reputation). */
const OUR_REPUTATION = {
  hint: 'our IP reputation',
  advice:
    'The remote server refuses mail from our IP because of a blocklist or poor reputation. Check the listing, stop whatever sent spam (compromised account, open form), then request delisting.',
  verify: BLOCKED,
};

/** Exim's side of a rule whose match and cause are shared (rules-remote.ts). */
const remote = (name: RemoteName, side: Pick<Rule, 'hint' | 'advice' | 'verify'>): Rule => ({
  ...remoteReply('exim', name),
  ...side,
});

const OUTBOUND: Rule[] = [
  // ---- Exim's own texts (they start the reason; `==`/`**` lines without a remote reply).
  {
    // smtp.c: queue_smtp_domains, -odqs or a `queue_only` control held the remote delivery.
    id: 'exim.outbound.queued-on-purpose',
    direction: 'outbound',
    match: { any: ['smtp delivery explicitly queued'] },
    cause: 'other',
    hint: 'queue_smtp_domains / -odqs',
    advice: 'Remote delivery was held back on purpose (queue_smtp_domains, -odqs, control = queue); the next queue run sends it. Only a concern if it never goes out.',
    verify: 'exim -bP queue_smtp_domains queue_only; exiqgrep -r {domain}',
  },
  {
    // retry.c: the address stayed deferred past the retry rule's cutoff and was failed.
    // Alone when the deferral before it was not in the log, or after `retry time not reached`
    // (no attempt was made); otherwise the parser gives the deferral's reason with it and the
    // rules of that reason apply (the same failure).
    id: 'exim.outbound.retry-timeout',
    direction: 'outbound',
    match: { re: /^(?:retry time not reached[^:]{0,300}: )?retry timeout exceeded$/ },
    cause: 'connection-failed',
    hint: 'retry rules (begin retry)',
    advice:
      'The address was deferred for longer than the retry rule allows (the last time of its F/G/H rules, 4 days by default) and Exim gave up. The earlier `==` lines say why it was deferred; before this log began if none are shown.',
    verify: `${RETRY}; ${EXIGREP}`,
  },
  {
    // smtp.c `retry time not reached for any host for '<domain>'`; deliver.c for routing defers.
    id: 'exim.outbound.retry-time-not-reached',
    direction: 'outbound',
    match: { any: ['retry time not reached'] },
    cause: 'connection-failed',
    hint: 'retry configuration',
    advice:
      "An earlier attempt to this domain's hosts failed and its retry time has not come yet, so Exim did not even try. The first failure (`Connection refused`, a timeout, a 4xx) is the real cause; the queue retries by itself.",
    verify: RETRY,
  },
  {
    id: 'exim.outbound.mx-nonexistent',
    direction: 'outbound',
    match: { any: ['all relevant mx records point to non-existent hosts'] },
    cause: 'domain-not-found',
    hint: 'their DNS (MX targets)',
    advice: "The domain's MX records name hosts that do not resolve (or are IP addresses). Their DNS is broken; nothing to fix on our side except telling them.",
    verify: 'dig +short -t MX -q {domain}',
  },
  {
    // dnslookup.c: RFC 7505 null MX.
    id: 'exim.outbound.null-mx',
    direction: 'outbound',
    match: { any: ['indicated no smtp service'] },
    cause: 'domain-not-found',
    hint: 'remove the address from lists',
    advice: 'The domain publishes a null MX (RFC 7505): it never accepts mail. Remove the address.',
    verify: 'dig +short -t MX -q {domain}',
  },
  {
    // A redirect router's `:fail: unrouteable mail domain "<domain>"` for non-local domains.
    id: 'exim.outbound.unrouteable-domain',
    direction: 'outbound',
    match: { any: ['unrouteable mail domain'] },
    cause: 'domain-not-found',
    hint: 'fix the domain (typo?)',
    advice: 'A router refused the domain as unroutable: it is not ours and does not resolve, or the configuration fails such domains on purpose. Check the spelling of the domain.',
    verify: `dig +short -t MX -q {domain}; ${ROUTE}`,
  },
  {
    // `** x@remote.example: Unrouteable address` for a domain this server does not host: no
    // router accepted it, so dnslookup found no MX or A record (classify.ts decides the direction).
    id: 'exim.outbound.unrouteable-address',
    direction: 'outbound',
    match: { any: ['unrouteable address'] },
    cause: 'domain-not-found',
    hint: 'fix the domain (typo?)',
    advice: 'No router accepted the address and the domain is not one of ours: it has no MX or A record. Check the spelling of the domain.',
    verify: `dig +short -t MX -q {domain}; ${ROUTE}`,
  },
  {
    // dnslookup.c / rf_lookup_hostlist.c: SERVFAIL or timeout.
    id: 'exim.outbound.dns-temporary',
    direction: 'outbound',
    match: { re: /^host lookup (?:for [^ ]{1,255} )?did not complete/ },
    cause: 'domain-not-found',
    hint: 'DNS lookups (ours or theirs)',
    advice: "The MX or address lookup failed temporarily. Either the domain's name servers are broken or our resolver is; if many domains show this, it is ours.",
    verify: "dig -t MX -q {domain} | grep -E -e 'status|IN.MX'",
  },
  {
    id: 'exim.outbound.tls-failed',
    direction: 'outbound',
    // smtp.c: `a TLS session is required, but the server did not offer TLS support`, `TLS session: <error>`.
    match: { re: /^(?:a tls session is required|tls session: |tls support not available)/ },
    cause: 'connection-failed',
    hint: 'hosts_require_tls / tls_verify_hosts',
    advice: "Our smtp transport requires TLS (or a verified certificate) for this host and could not get it. Check the transport's hosts_require_tls / tls_verify_hosts and what the server offers.",
    verify: 'swaks --to={rcpt} --quit-after STARTTLS -tls',
  },
  {
    // errno texts of a failed connect (`defer (111): Connection refused`), the test suite's
    // munged `Network Error`, and smtp.c's timeouts and closes.
    id: 'exim.outbound.connect-failed',
    direction: 'outbound',
    match: {
      re: /^(?:connection refused|connection timed out|connection reset|network is unreachable|network error|no route to host|host is unreachable|smtp timeout after|remote host closed connection)/,
    },
    cause: 'connection-failed',
    hint: 'their server (or our port 25)',
    advice:
      'No MX host of the domain accepted a TCP connection, or the session broke. If it happens for many domains, our provider probably blocks outgoing port 25; otherwise their server is down and the queue will retry.',
    verify: 'swaks --to={rcpt} --quit-after CONNECT',
  },

  // ---- Remote replies, most specific first (the phrases are shared with Postfix).
  remote('mail-loop', {
    hint: 'mail loop (MX / router / smarthost)',
    advice:
      'The message went round in a loop until a server refused it for its hop count: an MX, a manualroute or smarthost, or forwarding sends it back to where it came from (possibly to this server). Follow its Received: headers to find the circle.',
    verify: 'exim -bt -- {rcpt}; dig +short -t MX -q {domain}',
  }),
  remote('ipv6-not-accepted', {
    hint: 'send over IPv4 (dns_ipv4_lookup)',
    advice:
      'The remote domain does not take mail over IPv6 from us. Have Exim look up only IPv4 addresses for it (dns_ipv4_lookup) or make our IPv6 sending pass SPF and DKIM.',
    verify: 'exim -bP dns_ipv4_lookup disable_ipv6',
  }),
  remote('eop-recipient-not-found', {
    hint: 'remove the address from lists',
    advice:
      'Microsoft 365 does not know the recipient (Directory-Based Edge Blocking answers 5.4.1 "Access denied"). The mailbox does not exist; remove or correct the address.',
    verify: PROBE,
  }),
  remote('too-many-invalid-recipients', {
    hint: 'remove invalid addresses from lists',
    advice: 'The remote server throttles us because we sent to too many addresses that do not exist there. Clean the list of bounced addresses.',
    verify: 'exiqgrep -c -r {domain}',
  }),
  remote('provider-ip-block', {
    hint: 'our IP reputation',
    advice:
      'The provider refuses or slows mail from our IP for its reputation (its own block list, complaints). Stop whatever sent unwanted mail, then follow the delisting link in the reply.',
    verify: BLOCKED,
  }),
  remote('mailbox-full', {
    hint: 'their mailbox is full',
    advice: "The recipient's mailbox is over quota. Nothing to fix here; the user has to make room. Persistent cases are abandoned mailboxes.",
    verify: 'exiqgrep -r {rcpt}',
  }),
  remote('mailbox-disabled', {
    hint: 'remove the address from lists',
    advice: 'The mailbox exists but is disabled or inactive. Treat as gone: remove the address from lists.',
    verify: PROBE,
  }),
  remote('user-moved', {
    hint: 'update the address (user moved)',
    advice: 'The recipient has moved; the reply usually names the new address. Update the address book or list entry.',
    verify: PROBE,
  }),
  remote('rate-limited', {
    hint: 'our sending rate',
    advice:
      'The remote server limits how fast we may send (connections, messages or recipients). Lower remote_max_parallel, or give the domain its own transport with fewer recipients per message (max_rcpt) and serialize_hosts.',
    verify: 'exim -bP remote_max_parallel queue_run_max; exiqgrep -c -r {domain}',
  }),
  remote('ptr-missing', {
    hint: 'our PTR record (reverse DNS)',
    advice:
      "The remote server wants our sending IP to have a PTR record whose name resolves back to the IP. Ask the owner of the IP (hosting provider) to set it to our primary_hostname (what the smtp transport's helo_data says).",
    verify: `dig +short -x ${OUR_IP}; exim -bP primary_hostname`,
  }),
  remote('sender-auth', {
    hint: 'our SPF/DKIM/DMARC',
    advice:
      "The remote server rejected the message because our sender domain failed SPF, DKIM or DMARC. Publish an SPF record that includes this server, sign with DKIM (the smtp transport's dkim_domain, dkim_selector, dkim_private_key), and align the From domain.",
    verify: 'dig +short -t TXT -q {sender_domain}; dig +short -t TXT -q {dmarc_name}',
  }),
  remote('likely-spam-message', {
    hint: 'our message content',
    advice:
      'The remote filter judged this message to be spam. Check what was sent (links, attachments, forwarded spam) and that our DKIM signature and From domain align.',
    verify: MESSAGE,
  }),
  remote('listed-url', {
    hint: 'our message content',
    advice: 'A link in the message is on a URI block list (URIBL, SURBL). Find which domain the reply names and stop sending it.',
    verify: `exim -Mvb {queue_id} | grep -io -e "https\\?://[^/ ]*" | sort -u`,
  }),
  remote('malformed-message', {
    hint: 'our message content',
    advice: 'The remote server refused the message for its form (several From addresses, duplicate headers, not RFC 5322). Fix what generates it (the application, or a headers_remove/headers_add in the transport).',
    verify: MESSAGE,
  }),
  remote('blocklisted', OUR_REPUTATION),
  remote('domain-not-found', {
    hint: 'fix the domain (typo?)',
    advice: 'The remote server could not find the recipient domain in DNS. Check the spelling of the domain.',
    verify: 'dig +short -t MX -q {domain}; dig +short -t A -q {domain}',
  }),
  remote('user-unknown', {
    hint: 'remove the address from lists',
    advice: 'The recipient address does not exist at the remote domain. Check for a typo; otherwise remove it from lists and address books.',
    verify: PROBE,
  }),
  remote('greylisted', {
    hint: 'nothing (retries succeed)',
    advice: 'The remote server greylists first-time senders; the queue retries and delivers. Only a concern if the message reaches its retry timeout.',
    verify: 'exiqgrep -r {rcpt}; exim -brt {domain}',
  }),
  remote('message-too-large', {
    hint: 'message size (attachments)',
    advice: 'The message is larger than the remote server accepts. Send big files as links; our own message_size_limit does not help here.',
    verify: "swaks --to={rcpt} --quit-after EHLO | grep -i -e 'size'",
  }),
  remote('relay-denied', {
    hint: 'smarthost login or their MX',
    advice:
      "The server we delivered to does not accept mail for this domain from us. Through a smarthost: we must authenticate (a client authenticator and hosts_require_auth in the smtp transport). Direct: the domain's MX points at a server not configured for it.",
    verify: `${ROUTE}; dig +short -t MX -q {domain}`,
  }),
  remote('auth-required', {
    hint: 'client authenticators (hosts_require_auth)',
    advice: "The next hop (usually a smarthost) wants us to log in, or refused our credentials. Check the client authenticator and the transport's hosts_require_auth / hosts_try_auth for it.",
    verify: `exim -bP authenticator_list; ${ROUTE}`,
  }),
  remote('sender-rejected', {
    hint: 'our sender address',
    advice: 'The remote server refuses our envelope sender (unknown domain from their view, or a local access rule). Check the sender domain resolves publicly.',
    verify: 'dig +short -t MX -q {sender_domain}; dig +short -t A -q {sender_domain}',
  }),
  remote('spam-content', {
    hint: 'our message content',
    advice: 'The remote filter judged the message content as spam or dangerous. Check what was sent (links, attachments, forwarded spam).',
    verify: MESSAGE,
  }),
  remote('administrative-prohibition', {
    hint: 'contact the remote admin',
    advice: 'The remote server refuses us by local policy without saying why. Ask their postmaster, quoting the time and our IP.',
    verify: PROBE,
  }),
  {
    // Exim's own `control = fakereject` reply (`550-Your message has been rejected but is being
    // kept for evaluation.`): the remote Exim's content scan did not like the message.
    id: 'exim.outbound.fake-reject',
    direction: 'outbound',
    match: { any: ['rejected but is being kept for evaluation'] },
    cause: 'spam-content',
    hint: 'our message content',
    advice:
      "The remote Exim's content check (control = fakereject) judged the message suspicious: it answered 550 but may still deliver it. Check what was sent (links, attachments, forwarded spam).",
    verify: MESSAGE,
  },
  {
    // RFC 3463 x.5.3 "too many recipients" (`452 4.5.3 …`): the rest go in another transaction.
    id: 'exim.outbound.too-many-recipients',
    direction: 'outbound',
    match: { enhanced: ['x.5.3'] },
    cause: 'rate-limited',
    hint: 'max_rcpt (smtp transport)',
    advice:
      'The remote server takes fewer recipients per message than we sent; Exim defers the excess and sends them in another transaction. Lower max_rcpt in the smtp transport for this destination if it keeps happening.',
    verify: 'exim -bP transport remote_smtp | grep -E "^max_rcpt"; exiqgrep -c -r {domain}',
  },
  {
    // `SMTP error from remote mail server after initial connection: 4xx/5xx …`: the greeting.
    id: 'exim.outbound.greeting-refused',
    direction: 'outbound',
    match: { any: ['after initial connection:'] },
    cause: 'connection-failed',
    hint: 'their server (greeting refused)',
    advice: 'The remote server refused the session at its greeting. Often temporary overload; when permanent, the reply text says whether it blocks us.',
    verify: 'swaks --to={rcpt} --quit-after CONNECT',
  },

  // ---- Fallbacks by RFC 3463 enhanced status and reply code.
  remote('status-user-unknown', {
    hint: 'remove the address from lists',
    advice: 'The remote status code says the mailbox does not exist. Check for a typo; otherwise remove the address.',
    verify: PROBE,
  }),
  remote('status-domain', {
    hint: 'fix the domain (typo?)',
    advice: 'The remote status code says the destination domain is bad or has no route. Check the spelling of the domain.',
    verify: 'dig +short -t MX -q {domain}; dig +short -t A -q {domain}',
  }),
  remote('status-disabled', {
    hint: 'remove the address from lists',
    advice: 'The remote status code says the mailbox is disabled. Treat as gone.',
    verify: PROBE,
  }),
  remote('status-full', {
    hint: 'their mailbox is full',
    advice: 'The remote status code says the mailbox is full. The user has to make room.',
    verify: 'exiqgrep -r {rcpt}',
  }),
  remote('status-too-large', {
    hint: 'message size (attachments)',
    advice: 'The remote status code says the message is too large for the mailbox or the server.',
    verify: "swaks --to={rcpt} --quit-after EHLO | grep -i -e 'size'",
  }),
  remote('status-sender-auth', {
    hint: 'our SPF/DKIM/DMARC',
    advice: 'The remote status code (RFC 7372) says SPF, DKIM or DMARC failed for our sender domain.',
    verify: 'dig +short -t TXT -q {sender_domain}; dig +short -t TXT -q {dmarc_name}',
  }),
  remote('mailbox-unavailable', {
    hint: 'remove the address from lists',
    advice: 'The remote server says the mailbox is unavailable, which in practice means it does not exist. Check for a typo; otherwise remove the address.',
    verify: PROBE,
  }),
  remote('code-user-not-local', {
    hint: 'update the address (user moved)',
    advice: 'The remote server answered 551 "user not local": the mailbox is not there (any more); the reply may name where it went. Update or remove the address.',
    verify: PROBE,
  }),
  remote('code-auth-required', {
    hint: 'client authenticators (hosts_require_auth)',
    advice: 'The next hop answered 530: it requires authentication (or TLS) before accepting mail from us.',
    verify: `exim -bP authenticator_list; ${ROUTE}`,
  }),
  remote('status-content', {
    hint: 'our message content',
    advice: 'The remote status code (RFC 3463 X.6.x) says the message content or its encoding was refused: headers, 8-bit data, MIME structure.',
    verify: MESSAGE,
  }),
  remote('status-policy', {
    hint: 'contact the remote admin',
    advice: 'The remote server refused us for a policy reason it does not name. Ask their postmaster, quoting the time and our IP.',
    verify: PROBE,
  }),
  remote('status-network', {
    hint: 'their server (or our port 25)',
    advice: 'The status code says the remote host did not answer, the connection broke, or delivery took too long.',
    verify: 'swaks --to={rcpt} --quit-after CONNECT',
  }),
  remote('status-protocol', {
    hint: 'contact the remote admin',
    advice: 'The remote server reports an SMTP protocol error in our session. Rare with Exim as the client; a middlebox may be rewriting the session.',
    verify: PROBE,
  }),
  remote('code-protocol', {
    hint: 'contact the remote admin',
    advice: 'The remote server answered 500–504 (syntax error, command not implemented, bad sequence) without a status code. Rare with Exim as the client; a middlebox may be rewriting the session.',
    verify: PROBE,
  }),
  {
    // A 5xx to RCPT TO that neither words nor status explain: RFC 5321's 550 is "mailbox
    // unavailable", which in practice means the address does not exist there.
    id: 'exim.outbound.rcpt-refused',
    direction: 'outbound',
    match: { permanent: true, any: ['after rcpt to:'] },
    cause: 'user-unknown',
    hint: 'check the address (refused at RCPT)',
    advice: 'The remote server refused the recipient without saying why. Usually the address does not exist there; check it, and ask their postmaster if it should.',
    verify: PROBE,
  },
  {
    // A 4xx that no phrase explains: the queue retries it by itself.
    id: 'exim.outbound.remote-deferral',
    direction: 'outbound',
    match: { permanent: false, all: ['smtp error from remote mail server'] },
    cause: 'other',
    hint: 'their server (temporary refusal; retried)',
    advice: 'The remote server answered with a temporary error that says nothing more. The queue retries; only a concern if the message reaches its retry timeout.',
    verify: RETRY,
  },
  {
    id: 'exim.outbound.other',
    direction: 'outbound',
    match: {},
    cause: 'other',
    hint: 'contact the remote admin',
    advice: 'A failure no rule knows. The remote reply text is the best lead; if it persists, ask their postmaster.',
    verify: PROBE,
  },
];

const LOCAL: Rule[] = [
  {
    // deliver.c: more Received: headers than received_headers_max fails every recipient (as
    // a routing failure) before any router runs.
    id: 'exim.local.mail-loop',
    direction: 'local',
    match: { any: [MAIL_LOOP] },
    cause: 'mail-loop',
    hint: 'received_headers_max',
    advice:
      'The message already carries more Received: headers than received_headers_max (30 by default): it is going round in circles, often between this server and one that forwards back to it (a .forward, an alias to a remote address that forwards here). The Received: headers of the bounce say which.',
    verify: `exim -bP received_headers_max; ${EXIGREP}`,
  },
  // ---- Pipe transports: what the command said, then its exit code (pipe.c; sysexits.h names
  // the codes: os.c os_strexit()). parsers/exim adds the command's output line to the reason.
  {
    id: 'exim.local.pipe-output-quota',
    direction: 'local',
    match: { all: ['child process of', '; transport output: '], any: REMOTE_TEXT['mailbox-full'].match.any! },
    cause: 'mailbox-full',
    hint: 'pipe transport output (quota)',
    advice:
      "The command the pipe transport runs (a delivery agent such as dovecot-lda, maildrop or procmail) reported the mailbox over its quota; its output is in the reason. The user has to make room, or the quota of that agent is raised.",
    verify: `${ROUTE}; ${EXIGREP}`,
  },
  {
    id: 'exim.local.pipe-no-user',
    direction: 'local',
    match: { all: ['child process of', ' transport returned 67 '] },
    cause: 'user-unknown',
    hint: 'pipe transport: exit 67 (EX_NOUSER)',
    advice:
      'The command the pipe transport runs exited with 67 (EX_NOUSER, "user unknown"): the delivery agent behind it (dovecot-lda, maildrop, a ticket system) does not know the recipient, though Exim\'s routers accepted it. Make the router and the agent agree on who exists.',
    verify: `${ROUTE}; exim -bP transports | grep -E 'transport:$|^command ='`,
  },
  {
    id: 'exim.local.pipe-tempfail',
    direction: 'local',
    match: { all: ['child process of', ' transport returned 75 '] },
    cause: 'other',
    hint: 'pipe transport: exit 75 (EX_TEMPFAIL)',
    advice:
      'The command the pipe transport runs exited with 75 (EX_TEMPFAIL, in temp_errors): it asked Exim to try again later, and after the retry rule\'s cutoff the message bounces. Run the command by hand to see what it was waiting for.',
    verify: `${ROUTE}; ${RETRY}`,
  },
  // ---- Unknown users found at delivery time (accepted first, or submitted locally).
  {
    // route.c: no router accepted the address. Mostly a local user that does not exist (cron
    // mail to a removed account); also a remote domain without DNS (see directionOf).
    id: 'exim.local.unrouteable-address',
    direction: 'local',
    match: { any: ['unrouteable address'] },
    cause: 'user-unknown',
    hint: 'routers: no router accepted (aliases / local users)',
    advice:
      'No router accepted the address: no alias, .forward or local account matches it (often mail for a user who was removed, or an alias target that no longer exists), or its remote domain does not resolve. Fix the alias or the sending job.',
    verify: `${ROUTE}; ${ALIAS}`,
  },
  {
    // Dovecot over LMTP: `LMTP error after RCPT TO:<a@b>: 550 5.1.1 <a@b> User doesn't exist: a@b`.
    id: 'exim.local.lmtp-unknown-user',
    direction: 'local',
    match: { all: ['lmtp error after'], any: ["user doesn't exist", 'user unknown', 'unknown user', 'no such user', 'mailbox does not exist'] },
    cause: 'user-unknown',
    hint: 'Dovecot userdb vs Exim routers',
    advice:
      "Exim accepted the address (a router sent it to the LMTP transport) but Dovecot has no such user: Exim's routers and Dovecot's userdb disagree. Make them read the same source.",
    verify: `doveadm user -- {rcpt}; ${ROUTE}`,
  },

  {
    // A redirect router's `:fail: Unknown user` (an alias file entry for a name that must bounce).
    id: 'exim.local.unknown-user',
    direction: 'local',
    match: { any: ['unknown user', 'no such user', 'user unknown'] },
    cause: 'user-unknown',
    hint: 'redirect router :fail:',
    advice: 'The alias file (or another redirect router) fails this name as unknown. Fine for names that must bounce; if mail to it is accepted at RCPT time first, check verify = recipient so it is refused up front.',
    verify: `${ROUTE}; ${ALIAS}`,
  },

  {
    // A redirect router's `:fail: This mailbox was closed …`: the alias says the mailbox is gone.
    id: 'exim.local.mailbox-closed',
    direction: 'local',
    match: { any: CLOSED_MAILBOX },
    cause: 'mailbox-disabled',
    hint: 'redirect router :fail:',
    advice: "The alias file (or another redirect router) fails this address on purpose: its `:fail:` text says the mailbox was closed or disabled. Remove the address from whatever still sends to it.",
    verify: `${ROUTE}; ${ALIAS}`,
  },

  // ---- Storage.
  {
    // appendfile.c: `mailbox is full (MTA-imposed quota exceeded while writing to <file>)`.
    id: 'exim.local.quota',
    direction: 'local',
    match: { any: ['mailbox is full', 'quota exceeded', 'mailbox full', 'no space left on device'] },
    cause: 'mailbox-full',
    hint: 'quota (appendfile transport)',
    advice:
      "The mailbox reached the quota of its appendfile transport (or the disk is full). Exim defers and retries; after the retry rule's timeout the message bounces. Archive mail or raise the quota.",
    verify: `${ROUTE}; exim -bP transports | grep -E 'transport:$|^quota'`,
  },
  {
    // search.c `failed to open <file> for <type> search: <why>`, at the end of a router's
    // deferral (`R=x defer (-1): failed to expand "…": failed to open …`): no mailbox involved.
    id: 'exim.local.lookup-failed',
    direction: 'local',
    match: { any: [' search: '] },
    cause: 'other',
    hint: 'router lookup failed',
    advice:
      "A lookup of a router (its data, condition or local_parts) failed: the file is missing or unreadable, or the database is down. Exim defers the address and retries until the lookup works; the server-health finding for the file says since when.",
    verify: `${ROUTE}; exim -bP routers | grep -E 'router:$|lookup|search'`,
  },
  {
    id: 'exim.local.mailbox-write-failed',
    direction: 'local',
    match: { any: ['failed to lock mailbox', 'failed to open', 'permission denied', 'failed to create', 'is not a regular file', 'mailbox is locked'] },
    cause: 'other',
    hint: 'mailbox permissions (appendfile transport)',
    advice: 'Exim could not lock or write the mailbox file or maildir (ownership, permissions, a stale lock, a missing directory). The reason names the path.',
    verify: `${ROUTE}; exim -bP transports | grep -E 'transport:$|^(file|directory|user|group|mode) ='`,
  },
  {
    // pipe.c: `Child process of <t> transport returned <n> …` and friends.
    id: 'exim.local.pipe-failed',
    direction: 'local',
    match: { any: ['child process of', 'failed to create child process', 'timeout while writing to pipe', 'command not found for', 'not permitted by'] },
    cause: 'other',
    hint: 'pipe transport (command failed)',
    advice: 'A command that Exim pipes mail into (an alias `|command`, procmail, a pipe transport) failed. Its exit status is in the reason; run it by hand to see why. Exit code 75 (EX_TEMPFAIL) defers instead of bouncing.',
    verify: `${ROUTE}; exim -bP transport address_pipe`,
  },
  {
    // lmtp.c: `LMTP error after <command>: <reply>`, `LMTP timeout after …`, `LMTP connection closed after …`.
    id: 'exim.local.lmtp',
    direction: 'local',
    match: { any: ['lmtp error after', 'lmtp timeout after', 'lmtp connection closed', 'malformed lmtp response'] },
    cause: 'other',
    hint: 'lmtp transport (Dovecot)',
    advice: 'The LMTP server (usually Dovecot) refused or did not answer; the reason quotes its reply. Check it runs and that the socket in the lmtp transport matches.',
    verify: `${ROUTE}; doveadm user -- {rcpt}`,
  },
  {
    // 0135 style: `== d@x R=… T=local_delivery defer (0): Retry time not yet reached`.
    id: 'exim.local.retry-time-not-reached',
    direction: 'local',
    match: { any: ['retry time not yet reached', 'retry time not reached'] },
    cause: 'other',
    hint: 'retry configuration (an earlier local failure)',
    advice: 'An earlier local delivery of this address failed (quota, a lock, a command) and its retry time has not come yet. The earlier `==` line is the real cause.',
    verify: `exim -brt {rcpt}; ${EXIGREP}`,
  },
  // ---- Routers: what is left is a router's own message (redirect data `:fail: <text>` or
  // `:defer: <text>`, or an SMTP code given with it). Transport errors name a path or the
  // transport and are longer; those go to `other`.
  {
    // The `:defer:` text again, after the retry rule's cutoff (parsers/exim: the expiry carries
    // the deferral's reason): the same failure as the deferrals before it.
    id: 'exim.local.router-defer-expired',
    direction: 'local',
    match: { re: /^[^/]{1,160}: retry timeout exceeded$/ },
    cause: 'other',
    hint: 'redirect router :defer:',
    advice:
      'A router kept deferring the address (redirect data `:defer: <text>`, or a lookup that kept failing) until the retry rule\'s cutoff, and Exim gave up. The text is the alias entry\'s or the lookup\'s; `exim -bt` shows which router it is.',
    verify: ROUTE,
  },
  {
    // The text says nothing a rule knows: what it is, only the alias entry's author knows.
    id: 'exim.local.redirect-fail',
    direction: 'local',
    match: { permanent: true, re: /^[^/]{1,160}$/ },
    cause: 'other',
    hint: 'redirect router :fail:',
    advice: 'The alias file (or another redirect router) fails this address on purpose with `:fail: <text>`, usually for a user who has left; the text is the alias entry\'s. Remove the address from whatever still sends to it.',
    verify: `${ROUTE}; ${ALIAS}`,
  },
  {
    id: 'exim.local.router-defer',
    direction: 'local',
    match: { permanent: false, re: /^[^/]{1,160}$/ },
    cause: 'other',
    hint: 'redirect router :defer:',
    advice: 'A router deferred the address: redirect data with `:defer: <text>`, or a lookup the router needs that failed for now. The text is its message; `exim -bt` shows which router it is.',
    verify: ROUTE,
  },
  {
    id: 'exim.local.other',
    direction: 'local',
    match: {},
    cause: 'other',
    hint: 'routers / local transports',
    advice: 'Local delivery failed for a reason no rule knows; the reason text names the router or transport and what it hit.',
    verify: `${ROUTE}; ${EXIGREP}`,
  },
];

export const EXIM_RULES: readonly Rule[] = [...INBOUND, ...OUTBOUND, ...LOCAL];
