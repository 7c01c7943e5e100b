/**
 * journald input. `journalctl -o json` writes one JSON object per entry (fields documented in
 * systemd.journal-fields(7): __REALTIME_TIMESTAMP in microseconds since the epoch, _HOSTNAME,
 * SYSLOG_IDENTIFIER, _PID / SYSLOG_PID, MESSAGE — a string, or an array of bytes when it is not
 * valid UTF-8, or null when journalctl left out a big field). journalEntryLine() turns such an
 * entry into the RFC 3339 syslog line rsyslog would have written, so everything after it (format
 * detection, the syslog envelope, the parsers) reads it like any mail log. `-o short-iso` output
 * is a syslog form the envelope reader already knows.
 *
 * `--journal` runs `journalctl -o json` itself for the mail units of the MTA installed here,
 * with an argument vector (no shell), and the analysis reads its standard output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';

/** Where the installed MTAs' programs live (Debian, RHEL, the BSD ports tree). */
const POSTFIX_BINARIES = ['/usr/sbin/postfix', '/usr/lib/postfix/sbin/master', '/usr/libexec/postfix/master', '/usr/local/sbin/postfix'];
const EXIM_BINARIES = ['/usr/sbin/exim4', '/usr/sbin/exim', '/usr/local/sbin/exim'];
/**
 * The systemd units the MTAs log under: Debian runs Postfix as the instance `postfix@-` (the
 * default instance of its multi-instance template), others as `postfix`; Debian's Exim is
 * `exim4`, others' `exim`.
 */
export const POSTFIX_UNITS = ['postfix.service', 'postfix@-.service'];
export const EXIM_UNITS = ['exim4.service', 'exim.service'];

/** `2026-11-22T10:00:00.123456+00:00` from microseconds since the epoch (a decimal string). */
function rfc3339(micros: string): string | null {
  if (!/^[0-9]{1,19}$/.test(micros)) return null;
  const us = BigInt(micros);
  const ms = Number(us / 1000n);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  const frac = (us % 1_000_000n).toString().padStart(6, '0');
  return `${d.toISOString().slice(0, 19)}.${frac}+00:00`;
}

/** A journal field as text: a string, or an array of bytes (decoded as UTF-8, bad bytes as U+FFFD). */
function fieldText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b) => typeof b === 'number' && b >= 0 && b <= 255)) return Buffer.from(v as number[]).toString('utf8');
  return null;
}

/** Control characters a multi-line MESSAGE carries: each becomes a space, as rsyslog does with `#012`. */
const LINE_BREAKS_RE = /[\r\n]/g;

/**
 * The syslog line of a `journalctl -o json` entry, or null when `line` is not one (not JSON, or
 * without a time or a message). Cheap to call on any line: it looks at the first character first.
 */
export function journalEntryLine(line: string): string | null {
  if (line.charCodeAt(0) !== 123 /* { */ || line.indexOf('"MESSAGE"') < 0) return null;
  let entry: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(line);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    entry = v as Record<string, unknown>;
  } catch {
    return null;
  }
  const micros = fieldText(entry.__REALTIME_TIMESTAMP);
  const time = micros === null ? null : rfc3339(micros);
  const message = fieldText(entry.MESSAGE);
  if (time === null || message === null) return null;
  // A host, program or pid with a space or bracket would shift the envelope's fields: such a
  // value is dropped rather than trusted.
  const token = (v: unknown): string | null => {
    const t = fieldText(v);
    return t !== null && t !== '' && !/[\s[\]:]/.test(t) ? t : null;
  };
  const host = token(entry._HOSTNAME) ?? 'localhost';
  const program = token(entry.SYSLOG_IDENTIFIER) ?? token(entry._COMM) ?? 'unknown';
  const pid = fieldText(entry.SYSLOG_PID) ?? fieldText(entry._PID);
  const pidPart = pid !== null && /^[0-9]{1,10}$/.test(pid) ? `[${pid}]` : '';
  return `${time} ${host} ${program}${pidPart}: ${message.replace(LINE_BREAKS_RE, ' ')}`;
}

export interface JournalOptions {
  /** ISO UTC bounds of --since / --until (passed as `@epoch` seconds: no zone to misread). */
  since?: string | null;
  until?: string | null;
  follow?: boolean;
  /** With follow: only entries from now on. */
  fromEnd?: boolean;
  /** Which MTA's units; default: what is installed, or every mail unit when neither is found. */
  units?: string[];
}

/** The units of the MTAs installed here (by their programs), or all mail units when none is found. */
export function installedMailUnits(exists: (p: string) => boolean = existsSync): string[] {
  const units: string[] = [];
  if (POSTFIX_BINARIES.some(exists)) units.push(...POSTFIX_UNITS);
  if (EXIM_BINARIES.some(exists)) units.push(...EXIM_UNITS);
  return units.length > 0 ? units : [...POSTFIX_UNITS, ...EXIM_UNITS];
}

const epoch = (iso: string): string => `@${Math.floor(Date.parse(iso) / 1000)}`;

/** journalctl's argument vector. */
export function journalArgs(o: JournalOptions): string[] {
  const args = ['-o', 'json', '--no-pager', '--all'];
  for (const u of o.units ?? installedMailUnits()) args.push(`--unit=${u}`);
  if (o.since) args.push(`--since=${epoch(o.since)}`);
  if (o.until) args.push(`--until=${epoch(o.until)}`);
  if (o.follow) {
    args.push('--follow');
    // -f alone starts with the last 10 entries: all of them (within --since), or none with --from-end.
    if (!o.since) args.push(`--lines=${o.fromEnd ? '0' : 'all'}`);
  }
  return args;
}

export interface Journal {
  stdout: Readable;
  /** Resolves when journalctl has ended: null when all went well, else why (one line). */
  done: Promise<string | null>;
  stop(): void;
  child: ChildProcess;
}

/** Bytes of journalctl's stderr kept for the message when it fails. */
const STDERR_KEPT = 4096;

/**
 * Starts journalctl (from PATH); rejects with a one-line reason when it cannot be started (not
 * installed). Its standard error is kept for the message when it exits with an error.
 */
export function startJournal(o: JournalOptions, command = 'journalctl'): Promise<Journal> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, journalArgs(o), { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < STDERR_KEPT) stderr += d.slice(0, STDERR_KEPT - stderr.length);
    });
    const done = new Promise<string | null>((res) => {
      child.on('close', (code, signal) => {
        if (code === 0 || signal === 'SIGTERM') return res(null);
        const first = stderr.split('\n').find((l) => l.trim() !== '') ?? '';
        res(`${code === null ? `ended by ${signal}` : `exited with status ${code}`}${first ? `: ${first.trim()}` : ''}`);
      });
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(new Error(err.code === 'ENOENT' ? 'not found (is systemd installed? otherwise name the log file)' : `could not be started: ${err.message}`));
    });
    child.once('spawn', () => resolve({ stdout: child.stdout!, done, stop: () => child.kill('SIGTERM'), child }));
  });
}
