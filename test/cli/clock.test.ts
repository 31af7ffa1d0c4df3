import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { INGEST, data, testApp } from '../support/app.ts';
import { RUN_A, RUN_B } from '../support/fixtures.ts';

// The CLI reads the time only through the clock main() is given: a slice of
// "the last N days" ends at that instant, whatever day the test runs.
const dir = mkdtempSync(join(tmpdir(), 'assay-clock-'));
const db = join(dir, 'a.duckdb');

beforeAll(async () => {
  const app = await testApp({ db });
  for (const input of [RUN_A, RUN_B]) await data(app, INGEST, { input });
  await app.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function reportAt(now: string, days: string): Promise<{ executions: number; runs: number }> {
  const lines: string[] = [];
  const code = await main(
    ['report', '--db', db, '--format', 'json', '--days', days],
    (l) => lines.push(l),
    () => new Date(now),
  );
  expect(code).toBe(0);
  return JSON.parse(lines.join('\n')).summary;
}

describe('the CLI clock', () => {
  it('ends --days at the instant it is given', async () => {
    // a1 on 11-01 and b1 on 11-02, five executions each.
    expect(await reportAt('2026-11-02T12:00:00Z', '1')).toMatchObject({ runs: 1, executions: 5 });
    expect(await reportAt('2026-11-03T00:00:00Z', '3')).toMatchObject({ runs: 2, executions: 10 });
    expect(await reportAt('2027-01-01T00:00:00Z', '3')).toMatchObject({ runs: 0, executions: 0 });
  });
});
