import type { Database } from './database.ts';
import { Params, resultFilterSql, where } from './sql.ts';
import { toNumber, ts } from './values.ts';
import type { AttemptOutcomes, AttemptWindow, StoredBreakerEvent } from '../domain/breakers.ts';
import type { BreakerState, ResultFilter } from '../domain/types.ts';

/** Filter fields that name runs; any other (suite, worker, tags…) selects runs through their executions. */
const RUN_FIELDS = { project: 'project', branch: 'branch', commit: 'commit_sha', runId: 'id' } as const;

/** Which runs' transitions a slice covers: by the runs table when the filter names only runs, else by the runs of its executions. */
function runCondition(filter: ResultFilter, p: Params): string | null {
  const { from: _from, to: _to, ...rest } = filter;
  const given = Object.entries(rest)
    .filter(([, v]) => Array.isArray(v) && v.length > 0)
    .map(([k]) => k);
  if (!given.length) return null;
  if (given.every((k) => k in RUN_FIELDS)) {
    const conds = given.map(
      (k) =>
        `${RUN_FIELDS[k as keyof typeof RUN_FIELDS]} IN (${p.list(rest[k as keyof typeof RUN_FIELDS]!)})`,
    );
    return `run_seq IN (SELECT seq FROM runs WHERE ${conds.join(' AND ')})`;
  }
  return `run_seq IN (SELECT DISTINCT run_seq FROM executions ${where(resultFilterSql(rest, p))})`;
}

/**
 * The transitions of every breaker ingested with the slice's runs, within
 * its time range (on the transition's time), oldest first per breaker; a
 * transition sent twice (a re-sent batch) is read once. The horizon is the
 * latest end (finish, else start) of those runs or transition, clipped to
 * filter.to: where observation of the breakers stops.
 */
export async function queryBreakerEvents(
  db: Database,
  filter: ResultFilter,
): Promise<{ events: StoredBreakerEvent[]; horizon: Date | null }> {
  const p = new Params();
  const conds: string[] = [];
  const runs = runCondition(filter, p);
  if (runs) conds.push(runs);
  if (filter.from) conds.push(`occurred_at >= ${p.bind(ts(filter.from))}`);
  if (filter.to) conds.push(`occurred_at < ${p.bind(ts(filter.to))}`);
  const rows = await db.query<{
    name: string;
    at: Date;
    from_state: string;
    to_state: string;
    reason: string | null;
    horizon: Date | null;
  }>(
    `WITH e AS (
       SELECT name, occurred_at, from_state, to_state, min(reason) AS reason, min(rowid) AS ord, min(run_seq) AS run_seq
       FROM breaker_events ${where(conds)} GROUP BY name, occurred_at, from_state, to_state
     )
     SELECT name, occurred_at AS at, from_state, to_state, reason,
            greatest((SELECT max(occurred_at) FROM e), (SELECT max(coalesce(finished_at, started_at)) FROM runs WHERE seq IN (SELECT run_seq FROM e))) AS horizon
     FROM e ORDER BY name, occurred_at, ord`,
    p.values,
  );
  let horizon = rows[0]?.horizon ?? null;
  if (horizon && filter.to && filter.to < horizon) horizon = filter.to;
  return {
    events: rows.map((r) => ({
      name: r.name,
      at: r.at,
      from: r.from_state as BreakerState,
      to: r.to_state as BreakerState,
      reason: r.reason,
    })),
    horizon,
  };
}

/**
 * Attempts of the slice that ran, and those that failed or errored, on each
 * window's worker and within it ([from, to), unbounded where null), summed
 * per key: one range join.
 */
export async function queryAttemptOutcomes(
  db: Database,
  filter: ResultFilter,
  windows: readonly AttemptWindow[],
): Promise<Map<string, AttemptOutcomes>> {
  const out = new Map<string, AttemptOutcomes>();
  if (!windows.length) return out;
  const p = new Params();
  const json = p.bind(
    JSON.stringify(
      windows.map((w) => ({
        key: w.key,
        worker: w.worker,
        t0: w.from?.getTime() ?? null,
        t1: w.to?.getTime() ?? null,
      })),
    ),
  );
  const workers = [...new Set(windows.map((w) => w.worker))];
  const conds = [...resultFilterSql(filter, p), "status <> 'SKIPPED'", `worker IN (${p.list(workers)})`];
  const rows = await db.query<{ key: string; ran: bigint; failed: bigint }>(
    `WITH w AS (
       SELECT key, worker, coalesce(epoch_ms(t0), '-infinity'::TIMESTAMP) AS t0, coalesce(epoch_ms(t1), 'infinity'::TIMESTAMP) AS t1
       FROM (SELECT unnest(from_json(${json}::JSON, '[{"key":"VARCHAR","worker":"VARCHAR","t0":"BIGINT","t1":"BIGINT"}]'), recursive := true))
     ),
     r AS (SELECT worker, started_at, status IN ('FAILED', 'ERROR') AS failed FROM results ${where(conds)})
     SELECT w.key, count(*) AS ran, count(*) FILTER (WHERE r.failed) AS failed
     FROM r JOIN w ON r.worker = w.worker AND r.started_at >= w.t0 AND r.started_at < w.t1
     GROUP BY w.key`,
    p.values,
  );
  for (const r of rows) out.set(r.key, { ran: toNumber(r.ran), failed: toNumber(r.failed) });
  return out;
}
