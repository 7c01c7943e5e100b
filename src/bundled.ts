/**
 * Where the command and its threads start: from the one-file bundle of a module that the build
 * makes beside it (`x.js` → `x.bundle.mjs`, scripts/bundle-cli.mjs) when it is at least as new
 * as every module it was made from (`x.bundle.inputs.json` lists them), else from the module:
 * after a bare `tsc`, or a watch build that wrote only what changed, the bundle is out of date.
 * A bundle starts sooner, and calls within one file cost less than calls between modules
 * (bench/README.md, items 55–56). bin/maillog-doctor asks it for the command, run.ts and
 * analysis-thread.ts for their threads.
 */
import { readFileSync, statSync } from 'node:fs';

export function bundledOr(module: URL): URL {
  const bundle = new URL(module.href.replace(/\.js$/, '.bundle.mjs'));
  if (bundle.href === module.href) return module;
  const built = mtimeOf(bundle);
  if (built === null) return module;
  const inputs = inputsOf(new URL(bundle.href.replace(/\.mjs$/, '.inputs.json')));
  if (inputs === null) return module;
  for (const input of inputs) {
    const changed = mtimeOf(new URL(input, bundle));
    if (changed === null || changed > built) return module;
  }
  return bundle;
}

function mtimeOf(url: URL): number | null {
  try {
    return statSync(url, { throwIfNoEntry: false })?.mtimeMs ?? null;
  } catch {
    return null;
  }
}

/** The list of a bundle's modules (paths relative to it), or null when it cannot be read. */
function inputsOf(url: URL): string[] | null {
  try {
    const list: unknown = JSON.parse(readFileSync(url, 'utf8'));
    return Array.isArray(list) && list.length > 0 && list.every((f) => typeof f === 'string') ? (list as string[]) : null;
  } catch {
    return null;
  }
}
