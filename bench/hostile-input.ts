#!/usr/bin/env node
/**
 * Hostile input costs time linear in its size: the cases that took quadratic time when lines
 * were cut by split2 (which re-split its whole buffer at every chunk of a long line). Each case
 * is one run of `node bin/maillog-doctor FILE --format json` (best of BENCH_RUNS, default 5),
 * killed after 120 s; the target is the issue's. The same run on a one-line file is measured too:
 * on a busy shared machine starting Node alone can take most of a second, so a case is met when
 * its best time over that start-up is under the target (both are printed).
 *
 *   npm run build && node dist/bench/hostile-input.js   → a table, and results/hostile.json
 *
 * Not a unit test: wall time on a shared machine is a measurement, not an assertion.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/maillog-doctor');
const RUNS = Number(process.env.BENCH_RUNS) || 5;
const REJECT =
  'Nov 22 06:25:02 mx1 postfix/smtpd[123]: NOQUEUE: reject: RCPT from c.example.net[192.0.2.10]: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual alias table; from=<a@example.net> to=<nobody@example.org> proto=ESMTP helo=<c.example.net>\n';

interface Case {
  name: string;
  file: string;
  /** Seconds the issue asks for. */
  target: number;
  /** What split2 took (the figures), for the table. */
  before: string;
}

function cases(dir: string): Case[] {
  const longLine = join(dir, 'long-line-16m.log.gz');
  writeFileSync(longLine, gzipSync(Buffer.concat([Buffer.from(REJECT), Buffer.alloc(16 * 1024 * 1024, 0x41), Buffer.from('\n' + REJECT)])));
  const zeros = join(dir, 'zeros.gz');
  writeFileSync(zeros, gzipSync(Buffer.alloc(320 * 1024 * 1024), { level: 9 }));
  const mixed = join(dir, 'ten-mb-line.log.gz');
  const lines: string[] = [];
  for (let i = 0; i < 60_000; i++) lines.push(REJECT.replace('nobody@', `u${i}@`));
  lines.splice(30_000, 0, 'Nov 22 06:25:02 mx1 postfix/smtpd[1]: ' + 'B'.repeat(10 * 1024 * 1024) + '\n');
  writeFileSync(mixed, gzipSync(lines.join('')));
  return [
    { name: '16 MiB line in .gz', file: longLine, target: 1, before: '48 s' },
    { name: 'gzip of 320 MiB of zeros', file: zeros, target: 10, before: '9 min' },
    { name: '10 MB line in a gzipped log', file: mixed, target: 1, before: '14 s' },
  ];
}

/**
 * One run's seconds, null when it did not end well. The report goes to /dev/null: a closed
 * stdout is refused at once (exit 1), which once made every case look as fast as start-up.
 */
function time(file: string): number | null {
  const devNull = openSync('/dev/null', 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, file, '--format', 'json'], { stdio: ['ignore', devNull, 'pipe'], timeout: 120_000 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  closeSync(devNull);
  if (r.status !== 0) {
    console.error(`${file}: exit ${r.status ?? r.signal}: ${String(r.stderr).trim().slice(0, 300)}`);
    return null;
  }
  return seconds;
}

const dir = join(tmpdir(), 'maillog-doctor-hostile-bench');
mkdirSync(dir, { recursive: true });
const tiny = join(dir, 'one-line.log');
writeFileSync(tiny, REJECT);
const best = (file: string): { best: number | null; runs: Array<number | null> } => {
  const runs = Array.from({ length: RUNS }, () => time(file));
  const ok = runs.filter((s): s is number => s !== null);
  return { best: ok.length === runs.length ? Math.min(...ok) : null, runs };
};
const startup = best(tiny).best ?? 0;
const rows = cases(dir).map((c) => {
  const t = best(c.file);
  const over = t.best === null ? null : t.best - startup;
  return { case: c.name, seconds: t.best, overStartup: over, runs: t.runs, target: c.target, met: over !== null && over < c.target, before: c.before };
});
console.log(`start-up (one-line file): ${startup.toFixed(2)} s`);
console.log(['case'.padEnd(30), 'best s'.padStart(8), 'over start'.padStart(11), 'target'.padStart(8), 'met'.padStart(5), 'split2 took'.padStart(12)].join(' '));
for (const r of rows) {
  const f = (x: number | null) => (x === null ? 'failed' : x.toFixed(2));
  console.log([r.case.padEnd(30), f(r.seconds).padStart(8), f(r.overStartup).padStart(11), `< ${r.target}`.padStart(8), String(r.met).padStart(5), r.before.padStart(12)].join(' '));
}
const out = join(ROOT, 'bench/results/hostile.json');
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, runs: RUNS, startup, rows }, null, 2) + '\n');
console.log(`written: ${out}`);
if (rows.some((r) => !r.met)) process.exitCode = 1;
