/** The peer section's Assay side: its ingest of the same rows and the same operations over HTTP. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createApp } from '../src/server/app.ts';
import {
  type Contract,
  GqlClient,
  type Json,
  type JsonObject,
  progress,
  repeat,
  summarise,
  timed,
} from './lib.ts';
import type { AssayFigure, PeerBench, PeerOptions } from './peer-report.ts';
import type { ReferenceSet } from './reference.ts';

/** Assay ingests the reference set's oldest `runs` runs through the Ingest mutation, one call per run. */
export async function assayIngest(
  contract: Contract,
  reference: ReferenceSet,
  runs: number,
): Promise<PeerBench['assayIngest']> {
  const source = await DuckDBInstance.create(reference.path, { access_mode: 'READ_ONLY' });
  const c = await source.connect();
  const dir = await mkdtemp(join(tmpdir(), 'assay-peer-ingest-'));
  const app = await createApp({ db: join(dir, 'ingest.duckdb'), port: 0, logLevel: 'silent' });
  try {
    const client = new GqlClient(await app.listen(), contract);
    const iso = (col: string) => `strftime(${col}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
    const runRows = (
      await c.runAndReadAll(
        `SELECT seq, id, project, branch, commit_sha, ${iso('started_at')} AS started_at, ${iso('finished_at')} AS finished_at,
                to_json(tags)::VARCHAR AS tags
         FROM runs ORDER BY started_at, seq LIMIT ${Math.max(1, Math.floor(runs))}`,
      )
    ).getRowObjectsJson();
    let results = 0;
    let ms = 0;
    const calls: number[] = [];
    for (const run of runRows) {
      const rows = (
        await c.runAndReadAll(
          `SELECT r.attempt, t.class_name, r.duration_ms, r.hardware, r.message, to_json(r.metrics)::VARCHAR AS metrics,
                  t.name, r.stack_trace, ${iso('r.started_at')} AS started_at, r.status, r.suite,
                  to_json(r.tags)::VARCHAR AS tags, r.worker
           FROM results r JOIN tests t ON t.id = r.test_id WHERE r.run_seq = $1 ORDER BY r.id`,
          [Number(run['seq'])],
        )
      ).getRowObjectsJson();
      const input = ingestInput(run, rows);
      const body = client.body('Ingest', { input });
      const { ms: callMs, value } = await timed(() => client.post('Ingest', body));
      const ingest = value['ingest'];
      const accepted =
        ingest && typeof ingest === 'object' && !Array.isArray(ingest) ? ingest['accepted'] : undefined;
      if (accepted !== rows.length)
        throw new Error(
          `Assay ingest of run ${String(run['id'])}: accepted ${String(accepted)} of ${rows.length}`,
        );
      results += rows.length;
      ms += callMs;
      calls.push(callMs);
    }
    return {
      runs: runRows.length,
      results,
      seconds: Math.round(ms) / 1000,
      resultsPerSecond: Math.round(results / (ms / 1000)),
      call: summarise(calls),
    };
  } finally {
    await app.close();
    c.closeSync();
    source.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

type JsonRow = Record<string, Json>;

/** One run of the reference set and its results as the Ingest mutation's input. */
function ingestInput(run: JsonRow, rows: readonly JsonRow[]): JsonObject {
  return {
    run: {
      id: String(run['id']),
      project: String(run['project']),
      branch: run['branch'] ?? null,
      commit: run['commit_sha'] ?? null,
      startedAt: String(run['started_at']),
      finishedAt: run['finished_at'] ?? null,
      tags: JSON.parse(String(run['tags'])) as JsonObject,
    },
    results: rows.map((r) => ({
      attempt: Number(r['attempt']),
      className: r['class_name'] ?? null,
      durationMs: Number(r['duration_ms']),
      hardware: r['hardware'] ?? null,
      message: r['message'] ?? null,
      metrics: JSON.parse(String(r['metrics'])) as JsonObject[],
      name: String(r['name']),
      stackTrace: r['stack_trace'] ?? null,
      startedAt: String(r['started_at']),
      status: String(r['status']),
      suite: String(r['suite']),
      tags: JSON.parse(String(r['tags'])) as JsonObject,
      worker: r['worker'] ?? null,
    })),
  };
}

/** Variables of Assay's bench (bench/queries.ts) for the operations the table compares. */
function assayPlan(testId: string): { operation: string; variables: JsonObject; bench?: true }[] {
  return [
    { operation: 'ResultsSlice', variables: { first: 100 } },
    { operation: 'Runs', variables: { first: 50 } },
    { operation: 'Tests', variables: { first: 50 } },
    { operation: 'TestDetail', variables: { id: testId } },
    { operation: 'PassRateByTestAndDay', variables: { filter: { project: ['web'] } } },
    { operation: 'PerfByHardwareAndModel', variables: { filter: { project: ['ml'] } } },
    { operation: 'Trends', variables: {} },
    { operation: 'Workload', variables: {} },
    { operation: 'RawMetricTrend', variables: {} },
    { operation: 'Anomalies', variables: { filter: { project: ['ml'] } } },
    { operation: 'FlakinessFullHistory', variables: { window: { days: 100_000 } }, bench: true },
    { operation: 'Forecast', variables: { filter: { project: ['api'] } } },
    { operation: 'Compare', variables: { filter: { project: ['ml'] } } },
    { operation: 'CompareRuns', variables: {} },
    { operation: 'FailurePatterns', variables: { filter: { project: ['web'] } } },
    { operation: 'CircuitBreakers', variables: {} },
  ];
}

export async function assayQueries(
  contract: Contract,
  benchOps: Contract,
  reference: ReferenceSet,
  testId: string,
  opts: PeerOptions,
): Promise<AssayFigure[]> {
  const app = await createApp({ db: reference.path, port: 0, logLevel: 'silent' });
  const out: AssayFigure[] = [];
  try {
    const url = await app.listen();
    const clients = { contract: new GqlClient(url, contract), bench: new GqlClient(url, benchOps) };
    const [mlTest] = await app.store.db.query<{ id: string }>(
      "SELECT id FROM tests WHERE project = 'ml' ORDER BY id LIMIT 1",
    );
    // The api project's last two runs, as bench/queries.ts compares them.
    const [head, base] = await app.store.db.query<{ id: string }>(
      "SELECT id FROM runs WHERE project = 'api' ORDER BY started_at DESC, seq DESC LIMIT 2",
    );
    const clear = (): void => {
      app.cache.clear();
      app.responses.clear();
    };
    for (const { operation, variables, bench } of assayPlan(testId)) {
      const client = bench ? clients.bench : clients.contract;
      const vars =
        operation === 'RawMetricTrend' && mlTest
          ? { filter: { testId: [mlTest.id] } }
          : operation === 'CompareRuns' && head && base
            ? { base: base.id, head: head.id }
            : variables;
      const body = client.body(operation, vars);
      const once = async () => (await timed(() => client.post(operation, body))).ms;
      try {
        clear();
        await client.post(operation, body); // unmeasured, as in bench/queries.ts
        const cold = await repeat(opts.coldReps, opts.budgetMs, () => {
          clear();
          return once();
        });
        clear();
        await client.post(operation, body);
        const cached = await repeat(opts.warmReps, opts.budgetMs, once);
        out.push({ operation, cold, cached });
        progress(`  Assay ${operation}: cold p50 ${cold.p50} ms (n ${cold.n}), cached p50 ${cached.p50} ms`);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        out.push({ operation, cold: summarise([]), cached: summarise([]), error });
        progress(`  Assay ${operation} FAILED: ${error}`);
      }
    }
  } finally {
    await app.close();
  }
  return out;
}
