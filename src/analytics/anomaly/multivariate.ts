/**
 * Multivariate detector over each execution's duration and metrics: the
 * isolation-forest score, turned into robust SDs above the typical score.
 */
import { type IsolationForestOptions, isolationForest } from './isolation-forest.ts';
import { MAD_TO_SD, median, robustSd } from './robust-stats.ts';
import { type AnomalyPoint, checkSensitivity, DEFAULT_SENSITIVITY } from './types.ts';

export interface MultivariateOptions extends IsolationForestOptions {
  /** Threshold in robust SDs of the isolation-score distribution. @default 3 */
  readonly sensitivity?: number;
}

/** Fewer rows than this → [] (a robust threshold on the score distribution needs a few scores). */
const MIN_ROWS = 10;

/** ln s lives in (−∞, 0]; a spread below this means every row is alike. */
const MIN_SCORE_SPREAD = 1e-9;

/**
 * Rows whose isolation score stands out. Procedure: s = isolationForest(rows,
 * options); ℓ_i = ln s_i (= −ln 2·E[h(x_i)]/c(ψ), linear in the mean path
 * length); m = median(ℓ); d = 1.4826·median{ℓ_j − m : ℓ_j > m} (the MAD of the
 * upper half, read as a half-normal); score_i = (ℓ_i − m)/d, and a row is
 * flagged when score_i > sensitivity. Only HIGH scores count (a low one is a
 * typical row). So `score` is "how many robust SDs shorter than typical the
 * row's isolation path is".
 *
 * Why not (s − median)/(1.4826·MAD) on s itself: isolation scores are right-
 * skewed, and that flagged 0.8–7.5 % of clean Gaussian clouds (2–8 columns,
 * 500–2000 rows, 10 seeds each) at sensitivity 3. The log and the upper-half
 * MAD flag 0.04–0.8 % of them (1.1–1.3 % of lognormal clouds, whose long tails
 * iForest rightly isolates).
 *
 * value/expected/lower/upper/direction refer to the FIRST column (the
 * duration): expected = its median, band = expected ± sensitivity·robustSd of
 * that column, direction UP when value ≥ expected. The band is context for a
 * reader: a row can be flagged with a duration inside it (the unusual part is
 * elsewhere, or in the combination). Scale-invariant per column.
 * @throws RangeError as isolationForest, or sensitivity ≤ 0
 * @example multivariateAnomalies(executions.map((e) => [e.durationMs, e.cpuMs, e.memoryMb]))
 * @complexity as isolationForest
 */
export function multivariateAnomalies(
  rows: readonly (readonly number[])[],
  { sensitivity = DEFAULT_SENSITIVITY, ...forest }: MultivariateOptions = {},
): AnomalyPoint[] {
  checkSensitivity(sensitivity);
  const logScores = isolationForest(rows, forest).map(Math.log);
  if (rows.length < MIN_ROWS) return [];
  const m = median(logScores);
  const upperHalf = logScores.map((l) => l - m).filter((v) => v > 0);
  const d = upperHalf.length === 0 ? 0 : MAD_TO_SD * median(upperHalf);
  if (!(d > MIN_SCORE_SPREAD)) return [];
  const first = rows.map((r) => r[0]!);
  const expected = median(first);
  const half = sensitivity * robustSd(first);
  const out: AnomalyPoint[] = [];
  logScores.forEach((l, index) => {
    const score = (l - m) / d;
    if (!(score > sensitivity)) return;
    const value = first[index]!;
    out.push({
      index,
      value,
      expected,
      lower: expected - half,
      upper: expected + half,
      score,
      direction: value >= expected ? 'UP' : 'DOWN',
    });
  });
  return out;
}
