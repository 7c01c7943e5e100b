/**
 * bin/maillog-doctor starts the reader thread's worker before the command has loaded when the
 * arguments name a file a run would give it (src/pipeline/reader-worker.ts), and the run takes
 * that worker instead of starting another. A hook counts the workers the main thread makes.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BIN, ROOT, runScript } from '../helpers/cli.js';

const HOOK = join(ROOT, 'test/helpers/count-workers.mjs');
const SAMPLES = ['samples/postfix/mail.log', 'samples/postfix/mail.log.1'].map((f) => join(ROOT, f));

function counted(args: string[], env: NodeJS.ProcessEnv) {
  const r = runScript(BIN, args, { env: { MAILLOG_DOCTOR_THREADS: '', MAILLOG_DOCTOR_FRONT: '', ...env }, nodeArgs: ['--import', HOOK] });
  const m = /workers=(\d+)\n$/.exec(r.stderr);
  expect(m, r.stderr).not.toBeNull();
  return { ...r, workers: Number(m![1]), stderr: r.stderr.slice(0, m!.index) };
}

describe('the reader thread started by the bin', () => {
  test('is the one the run reads with: one worker for two files, and the report of one thread', () => {
    const two = counted(['--format', 'json', ...SAMPLES], { MAILLOG_DOCTOR_THREADS: '2' });
    expect(two.code).toBe(0);
    expect(two.workers).toBe(1);
    const one = counted(['--format', 'json', ...SAMPLES], { MAILLOG_DOCTOR_THREADS: '1' });
    expect(one.workers).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });

  test('is not started for a file under the size a second thread pays off at, stdin, or the text path', () => {
    // The samples are far under PARALLEL_MIN_BYTES: with the threads left to the run, none.
    expect(counted(['--format', 'json', SAMPLES[0]!], {}).workers).toBe(0);
    expect(counted(['--format', 'json', '-'], { MAILLOG_DOCTOR_THREADS: '2' }).workers).toBe(0);
    expect(counted(['--format', 'json', SAMPLES[0]!], { MAILLOG_DOCTOR_THREADS: '2', MAILLOG_DOCTOR_FRONT: '0' }).workers).toBe(0);
  });

  test('does not hold the command open when the run never takes it', () => {
    const help = counted(['--help', SAMPLES[0]!], { MAILLOG_DOCTOR_THREADS: '2' });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: maillog-doctor');
    expect(help.workers).toBe(1);
    const bad = counted(['--no-such-option', SAMPLES[0]!], { MAILLOG_DOCTOR_THREADS: '2' });
    expect(bad.code).toBe(2);
    expect(bad.workers).toBe(1);
  });
});
