/** How a slice's work spreads over workers and hardware kinds, and how fairly. */
import type { ResultFilter } from './types.ts';

export interface WorkerLoad {
  readonly worker: string;
  readonly executions: number;
  /** Sum of attempt durations on the worker, ms. */
  readonly busyMs: number;
  /** busyMs / all workers' busyMs, 0 … 1. */
  readonly share: number;
  readonly failRate: number | null;
}

/** Fairness of busy time over a set of workers; null without workers. */
export interface Fairness {
  readonly jainIndex: number | null;
  readonly gini: number | null;
  readonly coefficientOfVariation: number | null;
  readonly maxToMeanRatio: number | null;
}

export interface WorkloadReport extends Fairness {
  readonly workers: readonly WorkerLoad[];
  /** The same figures within each hardware kind, busiest kind first. */
  readonly hardware: readonly HardwareWorkload[];
}

/** One hardware kind's part of the slice's work, and how evenly its workers share it. */
export interface HardwareWorkload extends Fairness {
  /** Null for attempts that name no hardware. */
  readonly hardware: string | null;
  readonly executions: number;
  readonly busyMs: number;
  /** busyMs / all hardware's busyMs, 0 … 1. */
  readonly share: number;
  readonly failRate: number | null;
  /** The kind's workers, busiest first; `share` is within the kind. */
  readonly workers: readonly WorkerLoad[];
}

/** Attempts of one worker on one hardware kind, summed in SQL (the rows workload starts from). */
export interface WorkerHardwareLoad {
  readonly worker: string;
  readonly hardware: string | null;
  readonly attempts: number;
  /** Attempts that ran (not SKIPPED). */
  readonly ran: number;
  /** Attempts that ended FAILED or ERROR. */
  readonly failed: number;
  readonly busyMs: number;
}

/** What the workload analysis reads. */
export interface WorkloadStore {
  /** Attempts, busy time and failures per worker and hardware kind in a slice (attempts without a worker left out). */
  workerLoads(filter: ResultFilter): Promise<WorkerHardwareLoad[]>;
}
