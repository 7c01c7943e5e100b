/**
 * A run does not load the schema library: the zod schemas are the parsers' contract, checked in
 * tests, and loading them cost every thread ~15 MB of memory and start-up time for nothing.
 * Parsers build events through src/event-builders.ts, which imports only types.
 *
 * Checked on the modules (dist/src/cli.js), whose imports a resolve hook sees: the bundle the
 * binary runs holds zod for the commands that read state files and reports, but only in modules
 * it starts on demand (the import graph checked here decides which those are).
 */
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { ROOT, runScript } from '../helpers/cli.js';

const WATCH = `${ROOT}test/helpers/zod-watch.mjs`;

describe('start-up', () => {
  test.each([
    [['samples/postfix/mail.log', '--format', 'json']],
    [['samples/exim/mainlog', '--format', 'csv']],
    [['samples/exchange', '--format', 'text']],
  ])('%j loads no zod module', (args) => {
    const r = runScript(`${ROOT}dist/src/cli.js`, args, { nodeArgs: ['--import', WATCH] });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('zod loaded');
  });

  test('the watch itself sees zod when it is loaded (the test above can fail)', () => {
    const r = spawnSync(process.execPath, ['--import', WATCH, '-e', "import('zod')"], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toContain('zod loaded');
  });
});
