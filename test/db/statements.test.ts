import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PreparedStatements, rowObjects } from '../../src/db/statements.ts';

// Kept prepared statements must answer exactly what a fresh statement answers, whatever
// happened to the connection in between.
let instance: DuckDBInstance;
let c: DuckDBConnection;
let other: DuckDBConnection;
beforeEach(async () => {
  instance = await DuckDBInstance.create(':memory:');
  c = await instance.connect();
  other = await instance.connect();
  await c.run(`CREATE TABLE t (a INTEGER, b VARCHAR, d TIMESTAMP, m MAP(VARCHAR, VARCHAR), x DOUBLE)`);
  await c.run(`INSERT INTO t SELECT i, 'b' || i, TIMESTAMP '2026-11-01' + INTERVAL (i) MINUTE, MAP {'k': 'v' || i}, i / 4
               FROM range(5000) r(i)`);
});
afterEach(() => {
  c.closeSync();
  other.closeSync();
  instance.closeSync();
});

const fresh = async (sql: string, params: readonly (number | string)[]) =>
  (await c.runAndReadAll(sql, [...params])).getRowObjectsJS();

describe('kept prepared statements', () => {
  it('answer the rows a fresh statement reads, over several chunks, duplicate column names included', async () => {
    const kept = new PreparedStatements(c);
    const sql = 'SELECT a, b, d, m, x, a AS a FROM t WHERE a >= $1 ORDER BY a';
    for (const from of [0, 4990, 6000])
      expect(rowObjects(await kept.run(sql, [from]))).toEqual(await fresh(sql, [from]));
  });

  it('plan again when the table under them is replaced', async () => {
    const kept = new PreparedStatements(c);
    const sql = 'SELECT * FROM t WHERE a = $1';
    expect(rowObjects(await kept.run(sql, [1]))).toHaveLength(1);
    await other.run('DROP TABLE t');
    await other.run(`CREATE TABLE t (a INTEGER, q VARCHAR)`);
    await other.run(`INSERT INTO t VALUES (1, 'new'), (1, 'twice')`);
    expect(rowObjects(await kept.run(sql, [1]))).toEqual([
      { a: 1, q: 'new' },
      { a: 1, q: 'twice' },
    ]);
  });

  it('run the same text twice at once, and recover from a failed run', async () => {
    const kept = new PreparedStatements(c);
    const sql = 'SELECT count(*)::INTEGER AS n FROM t WHERE a < $1';
    const [a, b] = await Promise.all([kept.run(sql, [10]), kept.run(sql, [20])]);
    expect([rowObjects(a), rowObjects(b)]).toEqual([[{ n: 10 }], [{ n: 20 }]]);
    await expect(kept.run('SELECT $1::INTEGER AS n', ['not a number'])).rejects.toThrow();
    expect(rowObjects(await kept.run('SELECT $1::INTEGER AS n', ['7']))).toEqual([{ n: 7 }]);
  });

  it('keep at most `max`, the least recently used dropped, and still answer the dropped text', async () => {
    const kept = new PreparedStatements(c, 2);
    const q = (i: number) => `SELECT ${i} + $1 AS n`;
    for (const i of [1, 2, 1, 3, 2, 1]) expect(rowObjects(await kept.run(q(i), [1]))).toEqual([{ n: i + 1 }]);
  });
});
