/**
 * Bundles the command (dist/src/cli.js and every module it imports, its dependencies too) into
 * one file, dist/src/cli.bundle.mjs, which bin/maillog-doctor runs when it is newer than
 * dist/src/cli.js. Loading some 150 modules one by one made every run start later, and calls
 * between modules cost more than calls within one (bench/README.md, item 55). Run after `tsc`
 * (npm run build does).
 *
 * Modules imported on demand (the merge command, ClickHouse, --compare, state files) are in the
 * bundle too, so that each module exists once and `instanceof` holds across them. The view is
 * not: it is loaded from its own bundle (scripts/bundle-view.mjs), or from dist/src/tui/run.js.
 * Worker threads start from their modules under dist/ as before.
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = join(root, 'dist/src/cli.bundle.mjs');
/** `file` as a path relative to the bundle's folder, for new URL(…, import.meta.url). */
const fromBundle = (file) => './' + relative(dirname(outfile), file).split(sep).join('/');

await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli.js'],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // CommonJS dependencies (commander) require Node's own modules at run time.
  banner: { js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);" },
  plugins: [
    {
      // Each module's import.meta.url stays its own file's: worker threads are started from
      // files beside the module that starts them, and the package's version is read relative to it.
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
