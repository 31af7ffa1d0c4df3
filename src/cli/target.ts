import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ImportSummary } from '../../resolvers/import.ts';
import type { TableFormat, TableLoadSummary } from '../domain/table-file.ts';
import type { IngestInput, IngestOutcome } from '../domain/types.ts';
import type { App } from '../server/app.ts';
import { UsageError } from './args.ts';
import { UnavailableError } from './exit.ts';
import { httpRequest, type HttpAnswer } from './http.ts';

/** The gateway a command talks to: a running server over HTTP, or a database file opened in-process. */
export interface Target {
  readonly label: string;
  /** Runs one GraphQL operation; throws with the errors' messages (a UsageError when they are all BAD_USER_INPUT). */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Stores one run's parsed reports, in batches of 50,000 through `ingest`; `onProgress` follows the results stored. */
  importRun(
    input: IngestInput,
    meta: { format: string; warnings: readonly string[] },
    onProgress: (done: number, total: number) => void,
  ): Promise<ImportSummary>;
  /** Bulk-loads a CSV or Parquet file in the table layout, in one transaction (set-based). */
  loadTable(path: string, format: TableFormat): Promise<TableLoadSummary>;
  /** The in-process app (--db only): retention and export work on the file itself. */
  readonly app: App | null;
  close(): Promise<void>;
}

export const TARGET_OPTIONS = { server: { type: 'string' }, db: { type: 'string' } } as const;

const DEFAULT_SERVER = 'http://127.0.0.1:4000';
const DEFAULT_DB = 'data/assay.duckdb';
/** Where `assay demo` and `npm start` keep the demo history. */
export const DEMO_DB = 'data/demo.duckdb';

/** Where commands look when neither --server nor --db is given: $ASSAY_SERVER and $ASSAY_DB, or the built-in defaults. */
export function defaults(env: NodeJS.ProcessEnv = process.env): { server: string; db: string } {
  return { server: env['ASSAY_SERVER'] || DEFAULT_SERVER, db: env['ASSAY_DB'] || DEFAULT_DB };
}

export const TARGET_USAGE = `  --server URL  a running gateway, e.g. http://127.0.0.1:4000
  --db PATH     a DuckDB file opened here; not while a server holds it
  (neither: the gateway at $ASSAY_SERVER or http://127.0.0.1:4000 if one answers,
  else $ASSAY_DB or data/assay.duckdb)`;

const INGEST_MUTATION = `mutation Ingest($input: IngestInput!) {
  ingest(input: $input) {
    run { id project branch commit startedAt finishedAt tags executions passed failed errored flaky skipped }
    accepted duplicates rejected errors { index field message } dataVersion
  }
}`;

/** The GraphQL endpoint of a server address given with or without /graphql. */
function graphqlUrl(server: string, name = '--server'): URL {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`${name} must be a URL such as http://127.0.0.1:4000 (got "${server}")`);
  }
  if (!url.pathname.endsWith('/graphql')) url.pathname = `${url.pathname.replace(/\/$/, '')}/graphql`;
  return url;
}

interface GraphqlBody<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: unknown } }[];
}

/** The answer's errors as one Error; all BAD_USER_INPUT (a bad slice or threshold) is the command line's fault. */
function errorsOf(body: GraphqlBody<unknown>): Error | null {
  const errors = body.errors ?? [];
  if (!errors.length) return null;
  const message = errors.map((e) => e.message).join('; ');
  return errors.every((e) => e.extensions?.code === 'BAD_USER_INPUT')
    ? new UsageError(message)
    : new Error(message);
}

async function serverTarget(server: string, name = '--server'): Promise<Target> {
  const endpoint = graphqlUrl(server, name);
  const post = async <T>(body: unknown): Promise<GraphqlBody<T>> => {
    let res: HttpAnswer;
    try {
      res = await httpRequest(endpoint, { body: JSON.stringify(body) });
    } catch (err) {
      throw new UnavailableError(
        `cannot reach the gateway at ${endpoint.origin}: ${(err as Error).message}. Is \`assay serve\` running there?`,
      );
    }
    try {
      return JSON.parse(res.text) as GraphqlBody<T>;
    } catch {
      throw new UnavailableError(
        `${endpoint.href} answered HTTP ${res.status} ${res.statusText} without a GraphQL response: is it an Assay gateway?`,
      );
    }
  };
  return {
    label: endpoint.origin,
    app: null,
    async graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const body = await post<T>({ query, variables });
      const error = errorsOf(body);
      if (error) throw error;
      return body.data as T;
    },
    async importRun(input, meta, onProgress) {
      const { importBatches } = await import('../../resolvers/import.ts');
      // The report files were parsed here; their results go to the server through the `ingest` mutation.
      const send = async (batch: IngestInput): Promise<IngestOutcome> => {
        const body = await post<{ ingest: IngestOutcome }>({
          query: INGEST_MUTATION,
          variables: { input: batch },
        });
        if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
        return body.data!.ingest;
      };
      return importBatches(send, input, meta, onProgress);
    },
    async loadTable() {
      throw new UsageError(
        'CSV and Parquet files are bulk-loaded by DuckDB reading them directly: use --db PATH (with the server stopped), not a running gateway',
      );
    },
    close: async () => undefined,
  };
}

/** Why a database file cannot be opened, said so the user can act: a lock means a server holds it. */
export function openError(
  path: string,
  err: unknown,
  remedy = 'stop it, or send to it with --server URL instead of --db',
): UnavailableError {
  const m = (err as Error).message;
  if (/lock/i.test(m))
    return new UnavailableError(
      `${path} is in use by another process (a running \`assay serve\`?): ${remedy}`,
    );
  return new UnavailableError(`cannot open the database ${path}: ${m}`);
}

async function dbTarget(
  path: string,
  missing: () => string,
  create: boolean,
  now: () => Date,
): Promise<Target> {
  if (path !== ':memory:') {
    if (!existsSync(path)) {
      if (!create) throw new UnavailableError(missing());
      mkdirSync(dirname(resolve(path)), { recursive: true });
    }
  }
  const { createApp } = await import('../server/app.ts');
  let app: App;
  try {
    app = await createApp({ db: path, logLevel: 'warn', readers: 2, now });
  } catch (err) {
    throw openError(path, err);
  }
  const { importInput } = await import('../../resolvers/import.ts');
  return {
    label: path,
    app,
    async graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const res = await app.yoga.fetch('http://assay.cli/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GraphqlBody<T>;
      const error = errorsOf(body);
      if (error) throw error;
      return body.data as T;
    },
    importRun: (input, meta, onProgress) => importInput(app, input, meta, onProgress),
    loadTable: (file, format) => app.store.loadTableFile(file, format),
    async close() {
      await app.close();
    },
  };
}

/** Whether an Assay gateway answers its health check at `server` (quickly: a refused connection is instant). */
async function answers(endpoint: URL): Promise<boolean> {
  const health = new URL(endpoint.href.replace(/graphql$/, 'healthz'));
  try {
    const res = await httpRequest(health, { timeoutMs: 1500 });
    return res.status === 200 && (JSON.parse(res.text) as { status?: unknown }).status === 'ok';
  } catch {
    return false;
  }
}

export interface OpenOptions {
  /** Without --server or --db, first look for a running gateway at the default address. @default false */
  readonly discover?: boolean;
  /** Create the database file when it does not exist (commands that write). @default false */
  readonly create?: boolean;
  /** Where to say which gateway was found. @default stderr */
  readonly note?: (line: string) => void;
  /** The clock of a database opened here (AppConfig.now). @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * Opens what --server or --db name. Without either: the gateway at the default
 * address when `discover` and one answers there, else the default database
 * file, which must exist unless `create`: a read of a file that is not there
 * is an error naming where it looked, never a new empty database.
 */
export async function openTarget(
  values: { server?: string | undefined; db?: string | undefined },
  {
    discover = false,
    create = false,
    note = (l) => process.stderr.write(`${l}\n`),
    now = () => new Date(),
  }: OpenOptions = {},
): Promise<Target> {
  if (values.server && values.db) throw new UsageError('give --server or --db, not both');
  if (values.server) return serverTarget(values.server);
  if (values.db)
    return dbTarget(
      values.db,
      () =>
        `there is no database at ${resolve(values.db!)} (--db ${values.db}): check the path${discover ? ', or send to a running gateway with --server URL' : ''}.`,
      create,
      now,
    );
  const d = defaults();
  if (discover) {
    const endpoint = graphqlUrl(d.server, 'ASSAY_SERVER');
    if (await answers(endpoint)) {
      note(`(using the gateway at ${endpoint.origin}; --server URL or --db PATH to choose another)`);
      return serverTarget(d.server, 'ASSAY_SERVER');
    }
  }
  const missing = (): string => {
    const demo =
      d.db !== DEMO_DB && existsSync(DEMO_DB)
        ? ` (${DEMO_DB} holds the demo history \`npm start\` serves: --db ${DEMO_DB})`
        : '';
    return discover
      ? `no gateway answers at ${graphqlUrl(d.server, 'ASSAY_SERVER').origin} and there is no database at ${resolve(d.db)}. ` +
          `Point at yours with --server URL or --db PATH${demo}, or start a gateway with \`assay serve\`.`
      : `there is no database at ${resolve(d.db)}. Point at yours with --db PATH${demo}.`;
  };
  return dbTarget(d.db, missing, create, now);
}
