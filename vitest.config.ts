import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) side by side; Node loads the CJS one for
    // our dependencies (Pothos, Yoga), so the sources under test must get the same copy.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The dashboard bundle the gateway serves at / (dashboard/dist, not committed).
    globalSetup: ['test/support/build-dashboard.ts'],
    // Each file opens its own DuckDB; two cores, so two forks at a time.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
