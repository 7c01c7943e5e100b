/**
 * `npm run build` bundles the view into one file (scripts/bundle-view.mjs), which the CLI loads
 * instead of Ink's and React's modules one by one. The bundle must load on its own and offer
 * what src/tui/run.tsx offers; the tmux tests drive it through the real binary.
 */
import { existsSync } from 'node:fs';
import { beforeAll, expect, test } from 'vitest';
import { assertFreshDist } from '../helpers/dist.js';
import * as run from '../../src/tui/run.js';

// dist/ older than its sources fails here instead of testing yesterday's build (see helpers/dist.ts).
beforeAll(assertFreshDist);

const BUNDLE = new URL('../../dist/src/tui/view.bundle.mjs', import.meta.url);

test('the view bundle is built, loads, and exports what run.tsx exports', async () => {
  expect(existsSync(BUNDLE)).toBe(true);
  const bundled = (await import(BUNDLE.href)) as Record<string, unknown>;
  expect(Object.keys(bundled).sort()).toEqual(Object.keys(run).sort());
  for (const [name, value] of Object.entries(run)) expect(typeof bundled[name]).toBe(typeof value);
});
