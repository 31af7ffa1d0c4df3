import { describe, expect, it } from 'vitest';
import { workload } from '../../resolvers/workload.ts';
import type { QueryCache } from '../../src/domain/ports.ts';
import type { ResultFilter } from '../../src/domain/types.ts';
import type { WorkerHardwareLoad, WorkloadStore } from '../../src/domain/workload.ts';

// The workload resolver over a hand-written store that implements only its port (no database):
//   w1 (gpu): 4 attempts, 4 ran, 1 failed, 300 ms
//   w2 (gpu): 2 attempts, 2 ran, 0 failed, 100 ms
//   w3 (cpu): 3 attempts, 2 ran, 2 failed, 400 ms
// Busy times over all workers [400, 300, 100], total 800, mean 800/3:
//   Jain = 800² / (3 · (400² + 300² + 100²)) = 640000 / 780000 = 32/39
//   Gini = Σ|xᵢ − xⱼ| / (2n²μ) = 2 · (200 + 300 + 100) / (2 · 9 · 800/3) = 1200 / 4800 = 0.25
//   CV² = (260000/3 − (800/3)²) / (800/3)² = 7/32, so CV = √(7/32) and Jain = 1 / (1 + 7/32) = 32/39
//   max/mean = 400 / (800/3) = 1.5
// gpu [300, 100]: Jain = 400² / (2 · 100000) = 0.8, Gini = 2 · 200 / (2 · 4 · 200) = 0.25,
//   CV = 100 / 200 = 0.5, max/mean = 1.5; cpu [400]: Jain 1, Gini 0, CV 0, max/mean 1.
const ROWS: WorkerHardwareLoad[] = [
  { worker: 'w1', hardware: 'gpu', attempts: 4, ran: 4, failed: 1, busyMs: 300 },
  { worker: 'w2', hardware: 'gpu', attempts: 2, ran: 2, failed: 0, busyMs: 100 },
  { worker: 'w3', hardware: 'cpu', attempts: 3, ran: 2, failed: 2, busyMs: 400 },
];

function fakes() {
  const asked: ResultFilter[] = [];
  const store: WorkloadStore = {
    workerLoads: async (filter) => {
      asked.push(filter);
      return ROWS;
    },
  };
  const kinds: string[] = [];
  const cache: QueryCache = {
    get: (kind, _args, compute) => {
      kinds.push(kind);
      return compute();
    },
    refreshing: () => cache,
    stats: () => ({ hits: 0, misses: 0, entries: 0, bytes: 0 }),
    clear: () => {},
  };
  return { store, cache, asked, kinds };
}

describe('workload over a fake WorkloadStore', () => {
  it('reads the slice through the port and works out loads and fairness', async () => {
    const { store, cache, asked, kinds } = fakes();
    const report = await workload({ store, cache }, { filter: { project: ['farm'] } });

    expect(asked).toEqual([{ project: ['farm'] }]);
    expect(kinds).toEqual(['workload']);
    expect(report.workers).toEqual([
      { worker: 'w3', executions: 3, busyMs: 400, share: 0.5, failRate: 1 },
      { worker: 'w1', executions: 4, busyMs: 300, share: 0.375, failRate: 0.25 },
      { worker: 'w2', executions: 2, busyMs: 100, share: 0.125, failRate: 0 },
    ]);
    expect(report.jainIndex).toBeCloseTo(32 / 39, 12);
    expect(report.gini).toBeCloseTo(0.25, 12);
    expect(report.coefficientOfVariation).toBeCloseTo(Math.sqrt(7 / 32), 12);
    expect(report.maxToMeanRatio).toBeCloseTo(1.5, 12);
  });

  it('splits the work per hardware kind, equal busy time ordered by name', async () => {
    const { store, cache } = fakes();
    const { hardware } = await workload({ store, cache }, {});

    expect(hardware.map((h) => [h.hardware, h.executions, h.busyMs, h.share])).toEqual([
      ['cpu', 3, 400, 0.5],
      ['gpu', 6, 400, 0.5],
    ]);
    const [cpu, gpu] = hardware;
    expect(cpu!.failRate).toBe(1);
    expect([cpu!.jainIndex, cpu!.gini, cpu!.coefficientOfVariation, cpu!.maxToMeanRatio]).toEqual([
      1, 0, 0, 1,
    ]);
    expect(gpu!.failRate).toBeCloseTo(1 / 6, 12);
    expect(gpu!.workers.map((w) => [w.worker, w.share])).toEqual([
      ['w1', 0.75],
      ['w2', 0.25],
    ]);
    expect(gpu!.jainIndex).toBeCloseTo(0.8, 12);
    expect(gpu!.gini).toBeCloseTo(0.25, 12);
    expect(gpu!.coefficientOfVariation).toBeCloseTo(0.5, 12);
    expect(gpu!.maxToMeanRatio).toBeCloseTo(1.5, 12);
  });
});
