/**
 * Bundles the command and its two worker threads, each with every module it imports (its
 * dependencies too), into one file beside its module: dist/src/cli.bundle.mjs, which
 * bin/maillog-doctor runs, dist/src/pipeline/reader-thread.bundle.mjs and
 * dist/src/analysis-thread.bundle.mjs, which the threads start from, each while no module it
 * was made from (listed beside it in x.bundle.inputs.json) is newer (src/bundled.ts). Loading
 * some 150 modules one by one made every run and thread start later, and calls between modules
 * cost more than calls within one (bench/README.md, items 55–57). Run after `tsc` (npm run
 * build does).
 *
 * Modules imported on demand (the merge command, ClickHouse, --compare, state files) are in the
 * command's bundle too, so that each module exists once and `instanceof` holds across them. The
 * view is not: it is loaded from its own bundle (scripts/bundle-view.mjs), or from
 * dist/src/tui/run.js.
 */
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { asciiOnly, BUNDLE_OPTIONS, root } from './bundling.mjs';

const ENTRIES = ['dist/src/cli.js', 'dist/src/pipeline/reader-thread.js', 'dist/src/analysis-thread.js'];

for (const entry of ENTRIES) {
  const outfile = join(root, entry.replace(/\.js$/, '.bundle.mjs'));
  /** `file` as a path relative to the bundle's folder, for new URL(…, import.meta.url). */
  const fromBundle = (file) => {
    const path = relative(dirname(outfile), file).split(sep).join('/');
    return path.startsWith('../') ? path : `./${path}`;
  };
  const { metafile } = await build({
    ...BUNDLE_OPTIONS,
    metafile: true,
    entryPoints: [entry],
    outfile,
    plugins: [
      {
        // Each module's import.meta.url stays its own file's: worker threads are started from
        // beside the module that starts them, and the package's version is read relative to it.
        name: 'own-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
            const source = await readFile(args.path, 'utf8');
            if (!source.includes('import.meta.url')) return undefined;
            const own = `new URL(${JSON.stringify(fromBundle(args.path))}, import.meta.url).href`;
            return { contents: source.replaceAll('import.meta.url', own), loader: 'js' };
          });
        },
      },
      {
        // The view's modules (Ink, React) stay out: imported statically from a bundle, they would
        // load with every run.
        name: 'view-outside',
        setup(b) {
          b.onResolve({ filter: /[\\/]tui[\\/]run\.js$/ }, (args) => ({
            path: fromBundle(join(args.resolveDir, args.path)),
            external: true,
          }));
        },
      },
    ],
  });
  await asciiOnly(outfile);
  // The modules it was made from (src/bundled.ts runs them instead once one is newer: a partial
  // build, such as tsc --watch emitting only what changed, must not leave a stale bundle running).
  const own = Object.keys(metafile.inputs).filter((f) => f.startsWith('dist/'));
  await writeFile(outfile.replace(/\.mjs$/, '.inputs.json'), JSON.stringify(own.map((f) => fromBundle(join(root, f)))) + '\n');
}
