import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, requestSignal } from '../../src/db/database.ts';

// Reads that would run for hours: they end only when interrupted.
const ENDLESS = 'SELECT sum(x) FROM range(1000000000000) t(x)';

let db: Database;
beforeAll(async () => {
  db = await Database.open({ readers: 4, threads: 1 });
});
afterAll(() => db.close());

describe('the reader pool', () => {
  it('leaves the writer a thread while every reader is busy', async () => {
    // libuv's pool (4 threads unless UV_THREADPOOL_SIZE says) runs every DuckDB call: with a
    // reader on each thread, the write below would wait for a read to end, here never.
    expect(process.env['UV_THREADPOOL_SIZE']).toBeUndefined();
    const stop = new AbortController();
    const order: string[] = [];
    const reads = Array.from({ length: 4 }, () =>
      requestSignal
        .run(stop.signal, () => db.query(ENDLESS))
        .then(
          () => order.push('a read ended'),
          () => order.push('a read was stopped'),
        ),
    );
    await db.write(async (tx) => {
      await tx.query("UPDATE meta SET value = value WHERE key = 'data_version'");
    });
    order.push('write committed');
    stop.abort();
    await Promise.all(reads);
    expect(order).toEqual(['write committed', ...Array<string>(4).fill('a read was stopped')]);
  });
});
