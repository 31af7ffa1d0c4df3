import { gql } from '../api.ts';
import { append, h, when, type Child } from '../dom.ts';
import {
  DashCompareDocument,
  DashCompareRunsDocument,
  DashRecentRunsDocument,
  type DashCompareRunsQuery,
  type DashRecentRunsQuery,
  type Dimension,
} from '../generated/graphql.ts';
import { empty, panel, type Panel } from '../panel.ts';
import { href, slice, type Filters } from '../state.ts';
import { panels, type Ctx, type View } from '../view.ts';
import { badge, ms, num, pct, table, testLink } from './common.ts';

const SECTION_ROWS = 12;
const DIMENSIONS: readonly Dimension[] = ['BRANCH', 'COMMIT', 'HARDWARE', 'WORKER'];

type Run = DashRecentRunsQuery['runs']['edges'][number]['node'];

/** Two runs test by test (compareRuns), and two branches' durations by a two-sample test (compare). */
export function compareView(ctx: Ctx): View {
  const f = ctx.route.filters;
  const p = ctx.route.params;
  const base = p.get('base') ?? '';
  const head = p.get('head') ?? '';
  const a = p.get('a') ?? 'main';
  const b = p.get('b') ?? '';
  const dim = DIMENSIONS.find((d) => d === p.get('dim')) ?? 'BRANCH';
  const go = (patch: Record<string, string>): void => {
    location.hash = href(f, 'compare', '', { base, head, a, b, dim, ...patch });
  };

  const runs = runsPanel(f, ctx.now, base, head, go);

  const branches = panel(
    'Two branches, commits or pools: duration',
    async (body) => {
      const dimIn = h(
        'select',
        { name: 'dim' },
        DIMENSIONS.map((d) => h('option', { value: d, selected: d === dim }, d.toLowerCase())),
      );
      const aIn = h('input', { name: 'a', value: a, placeholder: 'baseline, e.g. main' });
      const bIn = h('input', { name: 'b', value: b, placeholder: 'candidate' });
      body.append(
        h(
          'form.pickers',
          {
            onsubmit: (e: Event) => {
              e.preventDefault();
              go({ dim: dimIn.value, a: aIn.value.trim(), b: bIn.value.trim() });
            },
          },
          h('label', {}, h('span', {}, 'By'), dimIn),
          h('label', {}, h('span', {}, 'Baseline'), aIn),
          h('label', {}, h('span', {}, 'Candidate'), bIn),
          h('button', { type: 'submit' }, 'Compare'),
        ),
      );
      if (!a || !b) return void body.append(empty('Name two values to compare.'));
      // The compared dimension is the comparison itself, so the filters' own value for it is left out.
      const { branch: _b, ...rest } = slice(f, ctx.now());
      const filter = dim === 'BRANCH' ? rest : slice(f, ctx.now());
      const { compare: c } = await gql(DashCompareDocument, {
        series: { measure: 'DURATION', stat: 'AVG' },
        filter,
        dimension: dim,
        baseline: a,
        candidate: b,
      });
      body.append(
        h(
          'p.verdict',
          { class: c.significant ? 'bad' : 'good' },
          c.significant
            ? `${b} differs from ${a}: ${c.delta > 0 ? 'slower' : 'faster'} by ${ms(Math.abs(c.delta))}${c.deltaPct !== null ? ` (${c.deltaPct.toFixed(1)} %)` : ''}, p = ${c.pValue.toPrecision(2)}.`
            : `No significant difference between ${b} and ${a} (p = ${c.pValue.toPrecision(2)}).`,
        ),
        table(
          ['', 'n', 'median', 'mean', 'sd'],
          [c.baseline, c.candidate].map((s) => [s.value, num(s.n), ms(s.median), ms(s.mean), ms(s.stdDev)]),
          'compact',
        ),
        h(
          'p.muted.small',
          {},
          `${c.method === 'MANN_WHITNEY' ? 'Mann–Whitney U, Hodges–Lehmann shift' : 'Welch t'}; 95 % interval of the difference: ${ms(c.lower)} … ${ms(c.upper)}.`,
        ),
        badge(c.significant ? 'SIGNIFICANT' : 'NOT_SIGNIFICANT'),
      );
    },
    { id: 'compare-values' },
  );

  return panels(h('div.grid'), [runs, branches]);
}

const label = (r: Run): string =>
  `${when(r.startedAt)} · ${r.project}/${r.branch ?? '–'} · ${r.commit?.slice(0, 7) ?? ''} · ${pct(r.passRate, 0)}`;

/** The two runs compared: pass rates and counts, then each kind of change with its tests. */
function runComparison(f: Filters, c: DashCompareRunsQuery['compareRuns']): Child[] {
  const kpis = h(
    'div.kpis',
    {},
    h(
      'div.kpi',
      {},
      h('div.kpi-label', {}, 'Pass rate'),
      h('div.kpi-value', {}, `${pct(c.base.passRate)} → ${pct(c.head.passRate)}`),
    ),
    h(
      'div.kpi.bad',
      {},
      h('div.kpi-label', {}, 'New failures'),
      h('div.kpi-value', {}, num(c.newFailures.length)),
    ),
    h('div.kpi.good', {}, h('div.kpi-label', {}, 'Fixed'), h('div.kpi-value', {}, num(c.fixed.length))),
    h(
      'div.kpi',
      {},
      h('div.kpi-label', {}, 'Still failing'),
      h('div.kpi-value', {}, num(c.stillFailing.length)),
    ),
    h(
      'div.kpi.warn',
      {},
      h('div.kpi-label', {}, 'Slower'),
      h('div.kpi-value', {}, num(c.durationRegressions.length)),
    ),
  );
  const section = (title: string, rows: readonly Child[][]): Child =>
    rows.length
      ? [
          h('h3', {}, `${title} (${rows.length})`),
          table(['Test', ''], rows.slice(0, SECTION_ROWS), 'compact'),
          rows.length > SECTION_ROWS
            ? h('p.muted.small', {}, `and ${rows.length - SECTION_ROWS} more`)
            : null,
        ]
      : null;
  return [
    kpis,
    section(
      'New failures',
      c.newFailures.map((x) => [testLink(f, x.test), h('span.message', {}, x.message ?? '')]),
    ),
    section(
      'Fixed',
      c.fixed.map((x) => [testLink(f, x.test), '']),
    ),
    section(
      'Still failing',
      c.stillFailing.map((x) => [testLink(f, x.test), h('span.message', {}, x.message ?? '')]),
    ),
    section(
      'Slower',
      c.durationRegressions.map((x) => [
        testLink(f, x.test),
        `${ms(x.baseMs)} → ${ms(x.headMs)} (${x.ratio.toFixed(2)}×${x.significant === null ? ', by ratio' : x.significant ? `, p = ${x.pValue?.toPrecision(2)}` : ''})`,
      ]),
    ),
    section(
      'New tests',
      c.newTests.map((t) => [testLink(f, t), '']),
    ),
    section(
      'Removed tests',
      c.removedTests.map((t) => [t.name, '']),
    ),
  ];
}

/** Two runs test by test: pickers for the base and head runs, then what changed between them. */
function runsPanel(
  f: Filters,
  now: () => number,
  base: string,
  head: string,
  go: (patch: Record<string, string>) => void,
): Panel {
  return panel(
    'Two runs',
    async (body) => {
      const { runs: r } = await gql(DashRecentRunsDocument, {
        filter: {
          ...(f.project && { project: [f.project] }),
          ...(f.branch && { branch: [f.branch] }),
          from: slice(f, now()).from ?? null,
        },
      });
      const list = r.edges.map((e) => e.node);
      const pick = (name: 'base' | 'head', value: string): HTMLElement =>
        h(
          'label',
          {},
          h('span', {}, name === 'base' ? 'Base run' : 'Head run'),
          h(
            'select',
            { name, onchange: (e: Event) => go({ [name]: (e.target as HTMLSelectElement).value }) },
            h('option', { value: '' }, '— choose —'),
            list.map((x) => h('option', { value: x.id, selected: x.id === value }, label(x))),
          ),
        );
      body.append(h('div.pickers', {}, pick('base', base), pick('head', head)));
      if (!base || !head)
        return void body.append(empty(list.length ? 'Choose two runs.' : 'No runs in this slice.'));
      const { compareRuns: c } = await gql(DashCompareRunsDocument, { base, head });
      append(body, runComparison(f, c));
    },
    { wide: true, id: 'compare-runs' },
  );
}
