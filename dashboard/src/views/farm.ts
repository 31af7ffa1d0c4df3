import { gql } from '../api.ts';
import { append, h, when } from '../dom.ts';
import { DashFarmDocument, DashPerformanceDocument, type DashFarmQuery } from '../generated/graphql.ts';
import { empty, panel, type Panel } from '../panel.ts';
import { href, slice, type Filters } from '../state.ts';
import { panels, shared, type Ctx, type View } from '../view.ts';
import { badge, kpi, ms, num, pct, table } from './common.ts';

type Breaker = DashFarmQuery['circuitBreakers'][number];
type Farm = { readonly get: () => Promise<DashFarmQuery> };

/** The test farm: worker load and fairness, circuit-breaker timelines, performance by hardware × model. */
export function farmView(ctx: Ctx): View {
  const f = ctx.route.filters;
  const metric = ctx.route.params.get('metric') ?? 'throughput';
  const farm = shared(() => gql(DashFarmDocument, { filter: slice(f, ctx.now(), { search: false }) }));

  const load = loadPanel(farm);

  const breakers = breakersPanel(farm, f, ctx.now);

  const perf = perfPanel(f, metric, ctx.now);

  return panels(h('div.grid'), [load, breakers, perf], () => farm.reset());
}

/** The breaker's states over [from, to] as coloured segments; the state before the first transition is its `from`. */
function timeline(b: Breaker, from: number, to: number): HTMLElement {
  const span = Math.max(1, to - from);
  const el = h('div.timeline');
  const ts = b.transitions;
  let state = ts[0]?.from ?? b.state;
  let at = from;
  const seg = (end: number): void => {
    const left = ((Math.max(at, from) - from) / span) * 100;
    const width = ((Math.min(end, to) - Math.max(at, from)) / span) * 100;
    if (width > 0)
      el.append(
        h('i', {
          class: `seg-${state.toLowerCase()}`,
          style: `left:${left}%;width:${width}%`,
          title: `${state} from ${when(new Date(Math.max(at, from)).toISOString())}`,
        }),
      );
  };
  for (const t of ts) {
    const x = Date.parse(t.at);
    seg(x);
    state = t.to;
    at = x;
  }
  seg(to);
  return el;
}

/** Worker load: fairness figures, each worker's share of busy time, and per hardware when there are several. */
function loadPanel(farm: Farm): Panel {
  return panel(
    'Worker load',
    async (body) => {
      const { workload: w } = await farm.get();
      if (!w.workers.length) return void body.append(empty('No attempts name a worker in this slice.'));
      const max = Math.max(...w.workers.map((x) => x.share));
      append(body, [
        h(
          'div.kpis',
          {},
          kpi("Jain's index", w.jainIndex?.toFixed(3) ?? '–', '1 is even'),
          kpi('Gini', w.gini?.toFixed(3) ?? '–', '0 is even'),
          kpi('Max / mean', w.maxToMeanRatio?.toFixed(2) ?? '–'),
          kpi('Workers', num(w.workers.length)),
        ),
        table(
          ['Worker', 'Share of busy time', 'Attempts', 'Busy', 'Fail rate'],
          w.workers.map((x) => [
            h('span.mono', {}, x.worker),
            h(
              'span.bar',
              {},
              h('i', { style: `width:${(x.share / max) * 100}%` }),
              h('em', {}, pct(x.share)),
            ),
            num(x.executions),
            ms(x.busyMs),
            h('span', { class: (x.failRate ?? 0) > 0.05 ? 'bad-text' : '' }, pct(x.failRate, 2)),
          ]),
          'compact',
        ),
        w.hardware.length > 1
          ? table(
              ['Hardware', 'Share', 'Jain', 'Fail rate'],
              w.hardware.map((x) => [
                x.hardware ?? '(none)',
                pct(x.share),
                x.jainIndex?.toFixed(3) ?? '–',
                pct(x.failRate, 2),
              ]),
              'compact',
            )
          : null,
      ]);
    },
    { id: 'workload' },
  );
}

/** Circuit breakers: each breaker's timeline over the slice's range. */
function breakersPanel(farm: Farm, f: Filters, now: () => number): Panel {
  return panel(
    'Circuit breakers',
    async (body) => {
      const { circuitBreakers } = await farm.get();
      if (!circuitBreakers.length) return void body.append(empty('No circuit-breaker events in this slice.'));
      const from = Date.parse(slice(f, now()).from ?? '');
      const to = now();
      body.append(
        h(
          'div.legend',
          {},
          badge('CLOSED', 'b-closed'),
          ' ',
          badge('HALF_OPEN', 'b-half_open'),
          ' ',
          badge('OPEN', 'b-open-state'),
        ),
        h(
          'div.breakers',
          {},
          circuitBreakers.map((b) =>
            h(
              'div.breaker',
              {},
              h(
                'div.breaker-name',
                {},
                h('span.mono', {}, b.name),
                ' ',
                badge(b.state, `b-${b.state.toLowerCase()}`),
                h(
                  'span.muted.small',
                  {},
                  ` ${b.trips} trip${b.trips === 1 ? '' : 's'} · open ${ms(b.timeOpenMs)} · recovery ${ms(b.meanRecoveryMs)}${b.failureRateClosed !== null ? ` · fail rate closed ${pct(b.failureRateClosed, 1)}, after recovery ${pct(b.failureRateAfterRecovery, 1)}` : ''}`,
                ),
              ),
              timeline(b, from, to),
            ),
          ),
        ),
      );
    },
    { id: 'breakers' },
  );
}

/** Performance of a metric (p50) by hardware × model, with a picker for the metric. */
function perfPanel(f: Filters, metric: string, now: () => number): Panel {
  return panel(
    `Performance: ${metric} (p50) by hardware × model`,
    async (body) => {
      const mIn = h('input', { name: 'metric', value: metric });
      body.append(
        h(
          'form.pickers',
          {
            onsubmit: (e: Event) => {
              e.preventDefault();
              location.hash = href(f, 'farm', '', { metric: mIn.value.trim() });
            },
          },
          h('label', {}, h('span', {}, 'Metric'), mIn),
          h('button', { type: 'submit' }, 'Show'),
        ),
      );
      const { performance: p } = await gql(DashPerformanceDocument, {
        filter: slice(f, now(), { search: false }),
        series: { metric, stat: 'P50' },
      });
      if (!p.combinations.length)
        return void body.append(empty(`No results carry the metric “${metric}” in this slice.`));
      const max = Math.max(...p.combinations.map((c) => c.value));
      body.append(
        h(
          'p.muted.small',
          {},
          p.higherIsBetter ? 'Higher is better; best first.' : 'Lower is better; best first.',
        ),
        table(
          ['Hardware', 'Model', metric, 'n'],
          p.combinations.map((c) => [
            c.group.hardware ?? '–',
            String((c.group.tags as Record<string, unknown> | null)?.['model'] ?? '–'),
            h(
              'span.bar',
              {},
              h('i', { style: `width:${(c.value / max) * 100}%` }),
              h('em', {}, num(c.value, 1)),
            ),
            num(c.n),
          ]),
          'compact',
        ),
        h('h3', {}, 'Effects against each dimension’s most common value'),
        table(
          ['Value', 'vs', 'Δ', '95 % interval', ''],
          p.effects
            .filter((e) => e.comparison)
            .map((e) => [
              `${(e.dimension ?? e.tag ?? '').toLowerCase()} ${e.value}`,
              e.reference,
              `${num(e.comparison!.delta, 1)}${e.comparison!.deltaPct !== null ? ` (${e.comparison!.deltaPct.toFixed(1)} %)` : ''}`,
              `${num(e.comparison!.lower, 1)} … ${num(e.comparison!.upper, 1)}`,
              e.comparison!.significant ? badge('SIGNIFICANT') : h('span.muted', {}, 'n.s.'),
            ]),
          'compact',
        ),
      );
    },
    { wide: true, id: 'performance' },
  );
}
