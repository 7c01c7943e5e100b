/**
 * The no-behaviour-change check must itself be able to fail: two stand-in builds (a tiny bin
 * that writes the four report files from its input) run through scripts/reports-diff.mjs, once
 * alike and once with one byte of one report changed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/reports-diff.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mld-reports-diff-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A build whose bin writes `-o`, `--json`, `--csv` and `--unrecognised` from the input's text; `twist` changes the JSON of inputs containing DIFF. */
function fakeBuild(name: string, twist: boolean): string {
  const tree = join(dir, name);
  mkdirSync(join(tree, 'bin'), { recursive: true });
  writeFileSync(
    join(tree, 'bin/maillog-doctor'),
    `import { readFileSync, writeFileSync } from 'node:fs';
const a = process.argv.slice(2);
const at = (o) => a[a.indexOf(o) + 1];
const text = readFileSync(a[a.length - 1], 'utf8');
writeFileSync(at('-o'), 'text ' + text);
writeFileSync(at('--json'), JSON.stringify({ text: ${twist ? "text.includes('DIFF') ? text + '!' : text" : 'text'} }));
writeFileSync(at('--csv'), 'csv,' + text.length);
writeFileSync(at('--unrecognised'), '');
`,
  );
  writeFileSync(join(tree, 'package.json'), '{"type":"module"}');
  return tree;
}

const same = join(dir, 'same.log');
const differs = join(dir, 'differs.log');
writeFileSync(same, 'Nov 22 00:00:01 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]\n');
writeFileSync(differs, 'Nov 22 00:00:02 mx1 postfix/smtpd[1]: DIFF\n');

function reportsDiff(base: string, head: string) {
  const r = spawnSync(
    process.execPath,
    [SCRIPT, '--base-tree', base, '--head-tree', head, '--inputs', `${same},${differs}`, '--bench-mb', '0', '--out', join(dir, `out-${Math.random()}`)],
    { encoding: 'utf8', timeout: 30_000 },
  );
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('reports-diff', () => {
  it('passes when both builds write the same bytes', () => {
    const r = reportsDiff(fakeBuild('a', false), fakeBuild('b', false));
    expect(r.out).toContain('identical over 2 runs');
    expect(r.code).toBe(0);
  });

  it('fails and names the file when one report differs by a byte', () => {
    const r = reportsDiff(fakeBuild('c', false), fakeBuild('d', true));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/differs: [^\n]*differs\.log\/report\.json/);
    expect(r.out).not.toMatch(/differs: [^\n]*same\.log/);
    expect(r.out).toContain('1 file(s) differ');
  });
});
