/**
 * A small history whose every figure is worked out by hand in the tests.
 *
 * Run a1 (web, main, c1, 2026-11-01, tags ci=github):
 *   t1 auth/LoginTest "logs in"         PASSED 100 ms  w1 cpu  model=bert throughput=10
 *   t2 auth/LoginTest "logs out"        FAILED 30 ms, then PASSED 40 ms on retry (flaky)  w2 cpu
 *   t3 auth/ResetTest "resets password" FAILED 50 ms  w1 cpu  "expected 200, got 500"
 *   t4 search "finds a page"            SKIPPED 0 ms  w2 cpu
 *   t5 search "ranks results"           ERROR 70 ms   w2 cpu
 * Run b1 (web, main, c2, 2026-11-02, tags ci=jenkins): all five pass:
 *   t1 200 ms gpu-1 cuda model=bert throughput=30; t2 60; t3 80 w1 cpu model=resnet throughput=50; t4 10; t5 90
 */
export const RUN_A = {
  run: {
    id: 'a1',
    project: 'web',
    branch: 'main',
    commit: 'c1',
    startedAt: '2026-11-01T10:00:00Z',
    finishedAt: '2026-11-01T10:05:00Z',
    tags: { ci: 'github' },
  },
  results: [
    {
      suite: 'auth',
      className: 'LoginTest',
      name: 'logs in',
      status: 'PASSED',
      durationMs: 100,
      startedAt: '2026-11-01T10:00:01Z',
      worker: 'w1',
      hardware: 'cpu',
      tags: { model: 'bert' },
      metrics: [{ name: 'throughput', value: 10, unit: 'items/s' }],
    },
    {
      suite: 'auth',
      className: 'LoginTest',
      name: 'logs out',
      status: 'FAILED',
      durationMs: 30,
      attempt: 1,
      startedAt: '2026-11-01T10:00:02Z',
      worker: 'w2',
      hardware: 'cpu',
      message: 'timeout after 30 ms',
    },
    {
      suite: 'auth',
      className: 'LoginTest',
      name: 'logs out',
      status: 'PASSED',
      durationMs: 40,
      attempt: 2,
      startedAt: '2026-11-01T10:00:03Z',
      worker: 'w2',
      hardware: 'cpu',
    },
    {
      suite: 'auth',
      className: 'ResetTest',
      name: 'resets password',
      status: 'FAILED',
      durationMs: 50,
      startedAt: '2026-11-01T10:00:04Z',
      worker: 'w1',
      hardware: 'cpu',
      message: 'expected 200, got 500',
    },
    {
      suite: 'search',
      name: 'finds a page',
      status: 'SKIPPED',
      durationMs: 0,
      startedAt: '2026-11-01T10:00:05Z',
      worker: 'w2',
      hardware: 'cpu',
    },
    {
      suite: 'search',
      name: 'ranks results',
      status: 'ERROR',
      durationMs: 70,
      startedAt: '2026-11-01T10:00:06Z',
      worker: 'w2',
      hardware: 'cpu',
      message: 'connection refused',
    },
  ],
};

export const RUN_B = {
  run: {
    id: 'b1',
    project: 'web',
    branch: 'main',
    commit: 'c2',
    startedAt: '2026-11-02T10:00:00Z',
    tags: { ci: 'jenkins' },
  },
  results: [
    {
      suite: 'auth',
      className: 'LoginTest',
      name: 'logs in',
      status: 'PASSED',
      durationMs: 200,
      startedAt: '2026-11-02T10:00:01Z',
      worker: 'gpu-1',
      hardware: 'cuda',
      tags: { model: 'bert' },
      metrics: [{ name: 'throughput', value: 30, unit: 'items/s' }],
    },
    {
      suite: 'auth',
      className: 'LoginTest',
      name: 'logs out',
      status: 'PASSED',
      durationMs: 60,
      startedAt: '2026-11-02T10:00:02Z',
      worker: 'w2',
      hardware: 'cpu',
    },
    {
      suite: 'auth',
      className: 'ResetTest',
      name: 'resets password',
      status: 'PASSED',
      durationMs: 80,
      startedAt: '2026-11-02T10:00:03Z',
      worker: 'w1',
      hardware: 'cpu',
      tags: { model: 'resnet' },
      metrics: [{ name: 'throughput', value: 50, unit: 'items/s' }],
    },
    {
      suite: 'search',
      name: 'finds a page',
      status: 'PASSED',
      durationMs: 10,
      startedAt: '2026-11-02T10:00:04Z',
      worker: 'w2',
      hardware: 'cpu',
    },
    {
      suite: 'search',
      name: 'ranks results',
      status: 'PASSED',
      durationMs: 90,
      startedAt: '2026-11-02T10:00:05Z',
      worker: 'w2',
      hardware: 'cpu',
    },
  ],
};

/** `n` passing results of distinct tests in one run, for batching and size tests. */
export function bigRun(id: string, n: number, startedAt = '2026-11-03T00:00:00Z') {
  return {
    run: { id, project: 'load', branch: 'main', commit: 'c9', startedAt },
    results: Array.from({ length: n }, (_, i) => ({
      suite: `suite-${i % 10}`,
      name: `case ${i}`,
      status: i % 7 === 0 ? 'FAILED' : 'PASSED',
      durationMs: i,
      startedAt: new Date(Date.parse(startedAt) + i * 1000).toISOString(),
      worker: `w${i % 4}`,
      hardware: 'cpu',
    })),
  };
}
