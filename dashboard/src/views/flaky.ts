import { gql } from '../api.ts';
import { h, ago } from '../dom.ts';
import { DashFlakyDocument } from '../generated/graphql.ts';
import { empty, panel } from '../panel.ts';
import { rangeDays, slice } from '../state.ts';
import { panels, type Ctx, type View } from '../view.ts';
import { badge, num, pct, strip, table, testLink } from './common.ts';

/** The flakiness ranking: score with its Wilson interval, class and cause (the test, or a worker or hardware value), evidence, each test's recent attempts. */
export function flaky(ctx: Ctx): View {
  const f = ctx.route.filters;
  const ranking = panel(
    'Flaky tests, most flaky first',
    async (body) => {
      const { flakiness } = await gql(DashFlakyDocument, { filter: slice(f, ctx.now()), days: rangeDays(f) });
      // A test whose flakiness belongs to a worker or hardware value is listed (with its cause) only if it still flakes without it.
      const rows = flakiness.filter((e) => e.classification !== 'STABLE' || e.score > 0);
      if (!rows.length) return void body.append(empty('No test flaked in this slice.'));
      const max = Math.max(...rows.map((e) => e.upper), 0.01);
      body.append(
        table(
          ['Test', 'Score (95 % interval)', 'Class and cause', 'Evidence', 'Recent attempts'],
          rows.map((e) => [
            h(
              'div',
              {},
              testLink(f, e.test),
              h('div.muted.small', {}, `${e.test.project} · ${e.test.suite}`),
            ),
            h(
              'div.score',
              {},
              h('span.score-value', {}, pct(e.score)),
              // The interval as a bar: the score's dot on its Wilson interval, on one scale for the table.
              h(
                'span.interval',
                { title: `${pct(e.lower)} … ${pct(e.upper)}` },
                h('i.range', {
                  style: `left:${(e.lower / max) * 100}%;width:${((e.upper - e.lower) / max) * 100}%`,
                }),
                h('i.dot', { style: `left:${(e.score / max) * 100}%` }),
              ),
              h('div.muted.small', {}, `${pct(e.lower)} … ${pct(e.upper)}`),
            ),
            h(
              'div',
              {},
              badge(e.classification),
              e.cause
                ? h(
                    'div.muted.small',
                    {
                      title: 'flaky evidence concentrated on this value, far beyond its share of executions',
                    },
                    `${pct(e.cause.share)} on ${e.cause.dimension.toLowerCase()} ${e.cause.value}`,
                  )
                : null,
            ),
            h(
              'div.small',
              {},
              `${num(e.flakyExecutions)} flaky, ${num(e.failures)} failed of ${num(e.executions)}`,
              h(
                'div.muted',
                {},
                `flip rate ${pct(e.flipRate)} · ${num(e.inconsistentCommits)} mixed commits`,
              ),
              e.lastFlakeAt ? h('div.muted', {}, `last flake ${ago(e.lastFlakeAt, ctx.now())}`) : null,
            ),
            strip(e.test.history),
          ]),
          'flaky-table',
        ),
      );
    },
    { wide: true, id: 'flaky' },
  );
  return panels(h('div.grid'), [ranking]);
}
