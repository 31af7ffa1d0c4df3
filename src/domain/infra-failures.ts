import { badInput } from './errors.ts';
import type { RunId } from './ids.ts';

/**
 * Infrastructure failures: a run, or one worker of a run, where most tests
 * failed for one reason that is not the tests' own (a service down, a lost
 * runner, a full disk). Such a run's failures are not evidence about the tests,
 * so flakiness and pass-rate trends leave its executions out by default
 * (`includeInfrastructureFailures: true` puts them back), and runs, reports and
 * alerts say that it was marked.
 *
 * A run, and each (run, worker), is judged after every ingest batch of the run
 * (the whole run, since the shards of a run arrive in several batches): with at
 * least `minExecutions` non-skipped executions, it is marked when failed and
 * errored executions make up at least `failShare` of them and either at least
 * `patternShare` of those failures share one failure pattern (the message with
 * ids, numbers, paths and times masked, as `failurePatterns` groups them) or
 * every failure started within `burstSeconds` of the first.
 */

export const INFRA_REASONS = ['SHARED_PATTERN', 'BURST'] as const;
export type InfraReason = (typeof INFRA_REASONS)[number];

/** The thresholds a run or worker is judged by. */
export interface InfraThresholds {
  /**
   * Non-skipped executions a run or worker needs before it is judged: fewer say too little.
   * @default 5
   */
  readonly minExecutions: number;
  /**
   * Share of failed or errored executions from which a run or worker may be marked. In the
   * 30-day demo history no (run, worker) of 5 or more executions goes above 0.5 on its own.
   * @default 0.8
   */
  readonly failShare: number;
  /**
   * Share of those failures with the most common failure pattern that marks it.
   * @default 0.8
   */
  readonly patternShare: number;
  /**
   * Seconds between the first and the last failure's start within which the failures
   * mark it whatever their messages (a runner that lost its network fails everything at once).
   * @default 30
   */
  readonly burstSeconds: number;
}

export const DEFAULT_INFRA_THRESHOLDS: InfraThresholds = {
  minExecutions: 5,
  failShare: 0.8,
  patternShare: 0.8,
  burstSeconds: 30,
};

/**
 * The thresholds with `overrides` applied, checked.
 * @throws AssayError (BAD_USER_INPUT) naming the threshold out of range.
 */
export function infraThresholds(overrides: Partial<InfraThresholds> = {}): InfraThresholds {
  const t = { ...DEFAULT_INFRA_THRESHOLDS, ...overrides };
  if (!Number.isInteger(t.minExecutions) || t.minExecutions < 1)
    throw badInput(`minExecutions must be a whole number of at least 1, got ${t.minExecutions}`, {
      field: 'minExecutions',
    });
  for (const field of ['failShare', 'patternShare'] as const) {
    const v = t[field];
    if (!Number.isFinite(v) || v <= 0 || v > 1)
      throw badInput(`${field} must be a share above 0 and at most 1 (such as 0.8), got ${v}`, { field });
  }
  if (!Number.isFinite(t.burstSeconds) || t.burstSeconds < 0)
    throw badInput(`burstSeconds must be 0 or more seconds, got ${t.burstSeconds}`, {
      field: 'burstSeconds',
    });
  return t;
}

/** One marked run (worker null) or one marked worker of a run. */
export interface InfraFailure {
  readonly runId: RunId;
  readonly project: string;
  readonly branch: string | null;
  readonly runStartedAt: Date;
  /** The marked worker, or null when the whole run is marked. */
  readonly worker: string | null;
  readonly reason: InfraReason;
  /** The most common failure pattern of its failures (null when they carry no message). */
  readonly pattern: string | null;
  /** Non-skipped executions, and those failed or errored. */
  readonly executions: number;
  readonly failures: number;
  /** failures / executions. */
  readonly failShare: number;
  /** Share of the failures with `pattern`. */
  readonly patternShare: number;
  /** Seconds from the first failure's start to the last's. */
  readonly burstSeconds: number;
}

/** A run's marks: the whole run's, and its marked workers'. */
export interface RunInfraFailure {
  /** The whole run's mark, or null when only some workers are marked. */
  readonly run: InfraFailure | null;
  readonly workers: readonly InfraFailure[];
}

export interface InfraFailureFilter {
  readonly project?: readonly string[] | null | undefined;
  readonly branch?: readonly string[] | null | undefined;
  readonly runId?: readonly string[] | null | undefined;
  /** Bounds on the run's start. */
  readonly from?: Date | null | undefined;
  readonly to?: Date | null | undefined;
}

/** The store port of the feature. */
export interface InfraFailureStore {
  /** Marks of the runs the filter selects, newest run first, the whole run's before its workers'. */
  infrastructureFailures(filter: InfraFailureFilter, limit: number): Promise<readonly InfraFailure[]>;
  /** The marks of each run asked (runs without one are absent). */
  runInfraFailures(runIds: readonly RunId[]): Promise<ReadonlyMap<RunId, RunInfraFailure>>;
}

/** Groups marks by run: the whole run's mark and its workers'. */
export function groupByRun(marks: readonly InfraFailure[]): Map<RunId, RunInfraFailure> {
  const out = new Map<RunId, { run: InfraFailure | null; workers: InfraFailure[] }>();
  for (const m of marks) {
    const entry = out.get(m.runId) ?? { run: null, workers: [] };
    if (m.worker === null) entry.run = m;
    else entry.workers.push(m);
    out.set(m.runId, entry);
  }
  return out;
}
