/**
 * The layers of CONTRIBUTING.md, read from the imports (TypeScript's own scanner, so type-only
 * and dynamic imports count too): parsers know only the event contract and the text helpers,
 * nothing outside the view imports the view, and src/ does not reach into one parser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Known exceptions, each with why; the test also fails when one is no longer used, so the list
 * shrinks with the code.
 */
const ALLOWED: { from: string; to: string; why: string }[] = [
  // The command line is what starts the view: it loads the view's two entry points.
  { from: 'src/cli.ts', to: 'src/tui/run.tsx', why: 'the CLI starts the view' },
  { from: 'src/cli.ts', to: 'src/tui/live.ts', why: 'the CLI feeds the view its live store' },
];

/** Parser code may use these from src/: the event contract and the text helpers. */
const PARSER_MAY_USE = [/^src\/event\.ts$/, /^src\/event-builders\.ts$/, /^src\/text\//];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** `'../event.js'` from `parsers/postfix/body.ts` → `src/event.ts` (the file as it is on disk). */
function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null; // a package
  const abs = resolve(dirname(join(ROOT, from)), spec);
  const rel = relative(ROOT, abs).split('\\').join('/');
  const base = rel.replace(/\.(js|jsx|mjs)$/, '');
  for (const ext of ['.ts', '.tsx']) {
    try {
      readFileSync(join(ROOT, base + ext));
      return base + ext;
    } catch {
      // try the next ending
    }
  }
  return rel;
}

interface Edge {
  from: string;
  to: string;
}

const edges: Edge[] = [];
for (const file of [...sourceFiles('src'), ...sourceFiles('parsers'), ...sourceFiles('bench')]) {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  for (const imp of info.importedFiles) {
    const to = resolveImport(file, imp.fileName);
    if (to !== null) edges.push({ from: file, to });
  }
}

/**
 * The names each src/ file imports from parsers/index.ts (the registry), by TypeScript's parser:
 * a parser's own object exported there would be a way round the rule above.
 */
function registryNames(): { from: string; name: string }[] {
  const out: { from: string; name: string }[] = [];
  for (const file of sourceFiles('src')) {
    const sf = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, false);
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      if (resolveImport(file, st.moduleSpecifier.text) !== 'parsers/index.ts') continue;
      const b = st.importClause?.namedBindings;
      if (b && ts.isNamedImports(b)) for (const e of b.elements) out.push({ from: file, name: (e.propertyName ?? e.name).text });
      else out.push({ from: file, name: '*' });
    }
  }
  return out;
}

const allowed = (e: Edge) => ALLOWED.some((a) => a.from === e.from && a.to === e.to);
const show = (list: Edge[]) => list.map((e) => `${e.from} → ${e.to}`);

describe('layering', () => {
  it('reads the imports (the scanner sees the code)', () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges).toContainEqual({ from: 'src/cli.ts', to: 'src/pipeline.ts' });
  });

  it('parsers/ use from src/ only the event contract and the text helpers', () => {
    const bad = edges.filter((e) => e.from.startsWith('parsers/') && e.to.startsWith('src/') && !PARSER_MAY_USE.some((re) => re.test(e.to)));
    expect(show(bad)).toEqual([]);
  });

  it('nothing outside src/tui/ imports from it', () => {
    const bad = edges.filter((e) => !e.from.startsWith('src/tui/') && e.to.startsWith('src/tui/') && !allowed(e));
    expect(show(bad)).toEqual([]);
  });

  it('src/ reaches parsers only through parsers/index.ts and parsers/types.ts', () => {
    const general = ['parsers/index.ts', 'parsers/types.ts'];
    const bad = edges.filter((e) => e.from.startsWith('src/') && e.to.startsWith('parsers/') && !general.includes(e.to) && !allowed(e));
    expect(show(bad)).toEqual([]);
  });

  it('src/ takes from parsers/index.ts only the registry and detection, never one parser', () => {
    const names = registryNames();
    expect(names.length).toBeGreaterThan(0);
    const REGISTRY = ['builtinParsers', 'parserByName', 'ownerOfProgram', 'syslogOwner', 'FormatDetector', 'DETECT_LINES', 'DETECT_ENOUGH'];
    expect(names.filter((n) => !REGISTRY.includes(n.name)).map((n) => `${n.from}: ${n.name}`)).toEqual([]);
  });

  it('every listed exception is still needed', () => {
    const unused = ALLOWED.filter((a) => !edges.some((e) => e.from === a.from && e.to === a.to));
    expect(unused.map((a) => `${a.from} → ${a.to} (${a.why})`)).toEqual([]);
  });
});
