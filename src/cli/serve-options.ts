import type { LogLevel } from '../server/logger.ts';
import { UsageError, intOption, parse } from './args.ts';
import { INFRA_OPTIONS, infraThresholdOptions } from './infra-options.ts';
import { LIMIT_OPTIONS, limitOptions } from './limit-options.ts';
import { defaults } from './target.ts';

/**
 * `assay serve`'s command line, read and checked: a bad option exits 2 before
 * anything is opened. The server's modules are imported only here, when the
 * command runs, so `assay --help` loads none of them.
 */
export async function serveOptions(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const { values } = parse(args, {
    db: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    demo: { type: 'boolean' },
    'log-level': { type: 'string' },
    'no-dashboard': { type: 'boolean' },
    'webhook-allow': { type: 'string' },
    'trusted-documents': { type: 'string' },
    redis: { type: 'string' },
    'replica-id': { type: 'string' },
    'snapshot-dir': { type: 'string' },
    auth: { type: 'boolean' },
    insecure: { type: 'boolean' },
    'cors-origin': { type: 'string' },
    'rate-limit': { type: 'string' },
    'request-timeout': { type: 'string' },
    'memory-limit': { type: 'string' },
    'checkpoint-threshold': { type: 'string' },
    ...INFRA_OPTIONS,
    ...LIMIT_OPTIONS,
  });
  const level = (values['log-level'] ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(level))
    throw new UsageError(`--log-level must be debug, info, warn, error or silent (got "${level}")`);
  const port = intOption('port', values.port, 4000, 0, 65535);
  const requestTimeoutMs = intOption('request-timeout', values['request-timeout'], 30_000, 0, 3_600_000);
  const host = values.host ?? '127.0.0.1';
  const db = values.db ?? defaults().db;
  if (values.auth && values.insecure) throw new UsageError('give --auth or --insecure, not both');
  const [{ isLoopback }, { parseRateLimit }, { memoryLimit, checkpointThreshold }] = await Promise.all([
    import('../server/app.ts'),
    import('../server/rate-limit.ts'),
    duckdbSizes(values, env),
  ]);
  let rateLimit: ReturnType<typeof parseRateLimit> | undefined;
  try {
    rateLimit = values['rate-limit'] === undefined ? undefined : parseRateLimit(values['rate-limit']);
  } catch (err) {
    throw new UsageError(`--rate-limit: ${(err as Error).message}`);
  }
  const auth = values.insecure ? false : (values.auth ?? !isLoopback(host));
  const corsOrigins = (values['cors-origin'] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of corsOrigins) {
    let origin: string | null = null;
    try {
      origin = new URL(o).origin;
    } catch {
      origin = null;
    }
    if (origin !== o)
      throw new UsageError(
        `--cors-origin takes origins such as https://dash.example.com (scheme, host and port, no path; got "${o}")`,
      );
  }
  // Checked here, before the database is opened or the demo generated: a bad one exits 2.
  const infra = infraThresholdOptions(values);
  const limits = limitOptions(values);
  return {
    values,
    level,
    port,
    requestTimeoutMs,
    host,
    db,
    rateLimit,
    auth,
    corsOrigins,
    memoryLimit,
    checkpointThreshold,
    infra,
    limits,
  };
}

/** --memory-limit and --checkpoint-threshold, each else its ASSAY_ variable, checked; undefined leaves the database's default. */
async function duckdbSizes(
  values: {
    readonly 'memory-limit'?: string | undefined;
    readonly 'checkpoint-threshold'?: string | undefined;
  },
  env: NodeJS.ProcessEnv,
): Promise<{ memoryLimit: string | undefined; checkpointThreshold: string | undefined }> {
  const { parseCheckpointThreshold, parseMemoryLimit } = await import('../db/duckdb-sizes.ts');
  const sizeOf = (name: 'memory-limit' | 'checkpoint-threshold', parse: (text: string) => string) => {
    const variable = `ASSAY_${name.replaceAll('-', '_').toUpperCase()}`;
    const flag = values[name];
    const [raw, from] = flag !== undefined ? [flag, `--${name}`] : [env[variable] || undefined, variable];
    if (raw === undefined) return undefined;
    try {
      return parse(raw);
    } catch (err) {
      throw new UsageError(`${from}: ${(err as Error).message}`);
    }
  };
  return {
    memoryLimit: sizeOf('memory-limit', parseMemoryLimit),
    checkpointThreshold: sizeOf('checkpoint-threshold', parseCheckpointThreshold),
  };
}
