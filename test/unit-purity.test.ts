/**
 * `npm run test:unit` stays the fast loop: no test file it runs spawns a program, starts a worker
 * thread or reads dist/ (which it does not build), directly or through a test helper it imports.
 * Such a test goes in test/cli/ (it runs the executable), or in a file listed in
 * vitest.unit.config.ts; `npm test` runs both.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import unit from '../vitest.unit.config.js';
import { runs } from './helpers/runs.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** What a unit test may not import: child processes, worker threads, sockets, and dist/. */
const IMPURE: Array<[RegExp, string]> = [
  [/(?:\bfrom|\bimport\(|\brequire\()\s*['"](?:node:)?(?:child_process|worker_threads|net|http|https|dgram|tls)['"]/, 'a child process, worker thread or socket module'],
  [/(?:\bfrom|\bimport\(|\brequire\()\s*['"`](?:\.\.?\/)+dist\//, 'dist/'],
];

/** The test files of the main config (`test/**` ending in .test.ts or .test.tsx), relative to the root. */
function testFiles(dir = 'test'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return testFiles(rel);
    return /\.test\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

/** The unit config's own exclusions: a file, or a folder as `dir/**` (only those two shapes). */
const EXCLUDED = (unit.test?.exclude ?? []).filter((p) => p.startsWith('test/'));
const excluded = (file: string): boolean =>
  EXCLUDED.some((p) => (p.endsWith('/**') ? file.startsWith(p.slice(0, -2)) : file === p));

/** The file and the test-local modules it imports, transitively (src/ and packages are not followed). */
function withLocalImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(/\bfrom\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]/g)) {
    const spec = (m[1] ?? m[2])!;
    const base = relative(ROOT, resolve(dirname(join(ROOT, file)), spec)).replace(/\.(js|jsx|mjs)$/, '');
    if (!base.startsWith('test/')) continue;
    const found = ['.ts', '.tsx', '.mjs', ''].map((ext) => base + ext).find((f) => existsSync(join(ROOT, f)) && f.includes('.'));
    if (found) withLocalImports(found, seen);
  }
  return seen;
}

describe('the unit tests', () => {
  test('every exclusion of vitest.unit.config.ts is a file or folder that exists', () => {
    for (const p of EXCLUDED) {
      expect(p, `${p}: only \`file\` or \`dir/**\``).toMatch(/^[^*?{}[\]]+(\/\*\*)?$/);
      expect(existsSync(join(ROOT, p.replace(/\/\*\*$/, ''))), `${p} does not exist`).toBe(true);
    }
  });

  test('no file test:unit runs spawns a program, starts a thread or reads dist/', () => {
    const unitFiles = testFiles().filter((f) => !excluded(f));
    expect(unitFiles.length).toBeGreaterThan(50);
    const impure: string[] = [];
    // Itself excepted: it names what it looks for.
    for (const file of unitFiles.filter((f) => f !== 'test/unit-purity.test.ts')) {
      for (const used of withLocalImports(file)) {
        const text = readFileSync(join(ROOT, used), 'utf8');
        for (const [re, what] of IMPURE) {
          if (re.test(text)) impure.push(`${file}${used === file ? '' : ` (through ${used})`}: ${what}`);
        }
      }
    }
    expect(impure, 'move these tests to test/cli/ or list the file in vitest.unit.config.ts').toEqual([]);
  });

  test('the check sees what it looks for', () => {
    const [proc, dist] = IMPURE.map(([re]) => re);
    expect(proc!.test("import { spawn } from 'node:child_process';")).toBe(true);
    expect(proc!.test("await import('node:worker_threads')")).toBe(true);
    expect(proc!.test("import { readFileSync } from 'node:fs';")).toBe(false);
    expect(dist!.test("await import('../../dist/src/pipeline.js' as string)")).toBe(true);
    expect(dist!.test("import { x } from '../src/dist/y.js'")).toBe(false);
    expect(excluded('test/cli/errors.test.ts') && excluded('test/lab/exim.test.ts') && !excluded('test/text/sanitize.test.ts')).toBe(true);
  });
});

describe('property runs (test/helpers/runs.ts)', () => {
  test('all of them without MLD_PROPERTY_SHARE (npm test); a share, at least 20, with it (test:unit)', () => {
    const was = process.env.MLD_PROPERTY_SHARE;
    try {
      delete process.env.MLD_PROPERTY_SHARE;
      expect([runs(15), runs(2000), runs(20_000)]).toEqual([15, 2000, 20_000]);
      process.env.MLD_PROPERTY_SHARE = '0.2';
      expect([runs(15), runs(25), runs(300), runs(2000)]).toEqual([15, 20, 60, 400]);
    } finally {
      if (was === undefined) delete process.env.MLD_PROPERTY_SHARE;
      else process.env.MLD_PROPERTY_SHARE = was;
    }
    expect(unit.test?.env?.MLD_PROPERTY_SHARE).toBe('0.2');
  });
});
