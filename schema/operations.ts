import { builder } from './builder.ts';
import { DimensionEnum, StatusEnum } from './enums.ts';
import { ResultFilter } from './inputs.ts';
import { Run } from './run.ts';
import { DateTime } from './scalars.ts';
import { Test } from './test.ts';
import * as breakerResolvers from '../resolvers/breakers.ts';
import * as compareRunResolvers from '../resolvers/compare-runs.ts';
import * as failurePatternResolvers from '../resolvers/failure-patterns.ts';
import { qualityGate } from '../resolvers/quality-gate.ts';
import { report } from '../resolvers/report.ts';
import * as slices from '../resolvers/slices.ts';
import * as workloadResolvers from '../resolvers/workload.ts';
import {
  REPORT_FORMATS,
  type BreakerTransition as BreakerTransitionModel,
  type CircuitBreakerReport as CircuitBreakerReportModel,
  type DurationRegression as DurationRegressionModel,
  type FailureCorrelation as FailureCorrelationModel,
  type FailurePattern as FailurePatternModel,
  type FailurePatternDay as FailurePatternDayModel,
  type QualityCheck as QualityCheckModel,
  type QualityGateResult as QualityGateResultModel,
  type Report as ReportModel,
  type RunComparison as RunComparisonModel,
  type TestChange as TestChangeModel,
  type HardwareWorkload as HardwareWorkloadModel,
  type WorkerLoad as WorkerLoadModel,
  type WorkloadReport as WorkloadReportModel,
} from '../src/domain/analytics-types.ts';
import { BREAKER_STATES } from '../src/domain/types.ts';

// ---------------------------------------------------------------- compareRuns

const TestChange = builder.objectRef<TestChangeModel>('TestChange').implement({
  description: "A test's outcome in the base run against the head run.",
  fields: (t) => ({
    test: t.field({ type: Test, resolve: (c, _a, ctx) => slices.test(ctx, c.testId) }),
    baseStatus: t.expose('baseStatus', {
      type: StatusEnum,
      nullable: true,
      description: 'Status of the last execution in the base run.',
    }),
    headStatus: t.expose('headStatus', {
      type: StatusEnum,
      nullable: true,
      description: 'Status of the last execution in the head run.',
    }),
    message: t.exposeString('message', {
      nullable: true,
      description: "The head run's failure message, if it failed.",
    }),
  }),
});

const DurationRegression = builder.objectRef<DurationRegressionModel>('DurationRegression').implement({
  description:
    'A test that got slower from the base run to the head run beyond its own noise: headMs / baseMs ≥ minDurationRatio and, when the test has at least 3 earlier passing durations, a head duration that history does not explain (one-sided Student-t prediction test on log durations, p < 1 − confidence).',
  fields: (t) => ({
    test: t.field({ type: Test, resolve: (d, _a, ctx) => slices.test(ctx, d.testId) }),
    baseMs: t.exposeFloat('baseMs', { description: 'Duration in the base run (last attempt), ms.' }),
    headMs: t.exposeFloat('headMs', { description: 'Duration in the head run (last attempt), ms.' }),
    ratio: t.exposeFloat('ratio', { description: 'headMs / baseMs.' }),
    historyN: t.exposeInt('historyN', {
      description:
        'Earlier passing durations of the test (before the head run, at most 30) it was judged against.',
    }),
    tScore: t.exposeFloat('tScore', {
      nullable: true,
      description:
        '(ln headMs − mean) / (sd · √(1 + 1/n)) over the ln of those durations; null with fewer than 3.',
    }),
    pValue: t.exposeFloat('pValue', {
      nullable: true,
      description:
        'One-sided p-value that the history explains headMs (Student t, n − 1 degrees of freedom); null with fewer than 3.',
    }),
    significant: t.exposeBoolean('significant', {
      nullable: true,
      description:
        'True when judged against the history (pValue < 1 − confidence); null when the history was too short and the ratio alone decided.',
    }),
  }),
});

const RunComparison = builder.objectRef<RunComparisonModel>('RunComparison').implement({
  description: 'What changed between two runs, test by test.',
  fields: (t) => ({
    base: t.field({ type: Run, resolve: (c) => c.base }),
    head: t.field({ type: Run, resolve: (c) => c.head }),
    newFailures: t.field({
      type: [TestChange],
      description: 'Passed in base, failed or errored in head.',
      resolve: (c) => c.newFailures,
    }),
    fixed: t.field({
      type: [TestChange],
      description: 'Failed or errored in base, passed in head.',
      resolve: (c) => c.fixed,
    }),
    stillFailing: t.field({
      type: [TestChange],
      description: 'Failed or errored in both.',
      resolve: (c) => c.stillFailing,
    }),
    newTests: t.field({
      type: [Test],
      description: 'Ran in head but not in base.',
      resolve: (c, _a, ctx) => Promise.all(c.newTests.map((id) => slices.test(ctx, id))),
    }),
    removedTests: t.field({
      type: [Test],
      description: 'Ran in base but not in head.',
      resolve: (c, _a, ctx) => Promise.all(c.removedTests.map((id) => slices.test(ctx, id))),
    }),
    durationRegressions: t.field({
      type: [DurationRegression],
      description: 'Largest ratio first.',
      resolve: (c) => c.durationRegressions,
    }),
  }),
});

// ---------------------------------------------------------------- failurePatterns

const FailureCorrelation = builder.objectRef<FailureCorrelationModel>('FailureCorrelation').implement({
  description:
    "A worker, hardware, branch, suite or tag value over-represented among a failure pattern's occurrences: listed when it holds at least 10 % of them (and 2 or more) and lift > 1.",
  fields: (t) => ({
    dimension: t.expose('dimension', {
      type: DimensionEnum,
      nullable: true,
      description: "WORKER, HARDWARE, BRANCH or SUITE; null when the value is a tag's (see tag).",
    }),
    tag: t.exposeString('tag', {
      nullable: true,
      description: 'The tag key when the value is a tag\'s, e.g. "model".',
    }),
    value: t.exposeString('value'),
    occurrences: t.exposeInt('occurrences', { description: "The pattern's occurrences with this value." }),
    share: t.exposeFloat('share', {
      description: "Share of the pattern's occurrences with this value, 0 … 1.",
    }),
    baselineShare: t.exposeFloat('baselineShare', {
      description: "The value's share of the slice's attempts that ran (its share of the work), 0 … 1.",
    }),
    lift: t.exposeFloat('lift', {
      description:
        'share / baselineShare: how many times its share of the work the value carries of the pattern; above 1 means over-represented.',
    }),
  }),
});

const FailurePatternDay = builder.objectRef<FailurePatternDayModel>('FailurePatternDay').implement({
  description: "A day's occurrences of a failure pattern.",
  fields: (t) => ({
    day: t.expose('day', { type: DateTime, description: 'Start of the day (UTC).' }),
    occurrences: t.exposeInt('occurrences'),
  }),
});

const FailurePattern = builder.objectRef<FailurePatternModel>('FailurePattern').implement({
  description:
    'Failure messages that are the same once UUIDs, timestamps, path directories, base64 runs, hex ids and numbers are masked (see README, "Failure patterns").',
  fields: (t) => ({
    fingerprint: t.exposeString('fingerprint', {
      description: 'Stable hash of the pattern (first 16 hex digits of its MD5).',
    }),
    pattern: t.exposeString('pattern', {
      description:
        'The normalised message, variable parts replaced by placeholders: <uuid>, <ts>, <path>, <blob>, <hex>, <num>.',
    }),
    sample: t.exposeString('sample', { description: 'The earliest original message of the pattern.' }),
    occurrences: t.exposeInt('occurrences', { description: 'Failed or errored attempts with the pattern.' }),
    tests: t.exposeInt('tests', { description: 'Distinct tests that failed with the pattern.' }),
    affectedTests: t.field({
      type: [Test],
      description: 'The tests that failed with the pattern, most occurrences first (at most 100).',
      args: { first: t.arg.int({ defaultValue: 10 }) },
      resolve: (p, { first }, ctx) =>
        Promise.all(p.testIds.slice(0, Math.max(0, first ?? 10)).map((id) => slices.test(ctx, id))),
    }),
    firstSeen: t.expose('firstSeen', { type: DateTime }),
    lastSeen: t.expose('lastSeen', { type: DateTime }),
    daily: t.field({
      type: [FailurePatternDay],
      description: 'Occurrences per day (UTC), oldest first; days without any are left out.',
      resolve: (p) => p.daily,
    }),
    correlations: t.field({
      type: [FailureCorrelation],
      description: 'Highest lift first, at most 10.',
      resolve: (p) => p.correlations,
    }),
  }),
});

// ---------------------------------------------------------------- workload

const WorkerLoad = builder.objectRef<WorkerLoadModel>('WorkerLoad').implement({
  description: "One worker's share of the slice's work.",
  fields: (t) => ({
    worker: t.exposeString('worker'),
    executions: t.exposeInt('executions', { description: 'Attempts run on the worker.' }),
    busyMs: t.exposeFloat('busyMs', { description: 'Sum of attempt durations on the worker, ms.' }),
    share: t.exposeFloat('share', { description: "busyMs / all workers' busyMs, 0 … 1." }),
    failRate: t.exposeFloat('failRate', {
      nullable: true,
      description: 'Failed or errored attempts / attempts that ran, 0 … 1.',
    }),
  }),
});

const FAIRNESS_DOC = {
  jainIndex:
    "Jain's fairness index of busyMs, (Σx)² / (n·Σx²): 1/n (one worker does all) … 1 (perfectly even); k/n when k workers share evenly and the rest idle.",
  gini: 'Gini coefficient of busyMs (population form): 0 (even) … (n − 1)/n (one of n workers does all).',
  coefficientOfVariation:
    'Population standard deviation / mean of busyMs; 0 is even. jainIndex = 1 / (1 + coefficientOfVariation²).',
  maxToMeanRatio: 'Busiest worker busyMs / mean busyMs: 1 is even, n when one of n workers does all.',
} as const;

const HardwareWorkload = builder.objectRef<HardwareWorkloadModel>('HardwareWorkload').implement({
  description:
    "One hardware kind's part of the slice's work, and how evenly its workers share it. Fairness figures are null without workers.",
  fields: (t) => ({
    hardware: t.exposeString('hardware', {
      nullable: true,
      description: 'The hardware kind, e.g. "cuda"; null for attempts that name none.',
    }),
    executions: t.exposeInt('executions', { description: 'Attempts run on the kind.' }),
    busyMs: t.exposeFloat('busyMs', { description: 'Sum of attempt durations on the kind, ms.' }),
    share: t.exposeFloat('share', { description: "busyMs / all kinds' busyMs, 0 … 1." }),
    failRate: t.exposeFloat('failRate', {
      nullable: true,
      description: 'Failed or errored attempts / attempts that ran, 0 … 1.',
    }),
    workers: t.field({
      type: [WorkerLoad],
      description: "The kind's workers, busiest first; their share is within the kind.",
      resolve: (h) => h.workers,
    }),
    jainIndex: t.exposeFloat('jainIndex', { nullable: true, description: FAIRNESS_DOC.jainIndex }),
    gini: t.exposeFloat('gini', { nullable: true, description: FAIRNESS_DOC.gini }),
    coefficientOfVariation: t.exposeFloat('coefficientOfVariation', {
      nullable: true,
      description: FAIRNESS_DOC.coefficientOfVariation,
    }),
    maxToMeanRatio: t.exposeFloat('maxToMeanRatio', {
      nullable: true,
      description: FAIRNESS_DOC.maxToMeanRatio,
    }),
  }),
});

const WorkloadReport = builder.objectRef<WorkloadReportModel>('WorkloadReport').implement({
  description:
    'How evenly busy time (sum of attempt durations) is spread over workers. Attempts that name no worker are left out. Fairness figures are null without workers.',
  fields: (t) => ({
    workers: t.field({ type: [WorkerLoad], description: 'Busiest first.', resolve: (w) => w.workers }),
    hardware: t.field({
      type: [HardwareWorkload],
      description:
        'The same figures within each hardware kind (pools are balanced apart), busiest kind first.',
      resolve: (w) => w.hardware,
    }),
    jainIndex: t.exposeFloat('jainIndex', { nullable: true, description: FAIRNESS_DOC.jainIndex }),
    gini: t.exposeFloat('gini', { nullable: true, description: FAIRNESS_DOC.gini }),
    coefficientOfVariation: t.exposeFloat('coefficientOfVariation', {
      nullable: true,
      description: FAIRNESS_DOC.coefficientOfVariation,
    }),
    maxToMeanRatio: t.exposeFloat('maxToMeanRatio', {
      nullable: true,
      description: FAIRNESS_DOC.maxToMeanRatio,
    }),
  }),
});

// ---------------------------------------------------------------- circuitBreakers

export const BreakerStateEnum = builder.enumType('BreakerState', {
  description:
    'CLOSED: traffic flows. OPEN: traffic is refused. HALF_OPEN: trial traffic decides whether to close again.',
  values: BREAKER_STATES,
});

const BreakerTransition = builder.objectRef<BreakerTransitionModel>('BreakerTransition').implement({
  description:
    'One state change of a circuit breaker: as ingested, or inferred where an ingested one did not follow its predecessor.',
  fields: (t) => ({
    at: t.expose('at', { type: DateTime }),
    from: t.expose('from', { type: BreakerStateEnum }),
    to: t.expose('to', { type: BreakerStateEnum }),
    reason: t.exposeString('reason', { nullable: true }),
    inferred: t.exposeBoolean('inferred', {
      description:
        "True when not ingested but implied: the next transition's `from` differed from the state before it, so a transition to that `from` is assumed at the same instant.",
    }),
  }),
});

const CircuitBreakerReport = builder.objectRef<CircuitBreakerReportModel>('CircuitBreakerReport').implement({
  description:
    "One circuit breaker's behaviour over the slice. Transitions are sorted by time (late batches land in place); a transition whose `from` is not the state before it implies a missing one (see `inferred`), and the time in between stays with the last known state. Time after the last transition counts until the end of the slice's latest run (or filter.to).",
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The breaker, e.g. "worker:gpu-3".' }),
    worker: t.exposeString('worker', {
      nullable: true,
      description:
        'The worker a "worker:<name>" breaker guards; null for other breakers (then the fail rates are null too).',
    }),
    state: t.expose('state', { type: BreakerStateEnum, description: 'State after the last transition.' }),
    trips: t.exposeInt('trips', {
      description: 'Transitions into OPEN, re-trips from HALF_OPEN and inferred ones included.',
    }),
    recoveries: t.exposeInt('recoveries', { description: 'Transitions back into CLOSED.' }),
    timeOpenMs: t.exposeFloat('timeOpenMs', { description: 'Total time spent OPEN, ms.' }),
    timeHalfOpenMs: t.exposeFloat('timeHalfOpenMs', { description: 'Total time spent HALF_OPEN, ms.' }),
    meanRecoveryMs: t.exposeFloat('meanRecoveryMs', {
      nullable: true,
      description:
        'Mean time to recovery: from a trip out of CLOSED back to CLOSED, ms; null when it never recovered from a trip seen.',
    }),
    failureRateClosed: t.exposeFloat('failureRateClosed', {
      nullable: true,
      description:
        "Fail rate (0 … 1) of the slice's attempts on the worker started while the breaker was CLOSED; null without any.",
    }),
    failureRateAfterRecovery: t.exposeFloat('failureRateAfterRecovery', {
      nullable: true,
      description:
        "Fail rate (0 … 1) of the slice's attempts on the worker started within the hour after a recovery to CLOSED; null without any.",
    }),
    missingTransitions: t.exposeInt('missingTransitions', {
      description: 'Transitions inferred because an ingested one did not follow its predecessor.',
    }),
    transitions: t.field({
      type: [BreakerTransition],
      description: 'Oldest first, inferred ones included.',
      resolve: (b) => b.transitions,
    }),
  }),
});

// ---------------------------------------------------------------- qualityGate and report

const QualityGateInput = builder.inputType('QualityGateInput', {
  description: 'Thresholds the slice must meet; only the ones given are checked.',
  fields: (t) => ({
    minPassRate: t.float({ description: 'Lowest acceptable pass rate, 0 … 1.' }),
    maxNewFailures: t.int({
      description: 'Most tests allowed to fail in the slice that passed on baseBranch.',
    }),
    maxFlakyRate: t.float({ description: 'Highest acceptable flaky rate, 0 … 1.' }),
    baseBranch: t.string({
      description: 'The branch new failures and duration regressions are measured against, e.g. "main".',
    }),
    maxDurationRegressionPct: t.float({
      description: 'Largest acceptable rise of total duration over baseBranch, in percent (10 = 10 %).',
    }),
  }),
});

const QualityCheck = builder.objectRef<QualityCheckModel>('QualityCheck').implement({
  description: 'One threshold of a quality gate.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The input field checked, e.g. "minPassRate".' }),
    passed: t.exposeBoolean('passed'),
    actual: t.exposeFloat('actual', {
      nullable: true,
      description: "The slice's value, in the threshold's unit; null when the slice has no data for it.",
    }),
    threshold: t.exposeFloat('threshold'),
    message: t.exposeString('message', {
      description: 'A sentence saying what was measured and how it compares.',
    }),
  }),
});

export const QualityGateResult = builder.objectRef<QualityGateResultModel>('QualityGateResult').implement({
  description: 'A verdict for CI: passed only when every check passed.',
  fields: (t) => ({
    passed: t.exposeBoolean('passed'),
    checks: t.field({ type: [QualityCheck], resolve: (g) => g.checks }),
  }),
});

export const ReportFormatEnum = builder.enumType('ReportFormat', {
  description: 'MARKDOWN for pull-request comments, HTML for a standalone page, JSON for machines.',
  values: REPORT_FORMATS,
});

const Report = builder.objectRef<ReportModel>('Report').implement({
  description: 'A summary of a slice: pass rates, new failures, flaky tests and slow tests.',
  fields: (t) => ({
    format: t.expose('format', { type: ReportFormatEnum }),
    generatedAt: t.expose('generatedAt', { type: DateTime }),
    content: t.exposeString('content', { description: 'The report document in `format`.' }),
  }),
});

// ---------------------------------------------------------------- queries

builder.queryFields((t) => ({
  compareRuns: t.field({
    type: RunComparison,
    nullable: false,
    description:
      'Test-by-test changes from one run to another (e.g. main against a pull request). An unknown run id answers NOT_FOUND naming it.',
    args: {
      base: t.arg.id({ required: true }),
      head: t.arg.id({ required: true }),
      minDurationRatio: t.arg.float({
        defaultValue: 1.2,
        description: 'Smallest headMs / baseMs listed as a duration regression.',
      }),
      confidence: t.arg.float({
        defaultValue: 0.95,
        description:
          "How sure a slowdown must be against the test's own earlier durations to be listed, between 0 and 1.",
      }),
    },
    resolve: (_root, args, ctx) => compareRunResolvers.compareRuns(ctx, args),
  }),
  failurePatterns: t.field({
    type: [FailurePattern],
    nullable: false,
    description: 'Failure messages of the slice clustered into patterns, most occurrences first.',
    args: {
      filter: t.arg({ type: ResultFilter }),
      first: t.arg.int({ defaultValue: 20, description: 'Most patterns returned (1 … 1000).' }),
    },
    resolve: (_root, args, ctx) => failurePatternResolvers.failurePatterns(ctx, args),
  }),
  workload: t.field({
    type: WorkloadReport,
    nullable: false,
    description: "How the slice's work is spread over workers.",
    args: { filter: t.arg({ type: ResultFilter }) },
    resolve: (_root, args, ctx) => workloadResolvers.workload(ctx, args),
  }),
  circuitBreakers: t.field({
    type: [CircuitBreakerReport],
    nullable: false,
    description: "Circuit breakers ingested with the slice's runs, most trips first.",
    args: { filter: t.arg({ type: ResultFilter }) },
    resolve: (_root, args, ctx) => breakerResolvers.circuitBreakers(ctx, args),
  }),
  qualityGate: t.field({
    type: QualityGateResult,
    nullable: false,
    description: 'Checks a slice (e.g. one commit on a branch) against thresholds, for CI.',
    args: { filter: t.arg({ type: ResultFilter }), gate: t.arg({ type: QualityGateInput, required: true }) },
    resolve: (_r, { filter, gate }, ctx) => qualityGate(ctx, filter, gate),
  }),
  report: t.field({
    type: Report,
    nullable: false,
    description: 'A summary report of a slice.',
    args: {
      filter: t.arg({ type: ResultFilter }),
      format: t.arg({ type: ReportFormatEnum, required: true }),
    },
    resolve: (_r, { filter, format }, ctx) => report(ctx, filter, format),
  }),
}));
