/**
 * Flakiness of one test across runs: a recency-weighted estimate of its flake
 * rate with a Wilson interval, Apple's decayed flip rate, and a classification.
 *
 * ## Flaky test (across runs): the definition
 *
 * Input: one test's non-skipped executions e₁ … eₙ in time order. Each has a
 * final status, passed or failed (failed = FAILED or ERROR), a commit (or
 * none), and `retryFlaky` (an earlier attempt failed or errored and a later
 * one passed; its final status is passed).
 *
 * 1. Flaky evidence. Execution eᵢ shows flaky behaviour (fᵢ = 1, else 0) when
 *    (a) retry: it is retryFlaky; or
 *    (b) same commit: it failed, and the test passed in some other execution
 *        on the same commit (that commit is an *inconsistent commit*;
 *        executions without a commit never share one); or
 *    (c) transient failure: it failed, and its maximal run of consecutive
 *        failed executions is at most 3 long (`maxTransientRun`) and is
 *        followed by a passed execution.
 *    An execution counts once, whatever number of rules it meets. (a) and (b)
 *    are same-commit evidence: the code did not change, the outcome did.
 *    (c) is history evidence: without code-change information a short failure
 *    run ended by a pass may also be a quick fix, so (c) alone needs two
 *    separate runs to classify a test FLAKY (rule 7). A failure run that no
 *    pass has ended yet is not evidence (a flip at a commit boundary followed
 *    by failures is a regression until a pass contradicts it), nor is a run
 *    longer than 3 ended by a pass (a break and its fix).
 * 2. Free executions. vᵢ = 1 unless eᵢ failed and is not flaky evidence: a
 *    failure of a regression was decided by the code, so it says nothing
 *    about the flake rate. Passes (retry passes too) and evidence are free.
 * 3. Weights. wᵢ = 2^(−(n − i)/h) with half-life h = 100 executions
 *    (`halfLife`): the latest execution weighs 1, the one h executions
 *    earlier ½.
 * 4. Score = Σ wᵢ·fᵢ / Σ wᵢ·vᵢ, the recency-weighted share of the free
 *    executions that showed flaky behaviour: an estimate of the flake rate,
 *    the probability that an execution fails when nothing changed. If each
 *    free execution's first attempt fails with probability p, every fᵢ has
 *    mean p and so does the score (any fixed weights). It is 0 for a test
 *    with no evidence; with no free execution (a test that always fails) it
 *    is 0 with the interval [0, 1].
 * 5. Interval: the Wilson score interval at 95 % (`confidence`) with n
 *    replaced by Kish's effective sample size of the free executions,
 *    n_eff = (Σ wᵢvᵢ)² / Σ wᵢ²vᵢ. For independent Bernoulli(p) evidence
 *    Var(score) = p(1 − p)/n_eff exactly, so the interval has Wilson's
 *    near-nominal coverage; it lies in [0, 1], contains the score, and its
 *    upper end is above 0 when the score is 0. With h = 100, n_eff → 289.
 * 6. flipRate (Apple's flip rate with exponential decay; Kowalczyk et al.,
 *    "Modeling and ranking flaky tests at Apple", ICSE-SEIP 2020): a flip is
 *    eᵢ's final status differing from eᵢ₋₁'s; flipRate = Σᵢ₌₂ⁿ wᵢ·flipᵢ /
 *    Σᵢ₌₂ⁿ wᵢ, 0 with fewer than two executions. It is reported, not scored:
 *    it also counts a regression and its fix.
 * 7. Classification, the first rule that holds:
 *    - INSUFFICIENT_DATA: fewer than 5 executions (`minExecutions`).
 *    - FAILING: the latest 3 or more executions (`failingStreak`) all failed
 *      and none of them is flaky evidence: consistently broken now, whether it
 *      always failed or broke on one commit and stayed broken.
 *    - FLAKY: among the recent executions (age n − i ≤ h, the latest 101 by
 *      default, weight ≥ ½) there is at least one same-commit evidence
 *      ((a) or (b)) or there are at least two separate transient runs (c).
 *      One failure in 200 with a retry pass is FLAKY with a score of at most
 *      1/Σwᵢ ≈ 0.0092.
 *    - STABLE: otherwise (its score may be above 0 from a single transient
 *      run or from evidence older than the recent span).
 * Infrastructure causes (a worker or hardware value the evidence
 * concentrates on) are a step after this one: flaky-cause.ts.
 * `lastFlakeIndex` is the input index of the latest flaky-evidence execution.
 */
import {
  DEFAULT_EVIDENCE_OPTIONS,
  type FlakinessAggregates,
  type FlakinessClass,
  type FlakinessEntry,
  type FlakinessExecution,
} from '../domain/flakiness.ts';
import { type FlakyEvidenceKind, flakyEvidence, validateExecutions } from './flaky-evidence.ts';
import { wilsonInterval } from './wilson.ts';

export type { FlakinessExecution } from '../domain/flakiness.ts';

/** Tuning of {@link flakiness}; every threshold of the definition above. */
export interface FlakinessOptions {
  /** Half-life of the recency weights, in executions. @default 100 */
  readonly halfLife?: number | undefined;
  /** Fewer executions than this classify as INSUFFICIENT_DATA. @default 5 */
  readonly minExecutions?: number | undefined;
  /** Confidence level of the Wilson interval. @default 0.95 */
  readonly confidence?: number | undefined;
  /** Longest failure run, ended by a pass, that counts as transient (rule c). @default 3 */
  readonly maxTransientRun?: number | undefined;
  /** Latest consecutive failures without flaky evidence that make a test FAILING. @default 3 */
  readonly failingStreak?: number | undefined;
}

/** The flakiness of one test; see the definition at the top of this file. */
export interface FlakinessScore extends Omit<FlakinessEntry, 'testId' | 'lastFlakeAt' | 'cause'> {
  /** Index (into the input) of the latest flaky-evidence execution; null when there is none. */
  readonly lastFlakeIndex: number | null;
}

function positiveInteger(name: string, v: number): void {
  if (!(Number.isInteger(v) && v >= 1))
    throw new RangeError(`flakiness option ${name} must be an integer ≥ 1 (got ${v})`);
}

/**
 * Scores and classifies one test's flakiness from its executions.
 *
 * @param executions one test's non-skipped executions, oldest first
 * @throws RangeError on an execution that is both or neither passed and
 *   failed, retryFlaky without passed, executions out of time order, or an
 *   option out of range (halfLife > 0, 0 < confidence < 1, integers ≥ 1)
 * @example
 * const run = (at: number, commit: string, s: 'P' | 'F' | 'R') => ({ at, commit, passed: s !== 'F', failed: s === 'F', retryFlaky: s === 'R' });
 * flakiness([run(0, 'a', 'P'), run(1, 'b', 'R'), run(2, 'c', 'P'), run(3, 'd', 'P'), run(4, 'e', 'P')])
 * // { score: 0.199, classification: 'FLAKY', lastFlakeIndex: 1, … }
 * @complexity O(n) time and space
 */
export function flakiness(
  executions: readonly FlakinessExecution[],
  options: FlakinessOptions = {},
): FlakinessScore {
  const {
    halfLife = DEFAULT_EVIDENCE_OPTIONS.halfLife,
    minExecutions = 5,
    confidence = 0.95,
    maxTransientRun = 3,
    failingStreak = 3,
  } = options;
  if (!(halfLife > 0 && Number.isFinite(halfLife)))
    throw new RangeError(
      `flakiness option halfLife must be a positive number of executions (got ${halfLife})`,
    );
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`flakiness option confidence must be in (0, 1) (got ${confidence})`);
  positiveInteger('minExecutions', minExecutions);
  positiveInteger('maxTransientRun', maxTransientRun);
  positiveInteger('failingStreak', failingStreak);
  validateExecutions(executions);

  const n = executions.length;
  const { kinds, inconsistentCommits } = flakyEvidence(executions, maxTransientRun);
  const weight = (i: number): number => 2 ** (-(n - 1 - i) / halfLife);

  let sumV = 0;
  let sumV2 = 0;
  let sumWF = 0;
  let flipW = 0;
  let flipSum = 0;
  let failures = 0;
  let flakyExecutions = 0;
  let lastFlakeIndex: number | null = null;
  for (let i = 0; i < n; i++) {
    const w = weight(i);
    // A failure that is not evidence had no chance to show flakiness (the code was broken): not free.
    if (!executions[i]!.failed || kinds[i] !== null) {
      sumV += w;
      sumV2 += w * w;
    }
    if (executions[i]!.failed) failures++;
    if (kinds[i] !== null) {
      sumWF += w;
      flakyExecutions++;
      lastFlakeIndex = i;
    }
    if (i > 0) {
      flipW += w;
      if (executions[i]!.failed !== executions[i - 1]!.failed) flipSum += w;
    }
  }
  const { score, lower, upper } = rateEstimate(sumWF, sumV, sumV2, confidence);
  const flipRate = flipW === 0 ? 0 : Math.min(1, flipSum / flipW);

  const classification = classify(
    n,
    minExecutions,
    () => failingNow(executions, kinds, failingStreak),
    () => flakyRecently(kinds, n - 1 - recentSpan(halfLife)),
  );
  return {
    score,
    lower,
    upper,
    flipRate,
    executions: n,
    failures,
    flakyExecutions,
    inconsistentCommits,
    classification,
    lastFlakeIndex,
  };
}

/** Executions back from the latest that count as recent for FLAKY: one half-life (weight ≥ ½). */
export const recentSpan = (halfLife: number): number => Math.floor(halfLife);

/** The definition's default thresholds, as src/db takes them to sum evidence in SQL (defined in src/domain so src/db's rollup can use them). */
export { DEFAULT_EVIDENCE_OPTIONS };

/** Rule 7 of the definition, in order. */
function classify(
  n: number,
  minExecutions: number,
  failing: () => boolean,
  flakyRecent: () => boolean,
): FlakinessClass {
  if (n < minExecutions) return 'INSUFFICIENT_DATA';
  if (failing()) return 'FAILING';
  if (flakyRecent()) return 'FLAKY';
  return 'STABLE';
}

/**
 * The same score, interval and class from evidence summed elsewhere (src/db/
 * flakiness.ts sums it in SQL over the execution sequences kept at ingest, so
 * a ranking over millions of executions never leaves DuckDB row by row).
 * @example flakinessFromAggregates({ executions: 5, sumV: 4.93, sumV2: 4.86, sumWF: 0.98, … })
 * @complexity O(1)
 */
export function flakinessFromAggregates(
  a: FlakinessAggregates,
  options: FlakinessOptions = {},
): Omit<FlakinessScore, 'lastFlakeIndex'> {
  const { minExecutions = 5, confidence = 0.95 } = options;
  const n = a.executions;
  const { score, lower, upper } = rateEstimate(a.sumWF, a.sumV, a.sumV2, confidence);
  return {
    score,
    lower,
    upper,
    flipRate: a.flipW === 0 ? 0 : Math.min(1, a.flipSum / a.flipW),
    executions: n,
    failures: a.failures,
    flakyExecutions: a.flakyExecutions,
    inconsistentCommits: a.inconsistentCommits,
    classification: classify(
      n,
      minExecutions,
      () => a.failingNow,
      () => a.recentStrongEvidence > 0 || a.recentTransientRuns >= 2,
    ),
  };
}

/**
 * The flake rate and its interval from weighted sums over the free executions:
 * score = Σw·f / Σw, Wilson's interval with Kish's n_eff = (Σw)²/Σw². No free
 * execution: score 0 with the uninformative interval [0, 1].
 */
function rateEstimate(
  sumWF: number,
  sumV: number,
  sumV2: number,
  confidence: number,
): { score: number; lower: number; upper: number } {
  if (!(sumV > 0 && sumV2 > 0)) return { score: 0, lower: 0, upper: 1 };
  const score = Math.min(1, Math.max(0, sumWF / sumV));
  return { score, ...wilsonInterval(score, (sumV * sumV) / sumV2, confidence) };
}

/** The latest `streak` executions all failed and none is flaky evidence. */
function failingNow(
  executions: readonly FlakinessExecution[],
  kinds: readonly (FlakyEvidenceKind | null)[],
  streak: number,
): boolean {
  const n = executions.length;
  if (n < streak) return false;
  for (let i = n - streak; i < n; i++) if (!executions[i]!.failed || kinds[i] !== null) return false;
  return true;
}

/** From index `from` on: any retry or same-commit evidence, or at least two separate transient runs. */
function flakyRecently(kinds: readonly (FlakyEvidenceKind | null)[], from: number): boolean {
  const start = Math.max(0, from);
  let transientRuns = 0;
  for (let i = start; i < kinds.length; i++) {
    const k = kinds[i];
    if (k === 'RETRY' || k === 'SAME_COMMIT') return true;
    if (k === 'TRANSIENT' && (i === start || kinds[i - 1] !== 'TRANSIENT')) transientRuns++;
  }
  return transientRuns >= 2;
}
