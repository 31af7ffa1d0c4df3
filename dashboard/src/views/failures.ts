import { gql } from '../api.ts';
import { h, when } from '../dom.ts';
import {
  DashFailurePatternsDocument,
  DashPatternFingerprintsDocument,
  DashRecentRunsDocument,
  type DashFailurePatternsQuery,
  type DashRecentRunsQuery,
} from '../generated/graphql.ts';
import { empty, panel } from '../panel.ts';
import { href, slice, type Filters } from '../state.ts';
import { panels, type Ctx, type View } from '../view.ts';
import { badge, num, pct, testLink } from './common.ts';

/** Failure patterns with where they concentrate (worker, hardware, branch, suite, tag), and which are new since a run. */
export function failuresView(ctx: Ctx): View {
  const f = ctx.route.filters;
  const since = ctx.route.params.get('since') ?? '';

  const patterns = panel(
    'Failure patterns',
    async (body) => {
      const filter = slice(f, ctx.now());
      const [{ failurePatterns }, { runs }] = await Promise.all([
        gql(DashFailurePatternsDocument, { filter }),
        gql(DashRecentRunsDocument, {
          filter: {
            ...(f.project && { project: [f.project] }),
            ...(f.branch && { branch: [f.branch] }),
            from: filter.from ?? null,
          },
        }),
      ]);
      const sinceRun = runs.edges.map((e) => e.node).find((r) => r.id === since);
      // New since a run: seen in the slice, never before the run started.
      const before = sinceRun
        ? new Set(
            (
              await gql(DashPatternFingerprintsDocument, {
                filter: { ...filter, from: null, to: sinceRun.startedAt },
              })
            ).failurePatterns.map((p) => p.fingerprint),
          )
        : null;
      const picker = runPicker(f, runs.edges, since);
      body.append(h('label.inline', {}, h('span', {}, 'Mark patterns new since run '), picker));
      if (!failurePatterns.length) return void body.append(empty('No failure messages in this slice.'));
      const rows = [...failurePatterns].sort(
        (a, b) => Number(isNew(b.fingerprint)) - Number(isNew(a.fingerprint)),
      );
      function isNew(fp: string): boolean {
        return before !== null && !before.has(fp);
      }
      const maxDay = Math.max(1, ...rows.flatMap((p) => p.daily.map((d) => d.occurrences)));
      body.append(
        h(
          'div.patterns',
          {},
          rows.map((p) => patternCard(f, p, isNew(p.fingerprint), maxDay)),
        ),
      );
    },
    { wide: true, id: 'patterns' },
  );
  return panels(h('div.grid'), [patterns]);
}

type Pattern = DashFailurePatternsQuery['failurePatterns'][number];
type RunEdge = DashRecentRunsQuery['runs']['edges'][number];

/** The runs to mark patterns new since; choosing one navigates. */
function runPicker(f: Filters, runs: readonly RunEdge[], since: string): HTMLElement {
  return h(
    'select',
    {
      name: 'since',
      onchange: (e: Event) => {
        location.hash = href(f, 'failures', '', { since: (e.target as HTMLSelectElement).value });
      },
    },
    h('option', { value: '' }, '—'),
    runs.map(({ node: r }) =>
      h(
        'option',
        { value: r.id, selected: r.id === since },
        `${when(r.startedAt)} · ${r.project}/${r.branch ?? '–'} · ${r.id}`,
      ),
    ),
  );
}

/** One pattern: its count, tests, daily sparkline, text, first and last seen, where it concentrates, its tests. */
function patternCard(f: Filters, p: Pattern, isNew: boolean, maxDay: number): HTMLElement {
  return h(
    'article.pattern',
    { 'data-fingerprint': p.fingerprint },
    h(
      'div.pattern-head',
      {},
      h('strong.big', {}, num(p.occurrences)),
      h('span.muted', {}, ` failures · ${num(p.tests)} test${p.tests === 1 ? '' : 's'} `),
      isNew ? badge('NEW', 'b-new') : null,
      h(
        'span.spark',
        { title: 'occurrences per day' },
        p.daily.map((d) =>
          h('i', {
            style: `height:${Math.max(2, (d.occurrences / maxDay) * 28)}px`,
            title: `${d.day.slice(0, 10)}: ${d.occurrences}`,
          }),
        ),
      ),
    ),
    h('code.pattern-text', {}, p.pattern),
    h('div.muted.small', {}, `first ${when(p.firstSeen)} · last ${when(p.lastSeen)}`),
    p.correlations.length
      ? h(
          'div.correlations',
          {},
          p.correlations
            .slice(0, 4)
            .map((c) =>
              h(
                'span.corr',
                { title: `${pct(c.share)} of occurrences vs ${pct(c.baselineShare)} of the work` },
                h('b', {}, `${(c.dimension ?? c.tag ?? '').toString().toLowerCase()} ${c.value}`),
                ` ${pct(c.share, 0)} of them · ${c.lift.toFixed(1)}× its share`,
              ),
            ),
        )
      : h('div.muted.small', {}, 'Spread evenly: no worker, hardware, branch or suite stands out.'),
    h(
      'div.small',
      {},
      'Tests: ',
      p.affectedTests.map((t, i) => [i ? ', ' : '', testLink(f, t)]),
    ),
  );
}
