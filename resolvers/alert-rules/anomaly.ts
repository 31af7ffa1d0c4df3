import { anomalyEvents } from '../../src/analytics/anomaly/index.ts';
import { SEASON_CANDIDATES, seriesKind } from '../series-args.ts';
import { MINUTE, fmt, groupKey, type RuleEvaluator } from './shared.ts';

/** ANOMALY: A point the anomaly detector marks as the onset of an event. */
export const anomaly: RuleEvaluator = async ({
  store,
  rule,
  notice,
  groupBy,
  to,
  keys,
  scope,
  threshold,
  describe,
}) => {
  const kind = seriesKind(rule.series ?? {});
  const bucket = rule.windowMinutes >= 1440 ? 'DAY' : 'HOUR';
  const series = await store.series({
    filter: { ...scope, from: new Date(notice.at.getTime() - 14 * 1440 * MINUTE), to },
    groupBy,
    groupByTags: [],
    bucket,
    series: kind,
    stat: rule.series?.stat ?? 'AVG',
    limit: 200_000,
  });
  return series
    .filter((s) => keys.has(groupKey(s.group)))
    .map((s) => {
      // Fires on an event's onset only; clears once the event has closed (the series settled back).
      const { points, events } = anomalyEvents(
        s.points.map((p) => p.value),
        { sensitivity: threshold || 3, periods: SEASON_CANDIDATES[bucket] },
      );
      const newest = points.find((p) => p.index === s.points.length - 1 && p.onset);
      return {
        group: s.group,
        value: newest?.score ?? 0,
        fires: !!newest,
        clears: !events.at(-1)?.open,
        message: newest
          ? `${describe(s.group, notice.project)} is anomalous: ${fmt(newest.value)} against an expected ${fmt(newest.expected)} (score ${fmt(newest.score)})`
          : '',
      };
    });
};
