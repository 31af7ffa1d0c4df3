/**
 * Forecast accuracy against R on published series (../shared/reference/forecast,
 * see its SOURCES.md): our AUTO, additive Holt-Winters and damped Holt-Winters
 * fitted on the same training points as R, scored on the same held-out points,
 * next to every R method. Prints a Markdown table and writes bench/results/forecast.json.
 *
 *   node --import tsx bench/forecast.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ForecastFit } from '../src/analytics/forecast/common.ts';
import { etsForecast } from '../src/analytics/forecast/ets.ts';
import { forecast } from '../src/analytics/forecast/forecast.ts';
import { holtWinters } from '../src/analytics/forecast/holt-winters.ts';
import type { Figure } from './report.ts';

interface RMethod {
  readonly rmse: number;
  readonly mae: number;
  readonly coverage95?: number;
  readonly model?: string;
}
interface RSeries {
  readonly values: number[];
  readonly train: number;
  readonly horizon: number;
  readonly methods: Record<string, RMethod>;
}

export interface ForecastRow {
  readonly series: string;
  /** "ours: AUTO → damped Holt-Winters (12)" or the R method's name. */
  readonly method: string;
  readonly rmse: number;
  readonly coverage95: number | null;
  /** Milliseconds our fit took (null for R's). */
  readonly ms: number | null;
}

const REFERENCE = new URL('../../shared/reference/forecast/r_forecast.json', import.meta.url);
const RESULTS = new URL('./results/forecast.json', import.meta.url);
/** The bucket's natural periods for each series (the seasons SOURCES.md gives). */
const SEASONS: Readonly<Record<string, readonly number[]>> = { taylor: [48, 336] };
const MONTHLY = [12];

function score(fit: ForecastFit, held: readonly number[]): { rmse: number; coverage95: number } {
  let sse = 0;
  let inside = 0;
  held.forEach((v, i) => {
    const p = fit.forecast[i]!;
    sse += (v - p.value) ** 2;
    if (v >= p.lower && v <= p.upper) inside += 1;
  });
  return { rmse: Math.sqrt(sse / held.length), coverage95: inside / held.length };
}

const isNaive = (name: string): boolean => name.startsWith('seasonal naive') || name.startsWith('naive');

/**
 * 28 days of hourly points with a daily and a weekly rhythm, a slow drift and
 * seeded noise: the size of series AUTO meets most, for its timing only.
 */
function hourlySeries(): number[] {
  let state = 42;
  const noise = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296 - 0.5;
  };
  return Array.from(
    { length: 28 * 24 },
    (_, t) =>
      100 +
      0.01 * t +
      30 * Math.sin((2 * Math.PI * t) / 24) +
      (Math.floor(t / 24) % 7 >= 5 ? -40 : 0) +
      8 * noise(),
  );
}

/** Median wall time of `runs` calls, in ms. */
function timeOf(f: () => unknown, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export async function benchForecast(): Promise<{ rows: ForecastRow[]; figures: Figure[] }> {
  const reference = JSON.parse(readFileSync(REFERENCE, 'utf8')) as Record<string, RSeries>;
  const rows: ForecastRow[] = [];
  const figures: Figure[] = [];
  const hourly = hourlySeries();
  forecast(hourly, { horizon: 168, seasonCandidates: [24, 168] }); // warm-up: the first call also compiles
  const hourlyMs = timeOf(() => forecast(hourly, { horizon: 168, seasonCandidates: [24, 168] }));
  let atOrBelowBest = 0;
  let worstVsSnaive = 0;
  let inside = 0;
  let held = 0;
  for (const [name, s] of Object.entries(reference)) {
    const { auto, model, rBest, snaive, heldOut } = againstR(name, s, rows);
    if (auto.rmse <= rBest) atOrBelowBest += 1;
    worstVsSnaive = Math.max(worstVsSnaive, auto.rmse / snaive);
    inside += auto.coverage95! * heldOut;
    held += heldOut;
    figures.push({
      figure: `forecast ${name}: AUTO RMSE / R's best (naive aside)`,
      value: auto.rmse / rBest,
      unit: '',
      goal: { op: '<=', value: 1 },
      display: `${(auto.rmse / rBest).toFixed(3)} (${model}, ${auto.ms!.toFixed(0)} ms)`,
    });
  }
  const series = Object.keys(reference).length;
  figures.push(
    {
      figure: "forecast: series where AUTO is at or below R's best model (seasonal naive aside)",
      value: atOrBelowBest,
      unit: `of ${series}`,
      goal: { op: '>=', value: 3 },
    },
    {
      figure: 'forecast: worst AUTO RMSE / seasonal naive RMSE',
      value: worstVsSnaive,
      unit: '',
      goal: { op: '<=', value: 1.1 },
    },
    {
      figure: 'forecast: AUTO 95 % interval coverage of held-out points',
      value: inside / held,
      unit: '',
      goal: { op: '>=', value: 0.9 },
    },
    {
      figure: 'forecast: AUTO time, 28 days of hourly points (672), horizon 168',
      value: hourlyMs,
      unit: 'ms',
      goal: { op: '<=', value: 500 },
    },
  );
  const taylor = reference['taylor'];
  if (taylor) figures.push(taylorTime(taylor));
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify({ rows, figures }, null, 2)}\n`);
  return { rows, figures };
}

/**
 * One reference series: our AUTO and fixed models fitted on its training part and scored on the
 * held-out part, then R's methods, all appended to `rows`; with R's best RMSE (naive aside) and
 * seasonal naive's.
 */
function againstR(name: string, s: RSeries, rows: ForecastRow[]) {
  const train = s.values.slice(0, s.train);
  const heldOut = s.values.slice(s.train);
  const seasons = SEASONS[name] ?? MONTHLY;
  const timed = (label: string, f: () => ForecastFit): { fit: ForecastFit; row: ForecastRow } => {
    const t0 = performance.now();
    const fit = f();
    const ms = performance.now() - t0;
    const row = { series: name, method: label, ...score(fit, heldOut), ms };
    rows.push(row);
    return { fit, row };
  };
  const auto = timed('ours: AUTO', () => forecast(train, { horizon: s.horizon, seasonCandidates: seasons }));
  rows[rows.length - 1] = { ...auto.row, method: `ours: AUTO → ${auto.fit.model}` };
  for (const m of seasons) {
    timed(`ours: Holt-Winters (${m})`, () => holtWinters(train, s.horizon, 0.95, m));
    timed(`ours: damped Holt-Winters (${m})`, () =>
      etsForecast(train, { trend: 'Ad', season: m }, s.horizon, 0.95),
    );
  }
  for (const [method, r] of Object.entries(s.methods)) {
    rows.push({
      series: name,
      method: `R: ${method}${r.model ? ` ${r.model.trim()}` : ''}`,
      rmse: r.rmse,
      coverage95: r.coverage95 ?? null,
      ms: null,
    });
  }
  const rBest = Math.min(
    ...Object.entries(s.methods)
      .filter(([m]) => !isNaive(m))
      .map(([, r]) => r.rmse),
  );
  const snaive = Math.min(
    ...Object.entries(s.methods)
      .filter(([m]) => m.startsWith('seasonal naive'))
      .map(([, r]) => r.rmse),
  );
  return { auto: auto.row, model: auto.fit.model, rBest, snaive, heldOut: heldOut.length };
}

/** AUTO's time on the longest reference series (taylor, half-hourly). */
function taylorTime(taylor: RSeries): Figure {
  const train = taylor.values.slice(0, taylor.train);
  const ms = timeOf(() =>
    forecast(train, { horizon: taylor.horizon, seasonCandidates: SEASONS['taylor'] ?? [] }),
  );
  return {
    figure: `forecast: AUTO time, taylor (${train.length} points), horizon ${taylor.horizon}`,
    value: ms,
    unit: 'ms',
    goal: { op: '<=', value: 1000 },
  };
}

export function forecastTable(rows: readonly ForecastRow[]): string {
  const fmt = (v: number): string => (v >= 100 ? v.toFixed(1) : v >= 1 ? v.toFixed(3) : v.toFixed(4));
  const lines = ['| series | method | RMSE | 95 % coverage | ms |', '|---|---|---:|---:|---:|'];
  for (const r of rows) {
    lines.push(
      `| ${r.series} | ${r.method} | ${fmt(r.rmse)} | ${r.coverage95 === null ? '—' : r.coverage95.toFixed(3)} | ${r.ms === null ? '—' : r.ms.toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { rows, figures } = await benchForecast();
  console.log(forecastTable(rows));
  console.log();
  const { markdownTable } = await import('./report.ts');
  console.log(markdownTable(figures));
}
