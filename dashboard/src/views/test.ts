import { gql } from '../api.ts';
import { chart, type Point } from '../chart.ts';
import { h, ago, replace, when } from '../dom.ts';
import {
  DashTestDocument,
  DashTestDurationDocument,
  DashTestFailuresDocument,
  type DashTestQuery,
  type ResultFilter,
} from '../generated/graphql.ts';
import { empty, panel, type Panel } from '../panel.ts';
import { bucketFor, rangeDays, slice, type Filters } from '../state.ts';
import { panels, shared, type Ctx, type View } from '../view.ts';
import { COLORS, badge, kpi, ms, num, pct, strip, table } from './common.ts';

const HISTORY_ROWS = 25;

/** One test: its stats, history, duration trend with anomalies, and its failures by pattern. */
export function testView(ctx: Ctx): View {
  const f = ctx.route.filters;
  const id = ctx.route.arg;
  const last = Math.min(200, rangeDays(f) * 20);
  const detail = shared(() => gql(DashTestDocument, { id, last }));
  // The test's own slice: the time range only (its project and branch are the test's).
  const own = () => ({ ...slice({ ...f, project: '', q: '' }, ctx.now()), testId: [id] });
  let project = '';

  const head = panel(
    'Test',
    async (body) => {
      const { test: t } = await detail.get();
      project = t.project;
      document.title = `${t.name} · Assay`;
      body.append(
        h('h1.test-name', {}, t.name),
        h(
          'p.muted',
          {},
          `${t.project} · ${t.suite}${t.className ? ` · ${t.className}` : ''} · first seen ${when(t.firstSeenAt)}`,
        ),
        h(
          'div.kpis',
          {},
          kpi('Pass rate', pct(t.stats.passRate)),
          kpi('Flaky rate', pct(t.stats.flakyRate, 2)),
          kpi('Executions', num(t.stats.executions)),
          kpi('Duration avg', ms(t.stats.durationAvg)),
          kpi('Duration p95', ms(t.stats.durationP95)),
          kpi('Last status', t.stats.lastStatus ?? '–', ago(t.stats.lastRunAt, ctx.now())),
        ),
        h('div.strip-row', {}, h('span.muted.small', {}, 'Last attempts '), strip(t.history.slice(-60))),
      );
    },
    { wide: true, id: 'test-head' },
  );

  const duration = durationPanel(f, own);

  const failures = failuresPanel(own);

  const history = historyPanel(detail);

  return {
    ...panels(h('div.grid'), [head, duration, failures, history], () => detail.reset()),
    touches: (run) => !project || run.project === project,
  };
}

/** The test's p50 duration per bucket, its anomalies as dots and change points as marks, and the anomalies' table. */
function durationPanel(f: Filters, own: () => ResultFilter): Panel {
  return panel(
    'Duration (p50 per bucket) with anomalies',
    async (body) => {
      const { trends, anomalies } = await gql(DashTestDurationDocument, {
        filter: own(),
        bucket: bucketFor(f),
      });
      const series = trends[0];
      if (!series?.points.length) return void body.append(empty('No executions in this range.'));
      const el = h('div.chart');
      body.append(el);
      const anomalyPoints: Point[] = anomalies.map((a) => ({ t: a.t, value: a.value }));
      chart(el, {
        lines: [
          {
            label: 'p50',
            color: COLORS.line,
            points: series.points.map((p) => ({ t: p.t, value: p.value })),
          },
          { label: 'anomaly', color: COLORS.fail, points: anomalyPoints, dots: true },
        ],
        marks: series.changePoints.map((c) => ({ t: c.t, label: `${ms(c.before)}→${ms(c.after)}` })),
        format: ms,
      });
      if (anomalies.length) {
        body.append(
          table(
            ['When', 'Value', 'Expected (band)', 'Score', ''],
            anomalies
              .slice(0, 8)
              .map((a) => [
                when(a.t),
                ms(a.value),
                `${ms(a.expected)} (${ms(a.lower)} … ${ms(a.upper)})`,
                a.score.toFixed(1),
                badge(a.severity),
              ]),
            'compact',
          ),
        );
      }
    },
    { id: 'test-duration' },
  );
}

/** The test's failure messages grouped by pattern, with a sample of each. */
function failuresPanel(own: () => ResultFilter): Panel {
  return panel(
    'Failure messages by pattern',
    async (body) => {
      const { failurePatterns } = await gql(DashTestFailuresDocument, { filter: own() });
      if (!failurePatterns.length) return void body.append(empty('No failure messages in this range.'));
      body.append(
        h(
          'div.patterns',
          {},
          failurePatterns.map((p) =>
            h(
              'div.pattern',
              {},
              h('div', {}, h('strong', {}, `${num(p.occurrences)}×`), ' ', h('code', {}, p.pattern)),
              h(
                'div.muted.small',
                {},
                `${when(p.firstSeen)} … ${when(p.lastSeen)} · e.g. `,
                h('code', {}, p.sample),
              ),
            ),
          ),
        ),
      );
    },
    { id: 'test-failures' },
  );
}

/** The test's attempts, newest first: the first rows, and a button for the rest. */
function historyPanel(detail: { get: () => Promise<DashTestQuery> }): Panel {
  return panel(
    'History (newest first)',
    async (body) => {
      const { test: t } = await detail.get();
      if (!t.history.length) return void body.append(empty('No attempts.'));
      const rows = [...t.history]
        .reverse()
        .map((r) => [
          when(r.startedAt),
          badge(r.status),
          String(r.attempt),
          ms(r.durationMs),
          r.message ? h('span.message', { title: r.message }, r.message) : h('span.muted', {}, '–'),
          h('span.mono', {}, r.run.id),
          h('span.mono', {}, r.run.commit?.slice(0, 8) ?? '–'),
          r.worker ?? '–',
        ]);
      const head = ['Started', 'Status', 'Attempt', 'Duration', 'Message', 'Run', 'Commit', 'Worker'];
      const shown = h('div', {}, table(head, rows.slice(0, HISTORY_ROWS), 'history-table'));
      body.append(shown);
      if (rows.length > HISTORY_ROWS) {
        const more = h(
          'button.secondary',
          {
            type: 'button',
            onclick: () => {
              replace(shown, table(head, rows, 'history-table'));
              more.remove();
            },
          },
          `Show all ${rows.length} attempts`,
        );
        body.append(more);
      }
    },
    { wide: true, id: 'test-history' },
  );
}
