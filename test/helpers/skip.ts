/**
 * Records why a group of tests is skipped, for the one summary line test/setup/global.ts prints
 * at the end of the run. Use it where a describe.skipIf/test.skipIf depends on the machine:
 *
 *   const why = noPostfix();            // string | null
 *   skipNote('real Postfix lab', why);  // no-op when why is null
 *   describe.skipIf(why !== null)(…)
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

export function skipNote(what: string, why: string | null): void {
  if (why === null) return;
  const dir = process.env.MLD_SKIP_DIR;
  // Outside a `vitest run` with the global setup (e.g. an IDE running one file): say it here.
  if (!dir) {
    console.warn(`${what}: skipped: ${why}`);
    return;
  }
  appendFileSync(join(dir, `${process.pid}.ndjson`), JSON.stringify({ what, why }) + '\n');
}
