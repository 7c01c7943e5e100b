/**
 * bench/reader-alone.ts, the bench's two-thread ceiling, must read what a run reads: every line
 * of each sample through the reader thread, and a clear failure where it cannot.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScript } from '../helpers/cli.js';

const SCRIPT = join(ROOT, 'dist/bench/reader-alone.js');
const dir = mkdtempSync(join(tmpdir(), 'mld-reader-alone-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lines of a file as LineSplitter counts them (every sample ends with a newline). */
function linesOf(path: string): number {
  return readFileSync(path, 'latin1').split('\n').length - 1;
}

describe('bench/reader-alone', () => {
  it.each([
    ['postfix', 'samples/postfix/mail.log'],
    ['exim', 'samples/exim/mainlog'],
    ['exchange', 'samples/exchange/MSGTRK20261122-1.LOG'],
  ])('reads every line of the %s sample on the reader thread', (mta, file) => {
    const r = runScript(SCRIPT, [mta, join(ROOT, file)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Number(r.stdout.trim())).toBe(linesOf(join(ROOT, file)));
  });

  it('refuses a file whose last line has no newline, and a call without a file', () => {
    const cut = join(dir, 'cut.log');
    writeFileSync(cut, readFileSync(join(ROOT, 'samples/postfix/mail.log'), 'latin1').slice(0, 5000), 'latin1');
    const r = runScript(SCRIPT, ['postfix', cut]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not end with a newline');
    expect(runScript(SCRIPT, ['postfix']).code).toBe(2);
  });
});
