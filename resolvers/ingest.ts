import { validateIngestSteps } from '../src/domain/ingest-batch.ts';
import { filterIterable, nextTurn } from '../src/domain/iterables.ts';
import type { IngestStore } from '../src/domain/ingest.ts';
import type { FeatureDeps, Deps } from '../src/domain/ports.ts';
import type { IngestInput, IngestOutcome, IngestedEvent } from '../src/domain/types.ts';

/**
 * Validates and stores one batch; bad rows are reported and left out, the
 * rest commit together. Publishes `ingested` after the commit.
 */
export async function ingest(
  deps: FeatureDeps<IngestStore, 'pubsub' | 'alerts' | 'now'>,
  input: IngestInput,
): Promise<IngestOutcome> {
  // Checking 50,000 rows takes about a second: the server answers others between the steps.
  const steps = validateIngestSteps(input);
  let step = steps.next();
  while (!step.done) {
    await nextTurn();
    step = steps.next();
  }
  const batch = step.value;
  const stored = await deps.store.ingest(batch);
  deps.pubsub.publish('ingested', {
    run: stored.run,
    accepted: stored.accepted,
    duplicates: stored.duplicates,
    passed: stored.passed,
    failed: stored.failed,
    dataVersion: stored.dataVersion,
    at: deps.now(),
  });
  if (stored.accepted > 0) {
    const at = batch.results.reduce(
      (t, r) => Math.max(t, r.startedAt.getTime()),
      batch.run.startedAt.getTime(),
    );
    deps.alerts.onIngest({
      runId: stored.run.id,
      project: stored.run.project,
      branch: stored.run.branch,
      at: new Date(at),
    });
  }
  return {
    run: stored.run,
    accepted: stored.accepted,
    duplicates: stored.duplicates,
    rejected: (input.results?.length ?? 0) - batch.results.length,
    errors: batch.errors,
    dataVersion: stored.dataVersion,
    passed: stored.passed,
    failed: stored.failed,
  };
}

/** Committed ingests of the given projects and branches (all when a list is empty). */
export function ingestedEvents(
  deps: Pick<Deps, 'pubsub'>,
  filter: { project?: readonly string[] | null | undefined; branch?: readonly string[] | null | undefined },
): AsyncIterableIterator<IngestedEvent> {
  return filterIterable(
    deps.pubsub.subscribe('ingested'),
    (e) =>
      (!filter.project?.length || filter.project.includes(e.run.project)) &&
      (!filter.branch?.length || (e.run.branch !== null && filter.branch.includes(e.run.branch))),
  );
}
