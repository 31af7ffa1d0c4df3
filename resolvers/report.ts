import { MAX_PAGE, checkRange } from './args.ts';
import { failurePatterns } from './failure-patterns.ts';
import { flakiness } from './flakiness.ts';
import { RAN, infraSection, openAlerts, quarantineSection, ref, reportSlice } from './report-sections.ts';
import { trends } from './trends.ts';
import type { Report, ReportFormat, ReportStore } from '../src/domain/report.ts';
import { asRunId } from '../src/domain/ids.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import { REPORT_SCHEMA, type ReportData } from '../src/domain/report.ts';
import type { Measure, MetricsGroup, ResultFilter, Test } from '../src/domain/types.ts';
import type { TestId } from '../src/domain/ids.ts';
import { renderReport } from '../src/report/render.ts';

/** Rows per list in a report. */
const TOP = 10;
/** Smallest rise of a test's daily median duration a report lists as a regression. */
const REGRESSION_RATIO = 1.2;

const MEASURES: readonly Measure[] = [
  ...(
    ['executions', 'passed', 'failed', 'errored', 'skipped', 'flaky', 'passRate', 'flakyRate'] as const
  ).map((name) => ({ kind: 'count', name }) as const),
  { kind: 'duration', stat: 'AVG' },
  { kind: 'duration', stat: 'P95' },
];

const FLAKY: Measure = { kind: 'count', name: 'flaky' };

/**
 * Gathers what a report shows of a slice (see reportSlice for its time
 * range): totals, the daily pass rate and its trend, the flakiest and
 * slowest tests, duration regressions (change points of each test's daily
 * median duration), new failures, failure patterns and open alerts. Every
 * part comes from the same queries the API answers.
 */
async function collectReport(
  deps: FeatureDeps<ReportStore, 'cache' | 'now'>,
  filter: ResultFilter | null | undefined,
  now: Date = deps.now(),
): Promise<Omit<ReportData, 'alerts'>> {
  checkRange(filter);
  const { store } = deps;
  const { f, end } = await reportSlice(store, filter, now);
  const from = f.from!;
  const figures = await readFigures(deps, f, end);
  const [totals, runs, tests, passTrend, daily, flaky, , durations, fresh] = figures;

  const flakiest = flaky.filter((e) => e.classification === 'FLAKY').slice(0, TOP);
  const regressions = regressionsOf(durations);

  const ids = [
    ...new Set([
      ...flakiest.map((e) => e.testId),
      ...regressions.map((r) => r.testId),
      ...fresh.map((n) => n.testId),
    ]),
  ];
  const [names, retried] = await Promise.all([
    store.testsByIds(ids),
    // Executions that passed on a retry, per flaky test: the same measure as the summary's `flaky`.
    flakiest.length
      ? store.metrics({
          filter: { ...f, testId: flakiest.map((e) => e.testId) },
          groupBy: ['TEST'],
          groupByTags: [],
          bucket: 'NONE',
          measures: [FLAKY],
          orderBy: null,
          limit: TOP,
        })
      : Promise.resolve([]),
  ]);
  const retryPasses = new Map(retried.map((r) => [r.group.testId, r.values['flaky'] ?? 0]));
  const ranByDay = new Map(
    daily.map((d) => [d.bucket?.getTime(), (d.values['executions'] ?? 0) - (d.values['skipped'] ?? 0)]),
  );
  const trend = passTrend[0];

  return {
    schema: REPORT_SCHEMA,
    generatedAt: now,
    slice: {
      project: f.project ?? [],
      branch: f.branch ?? [],
      commit: f.commit ?? [],
      from,
      to: f.to ?? null,
    },
    summary: summaryOf(totals[0]?.values ?? {}, runs, tests.totalCount, flaky),
    passRateTrend: {
      direction: trend?.direction ?? null,
      slopePerDay: trend?.slope ?? null,
      points:
        trend?.points.map((p) => ({
          t: p.t,
          value: p.value,
          executions: ranByDay.get(p.t.getTime()) ?? 0,
        })) ?? [],
      changePoints: trend?.changePoints ?? [],
    },
    ...testLists(figures, flakiest, regressions, names, retryPasses),
  };
}

/** Each test's largest rise of its daily median duration at a change point, when at least REGRESSION_RATIO; largest first. */
function regressionsOf(
  durations: readonly {
    group: MetricsGroup;
    changePoints: readonly { t: Date; before: number; after: number }[];
  }[],
): { testId: TestId; at: Date; beforeMs: number; afterMs: number; ratio: number }[] {
  return durations
    .flatMap((s) => {
      const rises = s.changePoints.filter((c) => c.before > 0 && c.after / c.before >= REGRESSION_RATIO);
      const top = rises.reduce<(typeof rises)[number] | null>(
        (best, c) => (!best || c.after / c.before > best.after / best.before ? c : best),
        null,
      );
      return top && s.group.testId
        ? [
            {
              testId: s.group.testId,
              at: top.t,
              beforeMs: top.before,
              afterMs: top.after,
              ratio: top.after / top.before,
            },
          ]
        : [];
    })
    .sort((a, b) => b.ratio - a.ratio || (a.testId < b.testId ? -1 : 1))
    .slice(0, TOP);
}

/** Every query a report's figures come from, at once. */
function readFigures(deps: FeatureDeps<ReportStore, 'cache' | 'now'>, f: ResultFilter, end: Date) {
  const { store } = deps;
  const from = f.from!;
  const inRange = (r: { readonly startedAt: Date }): boolean =>
    r.startedAt >= from && (!f.to || r.startedAt < f.to);
  // RunFilter has no run ids: a slice of named runs counts those of them that exist in its time range,
  // the same runs its executions come from.
  const countRuns = async (): Promise<number> =>
    f.runId?.length
      ? [...(await store.runsByIds(f.runId.map(asRunId))).values()].filter(inRange).length
      : (
          await store.runsPage(
            { project: f.project, branch: f.branch, commit: f.commit, from: f.from, to: f.to },
            1,
            null,
          )
        ).totalCount;
  return Promise.all([
    store.metrics({
      filter: f,
      groupBy: [],
      groupByTags: [],
      bucket: 'NONE',
      measures: MEASURES,
      orderBy: null,
      limit: 1,
    }),
    countRuns(),
    store.testsPage(f, 1, null, { field: 'NAME', direction: 'ASC' }),
    trends(deps, { series: { measure: 'PASS_RATE' }, filter: f, bucket: 'DAY' }),
    // What each day's pass rate stands on: executions that ran (the rate's denominator).
    store.metrics({
      filter: f,
      groupBy: [],
      groupByTags: [],
      bucket: 'DAY',
      measures: RAN,
      orderBy: null,
      limit: 10_000,
    }),
    flakiness(
      deps,
      {
        filter: f,
        window: { days: Math.max(1, Math.ceil((end.getTime() - from.getTime()) / 86_400_000)) },
        first: MAX_PAGE,
      },
      end,
    ),
    store.testsPage(f, TOP, null, { field: 'DURATION_P95', direction: 'DESC' }),
    trends(deps, {
      series: { measure: 'DURATION', stat: 'P50' },
      filter: f,
      groupBy: ['TEST'],
      bucket: 'DAY',
    }),
    store.newFailures(f, TOP),
    failurePatterns(deps, { filter: f, first: 5 }),
  ]);
}

type Figures = Awaited<ReturnType<typeof readFigures>>;

/** The report's totals from the slice's metrics row. */
function summaryOf(
  v: Readonly<Record<string, number | null>>,
  runs: number,
  tests: number,
  flaky: Figures[5],
): ReportData['summary'] {
  const num = (k: string): number => v[k] ?? 0;
  return {
    runs,
    tests,
    executions: num('executions'),
    passed: num('passed'),
    failed: num('failed'),
    errored: num('errored'),
    skipped: num('skipped'),
    flaky: num('flaky'),
    flakyTests: flaky.filter((e) => e.classification === 'FLAKY').length,
    passRate: v['passRate'] ?? null,
    flakyRate: v['flakyRate'] ?? null,
    durationAvgMs: v['duration:AVG'] ?? null,
    durationP95Ms: v['duration:P95'] ?? null,
  };
}

/** The report's lists of tests and patterns, named. */
function testLists(
  [, , , , , , slow, , fresh, patterns]: Figures,
  flakiest: Figures[5],
  regressions: ReturnType<typeof regressionsOf>,
  names: ReadonlyMap<string, Test>,
  retryPasses: ReadonlyMap<string | null | undefined, number>,
): Pick<
  ReportData,
  'flakiestTests' | 'slowestTests' | 'durationRegressions' | 'newFailures' | 'failurePatterns'
> {
  return {
    flakiestTests: flakiest.map((e) => ({
      ...ref(names.get(e.testId), e.testId),
      score: e.score,
      lower: e.lower,
      upper: e.upper,
      failures: e.failures,
      flakyExecutions: e.flakyExecutions,
      retryPasses: retryPasses.get(e.testId) ?? 0,
      executions: e.executions,
    })),
    slowestTests: slow.nodes.map(({ node: { test, stats } }) => ({
      ...ref(test, test.id),
      durationAvgMs: stats.durationAvg,
      durationP95Ms: stats.durationP95,
      executions: stats.executions,
    })),
    durationRegressions: regressions.map((r) => ({
      ...ref(names.get(r.testId), r.testId),
      at: r.at,
      beforeMs: r.beforeMs,
      afterMs: r.afterMs,
      ratio: r.ratio,
    })),
    newFailures: fresh.map((n) => ({
      ...ref(names.get(n.testId), n.testId),
      at: n.at,
      message: n.message,
      failures: n.failures,
    })),
    failurePatterns: patterns.map((p) => {
      const c = p.correlations[0];
      return {
        pattern: p.pattern,
        occurrences: p.occurrences,
        tests: p.tests,
        lastSeen: p.lastSeen,
        concentratedOn: c
          ? { on: c.tag ?? (c.dimension ?? '').toLowerCase(), value: c.value, share: c.share, lift: c.lift }
          : null,
      };
    }),
  };
}

/** A report of a slice in one format; cached by dataVersion (and the hour, as its window moves with the clock). */
/**
 * A report of a slice in one format. Its figures are cached by dataVersion
 * (and the hour, as its window moves with the clock); its open alerts are
 * read on every call.
 */
export async function report(
  deps: FeatureDeps<ReportStore, 'cache' | 'now'>,
  filter: ResultFilter | null | undefined,
  format: ReportFormat,
  now: Date = deps.now(),
): Promise<Report> {
  const hour = Math.floor(now.getTime() / 3_600_000);
  // Checked before anything starts, so a bad slice rejects once, not also inside the cache.
  checkRange(filter);
  const figures = await deps.cache.get('report', { filter: filter ?? null, hour }, () =>
    collectReport(deps, filter, now),
  );
  const slice = { ...filter, from: figures.slice.from, to: figures.slice.to };
  const [alerts, quarantined, infra] = await Promise.all([
    openAlerts(deps.store, slice, TOP),
    quarantineSection(deps, slice, now),
    infraSection(deps.store, slice, TOP),
  ]);
  const withInfra = infra ? { ...figures, infrastructureFailures: infra } : figures;
  const data = quarantined
    ? {
        ...withInfra,
        newFailures: figures.newFailures.filter((n) => !quarantined.entries.some((e) => e.id === n.id)),
        alerts,
        quarantined,
      }
    : { ...withInfra, alerts };
  return { format, generatedAt: now, content: renderReport(data, format) };
}
