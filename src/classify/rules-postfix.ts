/**
 * Postfix classification rules, as data. The first matching rule of the event's direction wins
 * (classify.ts), so within each direction: Postfix's own exact texts first, then common remote
 * phrasings, then fallbacks by RFC 3463 enhanced status, then by reply code, then one `other`.
 *
 * Texts are matched lower-cased. Inbound texts are what smtpd_check.c, postscreen and cleanup
 * write; outbound texts are the remote reply with the `host x said:` lead-in removed (host names
 * never decide a rule); local texts are what local(8), virtual(8), pipe(8), lmtp(8) and error(8)
 * write. Advice says what to check; hints name the setting (inbound, local) or what to do on our
 * side (outbound).
 */
import type { Rule } from './rule.js';
import { REMOTE_TEXT, remoteReply } from './rules-remote.js';

/** Look `key` up in every table of the parameter `param`, naming each table and its answer. */
const lookup = (param: string, key: string): string =>
  `for m in $(postconf -hx ${param} | tr ',' ' '); do printf '%s: ' "$m"; postmap -q ${key} "$m" || echo 'not found'; done`;

/** Look `key` up in every table named after `restriction` in main.cf (access maps). */
const accessLookup = (restriction: string, key: string): string =>
  `for m in $(postconf -n | grep -o '${restriction} [^ ,]*' | cut -d' ' -f2); do printf '%s: ' "$m"; postmap -q ${key} "$m" || echo 'not found'; done`;

/** Our public IPv4 address as the world sees it. */
const OUR_IP = '$(dig +short myip.opendns.com @resolver1.opendns.com)';
// swaks looks up the MX itself; with its default sender the command works even when the log
// did not show ours. `--to=` attached: swaks's --to takes an optional value, so a detached
// `--to '--pipe=…'` would make the address an option of its own.
const PROBE = 'swaks --to={rcpt} --quit-after RCPT';
/**
 * Lines of the analysed log that name this queue id: zgrep reads rotated `.gz` logs and plain
 * ones alike (`--`: a file name may start with `-`).
 */
const GREP_QUEUE_ID = 'zgrep -F -e {queue_id} -- {log_file}';
/**
 * A provider's or list's block of the IP its reply names: where to look it up and ask for
 * delisting (the lookup page is chosen by provider in classify.ts; our own IP may not be the one
 * they saw).
 */
const BLOCKED = "printf 'IP %s: look it up or ask for delisting at %s\\n' {reply_ip} {lookup_page}";

/** What to check when a remote server blocks our IP (blocklists, provider reputation). */
const OUR_REPUTATION = {
  hint: 'our IP reputation',
  advice:
    'The remote server refuses mail from our IP because of a blocklist or poor reputation. Check the listing, stop whatever sent spam (compromised account, open form), then request delisting.',
  verify: BLOCKED,
};

const INBOUND: Rule[] = [
  // ---- Postfix's own trouble first: these replies are about us, not the client.
  {
    id: 'postfix.inbound.server-config-error',
    direction: 'inbound',
    match: { any: ['server configuration error', 'temporary lookup failure'] },
    cause: 'other',
    hint: 'Postfix warning:/fatal: lines',
    advice:
      'Postfix could not evaluate a restriction (a lookup table that fails, an unknown restriction, a policy service that is down) and answered 451. The warning: logged just before this reject names the broken setting.',
    verify: "zgrep -E -e 'postfix/[^ ]+: (warning|error|fatal|panic): ' -- {log_file} | tail -n 20",
  },
  {
    id: 'postfix.inbound.insufficient-storage',
    direction: 'inbound',
    match: { any: ['insufficient system storage'] },
    cause: 'other',
    hint: 'queue_minfree (disk space)',
    advice:
      'The queue file system has less free space than queue_minfree (or 1.5 × message_size_limit), so Postfix refuses all mail. Free disk space under the queue directory.',
    verify: 'df -h "$(postconf -h queue_directory)"; postconf queue_minfree message_size_limit',
  },

  // ---- Unknown recipients: which table said no (smtpd_check.c, show_user_unknown_table_name).
  {
    // First: the reason quotes the probed server's reply, which may name any of the tables below.
    id: 'postfix.inbound.unverified-sender',
    direction: 'inbound',
    match: { all: ['sender address rejected:'], any: ['undeliverable address:', 'unverified address:', 'address verification problem'] },
    cause: 'user-unknown',
    hint: 'reject_unverified_sender',
    advice:
      "Sender address verification probed the sender's own mail server and it refused (or did not answer) the address. Expected for forged senders; if a legitimate sender is hit, check what their server replied.",
    verify: `postmap -q {sender} "$(postconf -hx address_verify_map)"`,
  },
  {
    id: 'postfix.inbound.unverified-recipient',
    direction: 'inbound',
    match: { any: ['undeliverable address:', 'unverified address:', 'address verification problem'] },
    cause: 'user-unknown',
    hint: 'reject_unverified_recipient',
    advice:
      'Recipient address verification probed the next hop (the mailbox server behind us) and it refused or did not answer. Check the address exists there and that the server is reachable.',
    verify: `postmap -q {rcpt} "$(postconf -hx address_verify_map)"`,
  },
  {
    id: 'postfix.inbound.virtual-alias-unknown',
    direction: 'inbound',
    match: { any: ['user unknown in virtual alias table'] },
    cause: 'user-unknown',
    hint: 'virtual_alias_maps',
    advice:
      'The domain is a virtual alias domain and the address has no entry in virtual_alias_maps. Add the alias, or a catch-all @domain entry if that is intended.',
    verify: lookup('virtual_alias_maps', '{rcpt}'),
  },
  {
    id: 'postfix.inbound.virtual-mailbox-unknown',
    direction: 'inbound',
    match: { any: ['user unknown in virtual mailbox table'] },
    cause: 'user-unknown',
    hint: 'virtual_mailbox_maps',
    advice:
      'The domain is a virtual mailbox domain and the address is in neither virtual_mailbox_maps nor virtual_alias_maps. Normal for mistyped or harvested addresses; if the user exists, add the mailbox.',
    verify: lookup('virtual_mailbox_maps', '{rcpt}'),
  },
  {
    id: 'postfix.inbound.local-recipient-unknown',
    direction: 'inbound',
    // Also the cut-short `… local recipient tab` seen in excerpts.
    match: { any: ['user unknown in local recipient'] },
    cause: 'user-unknown',
    hint: 'local_recipient_maps',
    advice:
      'The domain is in mydestination and the local part is neither a UNIX account nor an alias. Add an alias in alias_maps (and run newaliases), or create the account.',
    verify: `${lookup('local_recipient_maps', '{local}')}; getent passwd -- {local}`,
  },
  {
    id: 'postfix.inbound.relay-recipient-unknown',
    direction: 'inbound',
    match: { any: ['user unknown in relay recipient table'] },
    cause: 'user-unknown',
    hint: 'relay_recipient_maps',
    advice:
      'The domain is a relay domain and the address is not listed in relay_recipient_maps. Add it (keep the list in sync with the server behind us), or the sender mistyped it.',
    verify: lookup('relay_recipient_maps', '{rcpt}'),
  },
  {
    // show_user_unknown_table_name = no hides which table it was.
    id: 'postfix.inbound.recipient-unknown-unnamed',
    direction: 'inbound',
    match: { re: /recipient address rejected: user unknown$/ },
    cause: 'user-unknown',
    hint: 'local/virtual/relay recipient maps',
    advice:
      'The address is not in the recipient table of its domain class; show_user_unknown_table_name = no hides which one. Check the table that matches the domain (mydestination → local_recipient_maps, virtual_mailbox_domains → virtual_mailbox_maps, relay_domains → relay_recipient_maps).',
    verify:
      'postconf show_user_unknown_table_name mydestination virtual_mailbox_domains relay_domains local_recipient_maps virtual_mailbox_maps relay_recipient_maps',
  },

  // ---- Relaying.
  {
    id: 'postfix.inbound.relay-denied',
    direction: 'inbound',
    match: { any: ['relay access denied'] },
    cause: 'relay-denied',
    hint: 'smtpd_relay_restrictions',
    advice:
      'A client that is neither in mynetworks nor authenticated tried to send to a domain we do not host. Usually an open-relay probe; if it is your own users, have them authenticate on the submission port.',
    verify: 'postconf smtpd_relay_restrictions mynetworks relay_domains',
  },

  // ---- DNS blocklists: default_rbl_reply is `<class> [<what>] blocked using <list>`.
  {
    id: 'postfix.inbound.dnsbl-postscreen',
    direction: 'inbound',
    match: { via: ['postscreen'], any: ['blocked using'] },
    cause: 'blocklisted',
    hint: 'postscreen_dnsbl_action',
    advice:
      "postscreen scored the client's IP at or above postscreen_dnsbl_threshold on the listed DNSBL. Check the listing; if a wanted sender is listed, allow it in postscreen_access_list.",
    verify: 'dig +short -q {dnsbl_query}; postconf postscreen_dnsbl_sites postscreen_dnsbl_threshold',
  },
  {
    id: 'postfix.inbound.rhsbl-sender',
    direction: 'inbound',
    match: { all: ['sender address [', 'blocked using'] },
    cause: 'blocklisted',
    hint: 'reject_rhsbl_sender',
    advice:
      "The sender's domain is listed on the domain blocklist. If a wanted sender is listed, allow the domain in an access map before reject_rhsbl_sender.",
    verify: 'dig +short -q {dnsbl_query}',
  },
  {
    id: 'postfix.inbound.rhsbl-helo',
    direction: 'inbound',
    match: { all: ['helo command [', 'blocked using'] },
    cause: 'blocklisted',
    hint: 'reject_rhsbl_helo',
    advice:
      'The HELO name the client gave is listed on the domain blocklist. Spam clients often HELO with listed domains; a wanted sender should use its own host name.',
    verify: 'dig +short -q {dnsbl_query}',
  },
  {
    id: 'postfix.inbound.rhsbl-reverse-client',
    direction: 'inbound',
    match: { all: ['unverified client host [', 'blocked using'] },
    cause: 'blocklisted',
    hint: 'reject_rhsbl_reverse_client',
    advice: "The client's reverse DNS name is listed on the domain blocklist.",
    verify: 'dig +short -q {dnsbl_query}',
  },
  {
    id: 'postfix.inbound.dnsbl-client',
    direction: 'inbound',
    // IPv4 or IPv6 in the brackets: an address list, not a name list.
    match: { all: ['blocked using'], re: /client host \[[0-9a-f.:]{2,45}\] blocked using / },
    cause: 'blocklisted',
    hint: 'reject_rbl_client',
    advice:
      "The client's IP is listed on the DNS blocklist. Mostly spam sources; if a wanted sender is listed, allow its IP in check_client_access before reject_rbl_client.",
    verify: 'dig +short -q {dnsbl_query}',
  },
  {
    id: 'postfix.inbound.rhsbl-client',
    direction: 'inbound',
    match: { all: ['client host [', 'blocked using'] },
    cause: 'blocklisted',
    hint: 'reject_rhsbl_client',
    advice: "The client's host name is listed on the domain blocklist.",
    verify: 'dig +short -q {dnsbl_query}',
  },

  // ---- Client/HELO hygiene restrictions (smtpd_check.c wording).
  {
    id: 'postfix.inbound.unknown-reverse-client-hostname',
    direction: 'inbound',
    match: { any: ['cannot find your reverse hostname'] },
    cause: 'access-policy',
    hint: 'reject_unknown_reverse_client_hostname',
    advice:
      "The client's IP has no PTR record. Legitimate mail servers have one; if a wanted sender lacks it, they must fix their DNS or you allow their IP in check_client_access.",
    verify: 'dig +short -x {client_ip}',
  },
  {
    id: 'postfix.inbound.unknown-client-hostname',
    direction: 'inbound',
    match: { any: ['cannot find your hostname'] },
    cause: 'access-policy',
    hint: 'reject_unknown_client_hostname',
    advice:
      "The client's PTR name does not resolve back to its IP (forward-confirmed reverse DNS failed). Stricter than the reverse check; temporary DNS failures give 450.",
    verify: 'dig +short -x {client_ip}',
  },
  {
    id: 'postfix.inbound.unknown-helo-hostname',
    direction: 'inbound',
    match: { all: ['helo command rejected:'], any: ['host not found', 'malformed dns server reply'] },
    cause: 'access-policy',
    hint: 'reject_unknown_helo_hostname',
    advice: 'The HELO name has no A or MX record. Common for spam and for misconfigured small servers.',
    verify: 'dig +short -t A -q {helo}; dig +short -t MX -q {helo}',
  },
  {
    id: 'postfix.inbound.non-fqdn-helo',
    direction: 'inbound',
    match: { any: ['need fully-qualified hostname'] },
    cause: 'access-policy',
    hint: 'reject_non_fqdn_helo_hostname',
    advice: 'The client said HELO with a bare name (WIN-…, localhost-style). Typical for spam bots and for desktop clients sent to port 25 instead of submission.',
    verify: 'postconf smtpd_helo_restrictions smtpd_helo_required',
  },
  {
    id: 'postfix.inbound.invalid-helo',
    direction: 'inbound',
    match: { all: ['helo command rejected:'], any: ['invalid ip address', 'invalid name'] },
    cause: 'access-policy',
    hint: 'reject_invalid_helo_hostname',
    advice: 'The HELO argument is not a valid host name or address literal. Almost always a broken client or a bot.',
    verify: 'postconf smtpd_helo_restrictions',
  },
  {
    id: 'postfix.inbound.non-fqdn-sender',
    direction: 'inbound',
    match: { all: ['sender address rejected:', 'need fully-qualified address'] },
    cause: 'access-policy',
    hint: 'reject_non_fqdn_sender',
    advice: 'The envelope sender has no domain or a bare one (user@host). Fix the sending application to use a full address.',
    verify: 'postconf smtpd_sender_restrictions smtpd_recipient_restrictions',
  },
  {
    id: 'postfix.inbound.non-fqdn-recipient',
    direction: 'inbound',
    match: { all: ['recipient address rejected:', 'need fully-qualified address'] },
    cause: 'access-policy',
    hint: 'reject_non_fqdn_recipient',
    advice: 'The recipient has no domain or a bare one. Fix the sending application to use a full address.',
    verify: 'postconf smtpd_recipient_restrictions',
  },
  {
    id: 'postfix.inbound.sender-login-mismatch',
    direction: 'inbound',
    match: { any: ['not owned by user'] },
    cause: 'access-policy',
    hint: 'smtpd_sender_login_maps',
    advice:
      'An authenticated user sent with a From address that smtpd_sender_login_maps assigns to someone else (reject_sender_login_mismatch). Add the address to that login, or the client uses the wrong identity.',
    verify: lookup('smtpd_sender_login_maps', '{sender}'),
  },

  // ---- Domains that do not resolve (reject_unknown_sender_domain / _recipient_domain).
  {
    id: 'postfix.inbound.unknown-sender-domain',
    direction: 'inbound',
    match: {
      all: ['sender address rejected:'],
      any: ['domain not found', 'malformed dns server reply', 'does not accept mail (nullmx)'],
    },
    cause: 'domain-not-found',
    hint: 'reject_unknown_sender_domain',
    advice:
      "The sender's domain has no MX or A record (450 when DNS failed temporarily). Forged or misconfigured senders; a temporary failure can also be our own resolver.",
    verify: "dig -t MX -q {sender_domain} | grep -E -e 'status|IN.MX'",
  },
  {
    id: 'postfix.inbound.unknown-recipient-domain',
    direction: 'inbound',
    match: {
      all: ['recipient address rejected:'],
      any: ['domain not found', 'malformed dns server reply', 'does not accept mail (nullmx)'],
    },
    cause: 'domain-not-found',
    hint: 'reject_unknown_recipient_domain',
    advice: "The recipient's domain has no MX or A record; the client would not be able to deliver there anyway.",
    verify: "dig -t MX -q {domain} | grep -E -e 'status|IN.MX'",
  },

  // ---- Authentication and TLS demanded of the client.
  {
    id: 'postfix.inbound.sender-not-logged-in',
    direction: 'inbound',
    match: { any: ['sender address rejected: not logged in'] },
    cause: 'auth-required',
    hint: 'smtpd_sender_login_maps',
    advice:
      'The sender address belongs to a login in smtpd_sender_login_maps, but the client did not authenticate (reject_unauthenticated_sender_login_mismatch). Either a forgery or a user who forgot to enable SMTP AUTH.',
    verify: lookup('smtpd_sender_login_maps', '{sender}'),
  },
  {
    id: 'postfix.inbound.tls-required',
    direction: 'inbound',
    match: { any: ['session encryption is required', 'must issue a starttls command first'] },
    cause: 'auth-required',
    hint: 'smtpd_tls_security_level',
    advice:
      'The client sent mail without TLS where we require it (reject_plaintext_session, or smtpd_tls_security_level = encrypt). Fine on submission; on port 25 it refuses servers that do not do TLS.',
    verify: 'postconf smtpd_tls_security_level smtpd_enforce_tls; postconf -M submission/inet smtp/inet',
  },

  // ---- Greylisting (temporary by nature).
  {
    id: 'postfix.inbound.greylisted-milter',
    direction: 'inbound',
    match: { via: ['milter'], permanent: false, any: ['greylist', 'try again later', 'come back later'] },
    cause: 'greylisted',
    hint: 'smtpd_milters',
    advice:
      'A milter (rspamd, milter-greylist) told the client to come back later. Real servers retry and get through; only worry if the same sender keeps being deferred for hours.',
    verify: 'postconf smtpd_milters non_smtpd_milters milter_default_action',
  },
  {
    id: 'postfix.inbound.greylisted-policy',
    direction: 'inbound',
    match: { any: ['greylist'] },
    cause: 'greylisted',
    hint: 'check_policy_service',
    advice:
      'The greylisting policy service (postgrey, sqlgrey) deferred a first-time sender. Real servers retry after the delay; persistent deferrals mean a sender that never retries or rotates IPs.',
    verify: "postconf -n | grep -o 'check_policy_service [^ ,]*'",
  },

  // ---- Rate and concurrency limits.
  {
    id: 'postfix.inbound.postscreen-connection-limit',
    direction: 'inbound',
    match: { via: ['postscreen'], any: ['too many connections'] },
    cause: 'rate-limited',
    hint: 'postscreen_client_connection_count_limit',
    advice: 'One client held more simultaneous connections than postscreen allows. Usually a bulk sender or a bot; raise the limit only for known senders.',
    verify: 'postconf postscreen_client_connection_count_limit',
  },
  {
    id: 'postfix.inbound.postscreen-ports-busy',
    direction: 'inbound',
    match: { via: ['postscreen'], any: ['all server ports busy'] },
    cause: 'rate-limited',
    hint: 'postscreen_post_queue_limit',
    advice:
      'Every smtpd process was busy, so postscreen turned clients away with 421. Raise the smtpd process limit in master.cf (or default_process_limit), or find what keeps smtpd busy (slow milters, policy services, DNS).',
    verify: 'postconf postscreen_post_queue_limit default_process_limit; postconf -M smtpd/pass',
  },
  // smtpd's anvil replies (smtpd.c); Postfix logs these limits only as `warning: … rate limit
  // exceeded: N from host[ip] for service S` lines, which the parser turns into the reply.
  {
    id: 'postfix.inbound.anvil-recipient-rate',
    direction: 'inbound',
    match: { any: ['too many recipients from'] },
    cause: 'rate-limited',
    hint: 'smtpd_client_recipient_rate_limit',
    advice: 'A client sent more recipients per anvil_rate_time_unit than smtpd_client_recipient_rate_limit allows. Exempt known bulk senders with smtpd_client_event_limit_exceptions, or raise the limit.',
    verify: 'postconf smtpd_client_connection_rate_limit smtpd_client_connection_count_limit smtpd_client_message_rate_limit smtpd_client_recipient_rate_limit anvil_rate_time_unit smtpd_client_event_limit_exceptions',
  },
  {
    id: 'postfix.inbound.anvil-message-rate',
    direction: 'inbound',
    match: { any: ['too much mail from'] },
    cause: 'rate-limited',
    hint: 'smtpd_client_message_rate_limit',
    advice: 'A client sent more messages (MAIL FROM commands) per anvil_rate_time_unit than smtpd_client_message_rate_limit allows. Exempt known bulk senders with smtpd_client_event_limit_exceptions, or raise the limit.',
    verify: 'postconf smtpd_client_connection_rate_limit smtpd_client_connection_count_limit smtpd_client_message_rate_limit smtpd_client_recipient_rate_limit anvil_rate_time_unit smtpd_client_event_limit_exceptions',
  },
  {
    id: 'postfix.inbound.anvil-connection-rate',
    direction: 'inbound',
    match: { any: ['too many connections from'] },
    cause: 'rate-limited',
    hint: 'smtpd_client_connection_rate_limit / _count_limit',
    advice: 'A client opened more connections per anvil_rate_time_unit than smtpd_client_connection_rate_limit allows, or more at once than smtpd_client_connection_count_limit. Exempt known bulk senders with smtpd_client_event_limit_exceptions, or raise the limit.',
    verify: 'postconf smtpd_client_connection_rate_limit smtpd_client_connection_count_limit smtpd_client_message_rate_limit smtpd_client_recipient_rate_limit anvil_rate_time_unit smtpd_client_event_limit_exceptions',
  },
  {
    id: 'postfix.inbound.policy-rate-limit',
    direction: 'inbound',
    match: { any: ['sending too many', 'too many messages', 'too many emails', 'too many recipients', 'rate limit', 'quota exceeded', 'sending quota'] },
    cause: 'rate-limited',
    hint: 'check_policy_service',
    advice: 'A policy service (policyd, postfwd) throttled this sender. Check whether the account is compromised before raising its quota.',
    verify: "postconf -n | grep -o 'check_policy_service [^ ,]*'",
  },

  // ---- Size.
  {
    id: 'postfix.inbound.message-too-large',
    direction: 'inbound',
    // `queue file size limit exceeded`: the warning that is all Postfix logs when the data
    // outgrew message_size_limit without a SIZE declaration (smtpd.c, cleanup_out.c).
    match: { any: ['message size exceeds', 'message too large', 'queue file size limit exceeded'] },
    cause: 'message-too-large',
    hint: 'message_size_limit',
    advice: 'The message (or the SIZE the client announced) is larger than message_size_limit. Raise the limit if such mail is wanted; keep mailbox_size_limit above it.',
    verify: 'postconf message_size_limit mailbox_size_limit virtual_mailbox_limit',
  },

  // ---- SMTP protocol violations.
  {
    // cleanup's `warning: ID: message rejected: hopcount exceeded` (554 5.4.0 Error: too many hops).
    id: 'postfix.inbound.hopcount',
    direction: 'inbound',
    match: { any: ['hopcount exceeded', 'too many hops'] },
    cause: 'mail-loop',
    hint: 'hopcount_limit',
    advice:
      'The message arrived with more Received: headers than hopcount_limit: it has been going round in a loop between servers (forwarding, aliases or MX records pointing at each other). Find the loop in its Received: headers.',
    verify: 'postconf hopcount_limit',
  },
  {
    id: 'postfix.inbound.multi-recipient-bounce',
    direction: 'inbound',
    match: { any: ['multi-recipient bounce'] },
    cause: 'protocol-error',
    hint: 'reject_multi_recipient_bounce',
    advice: 'A bounce (null sender) was addressed to several recipients, which real bounces never are. Safe to ignore unless a mailing-list tool sends such DSNs.',
    verify: 'postconf smtpd_data_restrictions smtpd_end_of_data_restrictions',
  },
  {
    id: 'postfix.inbound.unauth-pipelining',
    direction: 'inbound',
    match: { any: ['improper use of smtp command pipelining'] },
    cause: 'protocol-error',
    hint: 'reject_unauth_pipelining',
    advice: 'The client sent commands ahead of our replies without PIPELINING support being negotiated: a spamware signature.',
    verify: "postconf -n | grep -o 'reject_unauth_pipelining'",
  },
  {
    id: 'postfix.inbound.bare-newline',
    direction: 'inbound',
    match: { any: ['bare <lf> received'] },
    cause: 'protocol-error',
    hint: 'smtpd_forbid_bare_newline',
    advice:
      'The client ended lines with a bare LF instead of CRLF, which Postfix refuses since the SMTP smuggling fixes. Spamware mostly; a broken in-house application can be exempted with smtpd_forbid_bare_newline_exclusions.',
    verify: 'postconf smtpd_forbid_bare_newline smtpd_forbid_bare_newline_exclusions',
  },
  {
    id: 'postfix.inbound.postscreen-protocol',
    direction: 'inbound',
    match: { via: ['postscreen'], any: ['protocol error'] },
    cause: 'protocol-error',
    // postscreen answers `550 5.5.1 Protocol error` for the pregreet test (postscreen_greet_action,
    // the one on by default) and for the deep protocol tests alike; the PREGREET, COMMAND
    // PIPELINING, NON-SMTP COMMAND or BARE NEWLINE line before it says which.
    hint: 'postscreen_greet_action',
    advice:
      'postscreen caught the client talking before its turn (pregreet, postscreen_greet_action = enforce) or, with the deep protocol tests on, breaking SMTP (pipelining, non-SMTP command, bare newline; the line before the reject names the test). Bots fail these; a wanted sender that fails can be allowed in postscreen_access_list.',
    verify:
      'postconf postscreen_greet_action postscreen_pipelining_enable postscreen_non_smtp_command_enable postscreen_bare_newline_enable',
  },

  // ---- SPF / DKIM / DMARC, by a milter or a policy service.
  {
    id: 'postfix.inbound.sender-auth-milter',
    direction: 'inbound',
    match: { via: ['milter'], re: /(?:^|[^a-z0-9])(?:spf|dkim|dmarc)(?:[^a-z0-9]|$)/ },
    cause: 'sender-auth-failed',
    hint: 'smtpd_milters',
    advice:
      "A milter (OpenDMARC, OpenDKIM, rspamd) rejected the message because the sender domain's SPF/DKIM/DMARC check failed. Forged mail mostly; a wanted sender must fix its DNS records or its forwarding.",
    verify: 'dig +short -t TXT -q {dmarc_name}; dig +short -t TXT -q {sender_domain}',
  },
  {
    id: 'postfix.inbound.sender-auth-policy',
    direction: 'inbound',
    match: { re: /(?:^|[^a-z0-9])(?:spf|dkim|dmarc)(?:[^a-z0-9]|$)|openspf|open-spf/ },
    cause: 'sender-auth-failed',
    hint: 'check_policy_service',
    advice:
      "The SPF policy service (policyd-spf) found that the client IP is not allowed to send for the sender's domain. Forged mail mostly; a wanted sender must add this IP to its SPF record.",
    verify: 'dig +short -t TXT -q {sender_domain}',
  },

  // ---- Content filters.
  {
    id: 'postfix.inbound.header-checks',
    direction: 'inbound',
    match: { via: ['cleanup'], stages: ['header'] },
    cause: 'spam-content',
    hint: 'header_checks',
    advice: 'A header_checks pattern with REJECT matched a header of the message. Check the pattern does not hit wanted mail.',
    verify: 'postconf header_checks mime_header_checks nested_header_checks',
  },
  {
    id: 'postfix.inbound.body-checks',
    direction: 'inbound',
    match: { via: ['cleanup'], stages: ['body'] },
    cause: 'spam-content',
    hint: 'body_checks',
    advice: 'A body_checks pattern with REJECT matched a line of the message body. Check the pattern does not hit wanted mail.',
    verify: 'postconf body_checks',
  },
  {
    id: 'postfix.inbound.milter-content',
    direction: 'inbound',
    match: { via: ['milter'] },
    cause: 'spam-content',
    hint: 'smtpd_milters',
    advice: "A milter (rspamd, SpamAssassin, ClamAV) rejected the message; the milter's own log says which test fired.",
    verify: 'postconf smtpd_milters milter_default_action',
  },
  {
    id: 'postfix.inbound.proxy-filter',
    direction: 'inbound',
    match: { via: ['smtpd'], stages: ['END-OF-MESSAGE'] },
    cause: 'spam-content',
    hint: 'smtpd_proxy_filter',
    advice: "The before-queue content filter (amavis, a proxy) rejected the message after DATA; its own log says why.",
    verify: 'postconf smtpd_proxy_filter; postconf -M | grep -w smtpd_proxy_filter',
  },

  // ---- Access maps: the class names the table type; the text is the map's own.
  {
    id: 'postfix.inbound.client-access',
    direction: 'inbound',
    match: { any: ['client host rejected:'] },
    cause: 'access-policy',
    hint: 'check_client_access',
    advice: 'An access map entry for the client IP or host name rejected it. The text after "rejected:" is what the entry says.',
    verify: accessLookup('check_client_access', '{client_ip}'),
  },
  {
    id: 'postfix.inbound.helo-access',
    direction: 'inbound',
    match: { any: ['helo command rejected:'] },
    cause: 'access-policy',
    hint: 'check_helo_access',
    advice: 'An access map entry for the HELO name (or its name servers or MX hosts) rejected it.',
    verify: accessLookup('check_helo_access', '{helo}'),
  },
  {
    id: 'postfix.inbound.sender-access',
    direction: 'inbound',
    match: { any: ['sender address rejected:'] },
    cause: 'access-policy',
    hint: 'check_sender_access',
    advice: 'An access map entry for the envelope sender (address, domain or user@) rejected it.',
    verify: accessLookup('check_sender_access', '{sender}'),
  },
  {
    id: 'postfix.inbound.recipient-access',
    direction: 'inbound',
    match: { any: ['recipient address rejected:'] },
    cause: 'access-policy',
    hint: 'check_recipient_access',
    advice: 'An access map entry for the recipient rejected it (or a policy service answered with this text).',
    verify: accessLookup('check_recipient_access', '{rcpt}'),
  },
  {
    id: 'postfix.inbound.postscreen-access',
    direction: 'inbound',
    match: { via: ['postscreen'] },
    cause: 'access-policy',
    hint: 'postscreen_access_list',
    advice: 'postscreen refused the client by its permanent access list (denylist action enforce).',
    verify: 'postconf postscreen_access_list postscreen_denylist_action',
  },

  // ---- Fallbacks by enhanced status, then the catch-all.
  {
    id: 'postfix.inbound.policy-fallback',
    direction: 'inbound',
    match: { enhanced: ['x.7'] },
    cause: 'access-policy',
    hint: '{restrictions}',
    advice: 'A restriction of this SMTP stage refused the client with a policy code; the text is its own.',
    verify: "postconf -n | grep -E '^smtpd_.*_restrictions'",
  },
  {
    id: 'postfix.inbound.other',
    direction: 'inbound',
    match: {},
    cause: 'other',
    hint: '{restrictions}',
    advice: 'A refusal no rule knows. The reply text and the stage say which restriction produced it.',
    verify: "postconf -n | grep -E '^smtpd_.*_restrictions'",
  },
];

const OUTBOUND: Rule[] = [
  // ---- Postfix's own texts (they start the reason, so anchored matches are exact).
  {
    id: 'postfix.outbound.loops-back',
    direction: 'outbound',
    match: { any: ['loops back to myself'] },
    cause: 'mail-loop',
    hint: 'mydestination / relayhost',
    advice:
      'The MX of the domain is this server, but the domain is not in mydestination, virtual or relay domains, so Postfix would send it to itself. Add the domain to the right class, or fix its MX.',
    verify: 'postconf mydestination virtual_mailbox_domains relay_domains relayhost proxy_interfaces; dig +short -t MX -q {domain}',
  },
  {
    ...remoteReply('postfix', 'mail-loop'),
    hint: 'mail loop (MX / transport_maps / relayhost)',
    advice:
      'The message went round in a loop until a server refused it for its hop count: an MX, transport_maps entry, relayhost or forwarding rule sends it back to where it came from (possibly to this server). Follow its Received: headers to find the circle.',
    verify: 'postmap -q {domain} "$(postconf -h transport_maps)"; postconf relayhost; dig +short -t MX -q {domain}',
  },
  {
    id: 'postfix.outbound.null-mx',
    direction: 'outbound',
    match: { any: ['does not accept mail (nullmx)'] },
    cause: 'domain-not-found',
    hint: 'remove the address from lists',
    advice: 'The domain publishes a null MX (RFC 7505): it never accepts mail. Remove the address.',
    verify: 'dig +short -t MX -q {domain}',
  },
  {
    id: 'postfix.outbound.dns-temporary',
    direction: 'outbound',
    match: { any: ['host not found, try again', 'temporary failure in name resolution'] },
    cause: 'domain-not-found',
    hint: 'DNS lookups (ours or theirs)',
    advice:
      'The MX lookup failed temporarily (SERVFAIL or timeout). Either the domain\'s name servers are broken or our resolver is; if many domains show this, it is ours.',
    verify: "dig -t MX -q {domain} | grep -E -e 'status|IN.MX'",
  },
  {
    id: 'postfix.outbound.dns-not-found',
    direction: 'outbound',
    match: { any: ['host or domain name not found', 'name service error'] },
    cause: 'domain-not-found',
    hint: 'fix the domain (typo?)',
    advice: 'The recipient domain does not exist or has no MX or A record. Usually a typo in the address (gmial.com); fix or remove it.',
    verify: 'dig +short -t MX -q {domain}; dig +short -t A -q {domain}',
  },
  {
    id: 'postfix.outbound.tls-failed',
    direction: 'outbound',
    match: { any: ['tls is required, but', 'cannot start tls', 'server certificate not verified', 'server certificate not trusted', 'tls handshake'] },
    cause: 'connection-failed',
    hint: 'smtp_tls_security_level / smtp_tls_policy_maps',
    advice:
      'Our TLS policy for this destination (encrypt, verify, dane) could not be met: no STARTTLS, a failed handshake or an unverifiable certificate. Check the policy entry and what the server offers.',
    verify: 'posttls-finger -c -- {domain}; postconf smtp_tls_security_level smtp_tls_policy_maps',
  },
  {
    id: 'postfix.outbound.connect-failed',
    direction: 'outbound',
    match: { re: /^connect to / },
    cause: 'connection-failed',
    hint: 'their server (or our port 25)',
    advice:
      'No MX host of the domain accepted a TCP connection. If it happens for many domains, our provider probably blocks outgoing port 25; otherwise their server is down and the queue will retry.',
    verify: 'swaks --to={rcpt} --quit-after CONNECT',
  },
  {
    id: 'postfix.outbound.lost-connection',
    direction: 'outbound',
    match: { re: /^(?:lost connection with |conversation with [^ ]{1,300} timed out while )/ },
    cause: 'connection-failed',
    hint: 'their server (or a middlebox)',
    advice:
      'The remote server dropped or stalled the connection. Occasional cases are retried; when it always happens at the same step (greeting, message body), suspect a firewall or an overloaded server.',
    verify: PROBE,
  },
  {
    id: 'postfix.outbound.message-expired',
    direction: 'outbound',
    match: { any: ['returned to sender'] },
    cause: 'other',
    hint: 'maximal_queue_lifetime',
    advice: 'The message stayed deferred longer than maximal_queue_lifetime and was returned; the earlier deferrals (before this log began) say why.',
    verify: `postconf maximal_queue_lifetime bounce_queue_lifetime; ${GREP_QUEUE_ID}`,
  },

  // ---- Remote replies, most specific first (rules-remote.ts: the phrases, shared with Exim).
  {
    ...remoteReply('postfix', 'ipv6-not-accepted'),
    hint: 'send over IPv4 (smtp_address_preference)',
    advice:
      'The remote domain does not take mail over IPv6 from us. Prefer IPv4 for SMTP (smtp_address_preference = ipv4) or make our IPv6 sending pass SPF and DKIM.',
    verify: 'postconf inet_protocols smtp_address_preference',
  },
  {
    ...remoteReply('postfix', 'eop-recipient-not-found'),
    hint: 'remove the address from lists',
    advice:
      'Microsoft 365 does not know the recipient (Directory-Based Edge Blocking answers 5.4.1 "Access denied"). The mailbox does not exist; remove or correct the address.',
    verify: PROBE,
  },
  {
    ...remoteReply('postfix', 'too-many-invalid-recipients'),
    hint: 'remove invalid addresses from lists',
    advice: 'The remote server throttles us because we sent to too many addresses that do not exist there. Clean the list of bounced addresses.',
    verify: 'postqueue -p | grep -ciF -e {domain}',
  },
  {
    ...remoteReply('postfix', 'provider-ip-block'),
    hint: 'our IP reputation',
    advice:
      "The provider refuses or slows mail from our IP for its reputation (its own block list, complaints). Stop whatever sent unwanted mail, then follow the delisting link in the reply.",
    verify: BLOCKED,
  },
  {
    ...remoteReply('postfix', 'mailbox-full'),
    hint: 'their mailbox is full',
    advice: "The recipient's mailbox is over quota. Nothing to fix here; the user has to make room. Persistent cases are abandoned mailboxes.",
    verify: 'postqueue -p | grep -B2 -F -e {rcpt}',
  },
  {
    ...remoteReply('postfix', 'mailbox-disabled'),
    hint: 'remove the address from lists',
    advice: 'The mailbox exists but is disabled or inactive. Treat as gone: remove the address from lists.',
    verify: PROBE,
  },
  {
    ...remoteReply('postfix', 'user-moved'),
    hint: 'update the address (user moved)',
    advice: 'The recipient has moved; the reply usually names the new address. Update the address book or list entry.',
    verify: PROBE,
  },
  {
    ...remoteReply('postfix', 'rate-limited'),
    hint: 'our sending rate',
    advice:
      'The remote server limits how fast we may send (connections, messages or recipients). Lower the concurrency or add a rate delay for this destination in a dedicated transport.',
    verify: 'postconf default_destination_concurrency_limit default_destination_rate_delay smtp_destination_recipient_limit; postqueue -p | grep -ciF -e {domain}',
  },
  {
    ...remoteReply('postfix', 'ptr-missing'),
    hint: 'our PTR record (reverse DNS)',
    advice: 'The remote server wants our sending IP to have a PTR record whose name resolves back to the IP. Ask the owner of the IP (hosting provider) to set it to our myhostname.',
    verify: `dig +short -x ${OUR_IP}; postconf myhostname`,
  },
  {
    ...remoteReply('postfix', 'sender-auth'),
    hint: 'our SPF/DKIM/DMARC',
    advice:
      'The remote server rejected the message because our sender domain failed SPF, DKIM or DMARC. Publish an SPF record that includes this server, sign with DKIM, and align the From domain.',
    verify: 'dig +short -t TXT -q {sender_domain}; dig +short -t TXT -q {dmarc_name}',
  },
  {
    ...remoteReply('postfix', 'likely-spam-message'),
    hint: 'our message content',
    advice:
      'The remote filter judged this message to be spam. Check what was sent (links, attachments, forwarded spam) and that our DKIM signature and From domain align.',
    verify: `postcat -hq -- {queue_id} || ${GREP_QUEUE_ID}`,
  },
  {
    ...remoteReply('postfix', 'listed-url'),
    hint: 'our message content',
    advice: 'A link in the message is on a URI block list (URIBL, SURBL). Find which domain the reply names and stop sending it.',
    verify: 'postcat -q -- {queue_id} | grep -io -e "https\\?://[^/ ]*" | sort -u',
  },
  {
    ...remoteReply('postfix', 'malformed-message'),
    hint: 'our message content',
    advice: 'The remote server refused the message for its form (several From addresses, duplicate headers, not RFC 5322). Fix what generates it (the application or a header_checks rewrite).',
    verify: `postcat -hq -- {queue_id} || ${GREP_QUEUE_ID}`,
  },
  {
    ...remoteReply('postfix', 'blocklisted'),
    ...OUR_REPUTATION,
  },
  {
    ...remoteReply('postfix', 'domain-not-found'),
    hint: 'fix the domain (typo?)',
    advice: 'The remote server could not find the recipient domain in DNS. Check the spelling of the domain.',
    verify: 'dig +short -t MX -q {domain}; dig +short -t A -q {domain}',
  },
  {
    ...remoteReply('postfix', 'user-unknown'),
    hint: 'remove the address from lists',
    advice: 'The recipient address does not exist at the remote domain. Check for a typo; otherwise remove it from lists and address books.',
    verify: PROBE,
  },
  {
    ...remoteReply('postfix', 'greylisted'),
    hint: 'nothing (retries succeed)',
    advice: 'The remote server greylists first-time senders; the queue retries and delivers. Only a concern if the message expires.',
    verify: 'postqueue -p | grep -B2 -F -e {rcpt}',
  },
  {
    ...remoteReply('postfix', 'message-too-large'),
    hint: 'message size (attachments)',
    advice: 'The message is larger than the remote server accepts. Send big files as links; our own message_size_limit does not help here.',
    verify: "swaks --to={rcpt} --quit-after EHLO | grep -i -e 'size'",
  },
  {
    ...remoteReply('postfix', 'relay-denied'),
    hint: 'relayhost login or their MX',
    advice:
      'The server we delivered to does not accept mail for this domain from us. Through a relayhost: we must authenticate (smtp_sasl_password_maps). Direct: the domain\'s MX points at a server not configured for it.',
    verify: 'postconf relayhost smtp_sasl_auth_enable smtp_sasl_password_maps; dig +short -t MX -q {domain}',
  },
  {
    ...remoteReply('postfix', 'auth-required'),
    hint: 'smtp_sasl_password_maps',
    advice: 'The next hop (usually a relayhost or smarthost) wants us to log in, or refused our credentials. Check the entry for it in smtp_sasl_password_maps.',
    verify: `postconf relayhost smtp_sasl_auth_enable smtp_sasl_password_maps smtp_tls_security_level`,
  },
  {
    ...remoteReply('postfix', 'sender-rejected'),
    hint: 'our sender address',
    advice: 'The remote server refuses our envelope sender (unknown domain from their view, or a local access rule). Check the sender domain resolves publicly.',
    verify: 'dig +short -t MX -q {sender_domain}; dig +short -t A -q {sender_domain}',
  },
  {
    ...remoteReply('postfix', 'spam-content'),
    hint: 'our message content',
    advice: 'The remote filter judged the message content as spam or dangerous. Check what was sent (links, attachments, forwarded spam).',
    verify: `postcat -hq -- {queue_id} || ${GREP_QUEUE_ID}`,
  },
  {
    ...remoteReply('postfix', 'administrative-prohibition'),
    hint: 'contact the remote admin',
    advice: 'The remote server refuses us by local policy without saying why. Ask their postmaster, quoting the time and our IP.',
    verify: PROBE,
  },
  {
    id: 'postfix.outbound.refused-to-talk',
    direction: 'outbound',
    match: { re: /^refused to talk to me: / },
    cause: 'connection-failed',
    hint: 'their server (greeting refused)',
    advice: 'The remote server refused the session at its greeting. Often temporary overload; when permanent, the reply text says whether it blocks us.',
    verify: 'swaks --to={rcpt} --quit-after CONNECT',
  },

  // ---- Fallbacks by RFC 3463 enhanced status.
  {
    ...remoteReply('postfix', 'status-user-unknown'),
    hint: 'remove the address from lists',
    advice: 'The remote status code says the mailbox does not exist. Check for a typo; otherwise remove the address.',
    verify: PROBE,
  },
  {
    ...remoteReply('postfix', 'status-domain'),
    hint: 'fix the domain (typo?)',
    advice: 'The remote status code says the destination domain is bad or has no route. Check the spelling of the domain.',
    verify: 'dig +short -t MX -q {domain}; dig +short -t A -q {domain}',
  },
  {
    ...remoteReply('postfix', 'status-disabled'),
    hint: 'remove the address from lists',
    advice: 'The remote status code says the mailbox is disabled. Treat as gone.',
    verify: PROBE,
  },
  {
    ...remoteReply('postfix', 'status-full'),
    hint: 'their mailbox is full',
    advice: 'The remote status code says the mailbox is full. The user has to make room.',
    verify: 'postqueue -p | grep -B2 -F -e {rcpt}',
  },
  {
    ...remoteReply('postfix', 'status-too-large'),
    hint: 'message size (attachments)',
    advice: 'The remote status code says the message is too large for the mailbox or the server.',
    verify: "swaks --to={rcpt} --quit-after EHLO | grep -i -e 'size'",
  },
  {
    ...remoteReply('postfix', 'status-sender-auth'),
    hint: 'our SPF/DKIM/DMARC',
    advice: 'The remote status code (RFC 7372) says SPF, DKIM or DMARC failed for our sender domain.',
    verify: 'dig +short -t TXT -q {sender_domain}; dig +short -t TXT -q {dmarc_name}',
  },
  {
    ...remoteReply('postfix', 'mailbox-unavailable'),
    hint: 'remove the address from lists',
    advice: 'The remote server says the mailbox is unavailable, which in practice means it does not exist. Check for a typo; otherwise remove the address.',
    verify: PROBE,
  },
  {
    ...remoteReply('postfix', 'code-user-not-local'),
    hint: 'update the address (user moved)',
    advice: 'The remote server answered 551 "user not local": the mailbox is not there (any more); the reply may name where it went. Update or remove the address.',
    verify: PROBE,
  },
  {
    ...remoteReply('postfix', 'code-auth-required'),
    hint: 'smtp_sasl_password_maps',
    advice: 'The next hop answered 530: it requires authentication (or TLS) before accepting mail from us.',
    verify: 'postconf relayhost smtp_sasl_auth_enable smtp_sasl_password_maps smtp_tls_security_level',
  },
  {
    ...remoteReply('postfix', 'status-content'),
    hint: 'our message content',
    advice: 'The remote status code (RFC 3463 X.6.x) says the message content or its encoding was refused: headers, 8-bit data, MIME structure.',
    verify: `postcat -hq -- {queue_id} || ${GREP_QUEUE_ID}`,
  },
  {
    ...remoteReply('postfix', 'status-policy'),
    hint: 'contact the remote admin',
    advice: 'The remote server refused us for a policy reason it does not name. Ask their postmaster, quoting the time and our IP.',
    verify: PROBE,
  },
  {
    ...remoteReply('postfix', 'status-network'),
    hint: 'their server (or our port 25)',
    advice: 'The status code says the remote host did not answer, the connection broke, or delivery took too long.',
    verify: 'swaks --to={rcpt} --quit-after CONNECT',
  },
  {
    ...remoteReply('postfix', 'status-protocol'),
    hint: 'contact the remote admin',
    advice: 'The remote server reports an SMTP protocol error in our session. Rare with Postfix as the client; a middlebox may be rewriting the session.',
    verify: PROBE,
  },
  {
    ...remoteReply('postfix', 'code-protocol'),
    hint: 'contact the remote admin',
    advice: 'The remote server answered 500–504 (syntax error, command not implemented, bad sequence) without a status code. Rare with Postfix as the client; a middlebox may be rewriting the session.',
    verify: PROBE,
  },
  {
    id: 'postfix.outbound.other',
    direction: 'outbound',
    match: {},
    cause: 'other',
    hint: 'contact the remote admin',
    advice: 'A failure no rule knows. The remote reply text is the best lead; if it persists, ask their postmaster.',
    verify: PROBE,
  },
];

/**
 * A rule for a domain we host that Postfix hands over SMTP to our own next hop: the phrase
 * match of the shared remote reply `name` (rules-remote.ts), or its enhanced status, limited to
 * the smtp agent. Cause from the shared entry; the caller adds hint, advice, verify.
 */
function NEXT_HOP(name: keyof typeof REMOTE_TEXT): Pick<Rule, 'id' | 'direction' | 'cause' | 'match'> {
  const r = REMOTE_TEXT[name];
  return { id: `postfix.local.next-hop-${name}`, direction: 'local', cause: r.cause, match: { ...r.match, agents: ['smtp'] } };
}

/** The side of the next-hop user-unknown rules: our recipient list for the domain is stale. */
const STALE_RECIPIENTS = {
  cause: 'user-unknown' as const,
  hint: 'relay_recipient_maps',
  advice:
    "We accepted the address for a domain we host, and the server behind us (mailbox server, the next hop in transport_maps) does not know it: our recipient list is stale. Keep relay_recipient_maps (or the domain's recipient table) in sync with it, so smtpd refuses such mail up front instead of bouncing it.",
  verify: `${lookup('relay_recipient_maps', '{rcpt}')}; postmap -q {domain} "$(postconf -h transport_maps)"`,
};

const LOCAL: Rule[] = [
  // ---- Next hops on this machine that are down.
  {
    id: 'postfix.local.content-filter-down',
    direction: 'local',
    match: { agents: ['smtp'], loopback: true, re: /^(?:connect to |lost connection with |conversation with |refused to talk to me: )/ },
    cause: 'connection-failed',
    hint: 'content_filter',
    advice:
      'The content filter on loopback (amavis, a milter-less scanner) is not answering, so all filtered mail is deferred. Restart it and check its log; the queue flushes by itself.',
    verify: "postconf content_filter; ss -ltnp | grep -F '127.0.0.1:'",
  },
  {
    // The filter's own verdicts (amavisd-new: `554 5.7.0 Reject, id=…`); a reply that the filter
    // only relays from further on reads like any remote one (below).
    id: 'postfix.local.content-filter-refused',
    direction: 'local',
    match: { agents: ['smtp'], loopback: true, permanent: true, any: ['reject, id=', 'spam', 'virus', 'infected', 'banned', 'content filter', 'rejected by filter'] },
    cause: 'spam-content',
    hint: 'content_filter',
    advice: 'The content filter on loopback refused the message (spam, virus, banned attachment); its own log (amavis, …) says why. Expected for spam; for a false positive, adjust the filter.',
    verify: `postconf content_filter; ${GREP_QUEUE_ID}`,
  },
  {
    id: 'postfix.local.next-hop-down',
    direction: 'local',
    match: { agents: ['smtp'], re: /^(?:connect to |lost connection with |conversation with |refused to talk to me: )/ },
    cause: 'connection-failed',
    hint: 'our next hop for the domain',
    advice: 'The server we hand mail for this domain to (relay_domains / transport_maps next hop, our mailbox server) is not answering. Check it runs and is reachable; the queue retries.',
    verify: 'postmap -q {domain} "$(postconf -h transport_maps)"; postconf relayhost relay_transport',
  },
  // A domain we host, delivered over SMTP to our own next hop: its reply text decides the cause.
  { ...NEXT_HOP('user-unknown'), ...STALE_RECIPIENTS },
  { id: 'postfix.local.next-hop-status-user-unknown', direction: 'local', match: { agents: ['smtp'], enhanced: ['x.1.1'] }, ...STALE_RECIPIENTS },
  ...(['mailbox-full', 'message-too-large', 'greylisted', 'rate-limited'] as const).map(
    (name): Rule => ({
      ...NEXT_HOP(name),
      hint: 'our next hop for the domain',
      advice: 'The server behind us that holds this domain (mailbox server, transport_maps next hop) refused the message; the reply says why.',
      verify: 'postmap -q {domain} "$(postconf -h transport_maps)"; postconf relayhost relay_transport',
    }),
  ),
  {
    // Any other answer of a next hop on loopback over SMTP comes from the content filter itself.
    id: 'postfix.local.content-filter-error',
    direction: 'local',
    match: { agents: ['smtp'], loopback: true },
    cause: 'other',
    hint: 'content_filter',
    advice: "The content filter on loopback accepted the connection but refused the message; its own log (amavis, …) says why.",
    verify: `postconf content_filter; ${GREP_QUEUE_ID}`,
  },
  {
    id: 'postfix.local.next-hop-other',
    direction: 'local',
    match: { agents: ['smtp'] },
    cause: 'other',
    hint: 'our next hop for the domain',
    advice: 'The server behind us that holds this domain (mailbox server, transport_maps next hop) refused the message; the reply says why.',
    verify: 'postmap -q {domain} "$(postconf -h transport_maps)"; postconf relayhost relay_transport',
  },
  {
    id: 'postfix.local.lmtp-down',
    direction: 'local',
    match: { agents: ['lmtp'], re: /^(?:connect to |lost connection with |conversation with )/ },
    cause: 'connection-failed',
    hint: 'virtual_transport / mailbox_transport (LMTP)',
    advice: 'The LMTP server (usually Dovecot) is not answering. Check it runs and that the socket path or port in the transport matches.',
    verify: 'postconf virtual_transport mailbox_transport; doveadm service status lmtp',
  },

  // ---- Unknown users found at delivery time (accepted first: backscatter risk).
  {
    // resolve.c: `5.1.1 User unknown in virtual alias table`, delivered by error(8) when the
    // address was accepted without a virtual_alias_maps check (sendmail/pickup, no smtpd check).
    id: 'postfix.local.virtual-alias-unknown',
    direction: 'local',
    match: { any: ['user unknown in virtual alias table'] },
    cause: 'user-unknown',
    hint: 'virtual_alias_maps',
    advice:
      'Mail for a virtual alias domain was accepted and then found to have no alias. Reject it at RCPT time instead (smtpd checks virtual_alias_maps) and add the alias if it should exist.',
    verify: lookup('virtual_alias_maps', '{rcpt}'),
  },
  {
    id: 'postfix.local.local-unknown-user',
    direction: 'local',
    match: { agents: ['local'], any: ['unknown user:'] },
    cause: 'user-unknown',
    hint: 'alias_maps / local_recipient_maps',
    advice:
      'local(8) found no account or alias for the name; often an alias that points at a user who was removed. Fix the alias target, and keep local_recipient_maps on so smtpd rejects such mail up front.',
    verify: `${lookup('alias_maps', '{local}')}; getent passwd -- {local}`,
  },
  {
    id: 'postfix.local.virtual-unknown-user',
    direction: 'local',
    match: { agents: ['virtual'], any: ['unknown user:'] },
    cause: 'user-unknown',
    hint: 'virtual_mailbox_maps',
    advice: 'virtual(8) found no mailbox for the address in virtual_mailbox_maps. Add the mailbox, or stop accepting the address at RCPT time.',
    verify: lookup('virtual_mailbox_maps', '{rcpt}'),
  },
  {
    // pipe(8): the command exited with EX_NOUSER (67), which Postfix reports as `user unknown`
    // with 5.1.1 (sys_exits.c), or printed a `5.1.1 text` of its own.
    id: 'postfix.local.pipe-user-unknown',
    direction: 'local',
    match: { agents: ['pipe'], enhanced: ['x.1.1'] },
    cause: 'user-unknown',
    hint: 'pipe transport in master.cf',
    advice:
      'The command that pipe(8) delivers to (a mailbox program, a list manager) said the user does not exist (exit status 67, EX_NOUSER). The address passed smtpd, so the recipient tables and the program disagree: make them read the same user list.',
    verify: 'postconf -M | grep -w pipe',
  },
  {
    id: 'postfix.local.mailbox-server-unknown-user',
    direction: 'local',
    match: { any: ["user doesn't exist", 'user unknown', 'unknown user', 'no such user', "mailbox doesn't exist", 'mailbox does not exist'] },
    cause: 'user-unknown',
    hint: 'Dovecot userdb vs virtual_mailbox_maps',
    advice:
      'Postfix accepted the address but the mailbox server (Dovecot LMTP or LDA) has no such user: Postfix\'s recipient table and Dovecot\'s userdb disagree. Make them read the same source.',
    verify: `doveadm user -- {rcpt}; ${lookup('virtual_mailbox_maps', '{rcpt}')}`,
  },

  // ---- Storage.
  {
    // virtual(8) sets its file size limit to virtual_mailbox_limit: writing past it fails with EFBIG.
    id: 'postfix.local.virtual-mailbox-limit',
    direction: 'local',
    match: { agents: ['virtual'], any: ['file too large', 'exceeds mailbox size limit'] },
    cause: 'mailbox-full',
    hint: 'virtual_mailbox_limit',
    advice:
      'The mailbox file reached virtual_mailbox_limit (with mbox-style mailboxes it limits the whole file; with maildir, each message). Archive or raise the limit; it must stay at or above message_size_limit.',
    verify: 'postconf virtual_mailbox_limit message_size_limit; ls -l "$(postconf -h virtual_mailbox_base)"',
  },
  {
    id: 'postfix.local.mailbox-size-limit',
    direction: 'local',
    match: { any: ['file too large', 'exceeds mailbox size limit'] },
    cause: 'mailbox-full',
    hint: 'mailbox_size_limit',
    advice:
      'The mailbox file reached mailbox_size_limit (virtual_mailbox_limit for virtual(8)). Archive or raise the limit; it must stay above message_size_limit.',
    verify: 'postconf mailbox_size_limit virtual_mailbox_limit message_size_limit',
  },
  {
    id: 'postfix.local.quota',
    direction: 'local',
    match: { any: ['quota', 'mailbox is full', 'mailbox full', 'no space left on device'] },
    cause: 'mailbox-full',
    hint: 'mailbox quota (Dovecot or file system)',
    advice: "The user's quota (Dovecot quota plugin or file-system quota) is exhausted, or the disk is full. Free space or raise the quota.",
    verify: 'doveadm quota get -u {rcpt}; df -h',
  },

  // ---- Loops and commands.
  {
    id: 'postfix.local.forwarding-loop',
    direction: 'local',
    match: { any: ['mail forwarding loop for', 'alias database loop for'] },
    cause: 'mail-loop',
    hint: 'aliases / .forward loop',
    advice: 'The message already carries a Delivered-To for this address: aliases, .forward files or virtual aliases forward it in a circle. Break the loop.',
    verify: `${lookup('alias_maps', '{local}')}; ${lookup('virtual_alias_maps', '{rcpt}')}`,
  },
  {
    id: 'postfix.local.pipe-command-failed',
    direction: 'local',
    match: { any: ['command died with', 'command time limit exceeded', 'command failed:', 'command output:'] },
    cause: 'other',
    hint: 'pipe transport in master.cf',
    advice: "A command that Postfix pipes mail into (pipe(8) service, mailbox_command, an alias |command) failed. Its exit status and output are in the reason; run it by hand to see why.",
    verify: "postconf -M | grep -w pipe; postconf mailbox_command",
  },
  {
    id: 'postfix.local.mailbox-write-failed',
    direction: 'local',
    match: { any: ['cannot update mailbox', 'delivery failed to mailbox', 'create maildir file', 'permission denied'] },
    cause: 'other',
    hint: 'mailbox permissions',
    advice: 'Postfix could not write to the mailbox file or maildir (ownership, permissions, missing directory). The reason names the path.',
    verify: 'postconf mail_spool_directory home_mailbox virtual_mailbox_base',
  },

  {
    // Anything else a pipe(8) command ended with: its exit status (EX_TEMPFAIL 75 → `temporary
    // failure`, …) and output are in the reason.
    id: 'postfix.local.pipe-other',
    direction: 'local',
    match: { agents: ['pipe'] },
    cause: 'other',
    hint: 'pipe transport in master.cf',
    advice: "The command that pipe(8) delivers to failed; its exit status and output are in the reason. Run it by hand with the same arguments to see why.",
    verify: 'postconf -M | grep -w pipe',
  },

  // ---- Fallbacks.
  {
    id: 'postfix.local.other',
    direction: 'local',
    match: {},
    cause: 'other',
    hint: 'local delivery agent',
    advice: 'Local delivery failed for a reason no rule knows; the reason text and the log of the delivery agent (Dovecot, the pipe command) say what it hit.',
    verify: GREP_QUEUE_ID,
  },
];

export const POSTFIX_RULES: readonly Rule[] = [...INBOUND, ...OUTBOUND, ...LOCAL];
