import { MAX_PAGE, checkRange } from './args.ts';
import { failurePatterns } from './failure-patterns.ts';
import { flakiness } from './flakiness.ts';
import { quarantinedInSlice } from './quarantine.ts';
import { trends } from './trends.ts';
import type { Report, ReportFormat, ReportStore } from '../src/domain/report.ts';
import { asRunId } from '../src/domain/ids.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import { REPORT_SCHEMA, type ReportData, type ReportTestRef } from '../src/domain/report.ts';
import type { Measure, ResultFilter, Test } from '../src/domain/types.ts';
import { renderReport } from '../src/report/render.ts';

/** Days a report covers when the slice gives no start. */
const REPORT_DAYS = 30;
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

const RAN: readonly Measure[] = [
  { kind: 'count', name: 'executions' },
  { kind: 'count', name: 'skipped' },
];
const FLAKY: Measure = { kind: 'count', name: 'flaky' };

const ref = (t: Test | undefined, id: string): ReportTestRef => ({
  id,
  suite: t?.suite ?? '',
  className: t?.className ?? null,
  name: t?.name ?? id,
});

/** The slice a report covers, and the instant its figures run up to. */
interface ReportSlice {
  readonly f: ResultFilter;
  readonly end: Date;
}

/**
 * The slice a report covers. A slice that says from when keeps it. One that
 * names runs or commits covers them whatever their age: it starts on the day
 * of their earliest execution. Any other slice covers REPORT_DAYS up to its
 * `to` (or now).
 */
async function reportSlice(
  store: ReportStore,
  filter: ResultFilter | null | undefined,
  now: Date,
): Promise<ReportSlice> {
  const end = filter?.to && filter.to < now ? filter.to : now;
  if (filter?.from) return { f: filter, end };
  if (filter?.runId?.length || filter?.commit?.length) {
    const [first] = await store.metrics({
      filter,
      groupBy: [],
      groupByTags: [],
      bucket: 'DAY',
      measures: [{ kind: 'count', name: 'executions' }],
      orderBy: { field: 'BUCKET', direction: 'ASC' },
      limit: 1,
    });
    // Nothing stored for those runs: the usual window, so the report is an honest empty one.
    if (first?.bucket) return { f: { ...filter, from: first.bucket }, end };
  }
  return { f: { ...filter, from: new Date(end.getTime() - REPORT_DAYS * 86_400_000) }, end };
}

/**
 * Gathers what a report shows of a slice (see reportSlice for its time
 * range): totals, the daily pass rate and its trend, the flakiest and
 * slowest tests, duration regressions (change points of each test's daily
 * median duration), new failures, failure patterns and open alerts. Every
 * part comes from the same queries the API answers.
 */
/** Unresolved alerts of the slice's projects in its range, read fresh: acknowledging one changes it without an ingest. */
async function openAlerts(store: ReportStore, f: ResultFilter): Promise<ReportData['alerts']> {
  const page = await store.alertsPage(
    { project: f.project, resolved: false, from: f.from, to: f.to },
    TOP,
    null,
  );
  return page.nodes.map(({ node: a }) => ({
    severity: a.severity,
    kind: a.kind,
    message: a.message,
    firedAt: a.firedAt,
    acknowledged: a.acknowledgedAt !== null,
  }));
}

async function collectReport(
  deps: FeatureDeps<ReportStore, 'cache' | 'now'>,
  filter: ResultFilter | null | undefined,
  now: Date = deps.now(),
): Promise<Omit<ReportData, 'alerts'>> {
  checkRange(filter);
  const { store } = deps;
  const { f, end } = await reportSlice(store, filter, now);
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
  const [totals, runs, tests, passTrend, daily, flaky, slow, durations, fresh, patterns] = await Promise.all([
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

  const flakiest = flaky.filter((e) => e.classification === 'FLAKY').slice(0, TOP);
  const regressions = durations
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
  const v = totals[0]?.values ?? {};
  const num = (k: string): number => v[k] ?? 0;
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
    summary: {
      runs,
      tests: tests.totalCount,
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
    },
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

/** The slice's quarantined tests (read fresh: quarantine changes without an ingest); undefined when none. */
async function quarantineSection(
  deps: FeatureDeps<ReportStore, 'now'>,
  f: ResultFilter,
  now: Date,
): Promise<ReportData['quarantined']> {
  const q = await quarantinedInSlice(deps, f, now);
  if (!q.entries.length) return undefined;
  const names = await deps.store.testsByIds(q.entries.map((e) => e.testId));
  const rows = await deps.store.metrics({
    filter: { ...f, testId: q.entries.map((e) => e.testId) },
    groupBy: ['TEST'],
    groupByTags: [],
    bucket: 'NONE',
    measures: RAN,
    orderBy: null,
    limit: q.entries.length,
  });
  const ran = new Map(
    rows.map((r) => [r.group.testId, (r.values['executions'] ?? 0) - (r.values['skipped'] ?? 0)]),
  );
  const failed = new Map(q.failing.map((x) => [x.testId, x.failures]));
  return {
    tests: q.entries.length,
    failures: q.failures,
    entries: q.entries
      .map((e) => ({
        ...ref(names.get(e.testId), e.testId),
        source: e.source,
        owner: e.owner,
        reason: e.reason,
        since: e.since,
        expiresAt: e.expiresAt,
        executions: ran.get(e.testId) ?? 0,
        failures: failed.get(e.testId) ?? 0,
      }))
      .sort((a, b) => b.failures - a.failures || (a.id < b.id ? -1 : 1)),
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
  const [alerts, quarantined] = await Promise.all([
    openAlerts(deps.store, slice),
    quarantineSection(deps, slice, now),
  ]);
  const data = quarantined
    ? {
        ...figures,
        newFailures: figures.newFailures.filter((n) => !quarantined.entries.some((e) => e.id === n.id)),
        alerts,
        quarantined,
      }
    : { ...figures, alerts };
  return { format, generatedAt: now, content: renderReport(data, format) };
}
