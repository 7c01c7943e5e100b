/**
 * The young generation stays at YOUNG_SEMI_SPACE_MB per semi-space once capped, with a worker
 * thread running, as the reader thread does (V8 sets the growth factor back when it makes a
 * worker's heap). In a child process, so that the test runner's own heap keeps V8's defaults;
 * the control, uncapped, grows to 16 MiB each.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('../../dist/src/pipeline/young-generation.js', import.meta.url));

// A reader-like worker started first, then objects that survive a while (as a run's new keys
// do), a batch's worth between calls. Prints the largest new space seen, in MiB.
const SCRIPT = `
import { getHeapSpaceStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
const yg = await import(process.argv[1]);
if (process.argv[2] === 'cap') yg.capYoungGeneration();
const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
let keep = [];
let most = 0;
const churn = (n) => {
  for (let i = 0; i < n; i++) {
    keep.push({ i, s: 'value ' + i });
    if (keep.length > 300000) keep = [];
    if (i % 20000 === 0) {
      yg.holdYoungGeneration();
      most = Math.max(most, newSpace());
    }
  }
};
const w = new Worker('setTimeout(() => {}, 50)', { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
await new Promise((ok) => w.on('online', ok));
churn(5e6);
await w.terminate();
console.log(most);
`;

function largestNewSpace(mode: 'cap' | 'none'): number {
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, MODULE, mode], { encoding: 'utf8', timeout: 60_000 }));
}

describe('young generation cap', () => {
  it('holds the new space at two semi-spaces of YOUNG_SEMI_SPACE_MB; V8 alone grows it to 32 MiB', async () => {
    const { YOUNG_SEMI_SPACE_MB } = await import(MODULE);
    expect(largestNewSpace('none')).toBe(32);
    expect(largestNewSpace('cap')).toBe(2 * YOUNG_SEMI_SPACE_MB);
  });
});
