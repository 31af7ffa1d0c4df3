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
    // Hang guards, not timing checks: the heaviest DuckDB property tests take 20–25 s alone on a
    // quiet 2-core machine and two to three times that beside another file, more under load.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
