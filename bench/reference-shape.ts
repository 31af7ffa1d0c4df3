/**
 * The reference data set's shape: its history, projects and suites, and the
 * roles planted in it; reference-sql.ts generates it, reference.ts keeps it.
 */

/** Raise when the generated rows change, so every stored set is rebuilt. */
export const GENERATOR_VERSION = 1;
/** History length, and where it ends (fixed, so the same seed gives the same file on any day). */
export const DAYS = 60;
export const END = new Date('2026-11-01T00:00:00Z');

/**
 * Five projects, 40 suites. `share` of the tests; `retries`: a failed first
 * attempt is rerun once (web and ml: about 1/3 of the tests); `ml`: tests
 * carry model and batch_size tags and throughput, latency_ms and memory_mb
 * metrics, and run on GPUs in CUDA runs. Each failure template has one `{}`.
 */
export const REFERENCE_PROJECTS = [
  {
    project: 'web',
    share: 0.24,
    ci: 'github',
    retries: true,
    ml: false,
    medianMs: 1800,
    timeoutMs: 30_000,
    macos: 0,
    prefix: 'renders page',
    suites: ['auth', 'checkout', 'search', 'profile', 'cart', 'catalog', 'admin', 'i18n', 'a11y'],
    failures: [
      "TimeoutError: locator.click: Timeout {}ms exceeded waiting for '#submit'",
      'expect(received).toBe(expected): expected 200, received {}',
      'net::ERR_CONNECTION_RESET at http://localhost:{}/',
    ],
  },
  {
    project: 'api',
    share: 0.28,
    ci: 'jenkins',
    retries: false,
    ml: false,
    medianMs: 90,
    timeoutMs: 10_000,
    macos: 0,
    prefix: 'handles request',
    suites: [
      'users',
      'billing',
      'orders',
      'inventory',
      'shipping',
      'payments',
      'query',
      'sessions',
      'reports',
      'webhooks',
    ],
    failures: [
      'java.net.SocketTimeoutException: Read timed out after {} ms',
      'org.opentest4j.AssertionFailedError: expected: <200> but was: <{}>',
      'org.postgresql.util.PSQLException: ERROR: deadlock detected (pid {})',
    ],
  },
  {
    project: 'mobile',
    share: 0.2,
    ci: 'bitrise',
    retries: false,
    ml: false,
    medianMs: 2500,
    timeoutMs: 60_000,
    macos: 0.5,
    prefix: 'shows screen',
    suites: [
      'onboarding',
      'feed',
      'messaging',
      'settings',
      'camera',
      'notifications',
      'offline',
      'purchases',
    ],
    failures: [
      "Timed out after {} ms waiting for element 'LoginButton'",
      'XCTAssertEqual failed: ("{}") is not equal to ("0")',
      'App crashed: EXC_BAD_ACCESS (code=1, address=0x{})',
    ],
  },
  {
    project: 'data',
    share: 0.18,
    ci: 'gitlab',
    retries: false,
    ml: false,
    medianMs: 400,
    timeoutMs: 120_000,
    macos: 0,
    prefix: 'transforms partition',
    suites: ['ingest', 'transform', 'export', 'quality', 'schema', 'backfill', 'scheduler'],
    failures: [
      'TimeoutError: partition not ready after {} ms',
      'AssertionError: row count {} != expected 1000',
      'pyarrow.lib.ArrowInvalid: column 3 has {} nulls',
    ],
  },
  {
    project: 'ml',
    share: 0.1,
    ci: 'jenkins',
    retries: true,
    ml: true,
    medianMs: 2000,
    timeoutMs: 300_000,
    macos: 0,
    prefix: 'test_model_case',
    suites: ['inference', 'training', 'loaders', 'quantization', 'serving', 'evaluation'],
    failures: [
      'TimeoutError: model server did not answer within {} ms',
      'RuntimeError: CUDA error: out of memory (tried to allocate {} MiB)',
      'AssertionError: latency {} ms above the budget',
    ],
  },
] as const;

/** Planted roles, as shares of the tests (ranked by a hash of the seed and the test id). */
export const ROLES = { flaky: 0.006, skipped: 0.01, fragile: 0.03, broken: 0.01 } as const;
/** Flake rates of the flaky tests, in turn: the chance that one attempt fails for no reason of its own. */
export const FLAKE_RATES = [0.02, 0.05, 0.1, 0.15, 0.25, 0.4] as const;
/** The api suite whose durations grow 1.35× over the last third of the history (a trend to find). */
export const SLOWED_SUITE = { project: 'api', suite: 'billing', factor: 1.35 } as const;

/** Test counts per project: shares of `tests`, the rounding remainder to the largest. */
export function projectPlan(tests: number): string {
  const counts = REFERENCE_PROJECTS.map((p) => Math.floor(tests * p.share));
  const largest = counts.indexOf(Math.max(...counts));
  counts[largest] = (counts[largest] ?? 0) + tests - counts.reduce((a, b) => a + b, 0);
  let first = 0;
  return JSON.stringify(
    REFERENCE_PROJECTS.map((p, pidx) => {
      const count = counts[pidx] ?? 0;
      const row = { ...p, pidx, first, count, suites: [...p.suites], failures: [...p.failures] };
      first += count;
      return row;
    }),
  );
}
