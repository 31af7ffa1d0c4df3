import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { Database } from '../../src/db/database.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

describe('assay command', () => {
  it('lists its commands on --help and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('assay serve');
    expect(r.out).toContain('assay demo');
  });

  it('exits 2 on an unknown command or a bad option', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('demo', '--days', 'many')).code).toBe(2);
    expect((await cli('serve', '--demo', '--db', ':memory:')).code).toBe(2);
  });

  it('writes the demo into a file, says what it planted, and keeps an existing history', async () => {
    const path = join(dir, 'demo.duckdb');
    const first = await cli('demo', '--db', path, '--days', '3', '--seed', '5');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Demo history written to .*demo\.duckdb/);
    expect(first.out).toContain('planted: flaky tests');
    expect(first.out).toContain('assay serve --db');

    const db = await Database.open({ path, readers: 1 });
    const [row] = await db.query<{ runs: bigint; executions: bigint }>(
      'SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM executions) AS executions',
    );
    await db.close();
    expect(Number(row!.runs)).toBeGreaterThan(50);
    expect(Number(row!.executions)).toBeGreaterThan(1000);

    const again = await cli('demo', '--db', path);
    expect(again.code).toBe(0);
    expect(again.out).toContain('already holds');
  });
});
