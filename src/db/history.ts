import { listValue, timestampValue } from '@duckdb/node-api';
import type { Database } from './database.ts';
import { RESULT_COLUMNS, toResult } from './slices.ts';
import { Params } from './sql.ts';
import type { Result } from '../domain/types.ts';

/** Runs searched first for one test's latest attempts, per attempt asked for; doubled until enough. */
const RUNS_PER_ATTEMPT = 8;

/**
 * The last `last` attempts of each test (newest by start, then id), oldest first. Both one test
 * (a test's page) and several (a page of tests, each with its latest attempts) read only the
 * newest runs when they can prove the latest attempts are all there; several tests choose their
 * attempts on narrow columns first, then read those rows within their run-seq range, which the
 * zone maps prune by.
 */
export async function historyByTestIds(
  db: Database,
  ids: readonly string[],
  last: number,
): Promise<Map<string, Result[]>> {
  const out = new Map<string, Result[]>(ids.map((id) => [id, []]));
  const [only] = ids;
  const rows =
    ids.length === 1 && only !== undefined ? await oneTest(db, only, last) : await manyTests(db, ids, last);
  for (const r of rows) out.get(r['test_id'] as string)?.push(toResult(r));
  return out;
}

/** A round's outcome: its answer, proven; or look again over twice the runs, or over every run. */
type Round<T> = { readonly found: T } | 'wider' | 'everyRun';

/**
 * The search both share: rounds over the runs with seq ≥ S, newest first, S starting `last` ×
 * RUNS_PER_ATTEMPT runs before the newest and halving its distance to the first run each time
 * `round` cannot prove its answer there (or going to the first run at once when it says so).
 * Over every run (`everyRun`) nothing older can be missing, so that round must answer.
 */
async function newestRuns<T>(
  db: Database,
  last: number,
  round: (from: bigint, everyRun: boolean) => Promise<Round<T>>,
): Promise<T> {
  const [bounds] = await db.query<{ lo: bigint | null; hi: bigint | null }>(
    'SELECT min(seq) AS lo, max(seq) AS hi FROM runs',
  );
  const lo = bounds?.lo ?? 0n;
  const hi = bounds?.hi ?? 0n;
  for (let span = BigInt(last * RUNS_PER_ATTEMPT); ; span *= 2n) {
    const from = hi - span > lo ? hi - span : lo;
    const r = await round(from, from === lo);
    if (typeof r === 'object') return r.found;
    if (from === lo) throw new Error('a round over every run must answer');
    if (r === 'everyRun') span = hi - lo;
  }
}

/** The `last`-th newest attempt of a test: where its latest attempts begin. */
interface Edge {
  readonly us: bigint;
  readonly id: bigint;
}

/**
 * One test's latest attempts. Results sit in run-seq order, so the newest runs are a few
 * row groups: find the `last`-th newest attempt among runs with seq ≥ S, and check that no
 * attempt in an older run is newer than it (a look for one row, pruned by start-time zone
 * maps); otherwise S halves its distance to the first run until it covers every run. The
 * answer is then every attempt of those runs from that edge on: a plain filter, not a top-N,
 * which DuckDB would answer by reading every column of the whole seq range (late
 * materialisation with a row-id filter it only prunes by).
 */
function oneTest(db: Database, testId: string, last: number) {
  return newestRuns(db, last, async (from, everyRun) => {
    const edge = await nthNewest(db, testId, last, from);
    // Over every run, the edge bounds the answer (no edge: fewer than `last` attempts, all of them).
    if (everyRun || (edge && !(await newerBefore(db, from, [{ test_id: testId, ...edge }]))))
      return { found: await attemptsFrom(db, testId, from, edge) };
    return 'wider';
  });
}

/** The test's `last`-th newest attempt in runs with seq ≥ `from`; null when it has fewer there. */
async function nthNewest(db: Database, testId: string, last: number, from: bigint): Promise<Edge | null> {
  const [edge] = await db.query<{ us: bigint; id: bigint }>(
    `SELECT epoch_us(r.started_at) AS us, r.id FROM results r WHERE r.test_id = $1 AND r.run_seq >= $2
     ORDER BY r.started_at DESC, r.id DESC LIMIT 1 OFFSET $3`,
    [testId, from, last - 1],
  );
  return edge ?? null;
}

/** The test's attempts in runs with seq ≥ `from`, from `edge` on (all of them without one), oldest first. */
function attemptsFrom(db: Database, testId: string, from: bigint, edge: Edge | null) {
  const params = [testId, from, ...(edge ? [timestampValue(edge.us), edge.id] : [])];
  const fromEdge = edge ? 'AND r.started_at >= $3 AND (r.started_at > $3 OR r.id >= $4)' : '';
  return db.query(
    `SELECT ${RESULT_COLUMNS} FROM results r JOIN runs ru ON ru.seq = r.run_seq
     WHERE r.test_id = $1 AND r.run_seq >= $2 ${fromEdge} ORDER BY r.started_at, r.id`,
    params,
  );
}

/**
 * Several tests' latest attempts, chosen as oneTest chooses one test's: among runs with seq ≥ S,
 * each test's `last` newest attempts on narrow columns (the zone maps prune the older runs'
 * row groups); proven when every test has `last` of them there and no run older than S holds an
 * attempt newer than a test's oldest chosen one (a look pruned by start-time zone maps);
 * otherwise S halves its distance to the first run, or goes to the first run at once when some
 * test has fewer than `last` attempts there. Then the chosen rows are read whole within their
 * run-seq range.
 */
async function manyTests(db: Database, ids: readonly string[], last: number) {
  const chosen = await newestRuns(db, last, async (from, everyRun) => {
    const round = await chooseNewest(db, ids, last, from);
    if (everyRun) return { found: round };
    const edges = edgesOf(round, last);
    // A test with fewer than `last` attempts in these runs may have the rest in any older run:
    // the next round reads every run (doubling back would read the newest ones again and again).
    if (ids.some((id) => !edges.has(id))) return 'everyRun';
    return (await newerBefore(db, from, [...edges.values()])) ? 'wider' : { found: round };
  });
  if (!chosen.length) return [];
  const seqs = chosen.map((c) => c.run_seq);
  return db.query(
    `SELECT ${RESULT_COLUMNS} FROM results r JOIN runs ru ON ru.seq = r.run_seq
     WHERE r.id IN (SELECT unnest($1::BIGINT[])) AND r.run_seq BETWEEN $2 AND $3
     ORDER BY r.test_id, r.started_at, r.id`,
    [
      listValue(chosen.map((c) => c.id)),
      seqs.reduce((a, b) => (b < a ? b : a)),
      seqs.reduce((a, b) => (b > a ? b : a)),
    ],
  );
}

type Chosen = {
  readonly id: bigint;
  readonly run_seq: bigint;
  readonly test_id: string;
  readonly us: bigint;
};

/** Each test's `last` newest attempts in runs with seq ≥ `from` (fewer where it has fewer there). */
function chooseNewest(db: Database, ids: readonly string[], last: number, from: bigint) {
  const p = new Params();
  return db.query<Chosen>(
    `SELECT r.id, r.run_seq, r.test_id, epoch_us(r.started_at) AS us FROM results r
     WHERE r.test_id IN (${p.list(ids)}) AND r.run_seq >= ${p.bind(from)}
     QUALIFY row_number() OVER (PARTITION BY r.test_id ORDER BY r.started_at DESC, r.id DESC) <= ${p.bind(last)}`,
    p.values,
  );
}

/** Each test's edge, its oldest chosen attempt, for the tests with `last` of them chosen. */
function edgesOf(chosen: readonly Chosen[], last: number): Map<string, Chosen> {
  const counts = new Map<string, { n: number; edge: Chosen }>();
  for (const c of chosen) {
    const e = counts.get(c.test_id);
    const older = !e || c.us < e.edge.us || (c.us === e.edge.us && c.id < e.edge.id);
    counts.set(c.test_id, { n: (e?.n ?? 0) + 1, edge: older ? c : e.edge });
  }
  return new Map([...counts].filter(([, e]) => e.n >= last).map(([id, e]) => [id, e.edge]));
}

/** Whether a run with seq < `from` holds an attempt of some test newer than that test's edge. */
async function newerBefore(
  db: Database,
  from: bigint,
  edges: readonly (Edge & { readonly test_id: string })[],
): Promise<boolean> {
  const newer = await db.query(
    `SELECT 1 AS found FROM results r
     JOIN (SELECT unnest($1::VARCHAR[]) AS test_id, make_timestamp(unnest($2::BIGINT[])) AS at, unnest($3::BIGINT[]) AS id) e
       ON e.test_id = r.test_id
     WHERE r.run_seq < $4 AND r.started_at >= $5 AND (r.started_at > e.at OR (r.started_at = e.at AND r.id > e.id))
     LIMIT 1`,
    [
      listValue(edges.map((e) => e.test_id)),
      listValue(edges.map((e) => e.us)),
      listValue(edges.map((e) => e.id)),
      from,
      timestampValue(edges.reduce((a, e) => (e.us < a ? e.us : a), edges[0]!.us)),
    ],
  );
  return newer.length > 0;
}
