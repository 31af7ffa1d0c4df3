import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactDatabaseFile, databaseBytes } from '../../src/db/compact.ts';
import { openStore } from '../../src/db/store.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { IngestInput } from '../../src/domain/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-compact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TESTS = 1000;
const RUNS = 8;
/** Run i (day i + 1 of November 2026): 1,000 tests, test k failing in every seventh run with a message, so the file holds text. */
function run(i: number): IngestInput {
  const day = String(i + 1).padStart(2, '0');
  return {
    run: {
      id: `r${i}`,
      project: 'web',
      branch: 'main',
      commit: `c${i}`,
      startedAt: `2026-11-${day}T10:00:00Z`,
    },
    results: Array.from({ length: TESTS }, (_, k) => {
      const failing = (i + k) % 7 === 0;
      return {
        suite: `suite-${k % 10}`,
        className: `Class${k % 40}`,
        name: `test ${k}`,
        status: failing ? 'FAILED' : 'PASSED',
        durationMs: 10 + ((i * 31 + k * 17) % 500),
        startedAt: `2026-11-${day}T10:00:${String(k % 60).padStart(2, '0')}Z`,
        worker: `w${k % 4}`,
        ...(failing && { message: `expected ${k} but was ${i} at step ${i * k} of the checkout flow` }),
      };
    }),
  };
}

// Filled once; each test works on its own copy.
const seed = join(dir, 'seed.duckdb');
beforeAll(async () => {
  const s = await openStore({ path: seed, readers: 1 });
  for (let i = 0; i < RUNS; i++) await s.ingest(validateIngest(run(i)));
  await s.close();
});
function filled(path: string): void {
  copyFileSync(seed, path);
}

async function figures(path: string) {
  const s = await openStore({ path, readers: 1 });
  try {
    const [r] = await s.db.query<{
      runs: bigint;
      results: bigint;
      executions: bigint;
      failed: bigint;
      daily: bigint;
      first: string;
    }>(
      `SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM results) AS results, (SELECT count(*) FROM executions) AS executions,
              (SELECT count(*) FROM results WHERE status = 'FAILED') AS failed, (SELECT sum(executions) FROM daily_counts) AS daily,
              (SELECT min(id) FROM runs) AS first`,
    );
    return {
      runs: Number(r!.runs),
      results: Number(r!.results),
      executions: Number(r!.executions),
      failed: Number(r!.failed),
      daily: Number(r!.daily),
      first: r!.first,
    };
  } finally {
    await s.close();
  }
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Failures among runs i ≥ from: test k fails in run i when (i + k) % 7 = 0, counted over k < 1,000. */
function failuresFrom(from: number): number {
  let n = 0;
  for (let i = from; i < RUNS; i++) for (let k = 0; k < TESTS; k++) if ((i + k) % 7 === 0) n++;
  return n;
}

describe('compacting the database file after a cleanup', () => {
  it('leaves a smaller file than before the cleanup, holding exactly the runs kept', async () => {
    const path = join(dir, 'compact.duckdb');
    filled(path);
    const beforeCleanup = databaseBytes(path);

    const s = await openStore({ path, readers: 1 });
    // Runs r0…r3 start on November 1–4: half the history.
    expect(await s.deleteRunsBefore(new Date('2026-11-05T00:00:00Z'))).toEqual({
      runs: 4,
      results: 4 * TESTS,
      tests: 0,
    });
    await s.close();
    const afterCleanup = databaseBytes(path);

    const outcome = await compactDatabaseFile(path);
    expect(outcome.bytesBefore).toBe(afterCleanup);
    expect(outcome.bytesAfter).toBe(databaseBytes(path));
    expect(outcome.bytesAfter).toBeLessThan(beforeCleanup);
    expect(outcome.bytesAfter).toBeLessThan(afterCleanup);
    expect(existsSync(`${path}.compact`)).toBe(false);

    expect(await figures(path)).toEqual({
      runs: 4,
      results: 4 * TESTS,
      executions: 4 * TESTS,
      failed: failuresFrom(4),
      daily: 4 * TESTS,
      first: 'r4',
    });
    // The compacted file takes new runs and alerts like the original (its sequences came along).
    const again = await openStore({ path, readers: 1 });
    try {
      expect((await again.ingest(validateIngest(run(0)))).accepted).toBe(TESTS);
      expect((await again.counts()).runs).toBe(5);
    } finally {
      await again.close();
    }
  });

  it('leaves the file byte for byte as it was when the compaction fails before the swap', async () => {
    const path = join(dir, 'crash.duckdb');
    filled(path);
    const s = await openStore({ path, readers: 1 });
    await s.deleteRunsBefore(new Date('2026-11-05T00:00:00Z'));
    await s.close();
    const before = { figures: await figures(path), sha: sha(path) };

    await expect(
      compactDatabaseFile(path, {
        beforeSwap: () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect(sha(path)).toBe(before.sha);
    expect(existsSync(`${path}.compact`)).toBe(false);
    expect(await figures(path)).toEqual(before.figures);
  });

  it('refuses a file another process holds open, changing nothing', async () => {
    const path = join(dir, 'held.duckdb');
    filled(path);
    const bytes = sha(path);
    // A second process (as a running server would be) holds DuckDB's lock on the file until its stdin closes.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { DuckDBInstance } = await import('@duckdb/node-api'); const i = await DuckDBInstance.create(${JSON.stringify(path)}); console.log('open'); process.stdin.resume(); process.stdin.on('end', () => { i.closeSync(); process.exit(0); });`,
      ],
      { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('open')) resolve();
        });
        holder.on('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
      });
      await expect(compactDatabaseFile(path)).rejects.toThrow(/lock/i);
    } finally {
      holder.stdin.end();
      if (holder.exitCode === null) await new Promise((resolve) => holder.once('exit', resolve));
    }
    expect(sha(path)).toBe(bytes);
    expect(existsSync(`${path}.compact`)).toBe(false);
  });
});
