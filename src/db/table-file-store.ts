import type { Database } from './database.ts';
import { exportResults, readTableFile } from './table-file.ts';
import type { TableFileStore } from '../domain/table-file.ts';

/** Results exported to, and bulk-loaded from, CSV or Parquet files in the table layout. */
export const tableFileStore = (db: Database): TableFileStore => ({
  exportResults: (filter, format, file) => exportResults(db, filter, format, file),
  readTableFile: (file, format) => readTableFile(db, file, format),
});
