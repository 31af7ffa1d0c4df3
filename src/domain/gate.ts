/** Quality gates: thresholds a slice must meet, what they measure, and the store port behind them. */
import type { TestId } from './ids.ts';
import type { SliceStore } from './slices.ts';
import type { ResultFilter } from './types.ts';

/** Thresholds a slice must meet; only the ones given are checked. */
export interface QualityGate {
  readonly minPassRate?: number | null | undefined;
  readonly maxNewFailures?: number | null | undefined;
  readonly maxFlakyRate?: number | null | undefined;
  readonly baseBranch?: string | null | undefined;
  readonly maxDurationRegressionPct?: number | null | undefined;
}

export interface QualityCheck {
  readonly name: string;
  readonly passed: boolean;
  /** Null when the slice has no data for the check. */
  readonly actual: number | null;
  readonly threshold: number;
  readonly message: string;
}

export interface QualityGateResult {
  readonly passed: boolean;
  readonly checks: readonly QualityCheck[];
  /** The slice's quarantined tests, left out of every check and counted here instead. */
  readonly quarantine: QuarantineCount;
  /** The slice's executions of infrastructure failures, left out of every check unless the filter includes them. */
  readonly infrastructure: InfraLeftOut;
}

/** Executions of runs and workers marked as infrastructure failures that a gate left out (all 0 when included). */
export interface InfraLeftOut {
  /** Executions left out (skipped ones aside), their FAILED or ERROR ones, and the runs they belong to. */
  readonly executions: number;
  readonly failures: number;
  readonly runs: number;
}

/** What quarantined tests did in a slice: counted apart, never failing a gate. */
export interface QuarantineCount {
  /** Quarantined tests that ran in the slice. */
  readonly tests: number;
  /** Their executions (skipped left out) and failures (FAILED or ERROR). */
  readonly executions: number;
  readonly failures: number;
  /** Each quarantined test that failed, with its failures; most first. */
  readonly failing: readonly { readonly testId: TestId; readonly failures: number }[];
}

/** A test whose latest execution failed where it passed before (on the base branch, or in its previous execution). */
export interface NewFailure {
  readonly testId: TestId;
  readonly message: string | null;
  /** Start of the first failing execution. */
  readonly at: Date;
  /** Failing executions since then. */
  readonly failures: number;
}

/** What a quality gate measures of a slice (src/db/gate.ts). */
export interface GateFigures {
  /** Executions of the slice, skipped left out, and those that passed and passed only on a retry. */
  readonly executions: number;
  readonly passed: number;
  readonly flaky: number;
  readonly passRate: number | null;
  readonly flakyRate: number | null;
  /** Executions of the same tests on the base branch; 0 without a base branch. */
  readonly baseExecutions: number;
  readonly newFailures: readonly NewFailure[];
  /** Over the tests run in both: the slice's summed mean durations against the base branch's summed medians, ms. */
  readonly duration: { readonly headMs: number; readonly baseMs: number; readonly tests: number } | null;
  /** The executions of infrastructure failures left out of all of the above. */
  readonly infra: InfraLeftOut;
}

/** What a quality gate reads: its figures, and the tests they name. */
export interface GateStore extends Pick<SliceStore, 'testsByIds'> {
  /** Pass and flaky rates, new failures against a base branch and durations against it. */
  gateFigures(filter: ResultFilter, baseBranch: string | null): Promise<GateFigures>;
  /** Tests that started failing in the slice (a pass in it, then failures to the latest), latest first. */
  newFailures(filter: ResultFilter, limit: number): Promise<NewFailure[]>;
}
