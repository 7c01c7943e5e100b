/**
 * Runs once per `vitest run`, outside the test workers.
 *
 * 1. Tests that run the executable or import from dist/ would silently test stale code after an
 *    edit (`npx vitest run` does not build). When any source is newer than the build, build
 *    first and say so, rather than test yesterday's code. A watch run (`vitest` without `run`)
 *    runs this only once, so those tests also check before each use (test/helpers/dist.ts).
 * 2. Test files that skip (no corpus beside the repo, no Postfix installed, not root) record
 *    why through test/helpers/skip.ts; the run ends with one summary line of every reason, so a
 *    green run that tested less than usual says so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['src', 'parsers', 'bench', 'scripts', 'bin'];
/** What the build writes: tsc's output, then the bundles made from it (the view's, the command's, its threads'). */
const BUILT = [
  'dist/src/cli.js',
  'dist/src/tui/view.bundle.mjs',
  'dist/src/cli.bundle.mjs',
  'dist/src/pipeline/reader-thread.bundle.mjs',
  'dist/src/analysis-thread.bundle.mjs',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Null when dist/ is at least as new as every source; else why it is not. */
export function staleReason(root = ROOT): string | null {
  const built = BUILT.map((f) => join(root, f));
  if (!built.every((f) => existsSync(f))) return 'dist/ is missing';
  const oldestBuilt = Math.min(...built.map((f) => statSync(f).mtimeMs));
  const src = Math.max(statSync(join(root, 'tsconfig.json')).mtimeMs, ...SOURCES.map((d) => newestMtime(join(root, d))));
  return src > oldestBuilt ? 'dist/ is older than its sources' : null;
}

export default function setup(): () => void {
  const why = staleReason();
  if (why !== null) {
    console.log(`maillog-doctor tests: ${why}; building first (npm run build)`);
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
  }
  return collectSkips();
}

/** Sets up the folder where skipping tests say why; the returned teardown prints one line of every reason. */
export function collectSkips(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'mld-skips-'));
  process.env.MLD_SKIP_DIR = dir;
  return () => {
    const reasons = new Map<string, string[]>();
    for (const f of readdirSync(dir)) {
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
        if (!line) continue;
        const { what, why: reason } = JSON.parse(line) as { what: string; why: string };
        reasons.set(reason, [...(reasons.get(reason) ?? []), what]);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    if (reasons.size === 0) {
      console.log('maillog-doctor tests: nothing skipped');
      return;
    }
    const parts = [...reasons].map(([reason, whats]) => `${reason} (${[...new Set(whats)].sort().join(', ')})`);
    console.log(`maillog-doctor tests: skipped because ${parts.join('; ')}`);
  };
}
