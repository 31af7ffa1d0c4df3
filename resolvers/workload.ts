import { checkRange } from './args.ts';
import { coefficientOfVariation, gini, jainIndex, maxToMeanRatio } from '../src/analytics/fairness.ts';
import type {
  Fairness,
  HardwareWorkload,
  WorkerHardwareLoad,
  WorkerLoad,
  WorkloadReport,
  WorkloadStore,
} from '../src/domain/workload.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { ResultFilter } from '../src/domain/types.ts';

export interface WorkloadArgs {
  readonly filter?: ResultFilter | null | undefined;
}

interface Sums {
  attempts: number;
  ran: number;
  failed: number;
  busyMs: number;
}

const add = (a: Sums, b: Sums): Sums => ({
  attempts: a.attempts + b.attempts,
  ran: a.ran + b.ran,
  failed: a.failed + b.failed,
  busyMs: a.busyMs + b.busyMs,
});
const ZERO: Sums = { attempts: 0, ran: 0, failed: 0, busyMs: 0 };
const failRate = (s: Sums): number | null => (s.ran ? s.failed / s.ran : null);

/** Fairness of busy time over workers (src/analytics/fairness.ts); nulls without workers. */
function fairness(busy: readonly number[]): Fairness {
  if (!busy.length)
    return { jainIndex: null, gini: null, coefficientOfVariation: null, maxToMeanRatio: null };
  return {
    jainIndex: jainIndex(busy),
    gini: gini(busy),
    coefficientOfVariation: coefficientOfVariation(busy),
    maxToMeanRatio: maxToMeanRatio(busy),
  };
}

/** Workers of a set of rows, busiest first, each with its share of the set's busy time. */
function workerLoads(rows: readonly WorkerHardwareLoad[]): WorkerLoad[] {
  const byWorker = new Map<string, Sums>();
  for (const r of rows) byWorker.set(r.worker, add(byWorker.get(r.worker) ?? ZERO, r));
  const total = [...byWorker.values()].reduce((s, w) => s + w.busyMs, 0);
  return [...byWorker.entries()]
    .map(([worker, s]) => ({
      worker,
      executions: s.attempts,
      busyMs: s.busyMs,
      share: total > 0 ? s.busyMs / total : 0,
      failRate: failRate(s),
    }))
    .sort((a, b) => b.busyMs - a.busyMs || b.executions - a.executions || (a.worker < b.worker ? -1 : 1));
}

/**
 * How the slice's attempts spread over workers: per worker its attempts, busy
 * time (sum of attempt durations), share and fail rate; the fairness of busy
 * time over all workers, and the same within each hardware kind (a GPU pool
 * and a CPU pool are balanced separately, so their fairness is read apart).
 */
export function workload(
  deps: FeatureDeps<WorkloadStore, 'cache'>,
  args: WorkloadArgs,
): Promise<WorkloadReport> {
  checkRange(args.filter);
  const filter = args.filter ?? {};
  return deps.cache.get('workload', { filter }, async () => {
    const rows = await deps.store.workerLoads(filter);
    const workers = workerLoads(rows);
    const kinds = new Map<string | null, WorkerHardwareLoad[]>();
    for (const r of rows) {
      const list = kinds.get(r.hardware);
      if (list) list.push(r);
      else kinds.set(r.hardware, [r]);
    }
    const total = workers.reduce((s, w) => s + w.busyMs, 0);
    const hardware: HardwareWorkload[] = [...kinds.entries()]
      .map(([kind, list]) => {
        const s = list.reduce(add, ZERO);
        const ws = workerLoads(list);
        return {
          hardware: kind,
          executions: s.attempts,
          busyMs: s.busyMs,
          share: total > 0 ? s.busyMs / total : 0,
          failRate: failRate(s),
          workers: ws,
          ...fairness(ws.map((w) => w.busyMs)),
        };
      })
      .sort((a, b) => b.busyMs - a.busyMs || (String(a.hardware) < String(b.hardware) ? -1 : 1));
    return { workers, hardware, ...fairness(workers.map((w) => w.busyMs)) };
  });
}
