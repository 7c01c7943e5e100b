import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Classic syslog times are local time: pin the zone so expectations are the same everywhere.
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    // Builds dist/ when it is older than the sources; prints one line of what was skipped and why.
    globalSetup: ['test/setup/global.ts'],
  },
});
