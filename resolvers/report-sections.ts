import { quarantinedInSlice } from './quarantine.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { ReportData, ReportStore, ReportTestRef } from '../src/domain/report.ts';
import type { Measure, ResultFilter, Test } from '../src/domain/types.ts';

/** The parts of a report read fresh on every call (they change without an ingest), and the marked runs. */

/** Days a report covers when the slice gives no start. */
const REPORT_DAYS = 30;

/** The slice a report covers, and the instant its figures run up to. */
interface ReportSlice {
  readonly f: ResultFilter;
  readonly end: Date;
}

/**
 * The slice a report covers. A slice that says from when keeps it. One that
 * names runs or commits covers them whatever their age: it starts on the day
 * of their earliest execution. Any other slice covers REPORT_DAYS up to its
 * `to` (or now).
 */
export async function reportSlice(
  store: ReportStore,
  filter: ResultFilter | null | undefined,
  now: Date,
): Promise<ReportSlice> {
  const end = filter?.to && filter.to < now ? filter.to : now;
  if (filter?.from) return { f: filter, end };
  if (filter?.runId?.length || filter?.commit?.length) {
    const [first] = await store.metrics({
      filter,
      groupBy: [],
      groupByTags: [],
      bucket: 'DAY',
      measures: [{ kind: 'count', name: 'executions' }],
      orderBy: { field: 'BUCKET', direction: 'ASC' },
      limit: 1,
    });
    // Nothing stored for those runs: the usual window, so the report is an honest empty one.
    if (first?.bucket) return { f: { ...filter, from: first.bucket }, end };
  }
  return { f: { ...filter, from: new Date(end.getTime() - REPORT_DAYS * 86_400_000) }, end };
}

export const RAN: readonly Measure[] = [
  { kind: 'count', name: 'executions' },
  { kind: 'count', name: 'skipped' },
];

export const ref = (t: Test | undefined, id: string): ReportTestRef => ({
  id,
  suite: t?.suite ?? '',
  className: t?.className ?? null,
  name: t?.name ?? id,
});

/** Unresolved alerts of the slice's projects in its range, read fresh: acknowledging one changes it without an ingest. */
export async function openAlerts(
  store: ReportStore,
  f: ResultFilter,
  top: number,
): Promise<ReportData['alerts']> {
  const page = await store.alertsPage(
    { project: f.project, resolved: false, from: f.from, to: f.to },
    top,
    null,
  );
  return page.nodes.map(({ node: a }) => ({
    severity: a.severity,
    kind: a.kind,
    message: a.message,
    firedAt: a.firedAt,
    acknowledged: a.acknowledgedAt !== null,
  }));
}

/** The slice's quarantined tests (read fresh: quarantine changes without an ingest); undefined when none. */
export async function quarantineSection(
  deps: FeatureDeps<ReportStore, 'now'>,
  f: ResultFilter,
  now: Date,
): Promise<ReportData['quarantined']> {
  const q = await quarantinedInSlice(deps, f, now);
  if (!q.entries.length) return undefined;
  const names = await deps.store.testsByIds(q.entries.map((e) => e.testId));
  const rows = await deps.store.metrics({
    filter: { ...f, testId: q.entries.map((e) => e.testId) },
    groupBy: ['TEST'],
    groupByTags: [],
    bucket: 'NONE',
    measures: RAN,
    orderBy: null,
    limit: q.entries.length,
  });
  const ran = new Map(
    rows.map((r) => [r.group.testId, (r.values['executions'] ?? 0) - (r.values['skipped'] ?? 0)]),
  );
  const failed = new Map(q.failing.map((x) => [x.testId, x.failures]));
  return {
    tests: q.entries.length,
    failures: q.failures,
    entries: q.entries
      .map((e) => ({
        ...ref(names.get(e.testId), e.testId),
        source: e.source,
        owner: e.owner,
        reason: e.reason,
        since: e.since,
        expiresAt: e.expiresAt,
        executions: ran.get(e.testId) ?? 0,
        failures: failed.get(e.testId) ?? 0,
      }))
      .sort((a, b) => b.failures - a.failures || (a.id < b.id ? -1 : 1)),
  };
}

/** The slice's runs and workers marked as infrastructure failures (its projects, branches, runs and time range); undefined when none. */
export async function infraSection(
  store: ReportStore,
  f: ResultFilter,
  top: number,
): Promise<ReportData['infrastructureFailures']> {
  const marks = await store.infrastructureFailures(
    { project: f.project, branch: f.branch, runId: f.runId, from: f.from, to: f.to },
    top,
  );
  if (!marks.length) return undefined;
  return marks.map((m) => ({
    runId: m.runId,
    worker: m.worker,
    runStartedAt: m.runStartedAt,
    reason: m.reason,
    pattern: m.pattern,
    executions: m.executions,
    failures: m.failures,
    burstSeconds: m.burstSeconds,
  }));
}
