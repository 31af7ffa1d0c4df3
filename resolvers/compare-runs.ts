import { durationSurprise } from '../src/analytics/duration-regression.ts';
import type {
  DurationRegression,
  RunComparison,
  RunPairRow,
  TestChange,
  RunCompareStore,
} from '../src/domain/run-compare.ts';
import { AssayError, badInput } from '../src/domain/errors.ts';
import { asRunId } from '../src/domain/ids.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { Status } from '../src/domain/types.ts';

export interface CompareRunsArgs {
  readonly base: string;
  readonly head: string;
  readonly minDurationRatio?: number | null | undefined;
  readonly confidence?: number | null | undefined;
}

/** Earlier passing durations read per test to judge a slowdown. */
const DURATION_HISTORY = 30;
/** Fewer earlier durations than this and the ratio alone decides. */
const MIN_DURATION_HISTORY = 3;

const failed = (s: Status | null): boolean => s === 'FAILED' || s === 'ERROR';
const change = (r: RunPairRow): TestChange => ({
  testId: r.testId,
  baseStatus: r.baseStatus,
  headStatus: r.headStatus,
  message: failed(r.headStatus) ? r.headMessage : null,
});

/**
 * Test-by-test changes from the base run to the head run. A duration
 * regression is a test that ran (not skipped) in both with headMs / baseMs ≥
 * minDurationRatio and, when the test has at least MIN_DURATION_HISTORY
 * earlier passing durations (before the head run, the base run included),
 * a head duration the history does not explain: the one-sided p-value of
 * src/analytics/duration-regression.ts below 1 − confidence.
 */
export function compareRuns(
  deps: FeatureDeps<RunCompareStore, 'cache'>,
  args: CompareRunsArgs,
): Promise<RunComparison> {
  const { minRatio, confidence } = checkArgs(args);
  const base = asRunId(args.base);
  const head = asRunId(args.head);
  return deps.cache.get('compareRuns', { base, head, minRatio, confidence }, async () => {
    const runs = await deps.store.runsByIds([base, head]);
    const missing = (
      [
        ['base', base],
        ['head', head],
      ] as const
    ).filter(([, id]) => !runs.has(id));
    if (missing.length) {
      throw new AssayError(
        'NOT_FOUND',
        `No run has id ${missing.map(([field, id]) => `"${id}" (${field})`).join(' or ')}. List them with the \`runs\` query to find a valid id.`,
        { field: missing[0]![0] },
      );
    }
    const { changes, slower } = classify(await deps.store.runPair(base, head), minRatio);
    const headRun = runs.get(head)!;
    const history = await deps.store.durationHistory(
      slower.map((r) => r.testId),
      headRun.startedAt,
      head,
      DURATION_HISTORY,
    );
    const durationRegressions = judgeDurations(slower, history, confidence);
    return { base: runs.get(base)!, head: headRun, ...changes, durationRegressions };
  });
}

/** The ratio and confidence with their defaults, checked, and two different runs. */
function checkArgs(args: CompareRunsArgs): { minRatio: number; confidence: number } {
  const minRatio = args.minDurationRatio ?? 1.2;
  const confidence = args.confidence ?? 0.95;
  if (!(minRatio > 0) || !Number.isFinite(minRatio))
    throw badInput(`minDurationRatio must be a number above 0 (got ${minRatio}), e.g. 1.2 for 20 % slower`, {
      field: 'minDurationRatio',
    });
  if (!(confidence > 0 && confidence < 1))
    throw badInput(`confidence must be between 0 and 1 (got ${confidence}), e.g. 0.95`, {
      field: 'confidence',
    });
  if (args.base === args.head)
    throw badInput(
      `base and head are the same run ("${args.base}"); name two runs, e.g. a main build and a pull-request build`,
      { field: 'head' },
    );
  return { minRatio, confidence };
}

/** Each test's status change between the runs, and the tests that ran in both at least minRatio slower. */
function classify(rows: readonly RunPairRow[], minRatio: number) {
  const changes = {
    newFailures: [] as TestChange[],
    fixed: [] as TestChange[],
    stillFailing: [] as TestChange[],
    newTests: [] as RunPairRow['testId'][],
    removedTests: [] as RunPairRow['testId'][],
  };
  const slower: RunPairRow[] = [];
  for (const r of rows) {
    if (r.baseStatus === null) changes.newTests.push(r.testId);
    else if (r.headStatus === null) changes.removedTests.push(r.testId);
    else if (r.baseStatus === 'PASSED' && failed(r.headStatus)) changes.newFailures.push(change(r));
    else if (failed(r.baseStatus) && r.headStatus === 'PASSED') changes.fixed.push(change(r));
    else if (failed(r.baseStatus) && failed(r.headStatus)) changes.stillFailing.push(change(r));
    if (
      r.baseStatus &&
      r.baseStatus !== 'SKIPPED' &&
      r.headStatus &&
      r.headStatus !== 'SKIPPED' &&
      r.baseMs! > 0 &&
      r.headMs! / r.baseMs! >= minRatio
    )
      slower.push(r);
  }
  return { changes, slower };
}

/** The slower tests whose history does not explain the head duration (or that have too little history); slowest first. */
function judgeDurations(
  slower: readonly RunPairRow[],
  history: ReadonlyMap<string, readonly number[]>,
  confidence: number,
): DurationRegression[] {
  const durationRegressions: DurationRegression[] = [];
  for (const r of slower) {
    const past = history.get(r.testId) ?? [];
    const common = {
      testId: r.testId,
      baseMs: r.baseMs!,
      headMs: r.headMs!,
      ratio: r.headMs! / r.baseMs!,
      historyN: past.length,
    };
    if (past.length < MIN_DURATION_HISTORY) {
      durationRegressions.push({ ...common, tScore: null, pValue: null, significant: null });
      continue;
    }
    const s = durationSurprise(past, r.headMs!);
    // Within the test's own noise: not a regression, however large the ratio to one base run.
    if (s.pValue >= 1 - confidence) continue;
    durationRegressions.push({ ...common, tScore: s.t, pValue: s.pValue, significant: true });
  }
  durationRegressions.sort((a, b) => b.ratio - a.ratio || (a.testId < b.testId ? -1 : 1));
  return durationRegressions;
}
