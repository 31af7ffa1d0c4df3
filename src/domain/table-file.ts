/** Results as CSV or Parquet files in the table layout: export, and bulk load. */
import type { ResultFilter } from './types.ts';

export type TableFormat = 'csv' | 'parquet';

/** What a bulk load of one CSV or Parquet file stored; counts are of the file's own rows. */
export interface TableLoadSummary {
  readonly runs: number;
  /** Executions of the file (a test in a run, attempts folded): tests = passed + failed + skipped; passed includes flaky. */
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly flaky: number;
  readonly skipped: number;
  /** Rows of the file (= accepted + duplicates). */
  readonly attempts: number;
  readonly accepted: number;
  /** Rows already stored, or repeated in the file (run + test + attempt). */
  readonly duplicates: number;
  readonly dataVersion: number;
}

/** What `assay export` and the bulk load of table files ask of the store. */
export interface TableFileStore {
  /** Writes the slice's results to a CSV or Parquet file in the table layout (src/db/table-file.ts); returns the rows written. */
  exportResults(filter: ResultFilter, format: TableFormat, file: string): Promise<number>;
  /**
   * Loads a CSV or Parquet file in the table layout in one transaction, set-based
   * (src/db/bulk-load.ts): a bad row refuses the whole file; re-loading stores nothing new.
   */
  loadTableFile(file: string, format: TableFormat): Promise<TableLoadSummary>;
}
