// Loaded with `node --import`: counts the worker threads the main thread makes and writes
// `workers=N` to stderr at exit (tests of when a reader thread is started, and by whom).
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const threads = require('node:worker_threads');
if (threads.isMainThread) {
  let made = 0;
  const Base = threads.Worker;
  threads.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      made++;
    }
  };
  syncBuiltinESMExports();
  process.on('exit', () => process.stderr.write(`workers=${made}\n`));
}
