/** The demo generator's options, and the facts it planted (demo.ts). */

export interface DemoOptions {
  /**
   * Days of history, ending at `end`.
   * @default 30
   */
  readonly days?: number;
  /**
   * Seeds every random draw: the same seed gives the same rows.
   * @default 42
   */
  readonly seed?: number;
  /**
   * Where the history ends (exclusive): runs start in [end − days, end).
   * @default the start of today, UTC
   */
  readonly end: Date;
  readonly onProgress?: (message: string) => void;
}

/** What the generator planted, so tests and the README can point at it. */
export interface DemoFacts {
  runs: number;
  tests: number;
  results: number;
  from: Date;
  to: Date;
  /** flakeRate: the chance that one attempt fails for no reason of its own. */
  flakyTests: { id: string; name: string; flakeRate: number }[];
  /** Passes before `since`, fails every execution from it on. */
  brokenTest: { id: string; name: string; since: Date };
  /** Takes about 2.2× as long from `since` on. */
  slowedTest: { id: string; name: string; since: Date };
  /** A worker whose attempts fail far more often than the others'. */
  flakyWorker: string;
  /**
   * The last api run on main that started before `at` (about two days before
   * the end): its worker lost its database, so every test it ran there errors
   * on one message, and Assay marks it as an infrastructure failure.
   */
  lostWorker: { runId: string | null; worker: string; at: Date };
}
