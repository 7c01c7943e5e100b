/**
 * Evidence where a unit test cannot go: through the reader thread, which starts from the
 * compiled pipeline in dist/, and from a FIFO, made by mkfifo (test/input/evidence.test.ts has
 * the rest).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { readEvidence } from '../../src/input/evidence.js';
import type { analyse } from '../../src/pipeline.js';
import { checkEvidence } from './evidence-check.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mld-evidence-'));
});

describe('a finding’s evidence, from the pipeline', () => {
  test('the same through the reader thread (the compiled pipeline)', { timeout: 60_000 }, async () => {
    const compiled = (await import('../../dist/src/pipeline.js' as string)) as { analyse: typeof analyse };
    await checkEvidence(2, compiled);
  });
});

describe('readEvidence on what cannot be read again', () => {
  test('a FIFO is not opened (it would wait for a writer)', { timeout: 10_000 }, async () => {
    const fifo = join(dir, 'fifo');
    const { spawnSync } = await import('node:child_process');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return;
    const r = await readEvidence([fifo], [0, 1, 0]);
    expect(r.unreadable).toEqual([{ file: fifo, refs: 1, why: 'a pipe or device cannot be read again' }]);
  });
});
