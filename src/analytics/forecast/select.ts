/**
 * AUTO's choice: the candidate with the lowest out-of-sample error over
 * rolling forecast origins, among those whose forecast stays near the data.
 */
import type { CandidateScore, ForecastFit } from './common.ts';
import { candidateSet, type Candidate, type Prepared } from './candidates.ts';
import { combinationName, combinePrepared } from './combine.ts';

/** At most this many forecast origins. */
const MAX_ORIGINS = 5;
/** A candidate is scored only when it can forecast from at least this many of them. */
const MIN_ORIGINS = 2;
/** Relative differences of error below this are ties, won by the simpler (earlier) candidate. */
const TIE = 1e-9;

/**
 * Forecast origins for cross-validation: the last `horizon` points held out
 * first, then origins `step` = ⌈horizon/2⌉ further back each, at most
 * {@link MAX_ORIGINS}, the test horizon capped at a quarter of the series.
 */
function rollingOrigins(
  n: number,
  horizon: number,
): { readonly origins: number[]; readonly horizon: number } {
  const h = Math.max(1, Math.min(horizon, Math.floor(n / 4)));
  const step = Math.ceil(h / 2);
  const origins: number[] = [];
  for (let i = 0; i < MAX_ORIGINS; i++) {
    const o = n - h - i * step;
    if (o < 3) break;
    origins.push(o);
  }
  return { origins, horizon: h };
}

/** The same candidate, remembering its forecasts (the combination asks for them again). */
function memoised(p: Prepared): Prepared {
  const paths = new Map<string, number[]>();
  return {
    pointsFrom: (count, horizon) => {
      const key = `${count}:${horizon}`;
      const hit = paths.get(key) ?? p.pointsFrom(count, horizon);
      paths.set(key, hit);
      return hit;
    },
    final: p.final,
  };
}

/** RMSE of the candidate's forecasts from each origin against what followed. */
function cvRmse(y: readonly number[], prepared: Prepared, origins: readonly number[], h: number): number {
  let sse = 0;
  let count = 0;
  for (const o of origins) {
    const points = prepared.pointsFrom(o, h);
    for (let i = 0; i < h && o + i < y.length; i++) {
      sse += (y[o + i]! - points[i]!) ** 2;
      count += 1;
    }
  }
  return Math.sqrt(sse / count);
}

/**
 * How far a forecast leaves the range the data has shown, beyond its own
 * interval width at that step; 0 when it stays within (a runaway trend shows here).
 */
function rangeExcess(y: readonly number[], fit: ForecastFit): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of y) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  let worst = 0;
  for (const p of fit.forecast) {
    const outside = Math.max(p.value - hi, lo - p.value, 0);
    worst = Math.max(worst, outside - (p.upper - p.lower));
  }
  return worst;
}

interface Scored {
  readonly candidate: Pick<Candidate, 'name'>;
  readonly index: number;
  readonly prepared: Prepared | null;
  readonly error: number | null;
}

/**
 * Rolling-origin cross-validation (Hyndman & Athanasopoulos, FPP3 §5.10;
 * Tashman 2000): each candidate is fitted once to the whole series, then its
 * states are run up to each origin and it forecasts the next h points from
 * there; the candidate with the lowest RMSE over all origins and steps wins.
 * The mean of the two best (see combine.ts) is scored the same way and
 * competes with them.
 * Candidates are compared on the same origins: those from which every
 * candidate that can reach {@link MIN_ORIGINS} of them can forecast. The winner
 * must pass the guard: no forecast step may leave the data's range by more
 * than that step's interval width; the next best is taken otherwise, and
 * seasonal naive (or simple exponential smoothing), which cannot run away,
 * when none passes. A series too short for any origin falls back to the
 * lowest AIC.
 *
 * @param seasons season lengths to consider (each gets its own candidates)
 * @complexity one fit per candidate plus O(origins · n) per candidate, one more fit for the winner
 */
export function selectForecast(
  y: readonly number[],
  horizon: number,
  confidence: number,
  seasons: readonly number[],
): ForecastFit {
  const n = y.length;
  const candidates = candidateSet(n, seasons);
  const { origins, horizon: h } = rollingOrigins(n, horizon);
  const reach = (c: Candidate): number => origins.filter((o) => o >= c.minimum).length;
  const floor = Math.max(
    0,
    ...candidates.filter((c) => reach(c) >= Math.min(MIN_ORIGINS, origins.length)).map((c) => c.minimum),
  );
  const common = origins.filter((o) => o >= floor);

  const scored: Scored[] = candidates.map((candidate, index) => {
    if (common.length === 0 || candidate.minimum > floor)
      return { candidate, index, prepared: null, error: null };
    const prepared = memoised(candidate.prepare(y));
    return { candidate, index, prepared, error: cvRmse(y, prepared, common, h) };
  });
  const rejected = new Map<string, string>();
  const score = (chosen: ForecastFit): ForecastFit => ({
    ...chosen,
    candidates: scored.map(
      (s): CandidateScore => ({
        name: s.candidate.name,
        cvRmse: s.error,
        rejected:
          rejected.get(s.candidate.name) ??
          (s.error === null ? 'history too short to test it from enough origins' : null),
      }),
    ),
  });

  const rank = (): Scored[] =>
    scored
      .filter((s) => s.error !== null)
      .sort((a, b) => {
        const d = a.error! - b.error!;
        return Math.abs(d) <= TIE * Math.max(a.error!, b.error!) ? a.index - b.index : d;
      });
  const [first, second] = rank();
  if (first && second) {
    const prepared = combinePrepared(y, memoised(first.prepared!), memoised(second.prepared!));
    const name = combinationName(first.candidate.name, second.candidate.name);
    scored.push({
      candidate: { name },
      index: scored.length,
      prepared,
      error: cvRmse(y, prepared, common, h),
    });
  }
  const ranked = rank();
  if (ranked.length === 0) {
    const fits = candidates
      .filter((c) => !c.name.startsWith('seasonal naive'))
      .map((c) => c.prepare(y).final(horizon, confidence));
    return score(fits.reduce((best, fit) => (fit.aic < best.aic - TIE ? fit : best)));
  }
  for (const s of ranked) {
    const fit = s.prepared!.final(horizon, confidence);
    const excess = rangeExcess(y, fit);
    if (excess <= 0) return score(fit);
    rejected.set(s.candidate.name, 'its forecast leaves the range of the data by more than its interval');
  }
  const safe =
    ranked.find((s) => s.candidate.name.startsWith('seasonal naive')) ??
    ranked.find((s) => s.candidate.name === 'simple exponential smoothing') ??
    ranked[0]!;
  return score(safe.prepared!.final(horizon, confidence));
}
