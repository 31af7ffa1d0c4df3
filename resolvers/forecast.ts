import {
  forecast as fit,
  InsufficientDataError,
  SeasonNotFoundError,
} from '../src/analytics/forecast/index.ts';
import type { Forecast, ForecastMethod } from '../src/domain/forecast.ts';
import { AssayError, badInput } from '../src/domain/errors.ts';
import type { SeriesStore } from '../src/domain/series.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { Granularity } from '../src/domain/types.ts';
import { addBuckets, readSeries, SEASON_CANDIDATES, seriesQuery, type SeriesArgs } from './series-args.ts';

export interface ForecastArgs extends SeriesArgs {
  readonly horizon: number;
  readonly confidence?: number | null | undefined;
  readonly method?: ForecastMethod | null | undefined;
  readonly seasonLength?: number | null | undefined;
}

/** Longest bucket grid a gap-filled series may span, in points. */
const MAX_GRID = 20_000;

/**
 * Puts a bucketed series on its full grid of buckets: the models assume equal
 * spacing, so a bucket without data (a quiet weekend day) gets the value
 * linearly interpolated between its neighbours rather than being closed up.
 */
function fillGaps(
  points: readonly { t: Date; value: number }[],
  bucket: Exclude<Granularity, 'NONE'>,
): { t: Date; value: number }[] {
  const out: { t: Date; value: number }[] = [];
  for (const [i, p] of points.entries()) {
    const next = points[i + 1];
    out.push(p);
    if (!next) break;
    for (let k = 1; out.length < MAX_GRID; k++) {
      const t = addBuckets(p.t, k, bucket);
      if (t >= next.t) break;
      const f = (t.getTime() - p.t.getTime()) / (next.t.getTime() - p.t.getTime());
      out.push({ t, value: p.value + f * (next.value - p.value) });
    }
  }
  return out;
}

/**
 * A forecast per group (AUTO: the model with the lowest rolling-origin error
 * among those for the bucket's natural periods and the detected season), with
 * prediction intervals at `confidence`. Groups with too little history
 * are left out; when no group has enough, the answer is INSUFFICIENT_DATA.
 */
export function forecast(deps: FeatureDeps<SeriesStore, 'cache'>, args: ForecastArgs): Promise<Forecast[]> {
  const { horizon } = args;
  const confidence = args.confidence ?? 0.95;
  const method = args.method ?? 'AUTO';
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 1000)
    throw badInput(`horizon must be a whole number of buckets from 1 to 1000 (got ${horizon})`, {
      field: 'horizon',
    });
  if (!(confidence > 0 && confidence < 1))
    throw badInput(`confidence must be between 0 and 1 (got ${confidence}), e.g. 0.95`, {
      field: 'confidence',
    });
  if (method === 'COMBINATION')
    throw badInput(
      'COMBINATION is what AUTO answers when the mean of its two best models forecasts best; request method: AUTO',
      { field: 'method' },
    );
  const seasonLength = args.seasonLength ?? null;
  if (seasonLength !== null && (!Number.isInteger(seasonLength) || seasonLength < 2))
    throw badInput(
      `seasonLength must be a whole number of buckets ≥ 2 (got ${seasonLength}), e.g. 7 for a weekly rhythm in days`,
      { field: 'seasonLength' },
    );
  const q = seriesQuery(args);
  const { bucket } = q;
  if (bucket === 'NONE')
    throw badInput('forecast needs time buckets: pass bucket: HOUR, DAY, WEEK or MONTH', { field: 'bucket' });
  return deps.cache.get('forecast', { ...q, horizon, confidence, method, seasonLength }, async () => {
    const out: Forecast[] = [];
    let shortest: InsufficientDataError | null = null;
    for (const s of await readSeries(deps, q)) {
      const grid = fillGaps(s.points, bucket);
      try {
        const f = fit(
          grid.map((p) => p.value),
          { horizon, confidence, method, seasonLength, seasonCandidates: SEASON_CANDIDATES[bucket] },
        );
        const last = grid.at(-1)!.t;
        out.push({
          group: s.group,
          method: f.method,
          seasonLength: f.seasonLength,
          model: f.model,
          seasonLengths: f.seasonLengths,
          candidates: f.candidates.map((c) => ({
            ...c,
            cvRmse: c.cvRmse !== null && Number.isFinite(c.cvRmse) ? c.cvRmse : null,
          })),
          points: f.forecast.map((p, k) => ({ t: addBuckets(last, k + 1, bucket), ...p })),
          fitted: f.fitted.flatMap((v, i) => (Number.isFinite(v) ? [{ t: grid[i]!.t, value: v }] : [])),
          rmse: Number.isFinite(f.rmse) ? f.rmse : null,
        });
      } catch (err) {
        if (err instanceof InsufficientDataError) shortest = err;
        else if (err instanceof SeasonNotFoundError)
          throw badInput(
            `${err.message}. Pass seasonLength (e.g. 7 for a weekly rhythm in days), or method: AUTO`,
            { field: 'seasonLength' },
          );
        else throw err;
      }
    }
    if (!out.length) {
      const minimum = shortest?.minimum ?? 3;
      throw new AssayError(
        'INSUFFICIENT_DATA',
        `${shortest ? shortest.message : `the slice has no points to forecast from (at least ${minimum} buckets are needed)`}. Widen the filter's time range or use a smaller bucket.`,
        { minimum },
      );
    }
    return out;
  });
}
