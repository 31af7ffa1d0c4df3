/**
 * The data of a report (`report` query, `assay report`): what the Markdown and
 * HTML renderings show, and, as is, the JSON format. Field names and meanings
 * are stable within `schema`; a change that removes or renames a field bumps
 * its version. Times are ISO-8601 strings in JSON, rates are 0 … 1, durations
 * are milliseconds.
 */
import type { QuarantineStore } from './quarantine.ts';
import type { AlertStore } from './alerts.ts';
import type { FailurePatternStore } from './failure-patterns.ts';
import type { FlakinessStore } from './flakiness.ts';
import type { GateStore } from './gate.ts';
import type { InfraFailureStore, InfraReason } from './infra-failures.ts';
import type { SeriesStore } from './series.ts';
import type { SliceStore } from './slices.ts';

/** How a report is rendered. */
export const REPORT_FORMATS = ['MARKDOWN', 'HTML', 'JSON'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface Report {
  readonly format: ReportFormat;
  readonly generatedAt: Date;
  readonly content: string;
}

export const REPORT_SCHEMA = 'assay.report/v1';

export interface ReportTestRef {
  readonly id: string;
  readonly suite: string;
  readonly className: string | null;
  readonly name: string;
}

export interface ReportData {
  readonly schema: typeof REPORT_SCHEMA;
  readonly generatedAt: Date;
  /** The slice reported on, as given, with the time range the report used. */
  readonly slice: {
    readonly project: readonly string[];
    readonly branch: readonly string[];
    readonly commit: readonly string[];
    readonly from: Date;
    readonly to: Date | null;
  };
  readonly summary: {
    readonly runs: number;
    readonly tests: number;
    /** Executions: a test in a run, retries folded. */
    readonly executions: number;
    readonly passed: number;
    readonly failed: number;
    readonly errored: number;
    readonly skipped: number;
    /** Executions that passed only on a retry (a failed or errored attempt, then a pass). */
    readonly flaky: number;
    /** Tests classified FLAKY over the slice (by their flaky evidence, see `flakiestTests`); counted among at most 1,000 ranked tests. */
    readonly flakyTests: number;
    readonly passRate: number | null;
    readonly flakyRate: number | null;
    readonly durationAvgMs: number | null;
    readonly durationP95Ms: number | null;
  };
  /** Daily pass rate, with its Mann–Kendall direction and OLS slope (per day). */
  readonly passRateTrend: {
    readonly direction: 'IMPROVING' | 'DEGRADING' | 'STABLE' | null;
    readonly slopePerDay: number | null;
    /** One point per day with executions that ran; `executions` is how many (skipped left out) the day's pass rate stands on. */
    readonly points: readonly { readonly t: Date; readonly value: number; readonly executions: number }[];
    readonly changePoints: readonly { readonly t: Date; readonly before: number; readonly after: number }[];
  };
  /** Tests classified FLAKY, highest score first. */
  readonly flakiestTests: readonly (ReportTestRef & {
    readonly score: number;
    readonly lower: number;
    readonly upper: number;
    /** Executions that failed (last attempt failed or errored). */
    readonly failures: number;
    /**
     * Executions that are flaky evidence, as the score counts them: passed on a retry, failed on a
     * commit where the test also passed, or failed in a short run of failures (≤ 3) that a pass ended.
     */
    readonly flakyExecutions: number;
    /** Executions in the slice that passed only on a retry: the part of the evidence `summary.flaky` counts. */
    readonly retryPasses: number;
    readonly executions: number;
  })[];
  /** Highest p95 duration first. */
  readonly slowestTests: readonly (ReportTestRef & {
    readonly durationAvgMs: number | null;
    readonly durationP95Ms: number | null;
    readonly executions: number;
  })[];
  /** Tests whose daily median duration rose at a change point by at least `ratio` 1.2, largest rise first. */
  readonly durationRegressions: readonly (ReportTestRef & {
    readonly at: Date;
    readonly beforeMs: number;
    readonly afterMs: number;
    readonly ratio: number;
  })[];
  /** Tests that started failing in the slice and still fail: `at` is the first failure, latest first. */
  readonly newFailures: readonly (ReportTestRef & {
    readonly at: Date;
    readonly message: string | null;
    readonly failures: number;
  })[];
  /**
   * Failure messages clustered by their masked pattern (the `failurePatterns` query), most occurrences first,
   * with the dimension or tag value the pattern is most concentrated on (highest lift), if any.
   */
  readonly failurePatterns: readonly {
    readonly pattern: string;
    readonly occurrences: number;
    readonly tests: number;
    readonly lastSeen: Date;
    readonly concentratedOn: {
      readonly on: string;
      readonly value: string;
      readonly share: number;
      readonly lift: number;
    } | null;
  }[];
  /**
   * Tests in quarantine now that the slice touches, with their executions and failures in it, most failures first;
   * absent when there are none. Their failures are counted here, not among `newFailures`.
   */
  readonly quarantined?: {
    readonly tests: number;
    readonly failures: number;
    readonly entries: readonly (ReportTestRef & {
      readonly source: string;
      readonly owner: string;
      readonly reason: string;
      readonly since: Date;
      readonly expiresAt: Date;
      readonly executions: number;
      readonly failures: number;
    })[];
  };
  /**
   * Runs and workers of the slice marked as infrastructure failures (see `infrastructureFailures`), newest
   * run first, at most 10; absent when there are none. Their executions are left out of the summary, the
   * pass-rate trend and the flakiest tests unless the slice includes them.
   */
  readonly infrastructureFailures?: readonly {
    readonly runId: string;
    readonly worker: string | null;
    readonly runStartedAt: Date;
    readonly reason: InfraReason;
    readonly pattern: string | null;
    readonly executions: number;
    readonly failures: number;
    readonly burstSeconds: number;
  }[];
  /** Unresolved alerts of the slice's projects in its time range, latest first. */
  readonly alerts: readonly {
    readonly severity: string;
    readonly kind: string;
    readonly message: string;
    readonly firedAt: Date;
    readonly acknowledged: boolean;
  }[];
}

/** What a report reads: slices, the series of its trends, flakiness, failure patterns, new failures and open alerts. */
export type ReportStore = SliceStore &
  SeriesStore &
  FlakinessStore &
  FailurePatternStore &
  Pick<GateStore, 'newFailures'> &
  Pick<AlertStore, 'alertsPage'> &
  Pick<QuarantineStore, 'quarantineEntries'> &
  Pick<InfraFailureStore, 'infrastructureFailures'>;
