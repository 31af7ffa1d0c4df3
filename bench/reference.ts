/**
 * The reference data set of the speed goals (10M results): `tests` tests, each run
 * in `runs` runs of its project, one result per test per run plus retries,
 * generated in DuckDB SQL from a seed into bench/data/, and reused while its
 * parameters match. See bench/README.md ("The reference data set"). Its shape is
 * in reference-shape.ts, its SQL in reference-sql.ts, the build in reference-build.ts.
 *
 * Also a CLI, so the bench can build the set in a child process (its memory
 * then never counts against the server's):
 *   node --import tsx bench/reference.ts [--tests 5000] [--runs 2000] [--seed 42] [--json]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Database } from '../src/db/database.ts';
import { MIGRATIONS } from '../src/db/migrations.ts';
import { toNumber } from '../src/db/values.ts';
import { build, fileMb } from './reference-build.ts';
import { DAYS, END, GENERATOR_VERSION, REFERENCE_PROJECTS } from './reference-shape.ts';

export const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

interface ReferenceOptions {
  /** @default 5000 */
  readonly tests?: number;
  /** Runs per project; every test of a project runs in each of them. @default 2000 */
  readonly runs?: number;
  /** @default 42 */
  readonly seed?: number;
  /** The file; default bench/data/reference-<tests>x<runs>-s<seed>.duckdb. */
  readonly path?: string;
  readonly onProgress?: (message: string) => void;
}

export interface ReferenceSet {
  readonly path: string;
  readonly results: number;
  readonly executions: number;
  /** Run rows: `runsPerProject` × the number of projects. */
  readonly runs: number;
  readonly runsPerProject: number;
  readonly tests: number;
  readonly projects: readonly string[];
  readonly seed: number;
  readonly from: string;
  readonly to: string;
  readonly reused: boolean;
  /** This call's build time (0 when reused), and the stored set's own build time. */
  readonly buildSeconds: number;
  readonly builtSeconds: number;
  readonly fileMb: number;
}

/** What must match for a stored file to be reused. */
function parametersOf(
  tests: number,
  runs: number,
  seed: number,
  duckdb: string,
): Record<string, string | number> {
  return {
    generator: GENERATOR_VERSION,
    schema: Math.max(...MIGRATIONS.map((m) => m.version)),
    duckdb,
    tests,
    runs,
    seed,
    days: DAYS,
    end: END.toISOString(),
  };
}

const referencePath = (tests: number, runs: number, seed: number): string =>
  join(DATA_DIR, `reference-${tests}x${runs}-s${seed}.duckdb`);

function removeFile(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}

interface Stored {
  readonly params: string;
  readonly built_seconds: number;
  readonly complete: boolean;
}

/**
 * Reads the stored parameters with a bare DuckDB instance, before
 * Database.open would migrate (and, for some migrations, backfill) a file
 * that is about to be rebuilt anyway.
 */
async function readStored(path: string): Promise<{ stored: Stored | null; duckdb: string }> {
  const instance = await DuckDBInstance.create(path);
  try {
    const c = await instance.connect();
    try {
      const version = String(
        (await c.runAndReadAll('SELECT version() AS v')).getRowObjectsJS()[0]?.['v'] ?? '',
      );
      const has = await c.runAndReadAll(
        "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'bench_reference'",
      );
      if (toNumber(has.getRowObjectsJS()[0]?.['n'] ?? 0) === 0) return { stored: null, duckdb: version };
      const rows = (
        await c.runAndReadAll(
          `SELECT params::VARCHAR AS params, built_seconds,
                (SELECT count(*) FROM results) = results AND (SELECT count(*) FROM runs) = runs AS complete
         FROM bench_reference`,
        )
      ).getRowObjectsJS();
      const r = rows[0];
      return {
        stored: r
          ? {
              params: String(r['params']),
              built_seconds: Number(r['built_seconds']),
              complete: r['complete'] === true,
            }
          : null,
        duckdb: version,
      };
    } finally {
      c.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

async function duckdbVersion(): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const c = await instance.connect();
    const v = String((await c.runAndReadAll('SELECT version() AS v')).getRowObjectsJS()[0]?.['v'] ?? '');
    c.closeSync();
    return v;
  } finally {
    instance.closeSync();
  }
}

async function facts(
  db: Database,
): Promise<{ results: number; executions: number; runs: number; tests: number }> {
  const [r] = await db.query<{ results: bigint; executions: bigint; runs: bigint; tests: bigint }>(
    'SELECT (SELECT count(*) FROM results) AS results, (SELECT count(*) FROM executions) AS executions, (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM tests) AS tests',
  );
  return {
    results: toNumber(r?.results ?? 0),
    executions: toNumber(r?.executions ?? 0),
    runs: toNumber(r?.runs ?? 0),
    tests: toNumber(r?.tests ?? 0),
  };
}

/**
 * The reference set at `path`: reused when the file exists and was built
 * with the same parameters (generator version, schema version, DuckDB
 * version, tests, runs, seed, days, end), else rebuilt from scratch.
 */
async function ensureReferenceSet(options: ReferenceOptions = {}): Promise<ReferenceSet> {
  const { tests = 5000, runs = 2000, seed = 42, onProgress = () => {} } = options;
  if (!Number.isInteger(tests) || tests < REFERENCE_PROJECTS.length * 40)
    throw new RangeError(
      `tests must be a whole number of at least ${REFERENCE_PROJECTS.length * 40}, got ${tests}`,
    );
  if (!Number.isInteger(runs) || runs < 10)
    throw new RangeError(`runs must be a whole number of at least 10, got ${runs}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const path = options.path ?? referencePath(tests, runs, seed);
  mkdirSync(dirname(path), { recursive: true });

  let reused = false;
  let buildSeconds = 0;
  let builtSeconds = 0;
  if (existsSync(path)) {
    const { stored, duckdb } = await readStored(path).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      // Another process has it open (a second bench, a server): never delete a file in use.
      if (/lock/i.test(message))
        throw new Error(`cannot check the reference set ${path}: ${message}`, { cause: err });
      return { stored: null, duckdb: '' }; // not a DuckDB file we can read: rebuilt below
    });
    const params = parametersOf(tests, runs, seed, duckdb);
    if (stored?.complete && stored.params === JSON.stringify(params)) {
      reused = true;
      builtSeconds = stored.built_seconds;
      onProgress(`reference set: reusing ${path} (built in ${builtSeconds} s)`);
    } else {
      const wanted = JSON.stringify(params);
      const differ = (() => {
        try {
          const had = JSON.parse(stored?.params ?? '{}') as Record<string, unknown>;
          return Object.keys(params)
            .filter((k) => had[k] !== params[k])
            .map((k) => `${k} ${JSON.stringify(had[k])} → ${JSON.stringify(params[k])}`)
            .join(', ');
        } catch {
          return wanted;
        }
      })();
      onProgress(
        `reference set: ${path} ${!stored ? 'is not a finished reference set' : !stored.complete ? 'is incomplete' : `was built with other parameters (${differ})`}; rebuilding`,
      );
    }
  }
  if (!reused) {
    removeFile(path);
    const params = parametersOf(tests, runs, seed, await duckdbVersion());
    buildSeconds = builtSeconds = await build(path, tests, runs, seed, params, onProgress);
  }
  const db = await Database.open({ path, readers: 1 });
  try {
    const f = await facts(db);
    return {
      path,
      ...f,
      runsPerProject: runs,
      projects: REFERENCE_PROJECTS.map((p) => p.project),
      seed,
      from: new Date(END.getTime() - DAYS * 86_400_000).toISOString(),
      to: END.toISOString(),
      reused,
      buildSeconds,
      builtSeconds,
      fileMb: fileMb(path),
    };
  } finally {
    await db.close();
  }
}

/**
 * ensureReferenceSet in a child process (this file's CLI), so the build's
 * memory (DuckDB holds up to a few GB while it folds 10M results) never
 * shows in the calling process's resident set. Progress goes to stderr.
 */
export function ensureReferenceSetInChild(options: {
  tests: number;
  runs: number;
  seed: number;
}): Promise<ReferenceSet> {
  const script = fileURLToPath(import.meta.url);
  const args = [
    '--import',
    'tsx',
    script,
    '--tests',
    String(options.tests),
    '--runs',
    String(options.runs),
    '--seed',
    String(options.seed),
    '--json',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0)
        return reject(
          new Error(`building the reference set failed (exit code ${code}); see the messages above`),
        );
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as ReferenceSet);
      } catch {
        reject(new Error(`the reference set builder printed no result: ${out.slice(0, 300)}`));
      }
    });
  });
}

// ---------------------------------------------------------------- CLI

function cli(argv: readonly string[]): { tests: number; runs: number; seed: number; json: boolean } {
  const out = { tests: 5000, runs: 2000, seed: 42, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') out.json = true;
    else if (a === '--tests' || a === '--runs' || a === '--seed') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v)) throw new Error(`${a} needs a whole number`);
      out[a.slice(2) as 'tests' | 'runs' | 'seed'] = v;
    } else
      throw new Error(
        `unknown argument ${a}; usage: reference.ts [--tests N] [--runs N] [--seed N] [--json]`,
      );
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = cli(process.argv.slice(2));
  const log = (m: string) =>
    process.stderr.write(`[reference ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  ensureReferenceSet({ ...args, onProgress: log }).then(
    (set) => {
      process.stdout.write(args.json ? `${JSON.stringify(set)}\n` : `${JSON.stringify(set, null, 2)}\n`);
    },
    (err: unknown) => {
      process.stderr.write(
        `reference set failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
