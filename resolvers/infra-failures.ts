import { checkRange, pageSize } from './args.ts';
import type { RunId } from '../src/domain/ids.ts';
import type {
  InfraFailure,
  InfraFailureFilter,
  InfraFailureStore,
  RunInfraFailure,
} from '../src/domain/infra-failures.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';

export interface InfraFailuresArgs {
  readonly filter?: InfraFailureFilter | null | undefined;
  readonly first?: number | null | undefined;
}

/**
 * Runs and workers marked as infrastructure failures at ingest (thresholds in
 * src/domain/infra-failures.ts), newest run first, a run's whole mark before
 * its workers'.
 */
export function infrastructureFailures(
  deps: FeatureDeps<InfraFailureStore, 'cache'>,
  args: InfraFailuresArgs,
): Promise<readonly InfraFailure[]> {
  checkRange(args.filter);
  const first = pageSize(args.first, 100, 1);
  const filter = args.filter ?? {};
  return deps.cache.get('infrastructureFailures', { filter, first }, () =>
    deps.store.infrastructureFailures(filter, first),
  );
}

/** A run's marks (null when neither the run nor any of its workers is marked), batched per request. */
export const runInfrastructureFailure = (
  deps: FeatureDeps<InfraFailureStore, 'loaders'>,
  runId: RunId,
): Promise<RunInfraFailure | null> => deps.loaders.runInfraFailure.load(runId);
