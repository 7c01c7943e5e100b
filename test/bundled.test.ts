import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { bundledOr } from '../src/bundled.js';

const dir = mkdtempSync(join(tmpdir(), 'mld-bundled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const module = join(dir, 'reader-thread.js');
const bundle = join(dir, 'reader-thread.bundle.mjs');
const url = pathToFileURL(module);
const setTime = (file: string, s: number) => utimesSync(file, s, s);

test('a module starts from the bundle beside it when that is at least as new', () => {
  writeFileSync(module, '');
  writeFileSync(bundle, '');
  setTime(module, 1_000_000);
  setTime(bundle, 1_000_000);
  expect(bundledOr(url).href).toBe(pathToFileURL(bundle).href);
  setTime(bundle, 1_000_100);
  expect(bundledOr(url).href).toBe(pathToFileURL(bundle).href);
});

test('from the module when the bundle is older (a bare tsc since) or missing', () => {
  setTime(bundle, 1_000_000);
  setTime(module, 1_000_100);
  expect(bundledOr(url).href).toBe(url.href);
  rmSync(bundle);
  expect(bundledOr(url).href).toBe(url.href);
});

test('a module that is not a .js file (the TypeScript sources) is its own entry', () => {
  const ts = new URL('file:///nowhere/reader-thread.ts');
  expect(bundledOr(ts)).toBe(ts);
});
