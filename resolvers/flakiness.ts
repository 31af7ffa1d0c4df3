import { DEFAULT_EVIDENCE_OPTIONS, flakinessFromAggregates } from '../src/analytics/flakiness.ts';
import type { FlakinessEntry, FlakinessStore } from '../src/domain/flakiness.ts';
import type { TimeWindow } from '../src/domain/series.ts';
import { flakinessCauses } from './flaky-causes.ts';
import { pageSize } from './args.ts';
import { badInput } from '../src/domain/errors.ts';
import { asTestId } from '../src/domain/ids.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { ResultFilter } from '../src/domain/types.ts';

const DEFAULT_WINDOW_DAYS = 30;

const CLASS_ORDER = { FLAKY: 0, FAILING: 1, STABLE: 2, INSUFFICIENT_DATA: 3 } as const;

/** Tests whose per-value sums are read for a page of `first`: enough to refill the page several times over. */
const CAUSE_CANDIDATES = (first: number): number => Math.max(200, 4 * first);

export interface FlakinessArgs {
  readonly filter?: ResultFilter | null | undefined;
  readonly window?: TimeWindow | null | undefined;
  readonly minExecutions?: number | null | undefined;
  readonly first?: number | null | undefined;
}

/** The window's start: `now` minus days and hours (30 days when neither is given). */
function windowStart(window: TimeWindow | null | undefined, now: Date): Date {
  const days = window?.days ?? 0;
  const hours = window?.hours ?? 0;
  if (days < 0 || hours < 0 || !Number.isInteger(days) || !Number.isInteger(hours)) {
    throw badInput('window.days and window.hours must be whole numbers ≥ 0', { field: 'window' });
  }
  const ms = (days || hours ? days * 24 + hours : DEFAULT_WINDOW_DAYS * 24) * 3_600_000;
  return new Date(now.getTime() - ms);
}

/**
 * Tests of the slice ranked by flakiness score (the definition is in
 * src/analytics/flakiness.ts and the README): FLAKY first, then FAILING,
 * STABLE and INSUFFICIENT_DATA, each by score, highest first. A FLAKY test
 * whose evidence a worker or hardware value explains (src/analytics/
 * flaky-cause.ts) is scored and classed without the executions there and
 * carries that value as its cause.
 */
export function flakiness(
  deps: FeatureDeps<FlakinessStore, 'cache' | 'now'>,
  args: FlakinessArgs,
  now: Date = deps.now(),
): Promise<FlakinessEntry[]> {
  const first = pageSize(args.first, 50, 1);
  const minExecutions = args.minExecutions ?? 5;
  if (!Number.isInteger(minExecutions) || minExecutions < 1)
    throw badInput(`minExecutions must be a whole number ≥ 1 (got ${minExecutions})`, {
      field: 'minExecutions',
    });
  const start = windowStart(args.window, now);
  const from = args.filter?.from && args.filter.from > start ? args.filter.from : start;
  const filter: ResultFilter = { ...args.filter, from };
  // The window moves with the clock: key the cache on the hour, so a ranking is at most an hour stale between ingests.
  const hour = Math.floor(now.getTime() / 3_600_000);
  return deps.cache.get(
    'flakiness',
    {
      filter: { ...filter, from: args.filter?.from ?? null },
      window: args.window ?? null,
      minExecutions,
      first,
      hour,
    },
    async () => {
      const sums = await deps.store.flakinessAggregates(filter, DEFAULT_EVIDENCE_OPTIONS);
      const scored = sums
        .map((a) => ({ a, s: flakinessFromAggregates(a, { minExecutions }) }))
        .sort((x, y) => byRank(x.s, y.s, x.a.testId, y.a.testId));
      // Per-value sums only for the tests a worker or hardware value can move onto or off the page: the FLAKY tests
      // and those with evidence that could reach the page once some drop (leaving a value out only lowers a score,
      // nearly always), in rank order, at most CAUSE_CANDIDATES(first) of them, so the scan stays small.
      const flaky = scored.filter((x) => x.s.classification === 'FLAKY').length;
      const causes = await flakinessCauses(
        deps.store,
        filter,
        scored.slice(0, Math.min(flaky + first, CAUSE_CANDIDATES(first))).map((x) => x.a),
      );
      const entries: FlakinessEntry[] = scored.map(({ a, s }) => {
        const attributed = causes.get(a.testId);
        const own = attributed ? flakinessFromAggregates(attributed.aggregates, { minExecutions }) : s;
        return {
          testId: asTestId(a.testId),
          ...own,
          lastFlakeAt: a.lastFlakeAt,
          cause: attributed?.cause ?? null,
        };
      });
      entries.sort((a, b) => byRank(a, b, a.testId, b.testId));
      return entries.slice(0, first);
    },
  );
}

type Ranked = Pick<FlakinessEntry, 'classification' | 'score' | 'failures'>;

/** FLAKY first, then FAILING, STABLE and INSUFFICIENT_DATA, each by score, then failures, then id. */
const byRank = (a: Ranked, b: Ranked, idA: string, idB: string): number =>
  CLASS_ORDER[a.classification] - CLASS_ORDER[b.classification] ||
  b.score - a.score ||
  b.failures - a.failures ||
  (idA < idB ? -1 : 1);
