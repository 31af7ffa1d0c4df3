import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { INGEST, data, testApp } from '../support/app.ts';
import { RUN_A, RUN_B } from '../support/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const COUNTS =
  '{ gateway { runs tests results } runs(first: 10) { edges { node { id executions passed } } } }';

describe('assay snapshot', () => {
  it('writes a snapshot a new database starts from, equal to the file it was taken of', async () => {
    const db = join(dir, 'a.duckdb');
    const app = await testApp({ db });
    for (const input of [RUN_A, RUN_B]) await data(app, INGEST, { input });
    const before = await data(app, COUNTS);
    await app.close();

    const lines: string[] = [];
    expect(
      await main(
        ['snapshot', '--db', db, '--dir', join(dir, 'snapshots')],
        (l) => lines.push(l),
        () => new Date('2026-11-22T00:00:00Z'),
      ),
    ).toBe(0);
    expect(lines.join('\n')).toMatch(
      /^Snapshot of .*a\.duckdb at log position 0-0 written to .*snapshot-0-0/,
    );
    expect(readdirSync(join(dir, 'snapshots'))).toEqual(['snapshot-0-0']);

    const fresh = join(dir, 'b.duckdb');
    expect(existsSync(fresh)).toBe(false);
    const restored = await testApp({ db: fresh, snapshotDir: join(dir, 'snapshots') });
    try {
      expect(await data(restored, COUNTS)).toEqual(before);
    } finally {
      await restored.close();
    }
  });

  it('asks for the directory, as a usage error', async () => {
    expect(await main(['snapshot', '--db', join(dir, 'a.duckdb')], () => undefined)).toBe(2);
  });
});
