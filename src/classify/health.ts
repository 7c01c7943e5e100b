/**
 * Health event → Classification: a finding of its own per (MTA, problem, subject), direction
 * `local` (the fix is on this server), cause `server-health`. The hint names the problem and
 * what it is about; the advice names the setting behind it, guessed from the table's file name
 * where Postfix's conventional names make that safe; the verify command shows the setting and
 * tries the table, service or file (values quoted by renderVerify, as every rule's). Pure.
 */
import type { HealthEvent, HealthProblem } from '../event.js';
import { renderVerify, type Rule } from './classify.js';
import type { Classification } from './types.js';

/** What the hint says for each problem, before the subject. */
const LABEL: Record<HealthProblem, string> = {
  'table-unavailable': 'table unavailable',
  'table-stale': 'table older than its source',
  'lookup-error': 'lookup error',
  'milter-unavailable': 'milter not answering',
  'service-unavailable': 'service not answering',
  'tls-config': 'TLS certificate or key',
  'queue-space': 'queue file system full',
  'config-error': 'configuration error',
  other: 'other',
};

/**
 * The Postfix parameter conventionally pointing at a table, by its file's base name (the names
 * of Postfix's own READMEs and Debian's defaults); null when the name says nothing.
 */
const SETTING_BY_NAME: ReadonlyArray<readonly [RegExp, string]> = [
  [/^transport$/, 'transport_maps'],
  [/^virtual(?:_alias(?:es|_maps)?)?$/, 'virtual_alias_maps'],
  [/^(?:vmailbox|virtual_mailbox(?:es|_maps)?)$/, 'virtual_mailbox_maps'],
  [/^(?:virtual_domains|virtual_mailbox_domains)$/, 'virtual_mailbox_domains'],
  [/^alias(?:es)?$/, 'alias_maps'],
  [/^relay_recipients?(?:_maps)?$/, 'relay_recipient_maps'],
  [/^relay_domains$/, 'relay_domains'],
  [/^(?:sender_)?canonical$/, 'sender_canonical_maps / canonical_maps'],
  [/^recipient_canonical$/, 'recipient_canonical_maps'],
  [/^relocated$/, 'relocated_maps'],
  [/^sasl_passwd$/, 'smtp_sasl_password_maps'],
  [/^(?:tls_policy|smtp_tls_policy)$/, 'smtp_tls_policy_maps'],
  [/^(?:sender_relay|relayhost_map|sender_dependent_relayhost)$/, 'sender_dependent_relayhost_maps'],
  [/^(?:client|helo|sender|recipient)_(?:access|checks)$/, 'smtpd_*_restrictions (check_*_access)'],
  [/^access$/, 'smtpd_*_restrictions (check_*_access)'],
  [/^(?:header|body|mime_header)_checks$/, 'header_checks / body_checks'],
  [/^generic$/, 'smtp_generic_maps'],
];

/** The base name of a table or file without its type (`hash:`) and extension (`.db`, `.cf`). */
function baseName(subject: string): string {
  const colon = subject.lastIndexOf(':');
  const path = colon >= 0 ? subject.slice(colon + 1) : subject;
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The Postfix setting that likely names the table, or null. */
export function settingOf(subject: string | null): string | null {
  if (subject === null) return null;
  const name = baseName(subject).toLowerCase();
  for (const [re, setting] of SETTING_BY_NAME) if (re.test(name)) return setting;
  return null;
}

/** `hash:/etc/postfix/transport` → `/etc/postfix/transport`: the source file of a file-based table. */
function sourceFile(table: string): string | null {
  const colon = table.lastIndexOf(':');
  const path = colon >= 0 ? table.slice(colon + 1) : table;
  return path.startsWith('/') ? path : null;
}

interface HealthRule {
  advice: string;
  verify: string;
}

const POSTFIX_TABLE_VERIFY = `postconf -n | grep -F -e {table}; postmap -q - -- {table} </dev/null && echo 'the table opens'`;

const POSTFIX: Record<HealthProblem, HealthRule> = {
  'table-unavailable': {
    advice:
      'Postfix cannot open this table, so every lookup in it fails and the mail that needs it is deferred (4xx) until it can. Rebuild it (postmap, or postalias for alias tables) or fix the setting that names it.',
    verify: POSTFIX_TABLE_VERIFY,
  },
  'table-stale': {
    advice:
      'The source file was edited after the table was built: Postfix still answers from the old .db. Run postmap on the source (postalias for aliases) and, for a long-running daemon, postfix reload.',
    verify: `ls -l --full-time -- {file} {file}.db {file}.lmdb {file}.cdb 2>/dev/null`,
  },
  'lookup-error': {
    advice:
      'A lookup in this table failed (database down, file unreadable, bad query): Postfix defers the mail it was looking up with 451 4.3.0. Check the table and the server behind it.',
    verify: POSTFIX_TABLE_VERIFY,
  },
  'milter-unavailable': {
    advice:
      'A milter in smtpd_milters / non_smtpd_milters does not answer: with milter_default_action = tempfail (the default) mail is refused with 451 4.7.1 until it does. Start the milter or fix its socket.',
    verify: `postconf -n | grep -F -e {service}; postconf milter_default_action`,
  },
  'service-unavailable': {
    advice:
      'A service Postfix talks to (a check_policy_service policy daemon, tlsmgr, proxymap …) does not answer: a policy service that is down makes smtpd defer with 451 4.3.5. Start it, or fix its master.cf entry or socket.',
    verify: `postconf -n | grep -F -e {service}; postconf -M | grep -F -e {service}`,
  },
  'tls-config': {
    advice:
      'A certificate, key or CA file named by smtpd_tls_cert_file / smtpd_tls_key_file / smtpd_tls_chain_files (or the smtp_ ones) cannot be loaded: Postfix turns TLS off, and peers that require it cannot deliver.',
    verify: `postconf -n | grep -e _tls_ ; ls -l -- {file}`,
  },
  'queue-space': {
    advice:
      'The queue file system is full or cannot be written: smtpd refuses mail with 452 4.3.1 / 451 4.3.0 until there is room (queue_minfree, message_size_limit). Free space or move the queue.',
    verify: `df -h -- "$(postconf -h queue_directory)"; postconf queue_minfree message_size_limit`,
  },
  'config-error': {
    advice: 'Postfix rejects part of its own configuration: a daemon that reads it exits, and what it serves stops. Fix main.cf / master.cf and run postfix reload.',
    verify: `postconf -n >/dev/null; ls -l -- {file}`,
  },
  other: {
    advice: 'Postfix reports an error of its own; a fatal or panic line means the daemon that logged it exited. Read the line and the ones around it.',
    verify: `postconf -n >/dev/null`,
  },
};

const EXIM_CONF = `"$(exim -bP -n configure_file)"`;
const EXIM: Record<HealthProblem, HealthRule> = {
  ...POSTFIX,
  'table-unavailable': {
    advice:
      'Exim cannot open this lookup file: routers and ACLs that use it defer (the mail stays queued, RCPT gets 451). Create the file or fix the path in the configuration.',
    verify: `ls -l -- {file}; grep -n -F -e {file} -- ${EXIM_CONF}`,
  },
  'lookup-error': {
    advice: 'An Exim lookup deferred (database down, file unreadable): the routers and ACLs that use it defer. Check the lookup and the server behind it.',
    verify: `exim -bV >/dev/null && echo 'configuration reads'`,
  },
  'config-error': {
    advice: 'Exim cannot read its configuration: the daemon or the delivery process that read it exits. Fix the line named and check with exim -bV.',
    verify: `exim -bV >/dev/null && echo 'configuration reads'`,
  },
  'queue-space': {
    advice: 'The spool (or log) file system has less room than check_spool_space / check_log_space ask for: Exim refuses mail with 452 until there is room.',
    verify: `df -h -- "$(exim -bP -n spool_directory)"; exim -bP check_spool_space check_log_space`,
  },
  other: { advice: 'Exim logged a panic or error of its own; read the line and the ones around it.', verify: `exim -bV >/dev/null && echo 'configuration reads'` },
};

const TABLES: Partial<Record<HealthEvent['mta'], Record<HealthProblem, HealthRule>>> = { postfix: POSTFIX, exim: EXIM };

/** Every health verify template as a Rule, for the test that runs every template with hostile values. */
export const HEALTH_RULES: readonly Rule[] = Object.entries(TABLES).flatMap(([mta, table]) =>
  Object.entries(table!).map(([problem, r]) => ({
    id: `${mta}.health.${problem}`,
    direction: 'local' as const,
    match: {},
    cause: 'server-health' as const,
    hint: LABEL[problem as HealthProblem],
    advice: r.advice,
    verify: r.verify,
  })),
);

/** The hint of a health finding: its problem and subject (`table unavailable: hash:/etc/postfix/transport`). */
export function healthHint(ev: Pick<HealthEvent, 'problem' | 'subject'>): string {
  const subject = ev.subject === null ? null : ev.subject.length > 120 ? ev.subject.slice(0, 119) + '…' : ev.subject;
  return subject === null ? LABEL[ev.problem] : `${LABEL[ev.problem]}: ${subject}`;
}

export function classifyHealth(ev: HealthEvent): Classification {
  const rule = (TABLES[ev.mta] ?? POSTFIX)[ev.problem];
  const setting = ev.mta === 'postfix' ? settingOf(ev.subject) : null;
  const advice = setting === null ? rule.advice : `${rule.advice} Setting: ${setting}.`;
  const isTable = ev.problem === 'table-unavailable' || ev.problem === 'lookup-error';
  const table = isTable && ev.subject !== null && ev.subject.includes(':') ? ev.subject : null;
  const file = ev.subject === null ? null : isTable ? sourceFile(ev.subject) : ev.subject.startsWith('/') ? ev.subject : null;
  const service = ev.problem === 'milter-unavailable' || ev.problem === 'service-unavailable' ? ev.subject : null;
  return {
    direction: 'local',
    cause: 'server-health',
    hint: healthHint(ev),
    advice,
    verify: renderVerify(rule.verify, { table: table ?? ev.subject, file, service }, 'sh'),
    rule: `${ev.mta}.health.${ev.problem}`,
    // Nothing is lost by this line itself: its refusals are findings of their own.
    permanent: false,
  };
}
