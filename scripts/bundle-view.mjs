/**
 * Bundles the interactive view (dist/src/tui/run.js with Ink, React and the rest of what it
 * imports) into one file, dist/src/tui/view.bundle.mjs, which the CLI loads when it exists.
 * Loading Ink and React as some 150 separate modules cost the main thread a noticeable pause at
 * the start of every interactive run (resolving, reading, compiling each, lexing the CommonJS
 * ones); one file is several times quicker (bench/README.md, "Figures behind the code"). Run
 * after `tsc` (npm run build does both).
 */
import { build } from 'esbuild';
import { asciiOnly, BUNDLE_OPTIONS, root } from './bundling.mjs';

await build({
  ...BUNDLE_OPTIONS,
  entryPoints: ['dist/src/tui/run.js'],
  outfile: 'dist/src/tui/view.bundle.mjs',
  // React's development build is several times slower; the view always runs the production one.
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [
    {
      // Ink measures every piece of text of every frame with string-width, which segments any
      // string that is not plain ASCII into graphemes (the sparklines, bars and arrows): most of
      // a frame's cost. The texts repeat from frame to frame, so their widths are remembered
      // (bounded; options-free calls only, which is all Ink makes).
      name: 'remembered-string-widths',
      setup(b) {
        b.onResolve({ filter: /^string-width$/ }, async (args) => {
          if (args.pluginData === 'real') return undefined;
          const real = await b.resolve('string-width', { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
          return { path: real.path, namespace: 'remembered-width' };
        });
        b.onLoad({ filter: /.*/, namespace: 'remembered-width' }, (args) => ({
          contents: `import stringWidth from ${JSON.stringify(args.path)};
const widths = new Map();
export default function rememberedWidth(text, options) {
  if (options !== undefined || typeof text !== 'string' || text.length > 1024) return stringWidth(text, options);
  let w = widths.get(text);
  if (w === undefined) {
    w = stringWidth(text);
    if (widths.size >= 20000) widths.clear();
    widths.set(text, w);
  }
  return w;
}`,
          loader: 'js',
          resolveDir: root,
        }));
      },
    },
    {
      // Ink imports its React devtools bridge (and through it `ws`) only when DEV=true; in the
      // bundle that import fails the way it does without react-devtools-core installed, which
      // Ink reports and goes on.
      name: 'without-ink-devtools',
      setup(b) {
        b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
          /[\\/]ink[\\/]/.test(args.importer) ? { path: 'ink-devtools', namespace: 'omitted' } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'omitted' }, () => ({
          contents: "throw new Error('the React devtools are not part of this build');",
          loader: 'js',
        }));
      },
    },
  ],
});
await asciiOnly(`${root}dist/src/tui/view.bundle.mjs`);
