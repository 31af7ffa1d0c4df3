import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/db/database.ts';
import { generateDemo, type DemoFacts, type DemoOptions } from '../../src/db/demo.ts';

/** A demo history written to a database file of its own (closed, for an app to open), with the facts it planted. */
export async function demoFile(
  options: DemoOptions,
): Promise<{ readonly path: string; readonly facts: DemoFacts; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-demo-'));
  const path = join(dir, 'demo.duckdb');
  const db = await Database.open({ path, readers: 1 });
  try {
    return {
      path,
      facts: await generateDemo(db, options),
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } finally {
    await db.close();
  }
}
