/**
 * A run does not load the schema library: the zod schemas are the parsers' contract, checked in
 * tests, and loading them cost every thread ~15 MB of memory and start-up time for nothing.
 * Parsers build events through src/event-builders.ts, which imports only types.
 */
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { ROOT, run } from '../helpers/cli.js';

const WATCH = `${ROOT}test/helpers/zod-watch.mjs`;

describe('start-up', () => {
  test.each([
    [['samples/postfix/mail.log', '--format', 'json']],
    [['samples/exim/mainlog', '--format', 'csv']],
    [['samples/exchange', '--format', 'text']],
  ])('%j loads no zod module', async (args) => {
    const r = await run(args, { env: { ...process.env, TZ: 'UTC', FORCE_COLOR: '0', NODE_OPTIONS: `--import ${WATCH}` } });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('zod loaded');
  });

  test('the watch itself sees zod when it is loaded (the test above can fail)', () => {
    const r = spawnSync(process.execPath, ['--import', WATCH, '-e', "import('zod')"], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toContain('zod loaded');
  });
});
