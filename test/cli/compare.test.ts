/** --compare through the built executable (the comparison itself: test/report/compare.test.ts). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mld-compare-'));

describe('--compare on the command line', () => {
  test('an earlier report of part of the log: new and grown findings first; a foreign file is exit 2', async () => {
    const prev = join(dir, 'morning.json');
    const first = await run(['--year', '2026', '--until', '2026-11-22T12:00Z', '--json', prev, 'samples/postfix/mail.log']);
    expect(first.code).toBe(0);
    const second = await run(['--year', '2026', '--compare', prev, '--format', 'json', 'samples/postfix/mail.log']);
    expect(second.code).toBe(0);
    const doc = JSON.parse(second.stdout);
    expect(doc.comparison.gone).toEqual([]);
    expect(doc.comparison.new.length).toBeGreaterThan(0);
    expect(doc.comparison.grew.length).toBeGreaterThan(0);
    const bad = await run(['--compare', 'package.json', 'samples/postfix/mail.log']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('maillog-doctor: --compare package.json: not a JSON report of maillog-doctor (bad or missing summary)\n');
  }, 60_000);
});
