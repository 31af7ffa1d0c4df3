import { importBatches, importInput, type ImportSummary } from '../../resolvers/import.ts';
import type { TableFormat } from '../domain/ports.ts';
import type { IngestInput, IngestOutcome } from '../domain/types.ts';
import { createApp, type App } from '../server/app.ts';
import { UsageError } from './args.ts';

/** The gateway a command talks to: a running server over HTTP, or a database file opened in-process. */
export interface Target {
  readonly label: string;
  /** Runs one GraphQL operation; throws with the errors' messages. */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Stores one run's parsed reports, in batches of 50,000 through `ingest`; `onProgress` follows the results stored. */
  importRun(input: IngestInput, meta: { format: string; warnings: readonly string[] }, onProgress: (done: number, total: number) => void): Promise<ImportSummary>;
  /** Bulk-loads a CSV or Parquet file in the table layout, one run at a time. */
  importTable(path: string, format: TableFormat, onRun: (summary: ImportSummary) => void): Promise<void>;
  /** The in-process app (--db only): retention and export work on the file itself. */
  readonly app: App | null;
  close(): Promise<void>;
}

export const TARGET_OPTIONS = { server: { type: 'string' }, db: { type: 'string' } } as const;

export const TARGET_USAGE = `  --server URL  a running gateway, e.g. http://127.0.0.1:4000
  --db PATH     a DuckDB file opened here (default data/assay.duckdb); not while a server holds it`;

const INGEST_MUTATION = `mutation Ingest($input: IngestInput!) {
  ingest(input: $input) {
    run { id project branch commit startedAt finishedAt tags executions passed failed errored flaky skipped }
    accepted duplicates rejected errors { index field message } dataVersion
  }
}`;

/** The GraphQL endpoint of a server address given with or without /graphql. */
export function graphqlUrl(server: string): URL {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`--server must be a URL such as http://127.0.0.1:4000 (got "${server}")`);
  }
  if (!url.pathname.endsWith('/graphql')) url.pathname = `${url.pathname.replace(/\/$/, '')}/graphql`;
  return url;
}

function errorsOf(body: { errors?: { message: string }[] }): Error | null {
  return body.errors?.length ? new Error(body.errors.map((e) => e.message).join('; ')) : null;
}

async function serverTarget(server: string): Promise<Target> {
  const endpoint = graphqlUrl(server);
  const post = async (url: URL, init: RequestInit): Promise<Response> => {
    try {
      return await fetch(url, init);
    } catch (err) {
      throw new Error(`cannot reach the gateway at ${url.origin}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}. Is \`assay serve\` running there?`);
    }
  };
  return {
    label: endpoint.origin,
    app: null,
    async graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const res = await post(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
      const error = errorsOf(body);
      if (error) throw error;
      return body.data as T;
    },
    async importRun(input, meta, onProgress) {
      // The report files were parsed here; their results go to the server through the `ingest` mutation.
      const send = async (batch: IngestInput): Promise<IngestOutcome> => {
        const res = await post(endpoint, {
          method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ query: INGEST_MUTATION, variables: { input: batch } }),
        });
        const body = (await res.json()) as { data?: { ingest: IngestOutcome }; errors?: { message: string }[] };
        const error = errorsOf(body);
        if (error) throw error;
        return body.data!.ingest;
      };
      return importBatches(send, input, meta, onProgress);
    },
    async importTable() {
      throw new UsageError('CSV and Parquet files are bulk-loaded by DuckDB reading them directly: use --db PATH (with the server stopped), not --server');
    },
    close: async () => undefined,
  };
}

async function dbTarget(path: string): Promise<Target> {
  let app: App;
  try {
    app = await createApp({ db: path, logLevel: 'warn', readers: 2 });
  } catch (err) {
    const m = (err as Error).message;
    if (/lock/i.test(m)) throw new Error(`${path} is in use by another process (a running \`assay serve\`?): stop it, or send to it with --server URL instead of --db`);
    throw err;
  }
  return {
    label: path,
    app,
    async graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const res = await app.yoga.fetch('http://assay.cli/graphql', {
        method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
      const error = errorsOf(body);
      if (error) throw error;
      return body.data as T;
    },
    importRun: (input, meta, onProgress) => importInput(app, input, meta, onProgress),
    async importTable(file, format, onRun) {
      for await (const input of app.store.readTableFile(file, format)) onRun(await importInput(app, input, { format }));
    },
    async close() {
      await app.close();
    },
  };
}

/** Opens what --server or --db name (default: --db data/assay.duckdb). */
export function openTarget(values: { server?: string | undefined; db?: string | undefined }): Promise<Target> {
  if (values.server && values.db) throw new UsageError('give --server or --db, not both');
  return values.server ? serverTarget(values.server) : dbTarget(values.db ?? 'data/assay.duckdb');
}
