import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:unit`: the pure tests, for the edit-test loop. No dist/ (so nothing is built),
 * no servers, no tmux, no spawned CLI: those run in `npm test`.
 */
export default defineConfig({
  test: {
    ...base.test,
    exclude: [
      ...configDefaults.exclude,
      // Run the built executable or import dist/.
      'test/cli/**',
      'test/e2e/**',
      'test/analysis-thread.test.ts',
      'test/bench-equivalence.test.ts',
      'test/tui/follow-cli.test.ts',
      'test/tui/view-bundle.test.ts',
      // tmux, and real Postfix/Exim servers.
      'test/tui/tui-e2e.test.ts',
      'test/lab/**',
      // Spawn programs: stub ones for every verify template, and two stand-in builds.
      'test/classify/verify-argv.test.ts',
      'test/scripts/**',
    ],
    globalSetup: ['test/setup/unit.ts'],
  },
});
