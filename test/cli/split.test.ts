import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { INGEST, data, testApp } from '../support/app.ts';

// Five tests of 3, 3, 2, 2 and 2 seconds: two shards of 6 s each (a+b | c+d+e).
const dir = mkdtempSync(join(tmpdir(), 'assay-split-'));
const db = join(dir, 'a.duckdb');
const NOW = () => new Date('2026-11-22T00:00:00Z');

beforeAll(async () => {
  const app = await testApp({ db });
  const ms: Record<string, number> = { a: 3000, b: 3000, c: 2000, d: 2000, e: 2000 };
  await data(app, INGEST, {
    input: {
      run: { id: 'r1', project: 'api', branch: 'main', startedAt: '2026-11-20T10:00:00Z' },
      results: Object.entries(ms).map(([name, durationMs]) => ({
        suite: 'tests.test_shop',
        className: 'tests.test_shop.TestCart',
        name,
        status: 'PASSED',
        durationMs,
        startedAt: '2026-11-20T10:00:01Z',
      })),
    },
  });
  await app.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function split(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(['split', '--db', db, ...args], (l) => lines.push(...l.split('\n')), NOW);
  return { code, lines };
}

describe('assay split', () => {
  it('prints each shard of a balanced split in the runner’s form, every test in exactly one shard', async () => {
    const first = await split('--shards', '2', '--index', '0', '--format', 'pytest', '--project', 'api');
    const second = await split('--shards', '2', '--index', '1', '--format', 'pytest', '--project', 'api');
    expect(first.code).toBe(0);
    const shards = [first.lines, second.lines].map((l) =>
      l.map((x) => x.replace('tests/test_shop.py::TestCart::', '')).sort(),
    );
    expect(shards).toEqual(
      expect.arrayContaining([
        ['a', 'b'],
        ['c', 'd', 'e'],
      ]),
    );
  });

  it('refuses an index outside the shards, and an unknown format, as usage errors', async () => {
    expect((await split('--shards', '2', '--index', '2')).code).toBe(2);
    expect((await split('--shards', '2', '--index', '0', '--format', 'xml')).code).toBe(2);
  });
});
