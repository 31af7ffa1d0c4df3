/**
 * Infrastructure causes of flaky evidence: when a test's evidence
 * concentrates on one worker or hardware value far beyond that value's share
 * of the test's executions, the worker is the cause, not the test. Numbers
 * in, numbers out; src/db/flakiness-cause.ts supplies the per-value sums.
 *
 * For a test, per dimension (WORKER, HARDWARE) and value v: E its evidence
 * executions, e of them on v, s = v's share of its executions. The share of
 * evidence on v is e/E and its lift (e/E)/s, as `failurePatterns` measures a
 * failure pattern's concentration. v is the cause when
 * - e/E ≥ minShare and the lift ≥ minLift, and
 * - the concentration is not chance: the binomial upper tail
 *   P(X ≥ e | X ~ Bin(E, s)) ≤ alpha for this test alone, or v is sick across
 *   the tests given (their evidence on v pooled: P(X ≥ Σe | Bin(ΣE, p̄)) ≤
 *   pooledAlpha with p̄ the evidence-weighted mean exposure, and a pooled lift
 *   ≥ minLift), which lets a test with one or two failures on a worker that
 *   fails everyone's tests be judged by the others' evidence.
 * Of several causes the least likely by chance (then the higher lift) wins.
 * The test's score, interval and class are then those of its executions on
 * every other value: they were free to flake, the ones on v were decided by v.
 * A test whose evidence does not concentrate on a sick value but has some
 * there keeps its own class and a null cause, and is scored without its
 * executions on that value too (left out by where it ran, not by how it
 * ended, so the estimate of its own rate stays unbiased).
 */
import type {
  FlakinessAggregates,
  FlakinessCause,
  FlakinessValuePool,
  FlakinessValueSums,
} from '../domain/flakiness.ts';
import { incompleteBeta } from './distributions.ts';

export interface CauseOptions {
  /** Least share of the test's evidence on the value. @default 0.5 */
  readonly minShare?: number;
  /** Least lift (share of evidence ÷ share of executions), per test and pooled. @default 2 */
  readonly minLift?: number;
  /** Per-test significance of the concentration (small: a test has many values to be concentrated on by chance). @default 0.001 */
  readonly alpha?: number;
  /** Significance of the pooled concentration over all the tests given. @default 0.001 */
  readonly pooledAlpha?: number;
  /** Executions back from the latest that count as recent (as in the definition). */
  readonly recent: number;
}

export interface CauseInput {
  readonly aggregates: FlakinessAggregates;
  /** The test's per-value sums where it has evidence, both dimensions, null values included. */
  readonly values: readonly FlakinessValueSums[];
}

export interface Attribution {
  /** Null when the test is its own cause and only executions on a sick value were left out. */
  readonly cause: FlakinessCause | null;
  /** The test's sums without its executions on the cause's value. */
  readonly aggregates: FlakinessAggregates;
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p) = I_p(k, n − k + 1) (regularized incomplete beta).
 * @example binomialUpperTail(2, 2, 0.5) // 0.25
 * @complexity O(1) (a continued fraction)
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n || p <= 0) return 0;
  if (p >= 1) return 1;
  return incompleteBeta(p, k, n - k + 1);
}

const DIMENSIONS = ['WORKER', 'HARDWARE'] as const;

interface Exposure {
  readonly v: FlakinessValueSums;
  readonly share: number;
  readonly E: number;
}

/** Per test and dimension: each non-null value with its share of the test's executions, and the test's evidence count. */
function exposures(
  values: readonly FlakinessValueSums[],
  dimension: FlakinessCause['dimension'],
): Exposure[] {
  return values
    .filter((v) => v.dimension === dimension && v.value !== null && v.testExecutions > 0)
    .map((v) => ({ v, share: v.executions / v.testExecutions, E: v.testEvidence }));
}

/**
 * Pools per-value rows (every value each test ran on, evidence or not) over
 * the tests, as src/db/flakiness-cause.ts does in SQL.
 * @complexity O(values)
 */
export function poolValues(values: readonly FlakinessValueSums[]): FlakinessValuePool[] {
  const pooled = new Map<
    string,
    {
      dimension: FlakinessCause['dimension'];
      value: string;
      evidence: number;
      expected: number;
      trials: number;
    }
  >();
  for (const v of values) {
    if (v.value === null || v.testEvidence === 0 || v.testExecutions === 0) continue;
    const key = `${v.dimension}\u0000${v.value}`;
    const acc = pooled.get(key) ?? {
      dimension: v.dimension,
      value: v.value,
      evidence: 0,
      expected: 0,
      trials: 0,
    };
    acc.evidence += v.evidence;
    acc.expected += (v.testEvidence * v.executions) / v.testExecutions;
    acc.trials += v.testEvidence;
    pooled.set(key, acc);
  }
  return [...pooled.values()];
}

/**
 * Finds each test's infrastructure cause, if any (see the top of this file).
 * @returns the tests with a cause or with evidence on a sick value, by test id
 * @throws RangeError on options out of range
 * @complexity O(values)
 */
export function attributeCauses(
  tests: readonly CauseInput[],
  pools: readonly FlakinessValuePool[],
  options: CauseOptions,
): Map<string, Attribution> {
  const { minShare = 0.5, minLift = 2, alpha = 0.001, pooledAlpha = 0.001, recent } = options;
  if (
    !(
      minShare > 0 &&
      minShare <= 1 &&
      minLift >= 1 &&
      alpha > 0 &&
      alpha < 1 &&
      pooledAlpha > 0 &&
      pooledAlpha < 1 &&
      recent >= 0
    )
  ) {
    throw new RangeError(
      'attributeCauses: need 0 < minShare ≤ 1, minLift ≥ 1, 0 < alpha, pooledAlpha < 1 and recent ≥ 0',
    );
  }
  // Pooled over the tests: evidence on each value against what the tests' exposures predict.
  const sick = new Set<string>();
  for (const { dimension, value, evidence, expected, trials } of pools) {
    if (
      trials > 0 &&
      expected > 0 &&
      evidence / expected >= minLift &&
      binomialUpperTail(evidence, trials, expected / trials) <= pooledAlpha
    )
      sick.add(`${dimension}\u0000${value}`);
  }

  const out = new Map<string, Attribution>();
  for (const t of tests) {
    let best: { x: Exposure; d: FlakinessCause['dimension']; p: number; lift: number } | null = null;
    for (const d of DIMENSIONS) {
      for (const x of exposures(t.values, d)) {
        if (x.E === 0 || x.v.evidence === 0) continue;
        const share = x.v.evidence / x.E;
        const lift = share / x.share;
        if (share < minShare || lift < minLift) continue;
        const p = binomialUpperTail(x.v.evidence, x.E, x.share);
        if (p > alpha && !sick.has(`${d}\u0000${x.v.value}`)) continue;
        if (!best || p < best.p || (p === best.p && lift > best.lift)) best = { x, d, p, lift };
      }
    }
    if (best) {
      out.set(t.aggregates.testId, {
        cause: { dimension: best.d, value: best.x.v.value!, share: best.x.v.evidence / best.x.E },
        aggregates: without(t, best.x.v, recent),
      });
      continue;
    }
    const onSick = t.values
      .filter((v) => v.evidence > 0 && v.value !== null && sick.has(`${v.dimension}\u0000${v.value}`))
      .sort((a, b) => b.evidence - a.evidence || (a.dimension === 'WORKER' ? -1 : 1))[0];
    if (onSick) out.set(t.aggregates.testId, { cause: null, aggregates: without(t, onSick, recent) });
  }
  return out;
}

/** The test's sums with its executions on `v` left out (weights of the others, evidence off v). */
function without(t: CauseInput, v: FlakinessValueSums, recent: number): FlakinessAggregates {
  const a = t.aggregates;
  const others = t.values.filter((x) => x.dimension === v.dimension && x.value !== v.value);
  const strongElsewhere = others.some((x) => x.strongAge !== null && x.strongAge <= recent);
  const runsElsewhere = new Set(others.flatMap((x) => x.transientRuns)).size;
  return {
    ...a,
    sumV: Math.max(0, a.sumV - v.sumV),
    sumV2: Math.max(0, a.sumV2 - v.sumV2),
    // No evidence off v is exactly none: the two sums of the same evidence may differ in their last bits.
    sumWF: v.evidence === v.testEvidence ? 0 : Math.max(0, a.sumWF - v.sumWF),
    recentStrongEvidence: a.recentStrongEvidence > 0 && strongElsewhere ? 1 : 0,
    recentTransientRuns: Math.min(a.recentTransientRuns, runsElsewhere),
  };
}
