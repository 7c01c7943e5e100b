#!/usr/bin/env node
/**
 * `npm run bench [-- --quick]`: how fast the whole CLI chews through a big log, and how much
 * memory it takes, next to references measured in the same run on the same file.
 *
 * Inputs are generated once under bench/data/ (gitignored) by the seeded generators and reused
 * while the generator's code and parameters stay the same: a Postfix log of BENCH_SIZE_MB
 * (default 1024; --quick: 100) and smaller Exim and Exchange logs (a fifth of that each).
 *
 * For each file: `node bin/maillog-doctor FILE --format json > /dev/null` (best of BENCH_RUNS,
 * default 3; once more on one thread, MAILLOG_DOCTOR_THREADS=1), a bare split2 line count in
 * Node (bench/split2-count.ts, the floor for a Node tool), the three in rounds (one of each per
 * round, so that their ratios compare the same minutes; on a multi-core machine also the reader
 * thread alone, bench/reader-alone.ts: the ceiling for two threads), and where installed
 * `pflogsumm` (Postfix) and `lnav` answering one SQL count of the rejects. On the Postfix file also the
 * live view, `node bin/maillog-doctor FILE` in a 160x45 pseudo-terminal (util-linux `script`),
 * timed until its status line says the file was read, against the issue's ≤ 10 % over
 * `--format json`, and follow mode catching up with it from its start (followRow()). Peak RSS
 * is the child's (GNU time's %M, else VmHWM polled from /proc). Prints a table and writes
 * bench/results/latest.json. The references are never installed from here.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = join(ROOT, 'bench/data');
const RESULTS = join(ROOT, 'bench/results/latest.json');
const CLI = join(ROOT, 'bin/maillog-doctor');
const GEN = join(ROOT, 'dist/bench/gen/cli.js');
const GEN_DIR = join(ROOT, 'dist/bench/gen');
const SPLIT2 = join(ROOT, 'dist/bench/split2-count.js');
const READER_ALONE = join(ROOT, 'dist/bench/reader-alone.js');
const READER_ALONE_TOOL = 'reader thread alone (2-thread ceiling)';
const MB = 1024 * 1024;

/** The issue's terminal for the live view. */
const PTY = { cols: 160, rows: 45 };
/** The live view's status line once reading is done (src/tui/components/Header.tsx statusLine). */
const DONE = /read \d+ files? in [^\s\u001b]+(?=[\s\u001b])/;
/** The live view may take this much longer than `--format json` before it counts as hung. */
const LIVE_TIMEOUT = (jsonSeconds: number) => Math.max(60, 5 * jsonSeconds) * 1000;
/** How long the view gets to quit after `q` before it is killed. */
const QUIT_GRACE_MS = 5000;

type Mta = 'postfix' | 'exim' | 'exchange';

/** What the generators write per traffic unit, roughly: to ask for enough units to fill the size. */
const BYTES_PER_UNIT: Record<Mta, number> = { postfix: 1900, exim: 420, exchange: 1350 };

/** The SQL count lnav is asked for, per format (none for Exchange's CSV, which lnav does not know). */
const LNAV_REJECTS: Partial<Record<Mta, string>> = {
  postfix: ';SELECT count(*) FROM all_logs WHERE log_body LIKE "%reject:%"',
  exim: ';SELECT count(*) FROM all_logs WHERE log_body LIKE "%rejected RCPT%"',
};

interface Measured {
  seconds: number;
  peakRssMB: number | null;
  /** The child's user + system CPU time (GNU time's %U + %S), null without GNU time. */
  cpuSeconds: number | null;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

interface Row {
  file: string;
  mta: Mta;
  bytes: number;
  lines: number | null;
  tool: string;
  /** Why there is no measurement (not installed, parser not available yet, failed). */
  skipped?: string;
  seconds?: number;
  /** Every run's time, when there were several; `seconds` is the best. */
  runs?: number[];
  mbPerSec?: number;
  linesPerSec?: number;
  peakRssMB?: number | null;
  /** CPU seconds (user + system, all threads) of the run that gave `seconds`: spent, or waited? */
  cpuSeconds?: number | null;
  /** Throughput relative to the split2 count of the same file. */
  vsSplit2?: number;
  /** How many times faster than pflogsumm on the same file. */
  vsPflogsumm?: number;
  /** The live view's wall time over the default `--format json` run's, minus 1 (0.12: +12 %). */
  overVsJson?: number;
  note?: string;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const sizeMB = quick ? 100 : Number(process.env.BENCH_SIZE_MB ?? 1024);
  if (!Number.isFinite(sizeMB) || sizeMB <= 0) throw new Error(`BENCH_SIZE_MB=${process.env.BENCH_SIZE_MB}: not a size`);
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3) || 3);
  const sideMB = Math.max(5, Math.round(sizeMB / 5));
  const gnuTime = hasGnuTime();
  const pflogsumm = which('pflogsumm');
  const lnav = which('lnav');
  const script = utilLinuxScript();
  mkdirSync(DATA, { recursive: true });

  const plan: Array<[Mta, number]> = [
    ['postfix', sizeMB],
    ['exim', sideMB],
    ['exchange', sideMB],
  ];
  const rows: Row[] = [];
  for (const [mta, mb] of plan) {
    const file = await dataFile(mta, mb);
    if (file === null) {
      rows.push({ file: '-', mta, bytes: 0, lines: null, tool: 'generator', skipped: `no --mta ${mta} generator` });
      continue;
    }
    const bytes = statSync(file).size;
    const name = file.slice(DATA.length + 1);
    say(`\n${name}: ${(bytes / MB).toFixed(0)} MB`);
    // split2, the report, the reader thread alone and (Postfix) the live view are measured in
    // rounds, one of each per round, best of `runs`: the VM's speed drifts by tens of per cent
    // from minute to minute, and the ratios between them should compare the same minutes.
    const available = parserAvailable(file);
    let jsonSeconds = 60;
    const rounds = new Map<'split2' | 'json' | 'alone' | 'live', () => Promise<Measured>>();
    rounds.set('split2', () => measure(process.execPath, [SPLIT2, file], gnuTime));
    if (available === true) {
      rounds.set('json', async () => {
        const m = await measure(process.execPath, [CLI, file, '--format', 'json'], gnuTime);
        jsonSeconds = m.seconds;
        return m;
      });
      if (availableParallelism() > 1) rounds.set('alone', () => measure(process.execPath, [READER_ALONE, mta, file], gnuTime));
      if (mta === 'postfix' && script !== null) rounds.set('live', () => measureLive(script, file, LIVE_TIMEOUT(jsonSeconds)));
    }
    const best = await bestOfRounds(runs, [...rounds.values()]);
    const measured = new Map([...rounds.keys()].map((k, i) => [k, best[i]!]));
    const s2 = measured.get('split2')!;
    const lines = Number(s2.stdout.trim()) || null;
    const split2Row = row(file, mta, bytes, lines, 'split2 line count (Node)', s2);
    split2Row.runs = s2.all;
    const base: Row[] = [split2Row];

    if (available !== true) {
      base.push({ file: name, mta, bytes, lines, tool: 'maillog-doctor', skipped: available });
    } else {
      const two = measured.get('json')!;
      const r2 = row(file, mta, bytes, lines, `maillog-doctor (${availableParallelism() > 1 ? 'default: 2 threads' : '1 core'})`, two);
      r2.runs = two.all;
      base.push(r2);
      const m = measured.get('alone');
      if (m) {
        const r = row(file, mta, bytes, lines, READER_ALONE_TOOL, m);
        r.runs = m.all;
        base.push(r);
      }
      const one = await measure(process.execPath, [CLI, file, '--format', 'json'], gnuTime, { MAILLOG_DOCTOR_THREADS: '1' }, Infinity);
      base.push(row(file, mta, bytes, lines, 'maillog-doctor (1 thread)', one));
      if (mta === 'postfix') {
        base.push(liveRow(measured.get('live') ?? null, file, mta, bytes, lines, r2));
        base.push(await followRow(file, mta, bytes, lines, one, gnuTime));
      }
    }
    if (mta === 'postfix') {
      if (pflogsumm) base.push(row(file, mta, bytes, lines, `pflogsumm ${version(pflogsumm, ['--version'])}`, await measure(pflogsumm, [file], gnuTime)));
      else base.push({ file: name, mta, bytes, lines, tool: 'pflogsumm', skipped: 'not installed' });
    }
    const sql = LNAV_REJECTS[mta];
    if (sql) {
      if (lnav) {
        const m = await measure(lnav, ['-n', '-c', sql, file], gnuTime, { HOME: lnavHome() });
        const r = row(file, mta, bytes, lines, `lnav ${version(lnav, ['-V'])} (one SQL count)`, m);
        r.note = `${sql.slice(1)} → ${m.stdout.trim().split(/\s+/).pop()}`;
        base.push(r);
      } else {
        base.push({ file: name, mta, bytes, lines, tool: 'lnav', skipped: 'not installed' });
      }
    }
    const floor = split2Row.mbPerSec;
    const pf = base.find((r) => r.tool.startsWith('pflogsumm') && r.mbPerSec);
    for (const r of base) {
      if (r.mbPerSec && floor) r.vsSplit2 = round(r.mbPerSec / floor, 2);
      if (r.mbPerSec && pf?.mbPerSec && r.tool.startsWith('maillog-doctor')) r.vsPflogsumm = round(r.mbPerSec / pf.mbPerSec, 1);
    }
    rows.push(...base);
  }

  const main = rows.find((r) => r.mta === 'postfix' && isDefault(r) && r.seconds);
  const live = rows.find((r) => r.mta === 'postfix' && r.tool.startsWith('maillog-doctor (live view'));
  const targets = main
    ? {
        // Throughput and peak RSS: per format in `formats` (issue 17's targets).
        speedVsPflogsumm: { want: '>= 10', got: main.vsPflogsumm ?? null, met: main.vsPflogsumm === undefined ? null : main.vsPflogsumm >= 10 },
        liveViewOverhead: {
          want: '<= +10 % wall time over --format json (live view in a 160x45 pty, until the file is read)',
          tuiOverheadMax: 0.1,
          got: live?.overVsJson ?? null,
          met: live?.overVsJson === undefined ? null : live.overVsJson <= 0.1,
          note: live?.skipped,
        },
      }
    : null;
  const formats = issueTargets(rows);
  const result = {
    date: new Date().toISOString(),
    command: `npm run bench${quick ? ' -- --quick' : ''}`,
    machine: machine(),
    sizesMB: Object.fromEntries(plan),
    runsPerMeasurement: runs,
    rssMethod: gnuTime ? 'GNU time %M (child max RSS)' : '/proc/PID/status VmHWM, polled',
    liveView: script
      ? `script -qfec "stty cols ${PTY.cols} rows ${PTY.rows}; exec node bin/maillog-doctor FILE" /dev/null; timed from spawn until the screen shows "read N file(s) in …", then q; RSS: VmHWM of script's child, polled`
      : 'not available (needs util-linux script)',
    rows,
    targets,
    formats,
  };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(result, null, 2) + '\n');
  say('\n' + table(rows));
  if (targets) {
    say(
      `\ntargets (Postfix, default threads): ${targets.speedVsPflogsumm.got ?? '—'}× pflogsumm (want ≥ 10×), ` +
        `live view ${targets.liveViewOverhead.got === null ? '—' : percent(targets.liveViewOverhead.got)} time over json (want ≤ +10 %)`,
    );
  }
  for (const t of formats) {
    say(`target ${t.what}: ${t.got ?? '—'}${t.unit} (want ${t.want})${t.met === null ? '' : t.met ? ' met' : ' NOT met'}${t.note ? ` (${t.note})` : ''}`);
  }
  say(`written: ${RESULTS.slice(ROOT.length + 1)}`);
}

/** The run with default settings: two threads on a multi-core machine, else one. */
function isDefault(r: Row): boolean {
  return r.tool.startsWith('maillog-doctor (default') || r.tool === 'maillog-doctor (1 core)';
}

/**
 * Issue 17's targets, per format: default threads and (Postfix) one thread against the split2
 * count of the same file, and peak RSS, wanted at 1 GB (the Exim and Exchange inputs are a
 * fifth of the size unless BENCH_SIZE_MB makes them bigger: the note says so).
 */
function issueTargets(rows: Row[]): Array<{ what: string; want: string; got: number | null; unit: string; met: boolean | null; note?: string }> {
  const find = (mta: Mta, pick: (r: Row) => boolean) => rows.find((r) => r.mta === mta && pick(r) && r.seconds !== undefined);
  const out = [];
  const speed: Array<[Mta, string, (r: Row) => boolean, number]> = [
    ['postfix', 'Postfix, default threads', isDefault, 0.45],
    ['postfix', 'Postfix, one thread', (r) => r.tool === 'maillog-doctor (1 thread)', 0.25],
    ['postfix', 'Postfix, follow mode catching up', (r) => r.tool === 'maillog-doctor (follow, catching up)', 0.25],
    ['exim', 'Exim, default threads', isDefault, 0.3],
    ['exchange', 'Exchange, default threads', isDefault, 0.3],
  ];
  for (const [mta, what, pick, want] of speed) {
    const r = find(mta, pick);
    const got = r?.vsSplit2 ?? null;
    // A two-thread run cannot beat its reader thread alone: the note gives that ceiling.
    const ceiling = pick === isDefault ? find(mta, (x) => x.tool === READER_ALONE_TOOL)?.vsSplit2 : undefined;
    const note = ceiling === undefined ? undefined : `reader thread alone: ${ceiling}×`;
    out.push({ what: `${what} vs split2`, want: `>= ${want}×`, got, unit: '×', met: got === null ? null : got >= want, note });
  }
  for (const mta of ['postfix', 'exim', 'exchange'] as const) {
    const r = find(mta, isDefault);
    const got = r?.peakRssMB ?? null;
    const note = r && r.bytes < 1000 * MB ? `input is ${(r.bytes / MB).toFixed(0)} MB, not 1 GB` : undefined;
    out.push({ what: `${mta} peak RSS`, want: '<= 200 MB at 1 GB', got, unit: ' MB', met: got === null ? null : got <= 200, note });
  }
  return out;
}

// ---------------------------------------------------------------- inputs

/** The generated input for `mta` of about `mb` MB, generated unless an identical one is there. */
async function dataFile(mta: Mta, mb: number): Promise<string | null> {
  const file = join(DATA, `${mta}-${mb}MB-seed1.log`);
  const meta = `${file}.json`;
  const maxBytes = Math.round(mb * MB);
  const messages = Math.ceil(maxBytes / BYTES_PER_UNIT[mta]);
  const want = { mta, seed: 1, mix: 'realistic', messages, maxBytes, generator: generatorHash() };
  if (existsSync(file) && existsSync(meta)) {
    try {
      if (JSON.stringify(JSON.parse(readFileSync(meta, 'utf8'))) === JSON.stringify(want)) return file;
    } catch {
      // regenerate
    }
  }
  say(`generating ${file.slice(ROOT.length + 1)} (${mb} MB, ${messages} traffic units) …`);
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [GEN, '--mta', mta, '--seed', '1', '--mix', 'realistic', '--messages', String(messages), '--max-bytes', String(maxBytes), '--out', file],
    { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' },
  );
  if (r.status !== 0) {
    rmSync(file, { force: true });
    if (/--mta|only postfix/i.test(r.stderr)) return null;
    throw new Error(`generator failed for ${mta}: ${r.stderr.trim()}`);
  }
  say(`  ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  writeFileSync(meta, JSON.stringify(want) + '\n');
  return file;
}

/** Changes when any generator module changes: old inputs are then regenerated. */
function generatorHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(GEN_DIR).filter((f) => f.endsWith('.js')).sort()) h.update(f).update(readFileSync(join(GEN_DIR, f)));
  return h.digest('hex').slice(0, 16);
}

/**
 * Does maillog-doctor recognise this format? Asked on the file's first 2 MB; true, or the
 * reason to print instead of a measurement.
 */
function parserAvailable(file: string): true | string {
  const probe = join(tmpdir(), `mld-bench-probe-${process.pid}.log`);
  const buf = Buffer.alloc(2 * MB);
  const fd = openSync(file, 'r');
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const end = buf.lastIndexOf(10, n - 1);
  writeFileSync(probe, buf.subarray(0, end < 0 ? n : end + 1));
  try {
    const r = spawnSync(process.execPath, [CLI, probe, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 * MB });
    if (r.status === 2) return 'parser not available yet';
    let format = '';
    try {
      format = JSON.parse(r.stdout).summary.files[0].format as string;
    } catch {
      return `failed: ${r.stderr.trim().split('\n')[0]}`;
    }
    return format.startsWith('unknown') ? 'parser not available yet' : true;
  } finally {
    rmSync(probe, { force: true });
  }
}

// ---------------------------------------------------------------- measuring

/**
 * Runs a command with stdout discarded; wall time and the child's peak RSS. `keep`: how much of
 * stdout is kept (for counts and errors); `timeoutMs`: the child is killed after that long
 * (exitCode null).
 */
function measure(cmd: string, args: string[], gnuTime: boolean, env: Record<string, string> = {}, keep = 4096, timeoutMs = 0): Promise<Measured> {
  const rssFile = join(tmpdir(), `mld-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [bin, argv] = gnuTime ? ['/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    // Output goes nowhere, as with `> /dev/null`; a little is kept for counts and errors.
    const kept: Buffer[] = [];
    let keptBytes = 0;
    child.stdout.on('data', (d: Buffer) => {
      if (keptBytes >= keep) return;
      kept.push(d);
      keptBytes += d.length;
    });
    const timer = timeoutMs > 0 ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : null;
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString();
    });
    let hwm = 0;
    const poll = gnuTime ? null : setInterval(() => (hwm = Math.max(hwm, vmHwmKB(child.pid))), 20);
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (poll) clearInterval(poll);
      if (timer) clearTimeout(timer);
      const stdout = Buffer.concat(kept).toString();
      let kb: number | null = hwm || null;
      let cpuSeconds: number | null = null;
      if (gnuTime) {
        try {
          // The last line (GNU time writes a note above it when the command failed): `KB user system`.
          const [maxKb, user, system] = readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
          kb = maxKb || null;
          cpuSeconds = Number.isFinite(user) && Number.isFinite(system) ? user! + system! : null;
        } catch {
          kb = null;
        }
        rmSync(rssFile, { force: true });
      }
      resolvePromise({ seconds, peakRssMB: kb === null ? null : Math.round(kb / 1024), cpuSeconds, exitCode: code, stdout, stderr });
    });
  });
}

function vmHwmKB(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The fastest of `n` runs (the others were slowed down by something else on the machine). */
/** Best of `n` rounds of every measurement in `runs`, run in turn within each round. */
async function bestOfRounds(n: number, runs: Array<() => Promise<Measured>>): Promise<Array<Measured & { all: number[] }>> {
  const fastest: Array<Measured | null> = runs.map(() => null);
  const all: number[][] = runs.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < runs.length; k++) {
      const m = await runs[k]!();
      all[k]!.push(round(m.seconds, 3));
      const f = fastest[k];
      // A failed run is kept only while nothing better came.
      if (f == null || (m.exitCode === 0 && (f.exitCode !== 0 || m.seconds < f.seconds))) fastest[k] = m;
    }
  }
  return fastest.map((f, k) => ({ ...f!, all: all[k]! }));
}

function row(file: string, mta: Mta, bytes: number, lines: number | null, tool: string, m: Measured): Row {
  const name = file.startsWith(DATA) ? file.slice(DATA.length + 1) : file;
  if (m.exitCode !== 0) {
    const why = m.stderr.trim().split('\n')[0] ?? '';
    return { file: name, mta, bytes, lines, tool, skipped: m.exitCode === null ? `failed: ${why}` : `failed (exit ${m.exitCode}): ${why}` };
  }
  return {
    file: name,
    mta,
    bytes,
    lines,
    tool,
    seconds: round(m.seconds, 3),
    mbPerSec: round(bytes / MB / m.seconds, 1),
    linesPerSec: lines === null ? undefined : Math.round(lines / m.seconds),
    peakRssMB: m.peakRssMB,
    cpuSeconds: m.cpuSeconds === null ? null : round(m.cpuSeconds, 2),
  };
}

// ---------------------------------------------------------------- follow mode

/**
 * Follow mode catching up with the whole file from its start: `-f --fail-on N --format json`,
 * N the problems the report of the same file counts (its findings' counts), so that it stops
 * once it has read them all (exit 3, the threshold); the problem lines go nowhere. What comes
 * after the last problem line is not read, a few lines at most. Killed if it never gets there.
 */
async function followRow(file: string, mta: Mta, bytes: number, lines: number | null, report: Measured, gnuTime: boolean): Promise<Row> {
  const tool = 'maillog-doctor (follow, catching up)';
  let problems = 0;
  try {
    for (const f of (JSON.parse(report.stdout) as { findings: Array<{ count: number }> }).findings) problems += f.count;
  } catch {
    return { file: file.slice(DATA.length + 1), mta, bytes, lines, tool, skipped: 'no report to count the problems in' };
  }
  const timeoutMs = Math.max(60, 10 * report.seconds) * 1000;
  const m = await measure(process.execPath, [CLI, '-f', '--fail-on', String(problems), '--format', 'json', file], gnuTime, {}, 0, timeoutMs);
  // Exit 3 (the --fail-on threshold) is the run that read everything; exit 0 would mean it
  // stopped for another reason, which row() must count as failed.
  const r = row(file, mta, bytes, lines, tool, { ...m, exitCode: m.exitCode === 3 ? 0 : m.exitCode === 0 ? 1 : m.exitCode });
  r.note = `stopped by --fail-on ${problems}`;
  return r;
}

// ---------------------------------------------------------------- the live view

/** The live view's row: best of `runs` in a pseudo-terminal, and its overhead over `json`. */
function liveRow(m: (Measured & { all: number[] }) | null, file: string, mta: Mta, bytes: number, lines: number | null, json: Row): Row {
  const tool = 'maillog-doctor (live view, pty)';
  const name = file.slice(DATA.length + 1);
  if (m === null) return { file: name, mta, bytes, lines, tool, skipped: 'not available (needs util-linux script)' };
  if (json.seconds === undefined) return { file: name, mta, bytes, lines, tool, skipped: 'no --format json run to compare with' };
  const r = row(file, mta, bytes, lines, tool, m);
  if (r.skipped) return r;
  r.runs = m.all;
  r.overVsJson = round(m.seconds / json.seconds - 1, 3);
  r.note = m.stdout;
  return r;
}

/**
 * Runs the live view as a user would, on a terminal of PTY's size: `script` gives it a pty for
 * stdin and stdout, so the CLI picks the view by itself. The wall time ends when the screen says
 * the file was read (the view stays up until the user quits); then `q`, and the run fails if the
 * view does not quit. `timeoutMs` bounds it all, so a hung view cannot stall the bench. Peak RSS
 * is the VmHWM of script's child (sh, which execs node: the same pid).
 */
function measureLive(script: string, file: string, timeoutMs: number): Promise<Measured> {
  const inner = `stty cols ${PTY.cols} rows ${PTY.rows}; exec ${sh(process.execPath)} ${sh(CLI)} ${sh(file)}`;
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  // Ink in CI draws only the last frame: the view must not think it runs in one.
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(script, ['-qfec', inner, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let seconds: number | null = null;
    let doneText = '';
    let quitAt = 0;
    let failure = '';
    let screen = ''; // the stream's last bytes, for an error
    let nodePid = 0;
    let hwm = 0;
    const kill = (why: string): void => {
      failure ||= why;
      for (const pid of [nodePid, child.pid]) {
        try {
          if (pid) process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    };
    const poll = setInterval(() => {
      nodePid ||= childOf(child.pid);
      hwm = Math.max(hwm, vmHwmKB(nodePid));
    }, 20);
    const deadline = setTimeout(() => kill(`no "read … in" on screen after ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    let quitTimer: NodeJS.Timeout | undefined;
    // Escapes and all: Ink writes the status line's text in one piece. A chunk is searched whole
    // (a frame starts with the status line and can be longer than any tail kept), after the end
    // of the one before, where the text may have been cut.
    child.stdout.on('data', (d: Buffer) => {
      const seen = screen.slice(-256) + d.toString('latin1');
      screen = seen.slice(-4096);
      if (seconds !== null) return;
      const done = DONE.exec(seen);
      if (!done) return;
      seconds = (performance.now() - t0) / 1000;
      doneText = done[0];
      quitAt = performance.now();
      child.stdin.write('q');
      quitTimer = setTimeout(() => kill(`did not quit within ${QUIT_GRACE_MS / 1000} s of q`), QUIT_GRACE_MS);
    });
    child.stderr.resume();
    child.stdin.on('error', () => undefined); // the view may be gone before q arrives
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(deadline);
      clearTimeout(quitTimer);
      // Ending well without the done text is a failure too (the view never came up, say).
      if (seconds === null && code === 0) failure ||= 'ended without "read … in" on screen';
      const ok = seconds !== null && failure === '' && code === 0;
      resolvePromise({
        seconds: seconds ?? (performance.now() - t0) / 1000,
        peakRssMB: hwm ? Math.round(hwm / 1024) : null,
        cpuSeconds: null,
        exitCode: failure ? null : code,
        stdout: ok ? `screen: "${doneText}"; quit ${((performance.now() - quitAt) / 1000).toFixed(2)} s after q` : '',
        stderr: failure || lastScreenLine(Buffer.from(screen, 'latin1').toString('utf8')),
      });
    });
  });
}

/** util-linux `script` (BSD's takes other arguments), or null. */
function utilLinuxScript(): string | null {
  const script = which('script');
  if (script === null) return null;
  const r = spawnSync(script, ['--version'], { encoding: 'utf8' });
  return /util-linux/.test(r.stdout + r.stderr) ? script : null;
}

/** A child of `ppid`, found in /proc (no /proc/PID/task/TID/children on every kernel), or 0. */
function childOf(ppid: number | undefined): number {
  if (!ppid) return 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // pid (comm) state ppid …, and comm may hold spaces and parentheses.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid) return Number(d);
    } catch {
      // gone
    }
  }
  return 0;
}

/** What the view printed last, without escapes: the error when it ended before the done text. */
function lastScreenLine(screen: string): string {
  const text = screen.replace(/\u001b\[[0-9;?]*[ -\/]*[@-~]|\u001b[\]P_^][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b./g, '');
  const lines = text.split(/\r?\n|\r/).map((l) => l.trim()).filter(Boolean);
  return lines.pop() ?? 'ended before reading was done';
}

function sh(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------- the machine and the tools

function hasGnuTime(): boolean {
  const r = spawnSync('/usr/bin/time', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /GNU/.test(r.stdout + r.stderr);
}

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = join(dir, cmd);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * A HOME of lnav's own, so that it leaves the user's config alone. It must exist: without it
 * lnav wrote its default configs and formats into the working directory (the repository).
 */
function lnavHome(): string {
  const home = join(tmpdir(), 'mld-bench-lnav-home');
  mkdirSync(home, { recursive: true });
  return home;
}

function version(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, HOME: lnavHome() } });
  const m = /(\d+\.\d+(?:\.\d+)?)/.exec(r.stdout + r.stderr);
  return m ? m[1]! : '';
}

function machine() {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1]!.trim();
  } catch {
    // not Linux
  }
  return {
    nproc: availableParallelism(),
    cpu,
    memoryGB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

// ---------------------------------------------------------------- output

function table(rows: Row[]): string {
  const head = ['file', 'MB', 'tool', 'seconds', 'CPU s', 'MB/s', 'lines/s', 'peak RSS', 'vs split2', 'vs pflogsumm', 'vs json'];
  const body = rows.map((r) =>
    r.skipped
      ? [r.file, r.bytes ? (r.bytes / MB).toFixed(0) : '', r.tool, r.skipped, '', '', '', '', '', '', '']
      : [
          r.file,
          (r.bytes / MB).toFixed(0),
          r.tool,
          r.seconds!.toFixed(2),
          r.cpuSeconds == null ? '' : r.cpuSeconds.toFixed(2),
          r.mbPerSec!.toFixed(0),
          r.linesPerSec === undefined ? '' : `${(r.linesPerSec / 1e6).toFixed(2)} M`,
          r.peakRssMB == null ? '' : `${r.peakRssMB} MB`,
          r.vsSplit2 === undefined ? '' : `${r.vsSplit2.toFixed(2)}×`,
          r.vsPflogsumm === undefined ? '' : `${r.vsPflogsumm.toFixed(1)}×`,
          r.overVsJson === undefined ? '' : percent(r.overVsJson),
        ],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const right = new Set([1, 3, 4, 5, 6, 7, 8, 9, 10]);
  const line = (cells: string[]) =>
    cells.map((c, i) => (right.has(i) && !(i === 3 && /[a-z]/i.test(c)) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** 0.123 → `+12 %`. */
function percent(x: number): string {
  return `${x >= 0 ? '+' : '-'}${Math.abs(Math.round(x * 100))} %`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function say(s: string): void {
  process.stdout.write(s + '\n');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
