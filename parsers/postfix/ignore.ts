/**
 * Postfix lines that are known and deliberately not events, with the reason they are ignored.
 * Matched by prefix of the message (after the queue id, when there is one). Everything a
 * Postfix program logs that is neither here nor an event pattern is counted as unrecognised.
 */
import type { IgnoreReason } from '../../src/event.js';

export type PrefixRule = readonly [prefix: string, reason: IgnoreReason];

/** Messages without a queue id. */
export const NO_QUEUE_ID: readonly PrefixRule[] = [
  // smtpd / smtp session life cycle
  ['connect from ', 'session'],
  ['disconnect from ', 'session'],
  ['lost connection after ', 'session'],
  ['timeout after ', 'session'],
  ['too many errors after ', 'session'],
  ['improper command pipelining after ', 'session'],
  ['connect to ', 'session'], // smtp: `connect to mx[ip]:25: Connection refused` before trying the next MX
  ['SSL_accept error', 'tls'],
  ['SSL_connect error', 'tls'],
  ['non-SMTP command from ', 'session'],
  ['bare <LF> received', 'session'],
  ['discarding EHLO keywords', 'session'],
  ['Connection concurrency limit exceeded', 'session'],
  ['Connection rate limit exceeded', 'session'],
  ['Anonymous TLS connection established', 'tls'],
  ['Trusted TLS connection established', 'tls'],
  ['Untrusted TLS connection established', 'tls'],
  ['Verified TLS connection established', 'tls'],
  ['TLS connection established', 'tls'],
  ['setting up TLS connection', 'tls'],
  ['initializing the server-side TLS engine', 'tls'],
  ['initializing the client-side TLS engine', 'tls'],
  ['server certificate verification failed', 'tls'],
  ['client certificate verification failed', 'tls'],
  ['certificate verification failed', 'tls'],
  ['TLS library problem', 'tls'],
  ['SASL authentication failure', 'auth'],
  // postscreen triage before any reject (PASS, DNSBL rank, pregreet, …) and dnsblog results
  ['CONNECT from ', 'postscreen-triage'],
  ['DISCONNECT ', 'postscreen-triage'],
  ['PASS NEW ', 'postscreen-triage'],
  ['PASS OLD ', 'postscreen-triage'],
  ['DNSBL rank ', 'postscreen-triage'],
  ['PREGREET ', 'postscreen-triage'],
  ['HANGUP after ', 'postscreen-triage'],
  ['WHITELISTED ', 'postscreen-triage'],
  ['WHITELIST VETO ', 'postscreen-triage'],
  ['ALLOWLISTED ', 'postscreen-triage'],
  ['ALLOWLIST VETO ', 'postscreen-triage'],
  ['BLACKLISTED ', 'postscreen-triage'],
  ['DENYLISTED ', 'postscreen-triage'],
  ['BARE NEWLINE ', 'postscreen-triage'],
  ['NON-SMTP COMMAND ', 'postscreen-triage'],
  ['COMMAND PIPELINING ', 'postscreen-triage'],
  ['COMMAND TIME LIMIT ', 'postscreen-triage'],
  ['COMMAND COUNT LIMIT ', 'postscreen-triage'],
  ['COMMAND LENGTH LIMIT ', 'postscreen-triage'],
  ['addr ', 'postscreen-triage'], // dnsblog: `addr 192.0.2.1 listed by domain zen.spamhaus.org as 127.0.0.2`
  ['cache ', 'bookkeeping'], // postscreen/verify cache cleanup
  // daemons' statistics and the master process
  ['statistics: ', 'bookkeeping'],
  ['daemon started', 'bookkeeping'],
  ['terminating on signal', 'bookkeeping'],
  ['reload ', 'bookkeeping'],
  ['reload -- version', 'bookkeeping'],
  ['starting the Postfix mail system', 'bookkeeping'],
  ['stopping the Postfix mail system', 'bookkeeping'],
  ['refreshing the Postfix mail system', 'bookkeeping'],
  ['the Postfix mail system is running', 'bookkeeping'],
  ['the Postfix mail system is not running', 'bookkeeping'],
  ['waiting for the Postfix mail system to terminate', 'bookkeeping'], // postfix-script during stop
  ['Postfix is running', 'bookkeeping'],
  ['Postfix is using backwards-compatible', 'bookkeeping'],
  ['Postfix is ', 'bookkeeping'],
  ['mail system is ', 'bookkeeping'],
  ['table ', 'bookkeeping'], // `table hash:/etc/postfix/x has changed -- restarting`
  ['open active ', 'bookkeeping'],
  ['open incoming ', 'bookkeeping'],
  ['open deferred ', 'bookkeeping'],
  ['skipped, still being delivered', 'bookkeeping'],
  ['Deleted: ', 'bookkeeping'], // postsuper
  ['Requeued: ', 'bookkeeping'],
  ['Placed on hold: ', 'bookkeeping'],
  ['Released from hold: ', 'bookkeeping'],
  ['flush ', 'bookkeeping'],
  ['dict_', 'warning'],
  ['database ', 'warning'], // `database /etc/postfix/x.db is older than source file`
  ['support for restriction ', 'warning'], // Postfix 3.x compatibility warnings
  ['using backwards-compatible default setting', 'warning'],
  ['To disable backwards compatibility', 'warning'],
  ['Please update ', 'warning'],
  ['See http', 'warning'],
  // `error:`, `fatal:` and `panic:` lines are health events (health.ts); so are the
  // `warning:` lines that health.ts names, the others are ignored in body.ts.
  ['warning: ', 'warning'],
];

/** Messages after `QUEUEID: ` that are not events. */
export const AFTER_QUEUE_ID: readonly PrefixRule[] = [
  ['message-id=', 'bookkeeping'],
  ['resent-message-id=', 'bookkeeping'],
  ['skipped, still being delivered', 'bookkeeping'],
  ['enabling PIX workarounds', 'session'],
  ['lost connection after ', 'session'],
  ['SASL authentication failed', 'auth'], // smtp client to a relayhost; the deferral line follows
  ['requeued', 'bookkeeping'],
  ['placed on hold', 'bookkeeping'],
  ['released from hold', 'bookkeeping'],
  ['lost connection with ', 'session'],
  ['conversation with ', 'session'],
  ['host ', 'session'], // `host mx1[ip] said: 4xx …` before trying the next MX; the status line follows
  ['connect to ', 'session'],
  ['Cannot start TLS', 'tls'],
  ['TLS is required', 'tls'],
  ['sender_canonical_maps ', 'warning'],
  // header/body checks and milters that do not refuse the message
  ['warning: ', 'content-action'],
  ['info: ', 'content-action'],
  ['prepend: ', 'content-action'],
  ['replace: ', 'content-action'],
  ['redirect: ', 'content-action'],
  ['filter: ', 'content-action'],
  ['hold: ', 'content-action'],
  ['discard: ', 'content-action'],
  ['warn: ', 'content-action'],
  ['milter-header-redirect: ', 'content-action'],
  ['milter-redirect: ', 'content-action'],
  ['milter-hold: ', 'content-action'],
  ['milter-discard: ', 'content-action'],
  ['milter-replace: ', 'content-action'],
  ['proxy-accept: ', 'content-action'],
  ['reject_warning: ', 'not-enforced'],
  ['milter-reject_warning: ', 'not-enforced'],
];

/**
 * The reason of the first rule whose prefix `text` starts with (at `from`). Tried only among the rules whose
 * prefix starts with the same character (kept in table order), so a line tries a handful of
 * prefixes instead of all eighty: most lines of a busy log end up here.
 */
export function matchPrefix(rules: readonly PrefixRule[], text: string, from = 0): IgnoreReason | null {
  const index = indexOf(rules);
  if (index === null) return matchLinear(rules, from === 0 ? text : text.slice(from));
  const candidates = index.get(text.charCodeAt(from));
  if (candidates === undefined) return null;
  for (let i = 0; i < candidates.length; i++) {
    const rule = candidates[i]!;
    if (text.startsWith(rule[0], from)) return rule[1];
  }
  return null;
}

function matchLinear(rules: readonly PrefixRule[], text: string): IgnoreReason | null {
  for (const [prefix, reason] of rules) {
    if (text.startsWith(prefix)) return reason;
  }
  return null;
}

const indexes = new WeakMap<readonly PrefixRule[], Map<number, PrefixRule[]> | null>();

/** Rules by the first character of their prefix; null (scan them all) if a prefix is empty. */
function indexOf(rules: readonly PrefixRule[]): Map<number, PrefixRule[]> | null {
  let index = indexes.get(rules);
  if (index === undefined) {
    index = rules.some(([prefix]) => prefix === '') ? null : new Map();
    for (const rule of index ? rules : []) {
      const c = rule[0].charCodeAt(0);
      let list = index!.get(c);
      if (list === undefined) index!.set(c, (list = []));
      list.push(rule);
    }
    indexes.set(rules, index);
  }
  return index;
}
