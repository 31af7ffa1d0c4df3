import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoFacts } from '../../src/db/demo.ts';
import type { App } from '../../src/server/app.ts';
import { data, testApp } from '../support/app.ts';
import { demoFile } from '../support/demo.ts';
import { CircuitBreakersDocument, FailurePatternsDocument, WorkloadDocument } from '../generated/contract.ts';

// End to end on the demo history, which plants a bad GPU worker (its attempts fail far more often, with
// CUDA errors) whose circuit breaker trips far more often than the others'.
let app: App;
let facts: DemoFacts;
let demo: Awaited<ReturnType<typeof demoFile>>;

beforeAll(async () => {
  demo = await demoFile({ days: 14, seed: 42, end: new Date('2026-11-01T00:00:00Z') });
  facts = demo.facts;
  app = await testApp({ db: demo.path });
});
afterAll(async () => {
  await app.close();
  demo.remove();
});

interface Correlation {
  dimension: string | null;
  value: string;
  share: number;
  lift: number;
}
interface Pattern {
  pattern: string;
  occurrences: number;
  correlations: Correlation[];
}

describe('test-farm analytics on the demo', () => {
  it('ties the CUDA failure patterns to the planted worker, far beyond its share of the work', async () => {
    const { failurePatterns } = await data<{ failurePatterns: Pattern[] }>(
      app,
      '{ failurePatterns(first: 100) { pattern occurrences correlations { dimension value share lift } } }',
    );
    const cuda = failurePatterns.filter((p) => p.pattern.includes('CUDA'));
    expect(cuda.length).toBeGreaterThanOrEqual(2);
    for (const p of cuda) {
      expect(p.correlations[0]).toMatchObject({ dimension: 'WORKER', value: facts.flakyWorker });
      expect(p.correlations[0]!.share).toBeGreaterThan(0.9);
      expect(p.correlations[0]!.lift).toBeGreaterThan(10);
    }
    // Of every worker concentration with some support in the slice, the planted worker's is the strongest.
    const byWorker = failurePatterns.flatMap((p) =>
      p.correlations.filter((c) => c.dimension === 'WORKER' && c.share * p.occurrences >= 10),
    );
    expect(byWorker.sort((a, b) => b.lift - a.lift)[0]!.value).toBe(facts.flakyWorker);
  });

  it('shows the planted worker with the highest fail rate in the workload', async () => {
    const { workload } = await data<{
      workload: {
        workers: { worker: string; failRate: number }[];
        jainIndex: number;
        hardware: { hardware: string; jainIndex: number }[];
      };
    }>(app, '{ workload { workers { worker failRate } jainIndex hardware { hardware jainIndex } } }');
    const [worst, next] = [...workload.workers].sort((a, b) => b.failRate - a.failRate);
    expect(worst!.worker).toBe(facts.flakyWorker);
    expect(worst!.failRate).toBeGreaterThan(3 * next!.failRate);
    // Work is spread evenly within each pool (the demo schedules round-robin), less so across pools of different sizes.
    for (const h of workload.hardware) expect(h.jainIndex).toBeGreaterThan(0.95);
    expect(workload.jainIndex).toBeLessThan(Math.min(...workload.hardware.map((h) => h.jainIndex)));
  });

  it("shows the planted worker's breaker tripping most, and its worker failing more while closed than the others'", async () => {
    const { circuitBreakers } = await data<{
      circuitBreakers: {
        name: string;
        trips: number;
        meanRecoveryMs: number | null;
        failureRateClosed: number | null;
        missingTransitions: number;
      }[];
    }>(app, '{ circuitBreakers { name trips meanRecoveryMs failureRateClosed missingTransitions } }');
    const top = circuitBreakers[0]!;
    expect(top.name).toBe(`worker:${facts.flakyWorker}`);
    expect(top.trips).toBeGreaterThan(circuitBreakers[1]!.trips);
    expect(top.meanRecoveryMs).toBeGreaterThan(0);
    const others = circuitBreakers.filter(
      (b) => b.name.startsWith('worker:') && b !== top && b.failureRateClosed !== null,
    );
    expect(others.length).toBeGreaterThan(3);
    for (const b of others) expect(top.failureRateClosed!).toBeGreaterThan(2 * b.failureRateClosed!);
    // The demo writes whole episodes: nothing to infer.
    expect(circuitBreakers.every((b) => b.missingTransitions === 0)).toBe(true);
  });

  it('answers the contract queries for the ml project', async () => {
    const filter = { project: ['ml'] };
    const p = await data<{ failurePatterns: Pattern[] }>(app, print(FailurePatternsDocument), { filter });
    expect(p.failurePatterns.some((x) => x.pattern.startsWith('RuntimeError: CUDA error'))).toBe(true);
    const w = await data<{ workload: { workers: { worker: string }[] } }>(app, print(WorkloadDocument), {
      filter,
    });
    expect(w.workload.workers.map((x) => x.worker)).toContain(facts.flakyWorker);
    const b = await data<{ circuitBreakers: { name: string }[] }>(app, print(CircuitBreakersDocument), {
      filter,
    });
    expect(b.circuitBreakers[0]!.name).toBe(`worker:${facts.flakyWorker}`);
  });
});
