import { INGEST_LIMITS } from '../domain/ingest.ts';
import type { IngestInput } from '../domain/types.ts';

/**
 * Splits a parsed report into ingest calls of at most `maxResults` results,
 * each carrying the same run, so a report of any size can go through the
 * `ingest` mutation. Re-sending every batch is safe: rows are idempotent on
 * run id + test + attempt. A report with no results still gives one batch,
 * so its run is stored.
 * @example splitIngestInput(report.input).forEach((batch) => store.ingest(batch))
 */
export function splitIngestInput(
  input: IngestInput,
  maxResults: number = INGEST_LIMITS.maxResults,
): IngestInput[] {
  if (!Number.isInteger(maxResults) || maxResults < 1)
    throw new RangeError(`maxResults must be a whole number ≥ 1 (got ${maxResults})`);
  const results = input.results ?? [];
  if (results.length === 0) return [{ run: input.run, results: [] }];
  const batches: IngestInput[] = [];
  for (let i = 0; i < results.length; i += maxResults)
    batches.push({ run: input.run, results: results.slice(i, i + maxResults) });
  return batches;
}
