/**
 * For tests that run or import dist/: fail with the reason when dist/ is older than its sources.
 * The global setup builds before a run, but a watch run (`vitest` without `run`) keeps going after
 * edits, and would otherwise test yesterday's build without saying so.
 */
import { staleReason } from '../setup/global.js';

/** Checks at most this often: a test file may spawn the binary hundreds of times. */
const RECHECK_MS = 2_000;
let checkedAt = -Infinity;

export function assertFreshDist(): void {
  const now = Date.now();
  if (now - checkedAt < RECHECK_MS) return;
  const why = staleReason();
  if (why !== null) throw new Error(`${why}: run \`npm run build\` (a vitest watch run does not rebuild), then test again`);
  checkedAt = now;
}
