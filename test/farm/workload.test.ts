import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { data, INGEST, testApp } from '../support/app.ts';

// One run whose busy time per worker is chosen so every fairness figure is worked by hand:
//   w1 (cpu):    "a" PASSED 100; "b" FAILED 100, retried PASSED 100   → 3 attempts, 300 ms, fail rate 1/3
//   w2 (cpu):    "c" PASSED 60; "d" SKIPPED 40                         → 2 attempts, 100 ms, fail rate 0/1
//   gpu-1 (cuda): "e" ERROR 600; "f" PASSED 200                        → 2 attempts, 800 ms, fail rate 1/2
//   gpu-2 (cuda): "g" PASSED 400                                       → 1 attempt, 400 ms, fail rate 0
//   no worker:   "h" PASSED 1000 (left out)
const at = (s: number) => new Date(Date.UTC(2026, 10, 5, 9, 0, s)).toISOString();
const r = (
  name: string,
  status: string,
  durationMs: number,
  worker: string | null,
  hardware: string,
  attempt = 1,
) => ({ suite: 'farm', name, status, durationMs, attempt, worker, hardware, startedAt: at(durationMs % 60) });
const RUN = {
  run: { id: 'load-1', project: 'farm', branch: 'main', startedAt: at(0) },
  results: [
    r('a', 'PASSED', 100, 'w1', 'cpu'),
    r('b', 'FAILED', 100, 'w1', 'cpu'),
    r('b', 'PASSED', 100, 'w1', 'cpu', 2),
    r('c', 'PASSED', 60, 'w2', 'cpu'),
    r('d', 'SKIPPED', 40, 'w2', 'cpu'),
    r('e', 'ERROR', 600, 'gpu-1', 'cuda'),
    r('f', 'PASSED', 200, 'gpu-1', 'cuda'),
    r('g', 'PASSED', 400, 'gpu-2', 'cuda'),
    r('h', 'PASSED', 1000, null, 'cpu'),
  ],
};

const QUERY = `query($filter: ResultFilter) { workload(filter: $filter) {
  workers { worker executions busyMs share failRate }
  jainIndex gini coefficientOfVariation maxToMeanRatio
  hardware { hardware executions busyMs share failRate workers { worker share } jainIndex gini coefficientOfVariation maxToMeanRatio }
} }`;

interface Fair {
  jainIndex: number | null;
  gini: number | null;
  coefficientOfVariation: number | null;
  maxToMeanRatio: number | null;
}
interface Workload extends Fair {
  workers: { worker: string; executions: number; busyMs: number; share: number; failRate: number | null }[];
  hardware: (Fair & {
    hardware: string | null;
    executions: number;
    busyMs: number;
    share: number;
    failRate: number | null;
    workers: { worker: string; share: number }[];
  })[];
}

let app: App;
beforeAll(async () => {
  app = await testApp();
  await data(app, INGEST, { input: RUN });
});
afterAll(async () => app.close());

const workload = async (filter?: Record<string, unknown>) =>
  (await data<{ workload: Workload }>(app, QUERY, { filter })).workload;

describe('workload', () => {
  it('lists each worker busiest first with its attempts, busy time, share and fail rate', async () => {
    const w = await workload();
    // Busy 800 + 400 + 300 + 100 = 1600 ms.
    expect(w.workers).toEqual([
      { worker: 'gpu-1', executions: 2, busyMs: 800, share: 0.5, failRate: 0.5 },
      { worker: 'gpu-2', executions: 1, busyMs: 400, share: 0.25, failRate: 0 },
      { worker: 'w1', executions: 3, busyMs: 300, share: 0.1875, failRate: 1 / 3 },
      { worker: 'w2', executions: 2, busyMs: 100, share: 0.0625, failRate: 0 },
    ]);
  });

  it("computes Jain's index, Gini, CV and max/mean of busy time over the workers", async () => {
    const w = await workload();
    // Loads 100, 300, 400, 800 (sum 1600, mean 400, Σx² = 900 000):
    //   Jain = 1600² / (4 · 900 000) = 2 560 000 / 3 600 000 = 0.7111…
    //   Gini = 2 · (100 + 600 + 1200 + 3200) / (4 · 1600) − 5/4 = 10 200 / 6400 − 1.25 = 0.34375
    //   CV = √((300² + 100² + 0 + 400²) / 4) / 400 = √65 000 / 400 ≈ 0.637377
    //   max/mean = 800 / 400 = 2
    expect(w.jainIndex).toBeCloseTo(2_560_000 / 3_600_000, 12);
    expect(w.gini).toBeCloseTo(0.34375, 12);
    expect(w.coefficientOfVariation).toBeCloseTo(Math.sqrt(65_000) / 400, 12);
    expect(w.maxToMeanRatio).toBeCloseTo(2, 12);
  });

  it('gives the same figures within each hardware kind', async () => {
    const [cuda, cpu] = (await workload()).hardware;
    // cuda: 800 and 400 → Jain 1200² / (2 · 800 000) = 0.9; Gini 2 · (400 + 1600) / (2 · 1200) − 3/2 = 1/6;
    //   CV = 200 / 600 = 1/3; max/mean 800 / 600 = 4/3; fail rate 1 of 3 attempts that ran.
    expect(cuda).toMatchObject({
      hardware: 'cuda',
      executions: 3,
      busyMs: 1200,
      share: 0.75,
      workers: [
        { worker: 'gpu-1', share: 800 / 1200 },
        { worker: 'gpu-2', share: 400 / 1200 },
      ],
    });
    expect(cuda!.failRate).toBeCloseTo(1 / 3, 12);
    expect(cuda!.jainIndex).toBeCloseTo(0.9, 12);
    expect(cuda!.gini).toBeCloseTo(1 / 6, 12);
    expect(cuda!.coefficientOfVariation).toBeCloseTo(1 / 3, 12);
    expect(cuda!.maxToMeanRatio).toBeCloseTo(4 / 3, 12);
    // cpu: 300 and 100 → Jain 400² / (2 · 100 000) = 0.8; Gini 2 · (100 + 600) / (2 · 400) − 3/2 = 0.25;
    //   CV = 100 / 200 = 0.5; max/mean 1.5; fail rate 1 of 4 attempts that ran (d was skipped).
    expect(cpu).toMatchObject({ hardware: 'cpu', executions: 5, busyMs: 400, share: 0.25, failRate: 0.25 });
    expect(cpu!.jainIndex).toBeCloseTo(0.8, 12);
    expect(cpu!.gini).toBeCloseTo(0.25, 12);
    expect(cpu!.coefficientOfVariation).toBeCloseTo(0.5, 12);
    expect(cpu!.maxToMeanRatio).toBeCloseTo(1.5, 12);
  });

  it('follows the filter, and answers null fairness for a slice without workers', async () => {
    const cuda = await workload({ hardware: ['cuda'] });
    expect(cuda.workers.map((x) => x.worker)).toEqual(['gpu-1', 'gpu-2']);
    expect(cuda.jainIndex).toBeCloseTo(0.9, 12);
    const none = await workload({ project: ['nothing'] });
    expect(none).toEqual({
      workers: [],
      hardware: [],
      jainIndex: null,
      gini: null,
      coefficientOfVariation: null,
      maxToMeanRatio: null,
    });
  });
});
