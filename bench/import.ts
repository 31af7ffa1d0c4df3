import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.ts';
import { createApp } from '../src/server/app.ts';
import { makeBatch } from './ingest.ts';

/** Projects makeBatch cycles through: seq → project is seq mod this. */
const PROJECTS = 3;
import { progress, summarise, type Summary, timed } from './lib.ts';

interface Row {
  suite: string;
  className: string;
  name: string;
  status: string;
  durationMs: number;
  attempt: number;
  startedAt: string;
  worker: string;
  message?: string;
  stackTrace?: string;
}
interface Batch {
  run: { id: string; project: string; branch: string; commit: string; startedAt: string };
  results: Row[];
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Each test's attempts in order, keyed by suite, class and name. */
function byTest(rows: readonly Row[]): Row[][] {
  const tests = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.suite}\0${r.className}\0${r.name}`;
    tests.set(key, [...(tests.get(key) ?? []), r]);
  }
  return [...tests.values()];
}

/** A Surefire-style JUnit report of one bench batch: reruns as flakyFailure / rerunFailure. */
function junitOf(b: Batch): string {
  const suites = new Map<string, Row[][]>();
  for (const attempts of byTest(b.results))
    suites.set(attempts[0]!.suite, [...(suites.get(attempts[0]!.suite) ?? []), attempts]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  for (const [suite, tests] of suites) {
    out.push(
      `  <testsuite name="${esc(suite)}" tests="${tests.length}" timestamp="${b.run.startedAt.replace('Z', '')}" hostname="bench">`,
    );
    for (const attempts of tests) {
      const last = attempts.at(-1)!;
      const first = attempts[0]!;
      const open = `    <testcase classname="${esc(first.className)}" name="${esc(first.name)}" time="${(last.durationMs / 1000).toFixed(3)}"`;
      const fail = (tag: string, r: Row) =>
        `<${tag} message="${esc(r.message ?? 'failed')}" type="AssertionError">${esc(r.stackTrace ?? '')}</${tag}>`;
      const kind = (r: Row) => (r.status === 'ERROR' ? 'Error' : 'Failure');
      if (attempts.length === 1 && last.status === 'PASSED') out.push(`${open}/>`);
      else if (attempts.length === 1 && last.status === 'SKIPPED') out.push(`${open}><skipped/></testcase>`);
      else if (attempts.length === 1) out.push(`${open}>${fail(kind(last).toLowerCase(), last)}</testcase>`);
      else if (last.status === 'PASSED')
        out.push(
          `${open}>${attempts
            .slice(0, -1)
            .map((r) => fail(`flaky${kind(r)}`, r))
            .join('')}</testcase>`,
        );
      else
        out.push(
          `${open}>${fail(kind(first).toLowerCase(), first)}${attempts
            .slice(1)
            .map((r) => fail(`rerun${kind(r)}`, r))
            .join('')}</testcase>`,
        );
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

/** The same batch as a CTRF report: earlier attempts as retryAttempts. */
function ctrfOf(b: Batch): string {
  const status = (s: string) => (s === 'PASSED' ? 'passed' : s === 'SKIPPED' ? 'skipped' : 'failed');
  const tests = byTest(b.results).map((attempts) => {
    const last = attempts.at(-1)!;
    return {
      name: last.name,
      suite: `${last.suite} > ${last.className}`,
      status: status(last.status),
      duration: last.durationMs,
      start: Date.parse(attempts[0]!.startedAt),
      ...(last.message && { message: last.message, trace: last.stackTrace }),
      ...(attempts.length > 1 && {
        retries: attempts.length - 1,
        flaky: last.status === 'PASSED',
        retryAttempts: attempts.map((r, i) => ({
          attempt: i + 1,
          status: status(r.status),
          duration: r.durationMs,
        })),
      }),
    };
  });
  const start = Date.parse(b.run.startedAt);
  return JSON.stringify({
    results: {
      tool: { name: 'bench' },
      summary: {
        tests: tests.length,
        passed: 0,
        failed: 0,
        pending: 0,
        skipped: 0,
        other: 0,
        start,
        stop: start + 1,
      },
      tests,
    },
  });
}

export interface ImportFigure {
  readonly path: string;
  readonly format: 'junit' | 'ctrf';
  readonly database: 'fresh' | 'reference';
  readonly files: number;
  readonly results: number;
  readonly resultsPerSecond: number;
  /** One file's import, in ms. */
  readonly call: Summary;
}

/**
 * Imports `files` report files of `size` results each (bench batches written
 * as JUnit XML or CTRF JSON) through two paths: `assay ingest --db` (the CLI
 * in-process: it opens the file, imports, checkpoints and closes, as a CI
 * step would) and `POST /ingest/<format>` to a running gateway (curl's path).
 * `reference` copies the reference set first, so ingest meets 10 million rows.
 */
export async function benchImport(
  format: 'junit' | 'ctrf',
  size: number,
  files: number,
  reference: string | null,
): Promise<ImportFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-bench-import-'));
  try {
    // Each path gets its own builds, later than the other's, so both measure runs arriving in order
    // (a run that starts no later than a stored one of the same tests takes the recompute path).
    const write = async (first: number, tag: string) => {
      const out: ReportFile[] = [];
      for (let i = 0; i < files; i++) {
        const b = makeBatch(first + i, size)['input'] as unknown as Batch;
        const file = join(dir, `${tag}-${i}.${format === 'junit' ? 'xml' : 'json'}`);
        await writeFile(file, format === 'junit' ? junitOf(b) : ctrfOf(b));
        out.push({ file, run: b.run });
      }
      return out;
    };
    const cliFiles = await write(1_000, 'cli');
    const httpFiles = await write(1_000 + files * PROJECTS, 'http');
    const db = join(dir, 'import.duckdb');
    if (reference) await copyFile(reference, db);
    const database = reference ? ('reference' as const) : ('fresh' as const);
    const figure = (path: string, ms: number[]): ImportFigure => {
      const seconds = ms.reduce((s, x) => s + x, 0) / 1000;
      progress(
        `  ${format} ${path} on a ${database} database: ${Math.round((size * files) / seconds).toLocaleString('en-US')} results/s`,
      );
      return {
        path,
        format,
        database,
        files,
        results: size * files,
        resultsPerSecond: Math.round((size * files) / seconds),
        call: summarise(ms),
      };
    };
    return [
      figure('assay ingest --db (per file: open, import, checkpoint, close)', await throughCli(cliFiles, db)),
      figure(`POST /ingest/${format} to a running gateway`, await throughHttp(httpFiles, db, format, size)),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface ReportFile {
  readonly file: string;
  readonly run: Batch['run'];
}

/** `assay ingest --db` in process, once per file; each call's ms. */
async function throughCli(reports: readonly ReportFile[], db: string): Promise<number[]> {
  const cli: number[] = [];
  for (const { file, run } of reports) {
    const args = [
      'ingest',
      file,
      '--project',
      run.project,
      '--branch',
      run.branch,
      '--commit',
      run.commit,
      '--run-id',
      `cli-${run.id}`,
      '--db',
      db,
    ];
    const { ms, value: code } = await timed(() => main(args, () => undefined));
    if (code !== 0) throw new Error(`assay ingest exited ${code} on ${file}`);
    cli.push(ms);
  }
  return cli;
}

/** `POST /ingest/<format>` to a gateway over the same database, once per file; each call's ms. */
async function throughHttp(
  reports: readonly ReportFile[],
  db: string,
  format: 'junit' | 'ctrf',
  size: number,
): Promise<number[]> {
  const app = await createApp({ db, port: 0, logLevel: 'silent' });
  try {
    const base = (await app.listen()).replace(/\/graphql$/, '');
    const http: number[] = [];
    for (const { file, run } of reports) {
      const body = await import('node:fs/promises').then((fs) => fs.readFile(file));
      const q = new URLSearchParams({
        project: run.project,
        branch: run.branch,
        commit: run.commit,
        run: `http-${run.id}`,
      });
      const { ms, value: res } = await timed(() =>
        fetch(`${base}/ingest/${format}?${q}`, {
          method: 'POST',
          headers: { 'content-type': format === 'junit' ? 'application/xml' : 'application/json' },
          body,
        }),
      );
      const summary = (await res.json()) as { accepted?: number; error?: { message: string } };
      if (summary.accepted !== size)
        throw new Error(
          `POST /ingest/${format} stored ${summary.accepted} of ${size}: ${summary.error?.message ?? ''}`,
        );
      http.push(ms);
    }
    return http;
  } finally {
    await app.close();
  }
}
