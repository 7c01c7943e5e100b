/**
 * Where the command and its threads start: from the one-file bundle of a module that the build
 * makes beside it (`x.js` → `x.bundle.mjs`, scripts/bundle-cli.mjs) when that is at least as new
 * as the module, else from the module (after a bare `tsc` the bundle is older and out of date).
 * A bundle starts sooner, and calls within one file cost less than calls between modules
 * (bench/README.md, items 55–56). bin/maillog-doctor asks it for the command, run.ts and
 * analysis-thread.ts for their threads.
 */
import { statSync } from 'node:fs';

export function bundledOr(module: URL): URL {
  const bundle = new URL(module.href.replace(/\.js$/, '.bundle.mjs'));
  if (bundle.href === module.href) return module;
  const built = mtimeOf(bundle);
  return built !== null && built >= (mtimeOf(module) ?? -Infinity) ? bundle : module;
}

function mtimeOf(url: URL): number | null {
  try {
    return statSync(url, { throwIfNoEntry: false })?.mtimeMs ?? null;
  } catch {
    return null;
  }
}
