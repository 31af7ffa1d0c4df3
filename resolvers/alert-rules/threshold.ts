import type { Measure } from '../../src/domain/types.ts';
import { seriesKind } from '../series-args.ts';
import type { RuleEvaluator } from './shared.ts';

/** THRESHOLD: A measure against a fixed threshold over the window. */
export const threshold: RuleEvaluator = async ({ rule, from, to, viaMetrics }) => {
  const kind = seriesKind(rule.series ?? {});
  const stat = rule.series?.stat ?? 'AVG';
  const measure: Measure =
    'metric' in kind
      ? { kind: 'metric', name: kind.metric, stat }
      : kind.measure === 'DURATION'
        ? { kind: 'duration', stat }
        : {
            kind: 'count',
            name: (
              {
                PASS_RATE: 'passRate',
                FAIL_RATE: 'failRate',
                FLAKY_RATE: 'flakyRate',
                EXECUTIONS: 'executions',
              } as const
            )[kind.measure],
          };
  const label =
    'metric' in kind ? `${kind.metric} ${stat.toLowerCase()}` : kind.measure.toLowerCase().replace('_', ' ');
  return viaMetrics(measure, label, { from, to });
};
