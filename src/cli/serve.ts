import { createApp } from '../server/app.ts';
import type { LogLevel } from '../server/logger.ts';
import { UsageError, intOption, parse } from './args.ts';
import { ensureDemo } from './demo.ts';

export const SERVE_USAGE = `assay serve [--db PATH|:memory:] [--host 127.0.0.1] [--port 4000] [--demo] [--log-level info]
            [--redis redis://HOST:6379 --replica-id NAME [--snapshot-dir PATH]]

Serves GraphQL over HTTP, WebSocket (graphql-ws) and SSE on one port at /graphql,
GraphiQL in the browser at the same address, /healthz and /readyz.

  --db PATH     DuckDB file (default data/assay.duckdb), or :memory:
  --host HOST   interface to bind (default 127.0.0.1)
  --port N      port (default 4000; 0 picks a free one)
  --demo        load the demo history first when the database is empty
  --log-level   debug, info, warn, error or silent (default info)
  --redis URL   run as one of several replicas sharing writes through Redis
                (env ASSAY_REDIS_URL); --replica-id NAME names it (env ASSAY_REPLICA_ID);
                --snapshot-dir PATH is shared by the replicas: hourly snapshots, and where
                a replica with an empty disk starts from (env ASSAY_SNAPSHOT_DIR)`;

const FIRST_QUERY = `{ metrics(groupBy: [PROJECT], bucket: DAY, orderBy: { field: BUCKET, direction: DESC }, limit: 6) { group { project } bucket executions passRate p95: duration(stat: P95) } }`;

export async function serveCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parse(args, {
    db: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, demo: { type: 'boolean' }, 'log-level': { type: 'string' },
    redis: { type: 'string' }, 'replica-id': { type: 'string' }, 'snapshot-dir': { type: 'string' },
  });
  const level = (values['log-level'] ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(level)) throw new UsageError(`--log-level must be debug, info, warn, error or silent (got "${level}")`);
  const db = values.db ?? 'data/assay.duckdb';
  if (values.demo) {
    if (db === ':memory:') throw new UsageError('--demo needs a database file (the demo is generated before the server opens it); drop --db :memory:');
    await ensureDemo(db, {}, out);
  }
  const redis = values.redis ?? process.env['ASSAY_REDIS_URL'];
  const replicaId = values['replica-id'] ?? process.env['ASSAY_REPLICA_ID'];
  const snapshotDir = values['snapshot-dir'] ?? process.env['ASSAY_SNAPSHOT_DIR'];
  const app = await createApp({
    db, host: values.host ?? '127.0.0.1', port: intOption('port', values.port, 4000, 0, 65535), logLevel: level,
    ...(redis && { redis }), ...(replicaId && { replicaId }), ...(snapshotDir && { snapshotDir }),
  });
  const url = await app.listen();
  out(`Assay is serving ${db} at ${url}`);
  out(`  GraphiQL: open ${url} in a browser. Health: ${url.replace(/\/graphql$/, '/healthz')}`);
  out(`  Try: curl -s ${url} -H 'content-type: application/json' -d '${JSON.stringify({ query: FIRST_QUERY })}'`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      out(`${signal}: shutting down (closing sockets, checkpointing DuckDB)…`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await app.close();
  return 0;
}
