import {
  autoAnomalies, detectPeriod, multivariateAnomalies, robustAnomalies, seasonalAnomalies, severityOf, type AnomalyPoint,
} from '../src/analytics/anomaly/index.ts';
import type { Anomaly, AnomalyMethod, ExecutionVector } from '../src/domain/analytics-types.ts';
import { badInput } from '../src/domain/errors.ts';
import type { Deps } from '../src/domain/ports.ts';
import type { MetricsGroup } from '../src/domain/types.ts';
import { SEASON_CANDIDATES, seriesQuery, type SeriesArgs } from './series-args.ts';

export interface AnomalyArgs extends SeriesArgs {
  readonly method?: AnomalyMethod | null | undefined;
  readonly sensitivity?: number | null | undefined;
}

function toAnomaly(group: MetricsGroup, t: Date, p: AnomalyPoint, method: Exclude<AnomalyMethod, 'AUTO'>, sensitivity: number): Anomaly {
  return {
    group, t, value: p.value, expected: p.expected, lower: p.lower, upper: p.upper, score: p.score,
    severity: severityOf(p.score, sensitivity), direction: p.direction, method,
  };
}

/**
 * Columns of the multivariate detector: duration, then every named metric
 * that all of the group's results carry (a metric some results lack cannot
 * be compared across rows).
 */
function vectorRows(rows: readonly ExecutionVector[]): number[][] {
  const names = Object.keys(rows[0]?.metrics ?? {}).filter((n) => rows.every((r) => n in r.metrics)).sort();
  return rows.map((r) => [r.durationMs, ...names.map((n) => r.metrics[n]!)]);
}

/**
 * Points outside their expected band, per group, newest first. ROBUST:
 * trailing rolling median and MAD; SEASONAL: the rhythm removed by a robust
 * decomposition first; MULTIVARIATE: an isolation forest over each result's
 * duration and metrics (value and band are the duration's); AUTO: SEASONAL
 * when a daily/weekly rhythm is detected over at least 3 cycles, else ROBUST.
 */
export function anomalies(deps: Pick<Deps, 'store' | 'cache'>, args: AnomalyArgs): Promise<Anomaly[]> {
  const sensitivity = args.sensitivity ?? 3;
  if (!(sensitivity > 0 && sensitivity <= 100)) throw badInput(`sensitivity must be above 0 (robust standard deviations; 3 is usual), got ${sensitivity}`, { field: 'sensitivity' });
  const method = args.method ?? 'AUTO';
  const q = seriesQuery(args);
  const candidates = SEASON_CANDIDATES[q.bucket];
  if (method === 'SEASONAL' && !candidates.length) throw badInput('SEASONAL needs time buckets (bucket: HOUR or DAY, …) to find a rhythm in; use ROBUST with bucket NONE', { field: 'method' });
  return deps.cache.get('anomalies', { ...q, method, sensitivity }, async () => {
    const out: Anomaly[] = [];
    if (method === 'MULTIVARIATE') {
      for (const { group, rows } of await deps.store.executionVectors(q)) {
        for (const p of multivariateAnomalies(vectorRows(rows), { sensitivity })) out.push(toAnomaly(group, rows[p.index]!.t, p, 'MULTIVARIATE', sensitivity));
      }
    } else {
      for (const s of await deps.store.series(q)) {
        const y = s.points.map((p) => p.value);
        let used: 'ROBUST' | 'SEASONAL' = 'ROBUST';
        let points: AnomalyPoint[];
        if (method === 'ROBUST') points = robustAnomalies(y, { sensitivity });
        else if (method === 'SEASONAL') {
          used = 'SEASONAL';
          points = seasonalAnomalies(y, detectPeriod(y, candidates) ?? candidates[0]!, { sensitivity });
        } else {
          const auto = autoAnomalies(y, candidates, { sensitivity });
          used = auto.method;
          points = auto.points;
        }
        for (const p of points) out.push(toAnomaly(s.group, s.points[p.index]!.t, p, used, sensitivity));
      }
    }
    return out.sort((a, b) => b.t.getTime() - a.t.getTime() || b.score - a.score);
  });
}
