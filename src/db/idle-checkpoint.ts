/**
 * When the write-ahead log goes into the database file. DuckDB checkpoints at the COMMIT that
 * takes the log past `checkpoint_threshold` (64 MB here, database.ts), inside that write: an
 * ingest batch of 5,000 results logs about 5 MB. The store also checkpoints once writes pause,
 * off every request's path, so writes that come in bursts rarely meet a checkpoint. A steady
 * stream of writes does: on a copy of 10M results, 24 batches of 5,000 back to back spent 178 ms
 * a batch in COMMIT at DuckDB's default of 16 MB (a checkpoint of about 0.45 s every third batch)
 * and 82 ms at 64 MB, as a checkpoint's cost grows far slower than its log (1.1 s at 128 MB).
 */

/** How long the writer must have been idle before the store checkpoints. */
export const IDLE_CHECKPOINT_MS = 1_000;

/**
 * Runs `checkpoint` once no write has happened for `idleMs` since the last one. The timer does
 * not keep the process alive; a failed checkpoint (DuckDB refuses while another transaction
 * writes) is left to the next pause or to DuckDB's own threshold.
 */
export class IdleCheckpoint {
  readonly #checkpoint: () => Promise<void>;
  readonly #idleMs: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(checkpoint: () => Promise<void>, idleMs = IDLE_CHECKPOINT_MS) {
    this.#checkpoint = checkpoint;
    this.#idleMs = idleMs;
  }

  /** The last queued write finished: checkpoint unless another starts within the pause. */
  wrote(): void {
    this.stop();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#checkpoint().catch(() => undefined);
    }, this.#idleMs);
    this.#timer.unref();
  }

  /** Forgets the pending checkpoint (a write starts, or the database closes and checkpoints then). */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
