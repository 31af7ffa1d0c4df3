import { gql, GqlError } from '../api.ts';
import { chart, joinForecast, type Point } from '../chart.ts';
import { append, h, ago, type Child } from '../dom.ts';
import {
  DashAlertsDocument,
  DashDurationsDocument,
  DashFailingTestsDocument,
  DashFlakiestDocument,
  DashForecastDocument,
  DashTotalsDocument,
  DashTrendsDocument,
  type DashForecastQuery,
  type Granularity,
  type ResultFilter,
  type SeriesMeasure,
  type TrendLineFragment,
} from '../generated/graphql.ts';
import { throttledRefresh } from '../live.ts';
import { empty, panel, type Panel } from '../panel.ts';
import { bucketFor, href, rangeDays, slice, type Filters } from '../state.ts';
import { panels, shared, type Ctx, type View } from '../view.ts';
import { COLORS, alertSummary, badge, kpi, ms, num, pct, strip, table, testLink } from './common.ts';

interface Measure {
  readonly key: 'passRate' | 'executions' | 'flakyRate';
  readonly measure: SeriesMeasure;
  readonly title: string;
  readonly color: string;
  readonly format: (v: number) => string;
  readonly yRange?: readonly [number, number];
}

const MEASURES: readonly Measure[] = [
  {
    key: 'passRate',
    measure: 'PASS_RATE',
    title: 'Pass rate',
    color: COLORS.pass,
    format: (v) => pct(v, 1),
    yRange: [0.9, 1],
  },
  {
    key: 'executions',
    measure: 'EXECUTIONS',
    title: 'Executions',
    color: COLORS.line,
    format: (v) => num(v),
  },
  {
    key: 'flakyRate',
    measure: 'FLAKY_RATE',
    title: 'Flaky rate',
    color: COLORS.flaky,
    format: (v) => pct(v, 1),
    yRange: [0, 0.02],
  },
];

export function overview(ctx: Ctx): View {
  const f = ctx.route.filters;
  const filter = () => slice(f, ctx.now());
  const bucket = bucketFor(f);
  const horizon = bucket === 'HOUR' ? 24 : 7;
  const trends = shared(() => gql(DashTrendsDocument, { filter: filter(), bucket }));

  const totals = totalsPanel(filter);

  const charts = MEASURES.map((m) =>
    panel(
      m.title,
      async (body) => {
        const [t, fc] = await Promise.all([trends.get(), forecastOf(m.measure)]);
        const series = t[m.key][0];
        if (!series?.points.length) return void body.append(empty('No points in this slice.'));
        drawTrend(body, m, series, fc);
      },
      { id: `chart-${m.key}` },
    ),
  );

  async function forecastOf(measure: SeriesMeasure): Promise<DashForecastQuery['forecast'][number] | string> {
    try {
      const r = await gql(DashForecastDocument, { series: { measure }, filter: filter(), bucket, horizon });
      return r.forecast[0] ?? 'no forecast';
    } catch (e) {
      // Too short a history is an expected answer: the chart is drawn without a band.
      if (e instanceof GqlError) return e.messages[0] ?? 'no forecast';
      throw e;
    }
  }

  const durations = durationsPanel(filter, bucket);

  const alerts = panel(
    'Current alerts',
    async (body) => {
      const { alerts: a } = await gql(DashAlertsDocument, {
        filter: { resolved: false, ...(f.project && { project: [f.project] }) },
        first: 8,
      });
      if (!a.edges.length) return void body.append(empty('No open alerts.'));
      append(body, [
        h(
          'div.alert-list',
          {},
          a.edges.map((e) => alertSummary(e.node, f, ctx.now())),
        ),
        a.totalCount > a.edges.length
          ? h('p.muted', {}, `${a.totalCount - a.edges.length} more on the Alerts page.`)
          : null,
      ]);
    },
    { id: 'alerts' },
  );

  const broken = brokenPanel(f, filter, ctx.now);

  const flakiest = flakiestPanel(f, filter);

  // A burst of alerts costs one refetch of the panel (at most one a second).
  const alertsLive = throttledRefresh(() => alerts.refresh());
  return {
    ...panels(h('div.grid'), [totals, ...charts, durations, alerts, broken, flakiest], () => trends.reset()),
    onAlert: () => alertsLive.request(),
    dispose: () => alertsLive.cancel(),
  };
}

function drawTrend(
  body: HTMLElement,
  m: Measure,
  series: TrendLineFragment,
  fc: DashForecastQuery['forecast'][number] | string,
): void {
  const history = series.points.map((p) => ({ t: p.t, value: p.value }));
  const note: Child[] = [];
  let band;
  const lines = [{ label: m.title, color: m.color, points: history }];
  if (typeof fc === 'string') note.push(h('span.muted', {}, `No forecast: ${fc}`));
  else {
    // Rates live in [0, 1] and counts are never negative: the band is drawn within what can happen.
    const j = joinForecast(
      history,
      fc.points.map((p) => ({
        ...p,
        lower: Math.max(0, p.lower),
        upper: m.key === 'executions' ? p.upper : Math.min(1, p.upper),
      })),
    );
    lines.push({
      label: `Forecast (${fc.method.toLowerCase().replace('_', '-')})`,
      color: COLORS.forecast,
      points: j.value,
      dash: [6, 4],
    } as (typeof lines)[number]);
    band = { label: '95 %', lower: j.lower, upper: j.upper, color: COLORS.forecast };
  }
  const dir = series.direction;
  body.append(
    h(
      'div.chart-meta',
      {},
      badge(dir, `b-${dir.toLowerCase()}`),
      series.changePoints.length
        ? h(
            'span.muted',
            {},
            ` ${series.changePoints.length} change point${series.changePoints.length > 1 ? 's' : ''}`,
          )
        : null,
      note.length ? [' · ', note] : null,
    ),
  );
  const el = h('div.chart');
  body.append(el);
  chart(el, {
    lines,
    ...(band && { band }),
    format: m.format,
    ...(m.yRange && { yRange: m.yRange }),
    marks: series.changePoints.map((c) => ({ t: c.t, label: `${m.format(c.before)}→${m.format(c.after)}` })),
  });
}

/** The slice's totals: executions, pass and flaky rates, runs and tests. */
function totalsPanel(filter: () => ResultFilter): Panel {
  return panel(
    'This slice',
    async (body) => {
      const {
        metrics: [m],
      } = await gql(DashTotalsDocument, { filter: filter() });
      if (!m || !m.executions) return void body.append(empty('No executions in this slice yet.'));
      body.append(
        h(
          'div.kpis',
          {},
          kpi('Pass rate', pct(m.passRate), null, 'good'),
          kpi('Executions', num(m.executions)),
          kpi('Flaky rate', pct(m.flakyRate, 2), null, 'warn'),
          kpi('Fail rate', pct(m.failRate, 2), null, 'bad'),
          kpi('Duration p50', ms(m.p50)),
          kpi('Duration p95', ms(m.p95)),
        ),
      );
    },
    { wide: true, id: 'totals' },
  );
}

/** Durations per bucket: p50 and p95. */
function durationsPanel(filter: () => ResultFilter, bucket: Granularity): Panel {
  return panel(
    'Duration p50 and p95',
    async (body) => {
      const { metrics } = await gql(DashDurationsDocument, { filter: filter(), bucket });
      const pts = (pick: (r: (typeof metrics)[number]) => number | null): Point[] =>
        metrics.flatMap((r) => (r.bucket && pick(r) !== null ? [{ t: r.bucket, value: pick(r)! }] : []));
      if (!metrics.length) return void body.append(empty('No executions in this slice.'));
      const el = h('div.chart');
      body.append(el);
      chart(el, {
        lines: [
          { label: 'p50', color: COLORS.line, points: pts((r) => r.p50) },
          { label: 'p95', color: COLORS.p95, points: pts((r) => r.p95) },
        ],
        format: ms,
      });
    },
    { id: 'chart-duration' },
  );
}

/** Tests failing now, with when each last ran. */
function brokenPanel(f: Filters, filter: () => ResultFilter, now: () => number): Panel {
  return panel(
    'Failing now',
    async (body) => {
      const { tests } = await gql(DashFailingTestsDocument, { filter: filter() });
      // A test whose last execution failed; lowest pass rate first, so tests that broke outright lead.
      const failing = tests.edges
        .map((e) => e.node)
        .filter((t) => t.stats.lastStatus === 'FAILED' || t.stats.lastStatus === 'ERROR')
        .slice(0, 10);
      if (!failing.length) return void body.append(empty('Every test passed its last execution.'));
      body.append(
        table(
          ['Test', 'Pass rate', 'Last run'],
          failing.map((t) => [
            h('div', {}, testLink(f, t), h('div.muted.small', {}, `${t.project} · ${t.suite}`)),
            h('span.nowrap', {}, pct(t.stats.passRate), ' ', badge(t.stats.lastStatus ?? '')),
            ago(t.stats.lastRunAt, now()),
          ]),
        ),
      );
    },
    { id: 'failing' },
  );
}

/** The flakiest tests of the slice over its range. */
function flakiestPanel(f: Filters, filter: () => ResultFilter): Panel {
  return panel(
    'Flakiest tests',
    async (body) => {
      const { flakiness } = await gql(DashFlakiestDocument, { filter: filter(), days: rangeDays(f) });
      const top = flakiness.filter((e) => e.classification === 'FLAKY');
      if (!top.length) return void body.append(empty('No test flaked in this slice.'));
      body.append(
        table(
          ['Test', 'Score', 'Recent attempts'],
          top.map((e) => [
            h(
              'div',
              {},
              testLink(f, e.test),
              h('div.muted.small', {}, `${e.test.project} · ${e.test.suite}`),
            ),
            h('span.nowrap', { title: `95 % interval ${pct(e.lower)} … ${pct(e.upper)}` }, pct(e.score)),
            strip(e.test.history),
          ]),
        ),
        h('p.small', {}, h('a', { href: href(f, 'flaky') }, 'All flaky tests →')),
      );
    },
    { id: 'flakiest' },
  );
}
