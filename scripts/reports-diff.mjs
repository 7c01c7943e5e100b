#!/usr/bin/env node
/**
 * Proves that a change changes no behaviour: runs the build of a git ref and the build of this
 * checkout over the same inputs and compares every report they write, byte for byte.
 *
 *   npm run reports:diff -- <ref> [--bench-mb N] [--inputs a,b,…] [--out DIR] [--no-build]
 *   node scripts/reports-diff.mjs --base-tree DIR [--head-tree DIR] --inputs a,b,… [--bench-mb 0]
 *
 * <ref> is exported (git archive, so the repository's worktree list is left alone) to a cache
 * folder in the temp dir and built there once per commit; this checkout is built first unless
 * --no-build. Each input (a file, or a folder whose files make one run, oldest rotation first as
 * the user would name them) is read by both builds with the text, JSON and CSV reports, the
 * --unrecognised file, and the exit status with stderr written out; inputs are the samples, the
 * corpus (/work/shared/corpus or ../shared/corpus) and logs the base's bench generator writes.
 * Exit 0 when every file is the same, 1 naming each file that differs, 2 when it could not run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = fileURLToPath(new URL('..', import.meta.url));
/** What each run writes, beside `status.txt` (exit code and stderr). */
const OUTPUTS = ['report.txt', 'report.json', 'report.csv', 'unrecognised.txt'];
/** Runs at a time: the machine is shared, and two keep both CPUs busy. */
const PARALLEL = 2;
/** One run of the CLI never needs this long on these inputs; a hang is a difference too. */
const RUN_TIMEOUT_MS = 120_000;

function usage(msg) {
  console.error(`reports-diff: ${msg}`);
  console.error('usage: reports-diff.mjs <git-ref> | --base-tree DIR  [--head-tree DIR] [--inputs a,b] [--bench-mb N] [--out DIR] [--no-build]');
  process.exit(2);
}

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'base-tree': { type: 'string' },
    'head-tree': { type: 'string' },
    inputs: { type: 'string' },
    'bench-mb': { type: 'string', default: '20' },
    out: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});
if (positionals.length > 1) usage('one git ref at most');
if (!positionals[0] && !opt['base-tree']) usage('name a git ref or --base-tree');
const benchMb = Number(opt['bench-mb']);
if (!Number.isInteger(benchMb) || benchMb < 0 || benchMb > 2000) usage('--bench-mb takes a whole number of MB, 0 to 2000');

const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 26 });

/** The ref exported and built in a cache folder named after its commit, reused by later calls. */
function baseTree(ref) {
  const sha = sh('git', ['rev-parse', '--verify', `${ref}^{commit}`], HERE).trim();
  const dir = join(tmpdir(), 'mld-reports-diff', sha);
  if (existsSync(join(dir, '.built'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', 'git archive --format=tar "$1" | tar -x -C "$2"', 'sh', sha, dir], { cwd: HERE, stdio: 'inherit' });
  // The base builds with this checkout's packages: a ref with other dependencies is said, not hidden.
  if (readFileSync(join(dir, 'package-lock.json'), 'utf8') !== readFileSync(join(HERE, 'package-lock.json'), 'utf8')) {
    console.error(`reports-diff: note: ${ref} has another package-lock.json; it is built with this checkout's node_modules`);
  }
  symlinkSync(join(HERE, 'node_modules'), join(dir, 'node_modules'), 'dir');
  console.error(`reports-diff: building ${ref} (${sha.slice(0, 12)}) in ${dir}`);
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: dir, stdio: 'inherit', timeout: 600_000 });
  writeFileSync(join(dir, '.built'), `${sha}\n`);
  return dir;
}

function corpusDir() {
  for (const d of ['/work/shared/corpus', resolve(HERE, '../shared/corpus')]) if (existsSync(d)) return d;
  return null;
}

const LOG_NAME_RE = /\.(md|json)$/;

/** Files of a folder in the order a user names rotations: `x.2.gz`, `x.1`, `x`; notes and expectations left out. */
function logsIn(dir) {
  const rotation = (n) => Number(/\.([0-9]+)(\.gz)?$/.exec(n)?.[1] ?? 0);
  return readdirSync(dir)
    .filter((n) => !LOG_NAME_RE.test(n) && statSync(join(dir, n)).isFile())
    .sort((a, b) => rotation(b) - rotation(a) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Every run as {name, files}: a folder is one run of all its logs, and each log alone too. */
function runsOf(inputs) {
  const runs = [];
  for (const input of inputs) {
    const abs = resolve(HERE, input);
    if (!existsSync(abs)) usage(`no such input: ${input}`);
    const label = input.replace(/^\/+/, '').replace(/[/]/g, '_');
    if (statSync(abs).isDirectory()) {
      const logs = logsIn(abs).map((n) => join(abs, n));
      if (logs.length > 1) runs.push({ name: `${label}_ALL`, files: logs });
      for (const f of logs) runs.push({ name: `${label}_${basename(f)}`, files: [f] });
    } else runs.push({ name: label, files: [abs] });
  }
  return runs;
}

/** Logs from the base's own generator, made once per commit and size (both builds read the same file). */
function benchInputs(base) {
  if (benchMb === 0) return [];
  const dir = join(base, '.bench-inputs');
  mkdirSync(dir, { recursive: true });
  const gen = join(base, 'dist/bench/gen/cli.js');
  const out = [];
  // Postfix carries the fast path, so it gets the full size; the others a quarter each.
  for (const [mta, mb] of [['postfix', benchMb], ['exim', Math.ceil(benchMb / 4)], ['exchange', Math.ceil(benchMb / 4)]]) {
    const file = join(dir, `${mta}-${mb}mb.log`);
    if (!existsSync(file)) {
      const tmp = `${file}.part`;
      // The generator holds every message in memory: ask for enough to fill the size (each is over
      // 250 bytes of log in every format), not for an endless number.
      const messages = String(Math.ceil((mb * 1_000_000) / 250));
      execFileSync(process.execPath, [gen, '--mta', mta, '--seed', '1', '--messages', messages, '--max-bytes', String(mb * 1_000_000), '--out', tmp], { stdio: 'inherit' });
      execFileSync('mv', [tmp, file]);
    }
    out.push(file);
  }
  return out;
}

function runOne(tree, files, dir) {
  mkdirSync(dir, { recursive: true });
  const args = [
    join(tree, 'bin/maillog-doctor'),
    '--no-tui', '--no-color', '--width', '100', '--format', 'text',
    // Relative names in a folder of the run's own: the report names the --unrecognised file, so
    // both sides must call their files the same.
    '-o', 'report.txt', '--json', 'report.json', '--csv', 'report.csv', '--unrecognised', 'unrecognised.txt',
    ...files,
  ];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, {
      cwd: dir,
      env: { ...process.env, TZ: 'UTC', FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: RUN_TIMEOUT_MS,
    });
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (err += `[stdout] ${d}`));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.on('close', (code, signal) => {
      writeFileSync(join(dir, 'status.txt'), `exit ${code} signal ${signal}\n${err}`);
      done();
    });
  });
}

async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** First differing line of two buffers, for the message. */
function firstDifference(a, b) {
  const la = a.toString('utf8').split('\n');
  const lb = b.toString('utf8').split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: base ${JSON.stringify((la[i] ?? '<none>').slice(0, 160))} / head ${JSON.stringify((lb[i] ?? '<none>').slice(0, 160))}`;
  }
  return 'same lines, other bytes';
}

async function main() {
  const head = resolve(opt['head-tree'] ?? HERE);
  const base = opt['base-tree'] ? resolve(opt['base-tree']) : baseTree(positionals[0]);
  if (!opt['no-build'] && !opt['head-tree']) execFileSync('npm', ['run', '--silent', 'build'], { cwd: head, stdio: 'inherit', timeout: 600_000 });
  const corpus = corpusDir();
  const inputs = opt.inputs
    ? opt.inputs.split(',').filter(Boolean)
    : ['samples/postfix', 'samples/exim', 'samples/exchange', ...(corpus ? ['postfix', 'exim', 'exchange'].map((m) => join(corpus, m)) : [])];
  if (!opt.inputs && !corpus) console.error('reports-diff: note: no corpus beside the repository; samples and bench inputs only');
  const runs = [...runsOf(inputs), ...runsOf(benchInputs(base))];
  const out = opt.out ? resolve(opt.out) : mkdtempSync(join(tmpdir(), 'mld-reports-'));
  await pool(runs.flatMap((r) => [['base', base, r], ['head', head, r]]), PARALLEL, ([side, tree, r]) => runOne(tree, r.files, join(out, side, r.name)));

  let differing = 0;
  for (const r of runs) {
    for (const f of [...OUTPUTS, 'status.txt']) {
      const pa = join(out, 'base', r.name, f);
      const pb = join(out, 'head', r.name, f);
      const a = existsSync(pa) ? readFileSync(pa) : null;
      const b = existsSync(pb) ? readFileSync(pb) : null;
      if (a === null && b === null) continue;
      if (a === null || b === null || !a.equals(b)) {
        differing++;
        const why = a === null ? 'only head wrote it' : b === null ? 'only base wrote it' : firstDifference(a, b);
        console.log(`differs: ${r.name}/${f} (${why})`);
      }
    }
  }
  const what = `${runs.length} runs, ${runs.length * (OUTPUTS.length + 1)} files each side`;
  if (differing > 0) {
    console.log(`reports-diff: ${differing} file(s) differ over ${what}; both sides kept in ${out}`);
    return 1;
  }
  console.log(`reports-diff: identical over ${what}`);
  if (!opt.out) rmSync(out, { recursive: true, force: true });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`reports-diff: ${err?.stack ?? err}`);
    process.exit(2);
  },
);
