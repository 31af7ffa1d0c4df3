/** What `npm run bench` runs in its quick (1M results) and full (10M) modes. */

/** The quick plan's reference set: 1M results. */
export const QUICK_REFERENCE = { tests: 5_000, runs: 200, seed: 42 } as const;

/** reference: tests × runs per project (goal: 5,000 × 2,000 = 10M results); budgetMs caps one timing loop. */
export const PLANS = {
  quick: {
    ingest: [
      { size: 1_000, batches: 30 },
      { size: 5_000, batches: 10 },
    ],
    imports: { size: 5_000, files: 4 },
    reference: QUICK_REFERENCE,
    coldReps: 20,
    warmReps: 100,
    budgetMs: 10_000,
    alertReps: 10,
    concurrencyMs: 5_000,
  },
  full: {
    ingest: [
      { size: 1_000, batches: 100 },
      { size: 5_000, batches: 40 },
    ],
    imports: { size: 5_000, files: 10 },
    reference: { tests: 5_000, runs: 2_000, seed: 42 },
    coldReps: 50,
    warmReps: 500,
    budgetMs: 30_000,
    alertReps: 40,
    concurrencyMs: 15_000,
  },
};
