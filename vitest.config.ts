import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Files that need a process of their own: the reader pool's test counts on libuv's thread pool
 * being free of every other file's DuckDB work (an unfinished statement of an earlier file would
 * hold a thread it needs).
 */
const OWN_PROCESS = ['test/db/reader-pool.test.ts'];

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) side by side; Node loads the CJS one for
    // our dependencies (Pothos, Yoga), so the sources under test must get the same copy.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    // The dashboard bundle the gateway serves at / (dashboard/dist, not committed).
    globalSetup: ['test/support/build-dashboard.ts'],
    // Each file opens its own DuckDB; two cores, so two forks at a time.
    pool: 'forks',
    maxWorkers: 2,
    // Hang guards, not timing checks: the heaviest DuckDB property tests take 20–25 s alone on a
    // quiet 2-core machine and two to three times that beside another file, more under load.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // What a file changes of the process is put back after each test (files share a process).
    restoreMocks: true,
    unstubEnvs: true,
    unstubGlobals: true,
    projects: [
      {
        extends: true,
        // Files run one after another in two long-lived forks: a fresh fork per file (Node, the
        // schema, DuckDB's binding and the sources loaded again) cost about 1.6 s a file, over a
        // third of the suite's time. Every file closes what it opens (stores, servers, clients).
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: OWN_PROCESS, isolate: false },
      },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, isolate: true } },
    ],
  },
});
