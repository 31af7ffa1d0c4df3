import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Database } from '../db/database.ts';
import type { DemoFacts } from '../db/demo.ts';
import { normaliseRule } from '../domain/alert-rules.ts';
import type { AlertRuleInput } from '../domain/alerts.ts';
import { intOption, parse } from './args.ts';
import { startOfDayUtc } from '../domain/time.ts';
import { DEMO_DB, openError } from './target.ts';

/** Rules a newcomer can watch fire: each is evaluated after every ingest. */
const DEMO_RULES: readonly AlertRuleInput[] = [
  {
    name: 'web main pass rate',
    kind: 'PASS_RATE_DROP',
    filter: { project: ['web'], branch: ['main'] },
    threshold: 0.95,
    windowMinutes: 60,
    severity: 'CRITICAL',
    cooldownMinutes: 10,
  },
  { name: 'new failures on main', kind: 'NEW_FAILURE', filter: { branch: ['main'] }, severity: 'WARNING' },
  { name: 'flaky tests', kind: 'FLAKY_TEST', threshold: 0.2, severity: 'WARNING', cooldownMinutes: 1440 },
  {
    name: 'suite slowdowns',
    kind: 'DURATION_REGRESSION',
    groupBy: ['SUITE'],
    threshold: 50,
    windowMinutes: 1440,
    severity: 'WARNING',
  },
  {
    name: 'inference latency p95',
    kind: 'THRESHOLD',
    filter: { project: ['ml'] },
    series: { metric: 'latency_ms', stat: 'P95' },
    groupBy: ['HARDWARE'],
    operator: 'GT',
    threshold: 1500,
    windowMinutes: 60,
    severity: 'INFO',
  },
];

async function createDemoRules(db: Database, now: Date): Promise<string[]> {
  const { saveRule } = await import('../db/alerts.ts');
  const names: string[] = [];
  for (const [i, input] of DEMO_RULES.entries()) {
    await saveRule(db, normaliseRule(input, { id: `demo-rule-${i + 1}`, now }));
    names.push(input.name);
  }
  return names;
}

export const DEMO_USAGE = `assay demo [--db PATH] [--days N] [--seed N]

Fills an empty DuckDB file with a realistic history: three projects, branches
and commits, hundreds of tests, dozens of runs a day, workers and hardware,
performance metrics, planted flaky tests, a breaking test, a slowdown and
circuit-breaker trips.

  --db PATH    database file (default data/demo.duckdb)
  --days N     days of history ending today (default 30)
  --seed N     random seed; the same seed gives the same history (default 42)`;

/** Generates the demo history into `path` unless it already holds data; says what it did. */
export async function ensureDemo(
  path: string,
  opts: { days?: number; seed?: number; end: Date },
  out: (line: string) => void,
): Promise<DemoFacts | null> {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  // DuckDB and the generator load here, not with the module: `assay --help` stays cheap.
  const [{ Database }, { generateDemo }] = await Promise.all([
    import('../db/database.ts'),
    import('../db/demo.ts'),
  ]);
  let db: Database;
  try {
    db = await Database.open({ path, readers: 1 });
  } catch (err) {
    throw openError(path, err, 'stop it, or use another file with --db PATH');
  }
  try {
    const [row] = await db.query<{ n: bigint }>('SELECT count(*) AS n FROM runs');
    if (Number(row?.n ?? 0) > 0) {
      out(`${path} already holds ${Number(row!.n)} runs; keeping them (delete the file for a fresh demo).`);
      return null;
    }
    const started = performance.now();
    const facts = await generateDemo(db, { ...opts, onProgress: (m) => out(`  ${m}`) });
    out(
      `Demo history written to ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
        `${facts.runs} runs, ${facts.tests} tests, ${facts.results} results, ${facts.from.toISOString().slice(0, 10)} to ${facts.to.toISOString().slice(0, 10)}.`,
    );
    out(
      `  planted: flaky tests ${facts.flakyTests.map((t) => `"${t.name}" (${Math.round(t.flakeRate * 100)}%)`).join(', ')};`,
    );
    const rules = await createDemoRules(db, facts.to);
    out(`  alert rules: ${rules.join('; ')} (they fire on the results you send next)`);
    out(
      `  "${facts.brokenTest.name}" fails from ${facts.brokenTest.since.toISOString().slice(0, 10)}; "${facts.slowedTest.name}" slows from ${facts.slowedTest.since.toISOString().slice(0, 10)}; worker ${facts.flakyWorker} fails more often.`,
    );
    if (facts.lostWorker.runId)
      out(
        `  worker ${facts.lostWorker.worker} lost its database in run ${facts.lostWorker.runId}: marked as an infrastructure failure.`,
      );
    return facts;
  } finally {
    await db.close();
  }
}

export async function demoCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  const { values } = parse(args, {
    db: { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
  });
  const path = values.db ?? DEMO_DB;
  await ensureDemo(
    path,
    {
      days: intOption('days', values.days, 30, 1, 400),
      seed: intOption('seed', values.seed, 42, 0, 2 ** 31 - 1),
      end: startOfDayUtc(now()),
    },
    out,
  );
  out(`Serve it with: npx assay serve --db ${path}   (npm start serves data/demo.duckdb)`);
  out('Then try, in GraphiQL at http://127.0.0.1:4000/graphql:');
  out(
    '  { tests(first: 5, orderBy: { field: PASS_RATE, direction: ASC }) { edges { node { name suite stats { executions passRate flakyRate } } } } }',
  );
  return 0;
}
