import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:unit`: the pure tests, for the edit-test loop. No dist/ (so nothing is built),
 * no spawned program, no servers, no tmux, no big generated inputs: those run in `npm test`.
 * test/unit-purity.test.ts fails when a file left in here spawns a program or reads dist/.
 */
export default defineConfig({
  test: {
    ...base.test,
    exclude: [
      ...configDefaults.exclude,
      // Run the built executable or import dist/ (the reader thread starts from dist/ only).
      'test/cli/**',
      'test/e2e/**',
      'test/analysis-thread.test.ts',
      'test/bench-equivalence.test.ts',
      'test/diagnosis-pipeline.test.ts',
      'test/exim-arrivals-pipeline.test.ts',
      'test/exim-local-domains-pipeline.test.ts',
      'test/exchange-receive-pipeline.test.ts',
      'test/input/evidence-thread.test.ts',
      'test/pipeline/follow-catch-up.test.ts',
      'test/pipeline/young-generation.test.ts',
      'test/state/state-file.test.ts',
      'test/tui/follow-cli.test.ts',
      'test/tui/view-bundle.test.ts',
      // tmux, and real Postfix/Exim/ClickHouse servers.
      'test/tui/tui-e2e.test.ts',
      'test/lab/**',
      'test/sink/clickhouse.test.ts',
      // Spawn programs: stub ones for every verify command, a log writer, two stand-in builds.
      'test/classify/verify-argv.test.ts',
      'test/report/verify-paste.test.ts',
      'test/input/follow-rotation.test.ts',
      'test/scripts/**',
      // Big generated inputs, where the size is the point: 1 MB of each worst shape after each
      // prefix of a parser, 100,000 lines to 40 MB through the pipeline, millions of sets or
      // 100 MB of strings and a forced GC (seconds each).
      'test/parsers/exchange/hostile.test.ts',
      'test/parsers/exim/hostile.test.ts',
      'test/pipeline-input.test.ts',
      'test/parsers/capped-map-memory.test.ts',
      'test/text/flat-copy-memory.test.ts',
      'test/aggregate/retention-memory.test.ts',
    ],
    globalSetup: ['test/setup/unit.ts'],
    // Property tests run a fifth of their cases here (test/helpers/runs.ts), all of them in `npm test`.
    env: { ...base.test?.env, MLD_PROPERTY_SHARE: '0.2' },
    // Files share a worker and its loaded modules instead of importing src/ afresh each: most of
    // the time of a unit run was imports. Safe because no unit test mocks modules or leaves
    // globals changed (the one that sets TZ puts it back). Forks, not threads: a worker thread
    // cannot change its time zone, and test/parsers/exim/envelope.test.ts needs to.
    pool: 'forks',
    isolate: false,
    // Vitest's default for a run is one worker fewer than the CPUs: one on a 2-CPU machine.
    maxWorkers: '100%',
  },
});
