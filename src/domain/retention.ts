/** Retention: deleting old runs with their results and rollups. */

/** What a retention pass removed (or, dry, would remove). */
export interface RetentionOutcome {
  readonly runs: number;
  readonly results: number;
  /** Tests left without results, removed with them. */
  readonly tests: number;
}

/** What `assay cleanup` asks of the store. */
export interface RetentionStore {
  /** Deletes runs started before `cutoff` with their results and rollups, then checkpoints; a dry run only counts. */
  deleteRunsBefore(cutoff: Date, options?: { readonly dryRun?: boolean }): Promise<RetentionOutcome>;
}
