import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 as rng } from '../src/analytics/random.ts';
import { createApp } from '../src/server/app.ts';
import {
  type Contract,
  GqlClient,
  type Json,
  type JsonObject,
  progress,
  summarise,
  type Summary,
  timed,
} from './lib.ts';

interface CatalogTest {
  readonly suite: string;
  readonly className: string;
  readonly name: string;
  readonly ml: boolean;
  readonly baseMs: number;
}

const PROJECTS = [
  { project: 'shop-web', suites: ['auth', 'checkout', 'search', 'profile'], retries: true, ml: false },
  { project: 'shop-api', suites: ['users', 'billing', 'orders', 'inventory'], retries: false, ml: false },
  { project: 'vision', suites: ['inference', 'training', 'loaders'], retries: true, ml: true },
] as const;
const BROWSERS = ['chromium', 'firefox', 'webkit'];
const MODELS = ['bert-base', 'resnet50', 'gpt2-small'];
const MESSAGES = [
  'expected status 200, got 502 after 3012 ms',
  "TimeoutError: waiting for selector '#submit' exceeded 30000 ms",
  'org.opentest4j.AssertionFailedError: expected: <42> but was: <41>',
  'RuntimeError: CUDA error: an illegal memory access was encountered',
];

/** The largest batch size measured: every project's catalog covers one batch without repeating a test. */
const CATALOG_SIZE = 5_000;

function catalog(project: (typeof PROJECTS)[number]): CatalogTest[] {
  const r = rng(project.project.length * 7919);
  return Array.from({ length: CATALOG_SIZE }, (_, i) => {
    const suite = project.suites[i % project.suites.length] ?? 'misc';
    return {
      suite,
      className: `${suite[0]?.toUpperCase() ?? 'X'}${suite.slice(1)}Test${Math.floor(i / 40)}`,
      name: `${project.ml ? 'test_case' : 'handles case'} ${i}`,
      ml: project.ml && suite !== 'loaders',
      baseMs: Math.round(20 + r() * (project.ml ? 3000 : 400)),
    };
  });
}

/**
 * One realistic ingest call: one run of one project, exactly `size` attempts.
 * About 2% of first attempts fail, 0.5% error, 1.5% are skipped; projects
 * that retry rerun a failure (which then passes 60% of the time: flaky). ML
 * rows carry model and batch_size tags and three named metrics when they pass.
 */
export function makeBatch(seq: number, size: number): JsonObject {
  const p = PROJECTS[seq % PROJECTS.length] ?? PROJECTS[0];
  const tests = catalogs.get(p.project) ?? catalog(p);
  catalogs.set(p.project, tests);
  const r = rng(seq * 104729 + size);
  const startedAt = Date.parse('2026-11-01T00:00:00Z') + seq * 600_000;
  const results: Json[] = [];
  let clock = startedAt;
  for (let i = 0; results.length < size; i++) {
    const t = tests[i % tests.length];
    if (!t) break;
    const worker = t.ml ? `gpu-${1 + (i % 4)}` : `w${1 + (i % 8)}`;
    const tags: JsonObject = t.ml
      ? { model: MODELS[i % MODELS.length] ?? 'resnet50', batch_size: String(8 << i % 3) }
      : p.project === 'shop-web'
        ? { browser: BROWSERS[i % BROWSERS.length] ?? 'chromium' }
        : {};
    const roll = r();
    const first = roll < 0.015 ? 'SKIPPED' : roll < 0.035 ? 'FAILED' : roll < 0.04 ? 'ERROR' : 'PASSED';
    const statuses =
      first !== 'PASSED' && first !== 'SKIPPED' && p.retries && results.length + 1 < size
        ? [first, r() < 0.6 ? 'PASSED' : 'FAILED']
        : [first];
    statuses.forEach((status, a) => {
      const durationMs = status === 'SKIPPED' ? 0 : Math.round(t.baseMs * (0.8 + 0.4 * r()) * 10) / 10;
      const row: JsonObject = {
        suite: t.suite,
        className: t.className,
        name: t.name,
        status,
        durationMs,
        attempt: a + 1,
        startedAt: new Date(clock).toISOString(),
        worker,
        hardware: t.ml ? 'cuda' : 'cpu',
        tags,
      };
      clock += Math.max(1, Math.round(durationMs / 8));
      if (status === 'FAILED' || status === 'ERROR') {
        row['message'] = MESSAGES[Math.floor(r() * MESSAGES.length)] ?? 'failed';
        row['stackTrace'] = `at ${t.className}.run(${t.suite}/${t.className}.java:${10 + (i % 200)})`;
      }
      if (t.ml && status === 'PASSED') {
        const latency = Math.round((5 + r() * 20) * 100) / 100;
        row['metrics'] = [
          { name: 'throughput', value: Math.round(((8 << i % 3) * 1000) / latency), unit: 'items/s' },
          { name: 'latency_ms', value: latency, unit: 'ms' },
          ...(i % 2 === 0 ? [{ name: 'memory_mb', value: 400 + (i % 7) * 60, unit: 'MB' }] : []),
        ];
      }
      results.push(row);
    });
  }
  return {
    input: {
      run: {
        id: `bench-${p.project}-${size}-${seq}`,
        project: p.project,
        branch: seq % 4 === 0 ? 'feature/x' : 'main',
        commit: ((seq * 2654435761) % 0xfffffff).toString(16).padStart(7, '0'),
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: new Date(clock).toISOString(),
        tags: { ci: 'bench', os: 'linux' },
      },
      results,
    },
  };
}
const catalogs = new Map<string, CatalogTest[]>();

export interface IngestFigure {
  readonly batchSize: number;
  readonly batches: number;
  readonly results: number;
  readonly seconds: number;
  readonly resultsPerSecond: number;
  /** Latency of one ingest call, in ms. */
  readonly call: Summary;
}

/**
 * Ingests `batches` calls of `batchSize` results, one after another, into a
 * fresh database file through the GraphQL `ingest` mutation over HTTP. The
 * first call per project (which also creates the tests) is a warm-up and not
 * counted; a request body is built and serialised before its clock starts,
 * and results/s is results over the summed call times. With `reference`, into
 * a copy of that database file instead (ingest meets its stored history).
 */
export async function benchIngest(
  contract: Contract,
  batchSize: number,
  batches: number,
  reference: string | null = null,
): Promise<IngestFigure> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-bench-ingest-'));
  const db = join(dir, 'ingest.duckdb');
  if (reference) await copyFile(reference, db);
  const app = await createApp({ db, port: 0, logLevel: 'silent' });
  try {
    const client = new GqlClient(await app.listen(), contract);
    const warmups = PROJECTS.length;
    const send = async (body: string): Promise<void> => {
      const data = await client.post('Ingest', body);
      const payload = data['ingest'];
      const accepted =
        payload && typeof payload === 'object' && !Array.isArray(payload) ? payload['accepted'] : null;
      if (accepted !== batchSize)
        throw new Error(
          `ingest accepted ${JSON.stringify(accepted)} of ${batchSize} results: ${JSON.stringify(payload).slice(0, 400)}`,
        );
    };
    for (let i = 0; i < warmups; i++) await send(client.body('Ingest', makeBatch(i, batchSize)));
    // Each body is built just before its call (so the client never holds every batch in memory)
    // and only the call itself is timed: throughput is the server's, with one client waiting for each answer.
    const calls: number[] = [];
    for (let i = 0; i < batches; i++) {
      const body = client.body('Ingest', makeBatch(warmups + i, batchSize));
      calls.push((await timed(() => send(body))).ms);
      if ((i + 1) % Math.max(1, Math.floor(batches / 4)) === 0)
        progress(`  ingest ${batchSize}: ${i + 1}/${batches} calls`);
    }
    const seconds = calls.reduce((sum, ms) => sum + ms, 0) / 1000;
    const results = batchSize * batches;
    return {
      batchSize,
      batches,
      results,
      seconds: Math.round(seconds * 1000) / 1000,
      resultsPerSecond: Math.round(results / seconds),
      call: summarise(calls),
    };
  } finally {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
}
