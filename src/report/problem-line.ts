/**
 * Follow mode without a terminal: one line per rejection, bounce or deferral as it is read,
 * to feed alerting. NDJSON (`--format json`), CSV rows after a header (`--format csv`), or a
 * plain one-line form. Every string is sanitised: log text carries control characters chosen
 * by strangers, and these lines end up on terminals and in chat messages.
 */
import { stringify } from 'csv-stringify/sync';
import { csvTextCell } from './csv.js';
import { sanitize } from '../text/sanitize.js';

/** One problem event, flattened (cli.ts builds it from the event and its classification). */
export interface ProblemRecord {
  /** ISO 8601 UTC, or null when the line had no time. */
  time: string | null;
  mta: string;
  /** The syslog host or Exchange server that logged it, when known. */
  host: string | null;
  direction: string;
  cause: string;
  hint: string;
  /** Id of the classification rule that matched. */
  rule: string;
  recipient: string | null;
  sender: string | null;
  client: string | null;
  smtpCode: number | null;
  enhancedStatus: string | null;
  /** The reply text (rejections) or the delivery status text (bounces, deferrals). */
  text: string;
}

export type ProblemFormat = 'text' | 'json' | 'csv';

const FIELDS = [
  'time',
  'mta',
  'host',
  'direction',
  'cause',
  'hint',
  'rule',
  'recipient',
  'sender',
  'client',
  'smtpCode',
  'enhancedStatus',
  'text',
] as const satisfies ReadonlyArray<keyof ProblemRecord>;

const clean = (v: string | null): string | null => (v === null ? null : sanitize(v));

/**
 * Problem lines as UTF-8 bytes, one after another: follow mode holds the lines of a chunk read
 * here and writes them at once. NDJSON lines are written byte by byte, without strings:
 * catching up with a long log prints a line per problem, and building, joining and encoding
 * a string per line was a good part of the main thread's time (bench/README.md).
 */
export class ProblemBytes {
  private buf = Buffer.allocUnsafe(PROBLEM_BYTES_START);
  /** Bytes held. */
  length = 0;

  /** problemJson(r), as its UTF-8 bytes. */
  json(r: ProblemRecord): void {
    for (let i = 0; i < FIELDS.length; i++) {
      this.bytes(JSON_KEYS[i]!);
      this.value(r[FIELDS[i]!]);
    }
    this.bytes(JSON_END);
  }

  /** Any line, as its UTF-8 bytes. */
  text(line: string): void {
    this.room(3 * line.length);
    this.length += this.buf.write(line, this.length, 'utf8');
  }

  /**
   * The bytes held, which are then no longer held. A new buffer follows (the old one may be
   * being written), of the first size: one long line does not make every later one as big.
   */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length);
    this.buf = Buffer.allocUnsafe(PROBLEM_BYTES_START);
    this.length = 0;
    return out;
  }

  /** The bytes held, as text, which are then no longer held (the buffer kept, unless it grew). */
  takeText(): string {
    const out = this.buf.toString('utf8', 0, this.length);
    this.length = 0;
    if (this.buf.length > PROBLEM_BYTES_START) this.buf = Buffer.allocUnsafe(PROBLEM_BYTES_START);
    return out;
  }

  /** A value as problemJson() writes it: sanitised, then as JSON. */
  private value(v: string | number | null): void {
    if (typeof v !== 'string') return this.text(JSON.stringify(v));
    this.room(v.length + 2);
    const buf = this.buf;
    let at = this.length;
    buf[at++] = 0x22;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      // Printable ASCII without `"` or a backslash (most values) is its own sanitised JSON text.
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return this.text(JSON.stringify(sanitize(v)));
      buf[at++] = c;
    }
    buf[at++] = 0x22;
    this.length = at;
  }

  private bytes(b: Uint8Array): void {
    this.room(b.length);
    const buf = this.buf;
    let at = this.length;
    for (let i = 0; i < b.length; i++) buf[at++] = b[i]!;
    this.length = at;
  }

  /** Makes room for `n` more bytes. */
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.length + n));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }
}

/** A ProblemBytes' first buffer: follow mode writes what it holds at HELD_BYTES (cli.ts), below this. */
const PROBLEM_BYTES_START = 96 * 1024;

/** `{"time":`, `,"mta":`, … : each field's key, in FIELDS order. */
const JSON_KEYS = FIELDS.map((k, i) => Buffer.from((i === 0 ? '{' : ',') + JSON.stringify(k) + ':'));
const JSON_END = Buffer.from('}\n');

/** One JSON object per line, keys in FIELDS order, every string sanitised. */
export function problemJson(r: ProblemRecord): string {
  oneLine.json(r);
  return oneLine.takeText();
}
const oneLine = new ProblemBytes();

/**
 * `2026-11-22T06:25:01.000Z mx1 postfix inbound user-unknown virtual_alias_maps 550 5.1.1 to=<…>
 * from=<…> client=… rule=…: text` (`-` for an unknown host).
 */
export function problemText(r: ProblemRecord): string {
  const codes = [r.smtpCode === null ? '' : String(r.smtpCode), clean(r.enhancedStatus) ?? ''].filter((c) => c !== '').join(' ');
  const parts = [
    r.time === null ? '-' : sanitize(r.time),
    clean(r.host) || '-',
    sanitize(r.mta),
    sanitize(r.direction),
    sanitize(r.cause),
    sanitize(r.hint),
    codes === '' ? '-' : codes,
    `to=<${clean(r.recipient) ?? ''}>`,
    `from=<${clean(r.sender) ?? ''}>`,
    `client=${clean(r.client) ?? '-'}`,
    `rule=${sanitize(r.rule)}`,
  ];
  const text = sanitize(r.text).trim();
  return parts.join(' ') + (text === '' ? '' : `: ${text}`) + '\n';
}

export const PROBLEM_CSV_HEADER = stringify([[...FIELDS]], { record_delimiter: '\r\n' });

/** One CSV row (RFC 4180, formula cells neutralised as in the CSV report). */
export function problemCsv(r: ProblemRecord): string {
  const row = FIELDS.map((k) => {
    const v = r[k];
    return typeof v === 'number' ? v : csvTextCell(v);
  });
  return stringify([row], { record_delimiter: '\r\n' });
}

export function problemLine(r: ProblemRecord, format: ProblemFormat): string {
  return format === 'json' ? problemJson(r) : format === 'csv' ? problemCsv(r) : problemText(r);
}
