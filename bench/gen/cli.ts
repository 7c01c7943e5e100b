#!/usr/bin/env node
/**
 * Writes generated mail logs.
 *
 *   node dist/bench/gen/cli.js --mta postfix --seed 1 --messages 5000 --out FILE [--format rfc3339]
 *        [--start 2026-11-22T00:00:00+01:00] [--hours 24] [--host mx1] [--mix realistic|showcase]
 *        [--max-bytes N] [--tally FILE.json]
 *   node dist/bench/gen/cli.js --mta postfix --seed 7 --samples samples/postfix [--readme samples/README.md]
 *   node dist/bench/gen/cli.js --mta exim --seed 1 --messages 5000 --out FILE [--start ISO] [--hours H] [--max-bytes N]
 *   node dist/bench/gen/cli.js --mta exchange --seed 1 --messages 5000 --out FILE [--start ISO] [--hours H] [--max-bytes N]
 *
 * FILE ending in .gz is gzipped; `-` is stdout. --max-bytes stops at a line boundary once the
 * (uncompressed) output reaches N bytes, for benchmark files of a given size. Exim writes a
 * Debian exim4 mainlog, Exchange a native message tracking log (CRLF, `#Fields:` header).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { generateExchange } from './exchange.js';
import { generateExim } from './exim.js';
import { generatePostfix, type LogFormat, type MixName } from './postfix.js';
import { SAMPLE, updateReadme, writeSamples } from './samples.js';
import { Tally } from './tally.js';

const USAGE = `usage: cli.js --mta postfix --seed N (--messages N --out FILE [--format classic|rfc3339] [--start ISO] [--hours H]
                 [--host NAME] [--mix realistic|showcase] [--max-bytes N] [--tally FILE] | --samples DIR [--readme FILE])
       cli.js --mta exim|exchange --seed N --messages N --out FILE [--start ISO] [--hours H] [--max-bytes N]`;

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      mta: { type: 'string', default: 'postfix' },
      seed: { type: 'string', default: '1' },
      messages: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string', default: 'classic' },
      mix: { type: 'string', default: 'realistic' },
      start: { type: 'string', default: '2026-11-22T00:00:00+01:00' },
      hours: { type: 'string', default: '24' },
      host: { type: 'string', default: 'mx1' },
      'max-bytes': { type: 'string' },
      tally: { type: 'string' },
      samples: { type: 'string' },
      readme: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (v.help) return void console.log(USAGE);
  if (v.mta !== 'postfix' && v.mta !== 'exim' && v.mta !== 'exchange') throw new Error(`--mta ${v.mta}: postfix, exim or exchange`);
  const seed = int(v.seed!, '--seed');

  if (v.mta !== 'postfix') {
    if (!v.messages || !v.out) throw new Error(USAGE);
    if (v.samples || v.tally) throw new Error(`--samples and --tally are for --mta postfix`);
    const start = new Date(v.start!);
    if (Number.isNaN(start.getTime())) throw new Error(`--start ${v.start}: not a date`);
    const common = { seed, messages: int(v.messages, '--messages'), start, durationSeconds: Math.round(Number(v.hours) * 3600) };
    const lines = v.mta === 'exim' ? generateExim(common) : generateExchange(common);
    const max = v['max-bytes'] ? int(v['max-bytes'], '--max-bytes') : Infinity;
    const bytes = await writeLines(lines, v.out, max, v.mta === 'exchange' ? '\r\n' : '\n');
    console.error(`${v.out}: ${bytes} bytes`);
    return;
  }

  if (v.samples) {
    const results = writeSamples(v.samples, seed);
    if (v.readme) updateReadme(v.readme, results);
    for (const r of results) console.error(`${r.file}: ${r.lines} lines, ${r.tally.total} planted events`);
    if (seed !== SAMPLE.seed) console.error(`note: the shipped samples use --seed ${SAMPLE.seed}`);
    return;
  }

  if (!v.messages || !v.out) throw new Error(USAGE);
  if (v.format !== 'classic' && v.format !== 'rfc3339') throw new Error(`--format ${v.format}: classic or rfc3339`);
  if (v.mix !== 'realistic' && v.mix !== 'showcase') throw new Error(`--mix ${v.mix}: realistic or showcase`);
  const start = new Date(v.start!);
  if (Number.isNaN(start.getTime())) throw new Error(`--start ${v.start}: not a date`);
  const tally = v.tally ? new Tally() : null;
  const lines = generatePostfix({
    seed, messages: int(v.messages, '--messages'), start, format: v.format as LogFormat, mix: v.mix as MixName, host: v.host!,
    durationSeconds: Math.round(Number(v.hours) * 3600), ...(tally ? { onEvent: (p) => tally.add(p) } : {}),
  });
  const bytes = await writeLines(lines, v.out, v['max-bytes'] ? int(v['max-bytes'], '--max-bytes') : Infinity);
  if (tally) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(v.tally!, JSON.stringify(tally.rows(), null, 2) + '\n');
  }
  console.error(`${v.out}: ${bytes} bytes${tally ? `, ${tally.total} planted events` : ''}`);
}

function int(s: string, name: string): number {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} ${s}: not a whole number`);
  return n;
}

/** Streams lines to a file (gzipped for .gz, stdout for -), 64 KB at a time, honouring back-pressure. */
async function writeLines(lines: Iterable<string>, out: string, maxBytes: number, eol = '\n'): Promise<number> {
  const file: Writable = out === '-' ? process.stdout : createWriteStream(out);
  const gzip = out.endsWith('.gz') ? createGzip() : null;
  if (gzip) gzip.pipe(file);
  const sink = gzip ?? file;
  let chunk = '';
  let total = 0;
  for (const line of lines) {
    chunk += line + eol;
    total += Buffer.byteLength(line) + eol.length;
    if (chunk.length >= 65536) {
      if (!sink.write(chunk)) await once(sink, 'drain');
      chunk = '';
    }
    if (total >= maxBytes) break;
  }
  if (chunk) sink.write(chunk);
  if (out === '-') return total;
  sink.end();
  await finished(file);
  return total;
}

// `cli.js … --out - | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
});
