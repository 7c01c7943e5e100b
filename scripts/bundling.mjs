/**
 * What the two bundle scripts (bundle-cli.mjs, bundle-view.mjs) share: esbuild's options for an
 * ES module for Node 20, and the rewrite of each bundle to plain ASCII after it is written.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The repository's root (the folder above scripts/), with a trailing separator. */
export const root = fileURLToPath(new URL('..', import.meta.url));

/** esbuild options every bundle is made with. */
export const BUNDLE_OPTIONS = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // CommonJS dependencies (commander, signal-exit, stack-utils) require Node's own modules at run time.
  banner: { js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);" },
};

/**
 * Rewrites the characters above ASCII in a bundle as `\u` escapes. esbuild escapes them in code
 * but copies comments as they are, and one such character makes the whole bundle a two-byte
 * string in V8 once loaded: twice its size in memory for as long as the thread runs (3.7 MB for
 * the command's), and slower to decode and parse. An escape means the same character in a
 * string, a regular expression or an identifier, and is plain text in a comment.
 */
export async function asciiOnly(file) {
  const text = await readFile(file, 'utf8');
  // Each UTF-16 unit on its own: a character beyond U+FFFF becomes its surrogate pair's escapes.
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) await writeFile(file, ascii);
}
