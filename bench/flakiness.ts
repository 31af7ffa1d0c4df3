/**
 * How right the flakiness score is: simulated histories with known flake
 * rates (bench/flakiness-sim.ts: the reference set's rates, fragile, stable
 * and broken tests, retry-style and same-commit-rerun-style projects, a sick
 * worker) go through the real ingest into an in-memory app, and the real
 * `flakiness` query ranks them. Reports the mean absolute error between score
 * and true rate, Spearman's rank correlation, the AUC of flaky (rate ≥ 2 %)
 * against stable and broken tests, and the intervals' coverage.
 *
 *   node --import tsx bench/flakiness.ts
 *
 * prints Markdown and writes bench/results/flakiness.json. Not a test: no
 * figure is asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateIngest } from '../src/domain/ingest-batch.ts';
import { createApp } from '../src/server/app.ts';
import { type SimOptions, type SimTest, simulatedRuns, simulatedTests } from './flakiness-sim.ts';
import { progress } from './lib.ts';
import { type Figure, gitCommit, markdownTable } from './report.ts';
import { auc, spearman } from './rank-statistics.ts';

const SIM: SimOptions = {
  seed: 20261202,
  runs: 300,
  perRate: 3,
  fragile: 6,
  stable: 20,
  broken: 6,
  workers: 8,
  sickWorker: { name: 'w8', failure: 0.15 },
};

/** the goal: a flakiness score whose rank correlation with the true flake rate is at least 0.9. */
const SPEARMAN_GOAL = 0.9;
/** Flaky for the AUC: a true rate of at least the reference set's lowest flake rate. */
const FLAKY_FROM = 0.02;

interface Row {
  readonly test: SimTest;
  readonly score: number;
  readonly lower: number;
  readonly upper: number;
  readonly classification: string;
  readonly cause: string | null;
}

const QUERY = `{ flakiness(window: { days: 36500 }, minExecutions: 5, first: 1000) {
  test { project name } score lower upper classification cause { dimension value share } } }`;

async function measure(o: SimOptions): Promise<{ rows: Row[]; ingestSeconds: number }> {
  const tests = simulatedTests(o);
  const runs = simulatedRuns(o, tests);
  const app = await createApp({ db: ':memory:', logLevel: 'silent', port: 0, readers: 2 });
  try {
    const started = performance.now();
    for (const [i, b] of runs.entries()) {
      await app.store.ingest(validateIngest(b));
      if ((i + 1) % 100 === 0) progress(`flakiness: ingested ${i + 1} of ${runs.length} runs`);
    }
    const ingestSeconds = (performance.now() - started) / 1000;
    const res = await app.yoga.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    const body = (await res.json()) as {
      data?: {
        flakiness: {
          test: { project: string; name: string };
          score: number;
          lower: number;
          upper: number;
          classification: string;
          cause: { value: string } | null;
        }[];
      };
      errors?: unknown[];
    };
    if (body.errors?.length || !body.data)
      throw new Error(`flakiness query failed: ${JSON.stringify(body.errors)}`);
    const byKey = new Map(body.data.flakiness.map((e) => [`${e.test.project}/${e.test.name}`, e]));
    const rows = tests.map((t): Row => {
      const e = byKey.get(`${t.project}/${t.name}`);
      if (!e) throw new Error(`flakiness left out ${t.project}/${t.name}`);
      return {
        test: t,
        score: e.score,
        lower: e.lower,
        upper: e.upper,
        classification: e.classification,
        cause: e.cause?.value ?? null,
      };
    });
    return { rows, ingestSeconds };
  } finally {
    await app.close();
  }
}

export interface FlakinessBench {
  readonly figures: Figure[];
  readonly options: SimOptions;
  /** Per true rate of the flaky tests: mean score and how many intervals hold the rate. */
  readonly byRate: { rate: number; tests: number; meanScore: number; covered: number }[];
  /** Tests per role and class, and how many got the sick worker as their cause. */
  readonly classes: Record<string, Record<string, number>>;
  readonly causes: Record<string, number>;
  readonly ingestSeconds: number;
  /** Every test: role, true rate, score, interval, class and cause. */
  readonly tests: {
    project: string;
    name: string;
    role: string;
    rate: number;
    score: number;
    lower: number;
    upper: number;
    classification: string;
    cause: string | null;
  }[];
}

export async function benchFlakiness(o: SimOptions = SIM): Promise<FlakinessBench> {
  const { rows, ingestSeconds } = await measure(o);
  const classes: Record<string, Record<string, number>> = {};
  const causes: Record<string, number> = {};
  for (const r of rows) {
    const c = (classes[r.test.role] ??= {});
    c[r.classification] = (c[r.classification] ?? 0) + 1;
    if (r.cause) causes[r.cause] = (causes[r.cause] ?? 0) + 1;
  }
  const tests = rows.map((r) => ({
    project: r.test.project,
    name: r.test.name,
    role: r.test.role,
    rate: r.test.rate,
    score: r.score,
    lower: r.lower,
    upper: r.upper,
    classification: r.classification,
    cause: r.cause,
  }));
  return {
    figures: scoreFigures(rows, o),
    options: o,
    byRate: byRate(rows),
    classes,
    causes,
    ingestSeconds: Math.round(ingestSeconds * 10) / 10,
    tests,
  };
}

/** How well the scores rank and estimate the true rates: Spearman ρ, AUC, errors, interval coverage. */
function scoreFigures(rows: readonly Row[], o: SimOptions): Figure[] {
  const truth = rows.map((r) => r.test.rate);
  const score = rows.map((r) => r.score);
  const mae = rows.reduce((s, r) => s + Math.abs(r.score - r.test.rate), 0) / rows.length;
  const rated = rows.filter((r) => r.test.role === 'flaky' || r.test.role === 'fragile');
  const maeRated = rated.reduce((s, r) => s + Math.abs(r.score - r.test.rate), 0) / rated.length;
  const rho = spearman(truth, score);
  const rhoRated = spearman(
    rated.map((r) => r.test.rate),
    rated.map((r) => r.score),
  );
  const a = auc(
    rows.filter((r) => r.test.rate >= FLAKY_FROM).map((r) => r.score),
    rows.filter((r) => r.test.rate < FLAKY_FROM).map((r) => r.score),
  );
  const covered = rated.filter((r) => r.lower <= r.test.rate && r.test.rate <= r.upper).length / rated.length;
  const stableFlaky = rows.filter(
    (r) => (r.test.role === 'stable' || r.test.role === 'broken') && r.classification === 'FLAKY',
  ).length;
  return [
    {
      figure: 'flakiness: Spearman ρ of score and true flake rate, all tests',
      value: rho,
      unit: '',
      goal: { op: '>=', value: SPEARMAN_GOAL },
    },
    { figure: 'flakiness: Spearman ρ, flaky and fragile tests only', value: rhoRated, unit: '', goal: null },
    { figure: `flakiness: AUC, true rate ≥ ${FLAKY_FROM} against the rest`, value: a, unit: '', goal: null },
    {
      figure: 'flakiness: mean absolute error of the score, all tests',
      value: mae,
      unit: '',
      display: mae.toFixed(4),
      goal: null,
    },
    {
      figure: 'flakiness: mean absolute error, flaky and fragile tests',
      value: maeRated,
      unit: '',
      display: maeRated.toFixed(4),
      goal: null,
    },
    {
      figure: 'flakiness: 95 % intervals holding the true rate, flaky and fragile tests',
      value: covered,
      unit: '',
      goal: null,
    },
    {
      figure: `flakiness: stable or broken tests classed FLAKY (of ${rows.length - rated.length}; sick worker ${o.sickWorker.name})`,
      value: stableFlaky,
      unit: '',
      display: String(stableFlaky),
      goal: null,
    },
  ];
}

/** Per true rate of the flaky tests: their mean score and how many intervals hold the rate. */
function byRate(rows: readonly Row[]): FlakinessBench['byRate'] {
  return [...new Set(rows.filter((r) => r.test.role === 'flaky').map((r) => r.test.rate))]
    .sort((x, y) => x - y)
    .map((rate) => {
      const g = rows.filter((r) => r.test.role === 'flaky' && r.test.rate === rate);
      return {
        rate,
        tests: g.length,
        meanScore: g.reduce((s, r) => s + r.score, 0) / g.length,
        covered: g.filter((r) => r.lower <= rate && rate <= r.upper).length,
      };
    });
}

export function flakinessMarkdown(b: FlakinessBench): string {
  const rates = [
    '| true rate | tests | mean score | intervals holding it |',
    '|---:|---:|---:|---:|',
    ...b.byRate.map(
      (r) => `| ${r.rate} | ${r.tests} | ${r.meanScore.toFixed(4)} | ${r.covered} of ${r.tests} |`,
    ),
  ].join('\n');
  const classes = Object.entries(b.classes)
    .map(
      ([role, c]) =>
        `${role}: ${Object.entries(c)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}`,
    )
    .join('; ');
  const causes =
    Object.entries(b.causes)
      .map(([v, n]) => `${v} for ${n} tests`)
      .join(', ') || 'none';
  return (
    `${markdownTable(b.figures)}\n\n${rates}\n\nClasses: ${classes}. Causes: ${causes}. ` +
    `${b.options.runs} runs per project, seed ${b.options.seed}; ingest took ${b.ingestSeconds} s.\n`
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const b = await benchFlakiness();
  process.stdout.write(flakinessMarkdown(b));
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}flakiness.json`,
    `${JSON.stringify({ timestamp: new Date().toISOString(), commit: gitCommit(), ...b }, null, 2)}\n`,
  );
  progress(`wrote ${dir}flakiness.json`);
}
