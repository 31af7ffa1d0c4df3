import type { App } from '../server/app.ts';
import type { AppConfig } from '../server/app-config.ts';
import { UsageError } from './args.ts';
import { INFRA_USAGE } from './infra-options.ts';
import { LIMIT_USAGE } from './limit-options.ts';
import { serveOptions } from './serve-options.ts';
import { UnavailableError } from './exit.ts';
import { openError } from './target.ts';

export const SERVE_USAGE = `assay serve [--db PATH|:memory:] [--host 127.0.0.1] [--port 4000] [--demo] [--log-level info] [--no-dashboard] [--webhook-allow HOST[:PORT],…] [--trusted-documents FILE]
            [--redis redis://HOST:6379 --replica-id NAME [--snapshot-dir PATH]]
            [--auth | --insecure] [--cors-origin URL,…] [--rate-limit N/s|off] [--request-timeout MS]
            [--infra-* …] [--max-depth N --max-aliases N --max-cost N --max-root-fields N] [--memory-limit SIZE] [--checkpoint-threshold SIZE]

Serves the dashboard at /, GraphQL over HTTP, WebSocket (graphql-ws) and SSE on
one port at /graphql, GraphiQL in the browser at the same address, /healthz and /readyz.

  --db PATH     DuckDB file (default $ASSAY_DB or data/assay.duckdb), or :memory:
  --host HOST   interface to bind (default 127.0.0.1)
  --port N      port (default 4000; 0 picks a free one). Taken? \`npm start -- --port 4001\`
  --demo        load the demo history first when the database is empty
  --log-level   debug, info, warn, error or silent (default info)
  --no-dashboard  do not serve the dashboard (/ redirects to GraphiQL)
  --webhook-allow HOST[:PORT],…
                internal hosts webhooks may post to (loopback, private and
                link-local addresses are refused otherwise); also ASSAY_WEBHOOK_ALLOW
  --trusted-documents FILE
                run only the operations of this manifest (\`assay trust\` makes one)
  --redis URL   run as one of several replicas sharing writes through Redis
                (env ASSAY_REDIS_URL); --replica-id NAME names it (env ASSAY_REPLICA_ID);
                --snapshot-dir PATH is shared by the replicas: hourly snapshots, and where
                a replica with an empty disk starts from (env ASSAY_SNAPSHOT_DIR)
  --auth        every request to /graphql, /ingest/* and /metrics needs an API key
                (\`assay keys create\`); always on when --host is not a loopback address
  --insecure    serve a non-loopback --host without keys (anyone who reaches the port
                can read and write everything)
  --cors-origin URL,…
                pages at these origins may call the API from a browser (CORS);
                by default no CORS headers are sent (the dashboard is same-origin)
  --rate-limit N/s|off
                requests a second per key (per client address without keys), bursts of
                2×N, beyond that 429 with Retry-After (default 50/s with keys, off without)
  --request-timeout MS
                deadline of a GraphQL request over HTTP: past it its DuckDB work is
                interrupted and it answers 504 TIMEOUT (default 30000; 0: none)
  --memory-limit SIZE
                DuckDB's memory (512MB, 1GiB, …; env ASSAY_MEMORY_LIMIT; default 512MB):
                larger queries spill to DB.tmp beside the file. Node's heap and the
                answer caches (up to about 320 MB) come on top
  --checkpoint-threshold SIZE
                the write-ahead log's size at which a write moves it into the file
                (env ASSAY_CHECKPOINT_THRESHOLD; default 64MB): larger spends less on
                checkpoints under steady ingest, and replays longer after a crash
${INFRA_USAGE}
${LIMIT_USAGE}

Refuses to start with keys on and no key in the database (exit 2).
Exits 3 when the port is taken or the database cannot be opened.`;

const FIRST_QUERY = `{ metrics(groupBy: [PROJECT], bucket: DAY, orderBy: { field: BUCKET, direction: DESC }, limit: 6) { group { project } bucket executions passRate p95: duration(stat: P95) } }`;

/** The usual reasons a port cannot be bound, as one line that says what to do. */
function listenError(err: unknown, host: string, port: number): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new UnavailableError(
      `port ${port} on ${host} is already in use (another \`assay serve\` or \`npm start\`?): ` +
        `pick another with --port N (\`npm start -- --port ${port + 1}\`), or --port 0 for any free port`,
    );
  }
  if (code === 'EACCES')
    return new UnavailableError(
      `not allowed to listen on port ${port} of ${host}: ports below 1024 need privileges; pick another with --port N`,
    );
  if (code === 'EADDRNOTAVAIL')
    return new UnavailableError(`${host} is not an address of this machine: pick another with --host`);
  return err;
}

/** createApp's config from the checked command line and the environment. */
async function appConfigOf(o: Awaited<ReturnType<typeof serveOptions>>, now: () => Date): Promise<AppConfig> {
  const { values } = o;
  const allow = values['webhook-allow'] ?? process.env['ASSAY_WEBHOOK_ALLOW'];
  const trusted = values['trusted-documents']
    ? (await import('./trust.ts')).readManifest(values['trusted-documents'])
    : null;
  const redis = values.redis ?? process.env['ASSAY_REDIS_URL'];
  const replicaId = values['replica-id'] ?? process.env['ASSAY_REPLICA_ID'];
  const snapshotDir = values['snapshot-dir'] ?? process.env['ASSAY_SNAPSHOT_DIR'];
  return {
    db: o.db,
    host: o.host,
    port: o.port,
    logLevel: o.level,
    now,
    dashboard: !values['no-dashboard'],
    ...(allow && { webhooks: { allow } }),
    ...(trusted && { trustedDocuments: trusted }),
    ...(redis && { redis }),
    ...(replicaId && { replicaId }),
    ...(snapshotDir && { snapshotDir }),
    auth: o.auth,
    corsOrigins: o.corsOrigins,
    ...(o.rateLimit !== undefined && { rateLimit: o.rateLimit }),
    requestTimeoutMs: o.requestTimeoutMs,
    ...(o.memoryLimit !== undefined && { memoryLimit: o.memoryLimit }),
    ...(o.checkpointThreshold !== undefined && { checkpointThreshold: o.checkpointThreshold }),
    infra: o.infra,
    limits: o.limits,
  };
}

/** Binds and releases the port, so a taken one is reported before the demo is generated and the database opened. */
async function checkPort(host: string, port: number): Promise<void> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err) => reject(listenError(err, host, port)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

async function listen(app: App, host: string, port: number): Promise<string> {
  try {
    return await app.listen();
  } catch (err) {
    await app.close();
    throw listenError(err, host, port);
  }
}

export async function serveCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  const options = await serveOptions(args);
  const { values, port, host, db, auth } = options;
  if (values.demo && db === ':memory:')
    throw new UsageError(
      '--demo needs a database file (the demo is generated before the server opens it); drop --db :memory:',
    );
  if (port !== 0) await checkPort(host, port);
  if (values.demo) {
    const [{ ensureDemo }, { startOfDayUtc }] = await Promise.all([
      import('./demo.ts'),
      import('../domain/time.ts'),
    ]);
    await ensureDemo(db, { end: startOfDayUtc(now()) }, out);
  }
  const { createApp } = await import('../server/app.ts');
  const config = await appConfigOf(options, now);
  let app: App;
  try {
    app = await createApp(config);
  } catch (err) {
    throw openError(db, err, 'stop it, or use another file with --db PATH');
  }
  if (auth && app.keys.active === 0) {
    await app.close();
    throw new UsageError(
      `API keys are on (${values.auth ? '--auth' : `--host ${host} is not loopback`}) but ${db} holds no key: ` +
        `create one with \`assay keys create --scope admin --db ${db}\`, or pass --insecure to serve without keys`,
    );
  }
  const url = await listen(app, host, port);
  out(`Assay is serving ${db} at ${url}${auth ? ' (API keys required)' : ''}`);
  if (values.insecure && !(await import('../server/app.ts')).isLoopback(host))
    out(`  Warning: --insecure: anyone who can reach ${host}:${port} can read and write everything.`);
  if (!values['no-dashboard']) out(`  Dashboard: open ${url.replace(/\/graphql$/, '/')} in a browser.`);
  out(`  GraphiQL: open ${url} in a browser. Health: ${url.replace(/\/graphql$/, '/healthz')}`);
  out(
    `  Try: curl -s ${url} -H 'content-type: application/json' -d '${JSON.stringify({ query: FIRST_QUERY })}'`,
  );

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
