import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/db/database.ts';
import { MIGRATIONS } from '../../src/db/migrations.ts';
import type { WriteTx } from '../../src/db/write-tx.ts';

let db: Database;
beforeAll(async () => {
  db = await Database.open({ path: ':memory:', readers: 2, statementTimeoutMs: 200 });
});
afterAll(async () => db.close());

/** A write that has started and holds the writer until `release`: what is asked meanwhile waits. */
async function holdWriter(onStart: () => void = () => undefined) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const began = new Promise<void>((r) => (started = r));
  const running = db.write(async () => {
    onStart();
    started();
    await held;
  });
  await began;
  return { running, release };
}

describe('Database', () => {
  it('applies every migration once and records it', async () => {
    const rows = await db.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('interrupts a read that runs past the statement timeout, and the connection stays usable', async () => {
    // A cross join of two ten-million-row ranges cannot finish in 200 ms.
    const slow = db.query(
      'SELECT count(*) AS n FROM range(10000000) a, range(10000000) b WHERE a.range + b.range = -1',
    );
    await expect(slow).rejects.toMatchObject({ code: 'TIMEOUT' });
    const [row] = await db.query<{ n: bigint }>('SELECT count(*) AS n FROM range(10)');
    expect(Number(row!.n)).toBe(10);
  });

  it('rolls a failed write back entirely', async () => {
    await db.query('SELECT 1');
    await expect(
      db.write(async (tx) => {
        await tx.query("INSERT INTO meta VALUES ('probe', 1)");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query("SELECT * FROM meta WHERE key = 'probe'")).toEqual([]);
  });

  it('runs writes one after another even when they are started together', async () => {
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map((i) =>
        db.write(async (tx) => {
          order.push(i);
          await tx.query('SELECT 1');
          order.push(i);
        }),
      ),
    );
    expect(order).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('runs a write asked to go ahead after the running write and before those still waiting', async () => {
    const order: string[] = [];
    const { running, release } = await holdWriter(() => order.push('running'));
    const waiting = [1, 2].map((i) => db.write(async () => void order.push(`waiting ${i}`)));
    const ahead = db.write(async () => void order.push('ahead'), { ahead: true });
    // Asked for while the first write holds the writer: nothing else runs until it ends.
    await new Promise((r) => setTimeout(r, 20));
    const meanwhile = [...order];
    release();
    await Promise.all([running, ...waiting, ahead]);
    expect(meanwhile).toEqual(['running']);
    expect(order).toEqual(['running', 'ahead', 'waiting 1', 'waiting 2']);
  });

  it('answers each write its own outcome when one goes ahead, and a failed one rolls back alone', async () => {
    const { running, release } = await holdWriter();
    const stored = db.write(async (tx) => {
      await tx.query("INSERT INTO meta VALUES ('queue-probe', 1)");
      return 'stored';
    });
    const failed = db.write(
      async (tx) => {
        await tx.query("INSERT INTO meta VALUES ('queue-failed', 1)");
        throw new Error('refused');
      },
      { ahead: true },
    );
    release();
    await running;
    await expect(failed).rejects.toThrow('refused');
    expect(await stored).toBe('stored');
    const keys = await db.query<{ key: string }>("SELECT key FROM meta WHERE key LIKE 'queue-%'");
    expect(keys.map((k) => k.key)).toEqual(['queue-probe']);
  });
});

describe('Database.stagedWrite', () => {
  const temps = (tx: WriteTx) =>
    tx.query<{ n: bigint }>(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE temporary AND table_name = 'staged'",
    );

  it('commits the stage before the transaction, which a throw rolls back alone, and cleans up either way', async () => {
    // What cleanup found before dropping: the stage's temp table outlives a rolled-back write only if it was committed.
    const found: bigint[] = [];
    const steps = (fail: boolean) => ({
      stage: async (tx: WriteTx) => {
        await tx.query('CREATE OR REPLACE TEMP TABLE staged AS SELECT 7 AS v');
        return 'staged';
      },
      write: async (tx: WriteTx, from: string) => {
        await tx.query(`INSERT INTO meta SELECT 'probe-${fail ? 'b' : 'a'}', v FROM ${from}`);
        if (fail) throw new Error('boom');
        return 'stored';
      },
      cleanup: async (tx: WriteTx) => {
        found.push((await temps(tx))[0]!.n);
        await tx.query('DROP TABLE IF EXISTS staged');
      },
    });
    expect(await db.stagedWrite(steps(false))).toBe('stored');
    await expect(db.stagedWrite(steps(true))).rejects.toThrow('boom');
    expect(found).toEqual([1n, 1n]);
    const probes = await db.query<{ key: string; value: number }>(
      "SELECT * FROM meta WHERE key LIKE 'probe-%'",
    );
    expect(probes.map((p) => [p.key, Number(p.value)])).toEqual([['probe-a', 7]]);
    expect(await db.write((tx) => temps(tx))).toEqual([{ n: 0n }]);
  });

  it('lets no other write in between its stage and its transaction', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const staged = db.stagedWrite({
      stage: async () => {
        order.push('stage');
        await held;
      },
      write: async () => void order.push('write'),
      cleanup: async () => void order.push('cleanup'),
    });
    const other = db.write(async () => void order.push('other'));
    release();
    await Promise.all([staged, other]);
    expect(order).toEqual(['stage', 'write', 'cleanup', 'other']);
  });
});

describe('Database checkpoints', () => {
  /** Whether the write-ahead log holds writes not yet in the database file. */
  const logged = async (d: Database): Promise<boolean> => {
    const [row] = await d.query<{ wal: string }>('SELECT wal_size AS wal FROM pragma_database_size()');
    return row!.wal !== '0 bytes';
  };
  const opened = async (idleCheckpointMs: number) => {
    const dir = await mkdtemp(join(tmpdir(), 'assay-checkpoint-'));
    const d = await Database.open({ path: join(dir, 'c.duckdb'), readers: 1, idleCheckpointMs });
    await d.write((tx) => tx.query("INSERT INTO meta VALUES ('probe', 1)"));
    return { d, done: async () => (await d.close(), await rm(dir, { recursive: true, force: true })) };
  };

  it('writes the log into the file once writes pause, not at each commit', async () => {
    const later = await opened(60_000);
    const soon = await opened(0);
    try {
      expect(await logged(later.d)).toBe(true);
      for (let turn = 0; turn < 500 && (await logged(soon.d)); turn++)
        await new Promise((r) => setTimeout(r, 10));
      expect(await logged(soon.d)).toBe(false);
      expect(await soon.d.query("SELECT value FROM meta WHERE key = 'probe'")).toEqual([{ value: 1n }]);
    } finally {
      await later.done();
      await soon.done();
    }
  });
});
