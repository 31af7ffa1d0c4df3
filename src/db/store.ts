import * as alerts from './alerts.ts';
import { queryAttemptOutcomes, queryBreakerEvents } from './breakers.ts';
import { Database, type DatabaseOptions } from './database.ts';
import { queryFailurePatterns } from './failure-patterns.ts';
import { flakinessAggregates } from './flakiness.ts';
import { queryFlakinessByValue } from './flakiness-cause.ts';
import { queryGateFigures, queryNewFailures } from './gate.ts';
import { deleteRunsBefore } from './retention.ts';
import { exportResults } from './table-file.ts';
import { loadTableFile } from './bulk-load.ts';
import { queryMetrics } from './metrics.ts';
import { queryDurationHistory, queryRunPair } from './run-compare.ts';
import * as series from './series.ts';
import * as slices from './slices.ts';
import { toNumber } from './values.ts';
import { writeBatch, type WriterState } from './write-batch.ts';
import { queryWorkerLoads } from './workload.ts';
import type { ValidBatch } from '../domain/ingest-batch.ts';
import { asRunId, asTestId, type RunId, type TestId } from '../domain/ids.ts';
import type { PositionedStore } from '../domain/ports.ts';
import type { StoredBatch } from '../domain/types.ts';

export interface StoreOptions extends DatabaseOptions {
  /** Called inside the ingest transaction just before COMMIT; a throw rolls the batch back (tests use it to simulate a crash). */
  readonly beforeCommit?: () => void | Promise<void>;
  /** Clock for ingested_at stamps. @default () => new Date() */
  readonly now?: () => Date;
}

/** Opens (and migrates) the DuckDB store and implements the Store port over it. */
export async function openStore(
  options: StoreOptions = {},
): Promise<PositionedStore & { readonly db: Database }> {
  const db = await Database.open(options);
  const { beforeCommit, now = () => new Date() } = options;

  const [runs, tests, version] = await Promise.all([
    db.query<{ id: string; seq: bigint; project: string; branch: string | null; commit_sha: string | null }>(
      'SELECT id, seq, project, branch, commit_sha FROM runs',
    ),
    db.query<{ id: string }>('SELECT id FROM tests'),
    db.query<{ value: bigint }>("SELECT value FROM meta WHERE key = 'data_version'"),
  ]);
  const state: WriterState = {
    runs: new Map(
      runs.map((r) => [
        asRunId(r.id),
        { seq: toNumber(r.seq), project: r.project, branch: r.branch, commit: r.commit_sha },
      ]),
    ),
    tests: new Set(tests.map((t) => asTestId(t.id))),
  };
  let dataVersion = toNumber(version[0]?.value ?? 0);

  return {
    db,
    get dataVersion() {
      return dataVersion;
    },
    get statements() {
      return db.statements;
    },

    async ingest(batch: ValidBatch): Promise<StoredBatch> {
      const out = await db.write(async (tx) => {
        const w = await writeBatch(tx, batch, state, now());
        await beforeCommit?.();
        return w;
      });
      // Only after COMMIT: the writer's memory follows what is durable.
      state.runs.set(batch.run.id, {
        seq: out.runSeq,
        project: batch.run.project,
        branch: batch.run.branch,
        commit: batch.run.commit,
      });
      for (const id of out.newTests) state.tests.add(id);
      dataVersion = out.dataVersion;
      const run = (await slices.runsByIds(db, [batch.run.id])).get(batch.run.id)!;
      const finals = new Map<string, (typeof out.accepted)[number]>();
      for (const r of out.accepted) {
        const prev = finals.get(r.testId);
        if (!prev || prev.attempt < r.attempt) finals.set(r.testId, r);
      }
      let passed = 0;
      let failed = 0;
      for (const r of finals.values()) {
        if (r.status === 'PASSED') passed++;
        else if (r.status === 'FAILED' || r.status === 'ERROR') failed++;
      }
      return {
        run,
        accepted: out.accepted.length,
        duplicates: out.duplicates,
        passed,
        failed,
        dataVersion: out.dataVersion,
      };
    },

    resultsPage: (filter, first, after, order) => slices.resultsPage(db, filter, first, after, order),
    runsPage: (filter, first, after) => slices.runsPage(db, filter, first, after),
    testsPage: (filter, first, after, order) => slices.testsPage(db, filter, first, after, order),
    metrics: (q) => queryMetrics(db, q),
    testsByIds: (ids: readonly TestId[]) => slices.testsByIds(db, ids),
    runsByIds: (ids: readonly RunId[]) => slices.runsByIds(db, ids),
    statsByTestIds: (ids: readonly TestId[]) => slices.statsByTestIds(db, ids),
    historyByTestIds: (ids: readonly TestId[], last: number) => slices.historyByTestIds(db, ids, last),
    counts: () => slices.counts(db),
    series: (q) => series.querySeries(db, q),
    samples: (q) => series.querySamples(db, q),
    flakinessHistory: (filter, limit) => series.queryFlakinessHistory(db, filter, limit),
    flakinessAggregates: (filter, options) => flakinessAggregates(db, filter, options),
    flakinessByValue: (filter, testIds, options) => queryFlakinessByValue(db, filter, testIds, options),
    executionVectors: (q) => series.queryExecutionVectors(db, q),
    gateFigures: (filter, baseBranch) => queryGateFigures(db, filter, baseBranch),
    newFailures: (filter, limit) => queryNewFailures(db, filter, limit),
    async deleteRunsBefore(cutoff, { dryRun = false } = {}) {
      const { runIds, testIds, ...outcome } = await db.write((tx) => deleteRunsBefore(tx, cutoff, dryRun));
      if (dryRun || outcome.runs === 0) return outcome;
      for (const id of runIds) state.runs.delete(asRunId(id));
      for (const id of testIds) state.tests.delete(asTestId(id));
      dataVersion++;
      await db.checkpoint();
      return outcome;
    },
    exportResults: (filter, format, file) => exportResults(db, filter, format, file),
    async loadTableFile(file, format) {
      const { newRuns, newTests, ...summary } = await db.write((tx) =>
        loadTableFile(tx, file, format, now()),
      );
      // Only after COMMIT, as for ingest.
      for (const r of newRuns)
        state.runs.set(asRunId(r.id), { seq: r.seq, project: r.project, branch: r.branch, commit: r.commit });
      for (const id of newTests) state.tests.add(asTestId(id));
      dataVersion = summary.dataVersion;
      return summary;
    },
    workerLoads: (filter) => queryWorkerLoads(db, filter),
    failurePatterns: (filter, first) => queryFailurePatterns(db, filter, first),
    breakerEvents: (filter) => queryBreakerEvents(db, filter),
    attemptOutcomes: (filter, windows) => queryAttemptOutcomes(db, filter, windows),
    runPair: (base, head) => queryRunPair(db, base, head),
    durationHistory: (ids, before, exclude, last) => queryDurationHistory(db, ids, before, exclude, last),
    rules: () => alerts.rules(db),
    rule: (id) => alerts.rule(db, id),
    saveRule: (r) => alerts.saveRule(db, r),
    deleteRule: (id) => alerts.deleteRule(db, id),
    insertAlert: (a, id) => alerts.insertAlert(db, a, id),
    fireAlert: (a, state, id) => alerts.fireAlert(db, a, state, id),
    alert: (id) => alerts.alert(db, id),
    alertsPage: (filter, first, after) => alerts.alertsPage(db, filter, first, after),
    acknowledgeAlert: (id, at) => alerts.acknowledgeAlert(db, id, at),
    resolveAlert: (id, at) => alerts.resolveAlert(db, id, at),
    recordDelivery: (id, d) => alerts.recordDelivery(db, id, d),
    alertStates: (ruleId) => alerts.alertStates(db, ruleId),
    saveAlertState: (st) => alerts.saveAlertState(db, st),
    deleteAlertStates: (ruleId) => alerts.deleteAlertStates(db, ruleId),
    position: () => db.position(),
    atPosition: (id, write) => db.atPosition(id, write),
    close: () => db.close(),
  };
}
