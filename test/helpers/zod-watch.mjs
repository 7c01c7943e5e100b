// A module-resolve hook for test/cli/startup.test.ts: reports on stderr every module loaded
// from the schema library (zod), which a run must not load.
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes('/node_modules/zod/')) process.stderr.write('zod loaded: ' + r.url + '\\n');
  return r;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
