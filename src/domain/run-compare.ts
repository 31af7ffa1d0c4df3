/** Two runs compared: status changes, new and removed tests, duration regressions. */
import type { RunId, TestId } from './ids.ts';
import type { SliceStore } from './slices.ts';
import type { Run, Status } from './types.ts';

export interface TestChange {
  readonly testId: TestId;
  readonly baseStatus: Status | null;
  readonly headStatus: Status | null;
  /** The head run's failure message, if any. */
  readonly message: string | null;
}

export interface DurationRegression {
  readonly testId: TestId;
  readonly baseMs: number;
  readonly headMs: number;
  /** headMs / baseMs. */
  readonly ratio: number;
  /** Earlier passing durations of the test the significance was judged on (before the head run). */
  readonly historyN: number;
  /** t statistic of headMs against that history on the log scale; null with too short a history. */
  readonly tScore: number | null;
  /** One-sided p-value that the history explains headMs; null with too short a history. */
  readonly pValue: number | null;
  /** pValue below 1 − confidence; null with too short a history (then the ratio alone decided). */
  readonly significant: boolean | null;
}

/** A test's execution in the base and the head run of a comparison (null where it did not run). */
export interface RunPairRow {
  readonly testId: TestId;
  readonly baseStatus: Status | null;
  readonly headStatus: Status | null;
  /** Duration of the last attempt, ms. */
  readonly baseMs: number | null;
  readonly headMs: number | null;
  /** The head run's failure message (its last failed attempt's). */
  readonly headMessage: string | null;
}

export interface RunComparison {
  readonly base: Run;
  readonly head: Run;
  readonly newFailures: readonly TestChange[];
  readonly fixed: readonly TestChange[];
  readonly stillFailing: readonly TestChange[];
  readonly newTests: readonly TestId[];
  readonly removedTests: readonly TestId[];
  readonly durationRegressions: readonly DurationRegression[];
}

/** What comparing two runs reads. */
export interface RunCompareStore extends Pick<SliceStore, 'runsByIds'> {
  /** Every test that ran in either run, with its status, duration and message in each. */
  runPair(base: RunId, head: RunId): Promise<RunPairRow[]>;
  /** Each test's last `last` passing durations that started before `before`, outside run `exclude`, oldest first. */
  durationHistory(
    ids: readonly TestId[],
    before: Date,
    exclude: RunId,
    last: number,
  ): Promise<Map<string, number[]>>;
}
