/** Flaky tests: each test's score and class, its evidence summed in SQL, and where it concentrates. */
import type { TestId } from './ids.ts';
import type { ResultFilter } from './types.ts';

export const FLAKINESS_CLASSES = ['STABLE', 'FLAKY', 'FAILING', 'INSUFFICIENT_DATA'] as const;
export type FlakinessClass = (typeof FLAKINESS_CLASSES)[number];

export interface FlakinessEntry {
  readonly testId: TestId;
  /** Recency-weighted share of executions that showed flaky behaviour, 0 … 1. */
  readonly score: number;
  /** Wilson interval of `score` at 95 % with Kish's effective sample size. */
  readonly lower: number;
  readonly upper: number;
  /** Exponentially decayed share of consecutive executions whose status differs, 0 … 1. */
  readonly flipRate: number;
  readonly executions: number;
  /** Executions whose final status is failed (FAILED or ERROR). */
  readonly failures: number;
  /** Executions that are flaky evidence (unweighted count). */
  readonly flakyExecutions: number;
  /** Commits on which the test both passed and failed. */
  readonly inconsistentCommits: number;
  readonly classification: FlakinessClass;
  readonly lastFlakeAt: Date | null;
  /**
   * The worker or hardware its flaky evidence concentrates on far beyond its
   * share of the executions; null when the test itself is the cause. When
   * set, score, interval and class leave out the executions on that value.
   */
  readonly cause: FlakinessCause | null;
}

/** Infrastructure that a test's flaky evidence is attributed to (src/analytics/flaky-cause.ts). */
export interface FlakinessCause {
  readonly dimension: 'WORKER' | 'HARDWARE';
  readonly value: string;
  /** Share of the test's flaky evidence on that value, 0 … 1. */
  readonly share: number;
}

/**
 * One test's executions on one worker or hardware value within a slice
 * (src/db/flakiness-cause.ts), weighted as FlakinessAggregates are (the
 * test's latest execution in the slice weighs 1). `value` null: executions
 * that name none.
 */
export interface FlakinessValueSums {
  readonly testId: string;
  readonly dimension: 'WORKER' | 'HARDWARE';
  readonly value: string | null;
  /** The test's executions and flaky evidence in the slice, on every value. */
  readonly testExecutions: number;
  readonly testEvidence: number;
  readonly executions: number;
  /** Executions that are flaky evidence. */
  readonly evidence: number;
  readonly sumV: number;
  readonly sumV2: number;
  readonly sumWF: number;
  /** Executions back from the test's latest to its latest retry or same-commit evidence on the value; null when none. */
  readonly strongAge: number | null;
  /** Start positions of the recent transient failure runs with a failure on the value. */
  readonly transientRuns: readonly number[];
}

/**
 * One worker or hardware value over the tests given: their evidence on it,
 * what their exposures predict (Σ over the tests that ran there of the
 * test's evidence × the value's share of its executions), and the trials
 * (Σ of those tests' evidence).
 */
export interface FlakinessValuePool {
  readonly dimension: 'WORKER' | 'HARDWARE';
  readonly value: string;
  readonly evidence: number;
  readonly expected: number;
  readonly trials: number;
}

/** The per-value sums of the tests with evidence there, and every value pooled. */
export interface FlakinessByValue {
  readonly values: readonly FlakinessValueSums[];
  readonly pools: readonly FlakinessValuePool[];
}

/** One execution as the flakiness score reads it. */
export interface FlakinessExecution {
  readonly at: number;
  readonly commit: string | null;
  readonly passed: boolean;
  readonly failed: boolean;
  readonly retryFlaky: boolean;
}

/** Thresholds the flakiness evidence is summed with (a subset of FlakinessOptions in src/analytics/flakiness.ts). */
export interface EvidenceOptions {
  readonly halfLife: number;
  readonly maxTransientRun: number;
  readonly failingStreak: number;
  /** Executions back from the latest that count as recent (one half-life). */
  readonly recent: number;
}

/**
 * The definition's default thresholds. Here rather than in src/analytics so
 * src/db can keep its ingest-time flakiness rollup with them; src/analytics
 * re-exports it and a test checks `recent` against recentSpan(halfLife).
 */
export const DEFAULT_EVIDENCE_OPTIONS = {
  halfLife: 100,
  maxTransientRun: 3,
  failingStreak: 3,
  recent: 100,
} as const satisfies EvidenceOptions;

/**
 * One test's flakiness evidence summed in SQL over its executions in a slice
 * (src/db/flakiness.ts); src/analytics/flakiness.ts turns it into a score.
 * Weights are 2^(−k/h) for the execution k places before the test's latest.
 */
export interface FlakinessAggregates {
  readonly testId: string;
  readonly executions: number;
  readonly failures: number;
  readonly flakyExecutions: number;
  readonly inconsistentCommits: number;
  readonly sumW: number;
  readonly sumW2: number;
  /** Weights (and squared weights) of the free executions: every one but the failures that are not flaky evidence. */
  readonly sumV: number;
  readonly sumV2: number;
  /** Weights of the executions that are flaky evidence. */
  readonly sumWF: number;
  /** Weights of every execution but the first, and of those that flipped. */
  readonly flipW: number;
  readonly flipSum: number;
  /** The latest `failingStreak` executions all failed without flaky evidence. */
  readonly failingNow: boolean;
  /** Retry or same-commit evidence among the recent executions. */
  readonly recentStrongEvidence: number;
  /** Separate transient failure runs among the recent executions. */
  readonly recentTransientRuns: number;
  readonly lastFlakeAt: Date | null;
}

/** What the flakiness analysis reads. */
export interface FlakinessStore {
  /** Each test's executions in a slice (skipped left out), oldest first. */
  flakinessHistory(filter: ResultFilter, limit: number): Promise<Map<string, FlakinessExecution[]>>;
  /**
   * Each test's flakiness evidence summed over a slice: from the rollup kept at
   * ingest for the default options over whole histories, else from the sequences.
   */
  flakinessAggregates(filter: ResultFilter, options: EvidenceOptions): Promise<FlakinessAggregates[]>;
  /** The given tests' executions in a slice per worker and per hardware value (where they have evidence), weighted like flakinessAggregates, and each value pooled over them. */
  flakinessByValue(
    filter: ResultFilter,
    testIds: readonly string[],
    options: EvidenceOptions,
  ): Promise<FlakinessByValue>;
}
