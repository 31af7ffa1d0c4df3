import { pageSize } from './args.ts';
import { evaluateQuarantine, type EvaluationDeps } from './quarantine-evaluation.ts';
import type { IngestNotice } from '../src/domain/alerts.ts';
import type { SliceStore } from '../src/domain/slices.ts';
import type { TestId } from '../src/domain/ids.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { QuarantineAuditEvent, QuarantineStatus, QuarantineStore } from '../src/domain/quarantine.ts';
import type { ResultFilter } from '../src/domain/types.ts';

// Quarantine's reads, and what runs after an ingest; people's changes are in quarantine-actions.ts,
// the clock's and the rules' in quarantine-evaluation.ts.

/** After an ingest, quarantine also reads the run's tests from the slice's counts. */
type QDeps = EvaluationDeps & { readonly store: Pick<SliceStore, 'metrics'> };

export interface QuarantineFilter {
  readonly project?: readonly string[] | null | undefined;
  readonly testId?: readonly string[] | null | undefined;
  /** Also entries that ended or stopped counting (history). */
  readonly all?: boolean | null | undefined;
}

/** Entries as of now: the active ones (or all with `all`), newest first. Read fresh: quarantine changes without an ingest. */
export function quarantined(
  deps: FeatureDeps<QuarantineStore, 'now'>,
  filter: QuarantineFilter | null | undefined,
) {
  return deps.store.quarantineEntries({
    now: deps.now(),
    project: filter?.project,
    testId: filter?.testId,
    all: filter?.all ?? false,
  });
}

/** After an ingest: quarantine's review for the run's project, and its rules for the run's tests. */
export function quarantineAfterIngest(deps: QDeps): (notice: IngestNotice) => Promise<void> {
  return async (notice) => {
    const rules = await deps.store.quarantineRules();
    if (!rules.some((r) => r.enabled && (!r.project.length || r.project.includes(notice.project)))) {
      await evaluateQuarantine(deps, { project: notice.project, testId: [] });
      return;
    }
    // As alert rules do, judge only the tests the run touched, so the cost follows the batch.
    const touched = await deps.store.metrics({
      filter: { runId: [notice.runId] },
      groupBy: ['TEST'],
      groupByTags: [],
      bucket: 'NONE',
      measures: [{ kind: 'count', name: 'executions' }],
      orderBy: null,
      limit: 1_000_000,
    });
    const testId = touched.flatMap((r) => (r.group.testId ? [r.group.testId] : []));
    await evaluateQuarantine(deps, { project: notice.project, testId });
  };
}

export function quarantineAudit(
  deps: FeatureDeps<QuarantineStore>,
  filter:
    | {
        readonly testId?: readonly string[] | null | undefined;
        readonly ruleId?: readonly string[] | null | undefined;
        readonly from?: Date | null | undefined;
        readonly to?: Date | null | undefined;
      }
    | null
    | undefined,
  first: number | null | undefined,
): Promise<QuarantineAuditEvent[]> {
  return deps.store.quarantineAudit({ ...filter, limit: pageSize(first, 100, 1) });
}

// ------------------------------------------------------------------ gates and reports

/** What a slice's quarantined tests did in it: their executions and failures, counted apart. */
export interface QuarantinedInSlice {
  readonly entries: readonly QuarantineStatus[];
  /** Quarantined tests that ran in the slice. */
  readonly tests: number;
  /** Their executions in the slice (skipped left out), passed ones, flaky ones, and failures (FAILED or ERROR). */
  readonly executions: number;
  readonly passed: number;
  readonly flaky: number;
  readonly failures: number;
  /** Per quarantined test that failed in the slice, its failures; most first. */
  readonly failing: readonly { readonly testId: TestId; readonly failures: number }[];
}

/** The active quarantine entries a slice touches (its projects and tests), and what those tests did in it. */
export async function quarantinedInSlice(
  deps: FeatureDeps<Pick<QuarantineStore, 'quarantineEntries'> & Pick<SliceStore, 'metrics'>, 'now'>,
  filter: ResultFilter,
  now: Date = deps.now(),
): Promise<QuarantinedInSlice> {
  const entries = await deps.store.quarantineEntries({ now, project: filter.project, testId: filter.testId });
  const none = { entries, tests: 0, executions: 0, passed: 0, flaky: 0, failures: 0, failing: [] };
  if (!entries.length) return none;
  const rows = await deps.store.metrics({
    filter: { ...filter, testId: [...new Set(entries.map((e) => e.testId))] },
    groupBy: ['TEST'],
    groupByTags: [],
    bucket: 'NONE',
    measures: (['passed', 'failed', 'errored', 'flaky'] as const).map((name) => ({ kind: 'count', name })),
    orderBy: null,
    limit: entries.length,
  });
  let passed = 0;
  let flaky = 0;
  let failures = 0;
  const failing: { testId: TestId; failures: number }[] = [];
  for (const r of rows) {
    const v = (k: string): number => r.values[k] ?? 0;
    passed += v('passed');
    flaky += v('flaky');
    const f = v('failed') + v('errored');
    failures += f;
    if (f > 0 && r.group.testId) failing.push({ testId: r.group.testId, failures: f });
  }
  failing.sort((a, b) => b.failures - a.failures || (a.testId < b.testId ? -1 : 1));
  return { entries, tests: rows.length, executions: passed + failures, passed, flaky, failures, failing };
}
