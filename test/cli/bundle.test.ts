/**
 * `npm run build` bundles the command into one file (scripts/bundle-cli.mjs), which
 * bin/maillog-doctor runs while no module it holds is newer (src/bundled.ts, whose own test
 * covers that rule). The other CLI tests run the binary, so they test the bundle; these check
 * that it is what the binary runs, that it says and writes what the modules do (its modules
 * loaded on demand share their classes with the rest: an input error thrown by one is still
 * reported as one), and that the binary asks the rule.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assertFreshDist } from '../helpers/dist.js';
import { ROOT, runScript } from '../helpers/cli.js';
import { bundledOr } from '../../src/bundled.js';

const BUNDLE = `${ROOT}dist/src/cli.bundle.mjs`;
const MODULES = `${ROOT}dist/src/cli.js`;

beforeAll(assertFreshDist);

describe('the bundled command', () => {
  test('is what the binary runs after a build, and the threads start from theirs', () => {
    for (const entry of ['dist/src/cli', 'dist/src/pipeline/reader-thread', 'dist/src/analysis-thread']) {
      const module = pathToFileURL(`${ROOT}${entry}.js`);
      expect(bundledOr(module).href).toBe(pathToFileURL(`${ROOT}${entry}.bundle.mjs`).href);
    }
    // Each bundle lists the modules it holds: the command's includes the on-demand state module.
    const inputs = JSON.parse(readFileSync(`${ROOT}dist/src/cli.bundle.inputs.json`, 'utf8')) as string[];
    expect(inputs).toContain('./state/state-file.js');
    expect(inputs).toContain('./cli.js');
  });

  test('every bundle is plain ASCII (one character above it makes V8 hold the whole file as two-byte text)', () => {
    for (const bundle of ['cli', 'pipeline/reader-thread', 'analysis-thread', 'tui/view']) {
      const bytes = readFileSync(`${ROOT}dist/src/${bundle}.bundle.mjs`);
      expect(bytes.findIndex((b) => b > 0x7f), bundle).toBe(-1);
    }
  });

  const dir = mkdtempSync(join(tmpdir(), 'mld-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const damaged = join(dir, 'damaged.state');
  writeFileSync(damaged, 'not gzip at all');

  test.each([
    [['samples/postfix/mail.log', '--format', 'json']],
    [['samples/exim/mainlog', '--format', 'csv']],
    [['samples/exchange', '--format', 'text', '--width', '120']],
    [['samples/postfix/mail.log', '--since', 'not a time']],
    [['no/such/file.log']],
    // The state file module is loaded on demand and throws an InputError of its own module.
    [['merge', damaged]],
  ])('%j: the same output, messages and exit code as the modules', (args) => {
    const fromModules = runScript(MODULES, args);
    const fromBundle = runScript(BUNDLE, args);
    expect(fromBundle).toEqual(fromModules);
    if (args[0] === 'merge') {
      expect(fromBundle.code).toBe(1);
      expect(fromBundle.stderr).toContain(`${damaged}: not a maillog-doctor state file`);
      expect(fromBundle.stderr).not.toContain('internal error');
    }
  });
});

test.each(['samples/postfix/mail.log', 'samples/exim/mainlog', 'samples/exchange'])(
  '%s: the reader thread, started from its bundle, gives what one thread gives',
  (input) => {
    const on = (threads: string) => runScript(BUNDLE, [input, '--format', 'json'], { env: { MAILLOG_DOCTOR_THREADS: threads } });
    const two = on('2');
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(on('1').stdout);
  },
);

describe('the binary', () => {
  const tree = mkdtempSync(join(tmpdir(), 'mld-bin-'));
  afterAll(() => rmSync(tree, { recursive: true, force: true }));
  mkdirSync(join(tree, 'bin'));
  copyFileSync(`${ROOT}bin/maillog-doctor`, join(tree, 'bin/maillog-doctor'));
  // What the bin imports besides the command: the rule, and the reader thread's early start.
  for (const f of ['bundled.js', 'pipeline/reader-worker.js', 'input/gzip.js', 'input/paths.js']) {
    mkdirSync(dirname(join(tree, 'dist/src', f)), { recursive: true });
    copyFileSync(`${ROOT}dist/src/${f}`, join(tree, 'dist/src', f));
  }
  writeFileSync(join(tree, 'dist/src/cli.bundle.inputs.json'), '["./cli.js"]');
  writeFileSync(join(tree, 'package.json'), '{"type":"module"}');
  const bundle = join(tree, 'dist/src/cli.bundle.mjs');
  const modules = join(tree, 'dist/src/cli.js');
  writeFileSync(bundle, "console.log('bundle')");
  writeFileSync(modules, "console.log('modules')");
  const ran = () => spawnSync(process.execPath, [join(tree, 'bin/maillog-doctor')], { encoding: 'utf8', timeout: 30_000 }).stdout.trim();
  const setTimes = (file: string, s: number) => utimesSync(file, s, s);

  test('runs the bundle when it is at least as new as the modules', () => {
    setTimes(modules, 1_000_000);
    setTimes(bundle, 1_000_000);
    expect(ran()).toBe('bundle');
    setTimes(bundle, 1_000_100);
    expect(ran()).toBe('bundle');
  });

  test('runs the modules when they were built after the bundle (a bare tsc), or alone', () => {
    setTimes(bundle, 1_000_000);
    setTimes(modules, 1_000_100);
    expect(ran()).toBe('modules');
    rmSync(bundle);
    expect(ran()).toBe('modules');
  });
});
