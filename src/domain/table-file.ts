/** Results as CSV or Parquet files in the table layout: export, and bulk load. */
import type { IngestInput, ResultFilter } from './types.ts';

export type TableFormat = 'csv' | 'parquet';

/** What `assay export` and the bulk load of table files ask of the store. */
export interface TableFileStore {
  /** Writes the slice's results to a CSV or Parquet file in the table layout (src/db/table-file.ts); returns the rows written. */
  exportResults(filter: ResultFilter, format: TableFormat, file: string): Promise<number>;
  /** Reads a CSV or Parquet file in the table layout, one ingest input per run. */
  readTableFile(file: string, format: TableFormat): AsyncIterable<IngestInput>;
}
