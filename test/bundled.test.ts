import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeEach, expect, test } from 'vitest';
import { bundledOr } from '../src/bundled.js';

const dir = mkdtempSync(join(tmpdir(), 'mld-bundled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'pipeline'));
const module = join(dir, 'pipeline/reader-thread.js');
const bundle = join(dir, 'pipeline/reader-thread.bundle.mjs');
const inputs = join(dir, 'pipeline/reader-thread.bundle.inputs.json');
const other = join(dir, 'lines.js');
const url = pathToFileURL(module);
const setTime = (file: string, s: number) => utimesSync(file, s, s);

beforeEach(() => {
  for (const f of [module, bundle, other]) writeFileSync(f, '');
  writeFileSync(inputs, JSON.stringify(['./reader-thread.js', '../lines.js']));
  for (const f of [module, other]) setTime(f, 1_000_000);
  setTime(bundle, 1_000_100);
});

test('a module starts from the bundle beside it when that is at least as new as all it was made from', () => {
  expect(bundledOr(url).href).toBe(pathToFileURL(bundle).href);
  setTime(bundle, 1_000_000);
  expect(bundledOr(url).href).toBe(pathToFileURL(bundle).href);
});

test('from the module when it or another module was written after the bundle (a bare or a watch tsc)', () => {
  setTime(module, 1_000_200);
  expect(bundledOr(url).href).toBe(url.href);
  setTime(module, 1_000_000);
  setTime(other, 1_000_200);
  expect(bundledOr(url).href).toBe(url.href);
});

test('from the module when the bundle, its list of modules or one of them is missing, or the list is bad', () => {
  rmSync(other);
  expect(bundledOr(url).href).toBe(url.href);
  writeFileSync(other, '');
  setTime(other, 1_000_000);
  for (const bad of ['', 'not json', '[]', '{"a":1}', '[1]']) {
    writeFileSync(inputs, bad);
    expect(bundledOr(url).href).toBe(url.href);
  }
  rmSync(inputs);
  expect(bundledOr(url).href).toBe(url.href);
  rmSync(bundle);
  expect(bundledOr(url).href).toBe(url.href);
});

test('a module that is not a .js file (the TypeScript sources) is its own entry', () => {
  const ts = new URL('file:///nowhere/reader-thread.ts');
  expect(bundledOr(ts)).toBe(ts);
});
