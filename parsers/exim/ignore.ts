/**
 * Exim lines that are known and deliberately not events, with the reason they are ignored.
 * Texts follow Exim 4.8x–4.99 (smtp_in.c, daemon.c, queue.c, deliver.c, receive.c, tls-*.c) and
 * common add-ons (SA-Exim's `SA:` lines). Matched by prefix of the text after the stamp (and
 * after the message id for MESSAGE_RULES). Ignored on purpose: connection chatter, TLS, SASL
 * failures (brute force, not mail refused), queue runner and daemon bookkeeping, the detail
 * lines that precede a rejection which is itself logged (`sender verify fail for <…>`), the
 * per-host errors that precede a `==`/`**` line, and ACL `warn` output (`Warning: …`, including
 * site-specific ones such as `Warning: unknown recipient …`).
 */
import type { IgnoreReason } from '../../src/event.js';

export type PrefixRule = readonly [prefix: string, reason: IgnoreReason];

/** Lines without a message id. */
export const PLAIN_RULES: readonly PrefixRule[] = [
  // SMTP session life cycle (smtp_in.c, daemon.c)
  ['SMTP connection from ', 'session'], // `… (TCP/IP connection count = 1)`, `… closed by QUIT`, `… lost`, `… closed by DROP in ACL`
  ['SMTP call from ', 'session'], // `… dropped: too many nonmail commands`, `… too many syntax or protocol errors`
  ['no MAIL in ', 'session'],
  ['no host name found for IP address ', 'session'],
  ['no IP address found for host ', 'session'],
  ['unexpected disconnection while reading SMTP command from ', 'session'],
  ['Connection from ', 'session'], // `Connection from [ip] refused: too many connections`
  ['SMTP command timeout on connection from ', 'session'],
  ['SMTP data timeout (message abandoned) on connection from ', 'session'],
  ['SMTP syntax error in ', 'session'],
  ['Failed to connect to ', 'session'],
  ['host name alias list truncated', 'session'],
  ['incomplete transaction ', 'session'],
  ['SMTP timeout after ', 'session'],
  ['Error or EOF on input from ', 'session'],
  // TLS (tls-openssl.c, tls-gnu.c)
  ['TLS error on connection ', 'tls'],
  ['TLS client disconnected cleanly', 'tls'],
  ['TLS session: ', 'tls'],
  ['TLS send error ', 'tls'],
  ['TLS recv error ', 'tls'],
  ['STARTTLS ', 'tls'],
  // daemon, queue runner, logging of arguments (log_selector +arguments)
  ['Start queue run: ', 'bookkeeping'],
  ['End queue run: ', 'bookkeeping'],
  ["Start '", 'bookkeeping'], // named queues (4.88+): `Start 'q2' queue run: pid=…`
  ["End '", 'bookkeeping'],
  ['cwd=', 'bookkeeping'],
  ['pid ', 'bookkeeping'], // `pid 1234: SIGHUP received: re-exec daemon`
  ['daemon ', 'bookkeeping'],
  ['Spool file ', 'bookkeeping'],
  ['Tidying ', 'bookkeeping'],
  // Exim's own warnings and notices
  ['Warning: ', 'warning'],
  // exim.c: a delivery process re-executed with -C/-D gives up root (seen in the Exim lab).
  ['exim user lost privilege for using ', 'warning'],
  ['ACL "', 'warning'], // `ACL "warn" with "message" setting found in a non-message … ACL`
  ['spool directory space check failed', 'warning'],
  ['log directory space check failed', 'warning'],
  ['configured error code starts with incorrect digit', 'warning'],
  ['bind of ', 'warning'],
  ['sender verify ', 'warning'], // `sender verify defer (making callout connection): …`
  ['recipient verify ', 'warning'],
  ['DNS list lookup defer', 'warning'],
  ['DNS list lookup for ', 'warning'],
  ['failed to expand ', 'warning'],
  ['Failed to expand ', 'warning'],
  ['Failed to open ', 'warning'],
  ['qualify/rewrite: ', 'warning'],
];

/** Lines after a message id. */
export const MESSAGE_RULES: readonly PrefixRule[] = [
  ['SA: ', 'content-action'], // SA-Exim: `SA: Debug: …`, `SA: Action: …` (its refusal is logged by local_scan)
  ['DKIM: ', 'bookkeeping'], // verification results
  ['Frozen', 'bookkeeping'],
  ['Unfrozen ', 'bookkeeping'],
  ['Message is frozen', 'bookkeeping'],
  ['frozen by ', 'bookkeeping'],
  ['Spool file ', 'bookkeeping'], // `Spool file is locked (another process is handling this message)`
  ['removed by ', 'bookkeeping'], // exim -Mrm
  ['no immediate delivery', 'bookkeeping'],
  ['cancelled by timeout_frozen_after', 'bookkeeping'],
  ['SMTP connection from ', 'session'], // `… closed by DROP in ACL` while a message was in progress
  ['SMTP data timeout', 'session'],
  ['SMTP timeout after ', 'session'],
  ['Failed to connect to ', 'session'],
  ['Remote host ', 'session'],
  ['SMTP error from remote ', 'session'], // per-host reply before the `==`/`**` line (older form)
  ['TLS error on connection ', 'tls'],
  ['TLS session: ', 'tls'],
  ['Warning: ', 'warning'],
  ['qualify/rewrite: ', 'warning'],
  ['no recipients found in headers', 'warning'],
  ['Failed to open ', 'warning'], // bounce_message_file / warn_message_file
  ['Failed to expand ', 'warning'],
  ['bounce_message_file ', 'warning'],
  ['warn_message_file ', 'warning'],
];

export function matchPrefix(rules: readonly PrefixRule[], text: string): IgnoreReason | null {
  for (const [prefix, reason] of rules) {
    if (text.startsWith(prefix)) return reason;
  }
  return null;
}

/** `<name> authenticator failed for …` (any authenticator driver name). */
export function isAuthFailure(text: string): boolean {
  const sp = text.indexOf(' ');
  return sp > 0 && sp <= 64 && text.startsWith('authenticator failed for ', sp + 1);
}

/** `SMTP protocol error in "AUTH LOGIN" …` is AUTH chatter; other protocol errors are session. */
export function protocolErrorReason(text: string): IgnoreReason | null {
  if (!text.startsWith('SMTP protocol error in "')) return null;
  const c = text.slice(24, 28).toUpperCase();
  return c === 'AUTH' ? 'auth' : 'session';
}
