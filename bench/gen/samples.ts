/**
 * The shipped samples: three consecutive days of one simulated server, cut at local midnight
 * the way logrotate leaves them on Debian 12: mail.log.2.gz (classic timestamps, gzipped),
 * mail.log.1 (rsyslog's RFC 3339 timestamps) and mail.log (classic). One continuous stream is
 * split, so mail deferred late one day is retried in the next file, as on a real host.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LineFormatter, generatePostfixRecords, type LogFormat } from './postfix.js';
import { Tally, type TallyRow } from './tally.js';

export const SAMPLE = {
  seed: 94,
  /** Traffic units per day (about 5,000 lines a day). */
  unitsPerDay: 330,
  /** Local midnight, Central European Time (+01:00 in November). */
  start: '2026-11-20T00:00:00+01:00',
  tzOffsetMinutes: 60,
  files: [
    { name: 'mail.log.2.gz', format: 'classic', gzip: true },
    { name: 'mail.log.1', format: 'rfc3339', gzip: false },
    { name: 'mail.log', format: 'classic', gzip: false },
  ] as { name: string; format: LogFormat; gzip: boolean }[],
} as const;

export interface SampleResult {
  file: string;
  lines: number;
  tally: Tally;
}

/** Writes the three logs and expected.json into `dir`; returns each file's tally. */
export function writeSamples(dir: string, seed: number = SAMPLE.seed): SampleResult[] {
  const days = SAMPLE.files.length;
  const start = new Date(SAMPLE.start);
  const dayUs = 86_400_000_000;
  const startUs = start.getTime() * 1000;
  const parts = SAMPLE.files.map((f) => ({ ...f, lines: [] as string[], tally: new Tally(), fmt: new LineFormatter(f.format, 'mx1', SAMPLE.tzOffsetMinutes) }));
  const records = generatePostfixRecords({
    seed, messages: SAMPLE.unitsPerDay * days, start, format: 'classic', durationSeconds: days * 86400, tzOffsetMinutes: SAMPLE.tzOffsetMinutes, mix: 'showcase',
  });
  for (const rec of records) {
    const part = parts[Math.min(days - 1, Math.floor((rec.us - startUs) / dayUs))]!;
    part.lines.push(part.fmt.format(rec));
    for (const p of rec.planted ?? []) part.tally.add(p);
  }
  mkdirSync(dir, { recursive: true });
  for (const part of parts) {
    const text = part.lines.join('\n') + '\n';
    // level 9, and Node's gzip header carries no time stamp: the same bytes on every run.
    writeFileSync(join(dir, part.name), part.gzip ? gzipSync(Buffer.from(text), { level: 9 }) : text);
  }
  const current = parts[parts.length - 1]!;
  writeFileSync(join(dir, 'expected.json'), JSON.stringify(current.tally.rows(), null, 2) + '\n');
  return parts.map((p) => ({ file: p.name, lines: p.lines.length, tally: p.tally }));
}

const BEGIN = '<!-- generated: postfix tally -->';
const END = '<!-- /generated: postfix tally -->';

/** Replaces the generated section of the README with the tables of `results`. */
export function updateReadme(path: string, results: SampleResult[]): void {
  const text = readFileSync(path, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${path}: no "${BEGIN}" … "${END}" section to fill`);
  writeFileSync(path, text.slice(0, a + BEGIN.length) + '\n' + readmeTables(results) + text.slice(b));
}

function readmeTables(results: SampleResult[]): string {
  const current = results[results.length - 1]!;
  const out: string[] = [];
  out.push('Lines per file: ' + results.map((r) => `\`${r.file}\` ${r.lines.toLocaleString('en-US')}`).join(', ') + '.', '');
  out.push(`### mail.log: findings (= \`postfix/expected.json\`, ${current.tally.total} events)`, '');
  out.push(table(['#', 'direction', 'recipient domain', 'cause', 'events', 'distinct recipients'], current.tally.rows().map((r, i) => [String(i + 1), ...rowCells(r)])));
  out.push('', '### mail.log: per planted phrasing', '');
  out.push(table(['planted as', 'direction', 'cause', 'events'], current.tally.byWhat().map((w) => [w.what, w.direction, w.cause, String(w.count)])));
  out.push('', '### All three files: per cause', '');
  const causes = new Map<string, number[]>();
  results.forEach((r, i) => {
    for (const c of r.tally.byCause()) {
      const key = `${c.direction}\t${c.cause}`;
      const counts = causes.get(key) ?? results.map(() => 0);
      counts[i] = c.count;
      causes.set(key, counts);
    }
  });
  const rows = [...causes.entries()]
    .map(([k, counts]) => [...k.split('\t'), ...counts.map(String), String(counts.reduce((x, y) => x + y, 0))])
    .sort((x, y) => Number(y[y.length - 1]) - Number(x[x.length - 1]) || x.join().localeCompare(y.join()));
  out.push(table(['direction', 'cause', ...results.map((r) => `\`${r.file}\``), 'total'], rows));
  return out.join('\n') + '\n';
}

function rowCells(r: TallyRow): string[] {
  return [r.direction, r.recipientDomain ?? '(none: MAIL FROM stage)', r.cause, String(r.count), String(r.distinctRecipients)];
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
