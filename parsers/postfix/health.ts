/**
 * Postfix's own complaints about the server: `warning:`, `error:`, `fatal:` and `panic:` lines
 * that name a broken lookup table, milter, policy or other service, certificate, the queue or the
 * configuration. Phrasings are Postfix 3.x's (util/dict.c, dict_surrogate.c, dict_db.c,
 * global/maps.c, milter/milter8.c, util/attr_clnt.c, util/auto_clnt.c, tls/tls_certkey.c,
 * smtpd/smtpd.c, global/mail_conf*.c), checked against the strings of Debian's 3.7 binaries.
 * Warnings about clients (`hostname … does not resolve`, `non-SMTP command`, …) are not about
 * this server and stay ignored as `warning`; every `error:`, `fatal:` and `panic:` is health.
 */
import type { HealthProblem, HealthSeverity } from '../../src/event.js';

export interface HealthFacts {
  severity: HealthSeverity;
  problem: HealthProblem;
  subject: string | null;
  /** The message after `severity: `. */
  text: string;
}

const SEVERITIES: ReadonlyArray<readonly [string, HealthSeverity]> = [
  ['warning: ', 'warning'],
  ['error: ', 'error'],
  ['fatal: ', 'fatal'],
  ['panic: ', 'panic'],
];

/**
 * Substrings that make a `warning:` line a health line (triage() and triageAscii() pass those
 * lines on to the parser). Each is a fixed part of a Postfix format string.
 */
export const HEALTH_WARNINGS: readonly string[] = [
  ' is unavailable. ', // dict_surrogate.c: `%s:%s is unavailable. %s`
  ' is older than source file ', // dict_*.c: `database %s is older than source file %s`
  ' lookup error for ', // maps.c, smtpd_check.c: `%s:%s lookup error for "%s"`
  ' lookup failure', // trivial-rewrite: `transport_maps lookup failure`
  'table lookup problem', // dict.c: `%s:%s: table lookup problem`
  'table lookup error', // match_list.c: `%s: %s: table lookup error -- ignoring …`
  'unsupported dictionary type', // dict_open.c
  'reply packet header', // milter8.c: `milter %s: can't read %s reply packet header: %m`
  'connect to Milter service ', // milter8.c
  'problem talking to serv', // attr_clnt.c: `problem talking to server %s: %m` (and `service`)
  'connect to private/', // auto_clnt.c: `connect to %s: %m` for a local service
  'connect to public/',
  'error loading ', // tls_certkey.c: certificate, key, chain
  'disabling TLS support', // tls_misc.c, tls_certkey.c
  'not enough free space in mail queue', // smtpd.c
  'queue file write error', // cleanup, smtpd
  'No space left on device',
  'open database ', // dict_db.c / dict_lmdb.c without the surrogate line
  ' killed by signal ', // master: `process /usr/libexec/postfix/smtpd pid 46234 killed by signal 11`
];

// `%s:%s is unavailable. %s` — the table name is the token before; it holds no space.
const UNAVAILABLE = ' is unavailable. ';

/** The health facts of a message that starts with a severity, or null when it is not a health line. */
export function postfixHealth(body: string): HealthFacts | null {
  let severity: HealthSeverity | null = null;
  let at = 0;
  for (const [prefix, s] of SEVERITIES) {
    if (body.startsWith(prefix)) {
      severity = s;
      at = prefix.length;
      break;
    }
  }
  if (severity === null) return null;
  const text = body.slice(at);
  // `fatal: usage: postsuper …`: someone typed a command wrong; nothing is broken.
  if (text.startsWith('usage: ')) return null;
  const found = what(text);
  if (found === null) return severity === 'warning' ? null : { severity, problem: 'other', subject: null, text };
  return { severity, problem: found[0], subject: found[1], text };
}

/** The last space-free token of `text` before position `end` (a table, service or file name). */
function tokenBefore(text: string, end: number): string | null {
  let start = end;
  while (start > 0 && text.charCodeAt(start - 1) !== 32) start--;
  let s = text.slice(start, end);
  if (s.endsWith(':')) s = s.slice(0, -1);
  return s.length > 0 && s.length <= 512 ? s : null;
}

/** The space-free token of `text` from `start` on, without a trailing `:` or `,`. */
function tokenAt(text: string, start: number): string | null {
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 32) end++;
  let s = text.slice(start, end);
  while (s.endsWith(':') || s.endsWith(',')) s = s.slice(0, -1);
  return s.length > 0 && s.length <= 512 ? s : null;
}

/** The first absolute path in `text`, for messages that name a file somewhere in them. */
function firstPath(text: string): string | null {
  const slash = text.indexOf(' /');
  return slash < 0 ? (text.startsWith('/') ? tokenAt(text, 0) : null) : tokenAt(text, slash + 1);
}

function what(text: string): [HealthProblem, string | null] | null {
  let i = text.indexOf(UNAVAILABLE);
  if (i > 0 && !text.startsWith('access table ')) return ['table-unavailable', tokenBefore(text, i)];
  i = text.indexOf(' is older than source file ');
  if (i > 0) return ['table-stale', tokenAt(text, i + 27)];
  if (text.startsWith('open database ')) return ['table-unavailable', tokenAt(text, 14)];
  i = text.indexOf('unsupported dictionary type: ');
  if (i >= 0) return ['config-error', tokenAt(text, i + 29)];
  i = text.indexOf(' lookup error for ');
  // dnsblog: `dnsblog_query: lookup error for DNS query …`: a DNSBL's DNS, not a table of ours.
  if (i > 0 && !text.startsWith(' DNS query ', i + 17)) {
    // `%s: table %s:%s lookup error for %s`, `%s:%s lookup error for "%s"`, `%s: %s map lookup error for %s`
    const end = text.startsWith(' map', i - 4) ? i - 4 : i;
    return ['lookup-error', tokenBefore(text, end)];
  }
  i = text.indexOf(': table lookup problem');
  if (i > 0) return ['lookup-error', tokenBefore(text, i)];
  i = text.indexOf(': table lookup error');
  if (i > 0) return ['lookup-error', tokenBefore(text, i)];
  i = text.indexOf(' lookup failure');
  if (i > 0 && text.indexOf(' ') === i) return ['lookup-error', text.slice(0, i)];
  if (text.startsWith('milter ')) return ['milter-unavailable', tokenAt(text, 7)];
  i = text.indexOf('connect to Milter service ');
  if (i >= 0) return ['milter-unavailable', tokenAt(text, i + 26)];
  i = text.indexOf('problem talking to server ');
  if (i >= 0) return ['service-unavailable', tokenAt(text, i + 26)];
  i = text.indexOf('problem talking to service ');
  if (i >= 0) return ['service-unavailable', tokenAt(text, i + 27)];
  i = text.indexOf('connect to private/');
  if (i < 0) i = text.indexOf('connect to public/');
  if (i >= 0) return ['service-unavailable', tokenAt(text, i + 11)];
  if (text.includes('not enough free space in mail queue') || text.includes('No space left on device') || text.includes('queue file write error')) {
    return ['queue-space', null];
  }
  if (text.includes('disabling TLS support') || text.startsWith('error loading ') || text.includes('No certs for key')) {
    return ['tls-config', firstPath(text)];
  }
  // mail_conf*.c: `file /etc/postfix/main.cf: parameter x: bad parameter value: y`, `parameter x: …`
  if (text.startsWith('file ') && text.includes(': parameter ')) return ['config-error', tokenAt(text, text.indexOf(': parameter ') + 12)];
  if (text.startsWith('parameter ')) return ['config-error', tokenAt(text, 10)];
  if (text.startsWith('open ') && text.includes('main.cf')) return ['config-error', tokenAt(text, 5)];
  if (text.startsWith('process ') && text.includes(' killed by signal ')) return ['other', tokenAt(text, 8)];
  return null;
}

/** `reload -- version 3.7.11, configuration /etc/postfix`, `daemon started -- version …` (master.c). */
export function postfixMarker(body: string): { marker: 'start' | 'reload'; version: string | null } | null {
  let marker: 'start' | 'reload';
  let at: number;
  if (body.startsWith('reload -- version ')) {
    marker = 'reload';
    at = 18;
  } else if (body.startsWith('daemon started -- version ')) {
    marker = 'start';
    at = 26;
  } else return null;
  const comma = body.indexOf(',', at);
  const version = body.slice(at, comma < 0 ? Math.min(body.length, at + 32) : Math.min(comma, at + 32));
  return { marker, version: version.length > 0 ? version : null };
}
