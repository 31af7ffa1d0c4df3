import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';

// metric_values (src/db/metric-values.ts): one row per result and metric name, kept by every
// write, and the metric answers read from it. Hand-worked: three results in run r1 (old), one in r2.
//   t1 hardware a, tags {model: m1, os: linux}: x = 1, y = 10
//   t2 hardware a, tags {model: m2, os: linux}: x = 3
//   t3 hardware b, tags {model: m1, os: linux}: y = 20 (no x)
//   t4 (run r2) hardware b, tags {model: m1, os: mac}: x = 5
const batch = (run: string, startedAt: string, results: ReturnType<typeof result>[]) =>
  validateIngest({ run: { id: run, project: 'p', startedAt, tags: { os: 'linux' } }, results });
const result = (
  name: string,
  hardware: string,
  tags: Record<string, string>,
  metrics: { name: string; value: number }[],
) => ({
  suite: 's',
  name,
  status: 'PASSED' as const,
  durationMs: 1,
  hardware,
  tags,
  metrics,
});

let dir: string;
let path: string;
let store: Awaited<ReturnType<typeof openStore>>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-metric-values-'));
  path = join(dir, 'm.duckdb');
  store = await openStore({ path });
  await store.ingest(
    batch('r1', '2026-10-01T10:00:00Z', [
      result('t1', 'a', { model: 'm1' }, [
        { name: 'x', value: 1 },
        { name: 'y', value: 10 },
      ]),
      result('t2', 'a', { model: 'm2' }, [{ name: 'x', value: 3 }]),
      result('t3', 'b', { model: 'm1' }, [{ name: 'y', value: 20 }]),
    ]),
  );
  await store.ingest(
    batch('r2', '2026-11-01T10:00:00Z', [
      result('t4', 'b', { model: 'm1', os: 'mac' }, [{ name: 'x', value: 5 }]),
    ]),
  );
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = () =>
  store.db.query<{ name: string; value: number; hardware: string; tags: string }>(
    `SELECT m.name, m.value, m.hardware, s.tags::VARCHAR AS tags
     FROM metric_values m JOIN tag_sets s ON s.id = m.tag_set ORDER BY m.result_id, m.name`,
  );

const xByModel = async () =>
  (
    await store.metrics({
      filter: { tags: [{ key: 'os', values: ['linux'] }] },
      groupBy: ['HARDWARE'],
      groupByTags: ['model'],
      bucket: 'NONE',
      measures: [
        { kind: 'metric', name: 'x', stat: 'SUM' },
        { kind: 'metric', name: 'y', stat: 'COUNT' },
      ],
      orderBy: null,
      limit: 100,
    })
  ).map((r) => [
    r.group.hardware,
    r.group.tags['model'],
    r.values['metric:x:SUM'],
    r.values['metric:y:COUNT'],
  ]);

describe('metric values in long form', () => {
  it('holds one row per result and metric, with the tag map the result stored', async () => {
    expect(await rows()).toEqual([
      { name: 'x', value: 1, hardware: 'a', tags: '{os=linux, model=m1}' },
      { name: 'y', value: 10, hardware: 'a', tags: '{os=linux, model=m1}' },
      { name: 'x', value: 3, hardware: 'a', tags: '{os=linux, model=m2}' },
      { name: 'y', value: 20, hardware: 'b', tags: '{os=linux, model=m1}' },
      { name: 'x', value: 5, hardware: 'b', tags: '{os=mac, model=m1}' },
    ]);
  });

  it('answers metrics by dimension and tag, with a tag filter, from those rows', async () => {
    // os = linux leaves t4 out: a/m1 x 1 y 1; a/m2 x 3 y 0; b/m1 no x, y 1.
    expect(await xByModel()).toEqual([
      ['a', 'm1', 1, 1],
      ['a', 'm2', 3, 0],
      ['b', 'm1', null, 1],
    ]);
  });

  it('gives compare the values of each side by tag', async () => {
    const [byModel = []] = await store.sampleStatistics({
      filter: {},
      series: { metric: 'x' },
      axes: [{ dimension: 'HARDWARE', tag: 'model', reference: 'm1', values: ['m2'] }],
    });
    // m1: x = 1 (t1), 5 (t4); m2: 3 (t2). U of m2 against m1: one value below, none equal → 1.
    expect(byModel.map((s) => [s.value, s.n, s.mean, s.u])).toEqual(
      expect.arrayContaining([
        ['m1', 2, 3, 2],
        ['m2', 1, 3, 1],
      ]),
    );
  });

  it('drops the rows of runs retention deletes', async () => {
    await store.deleteRunsBefore(new Date('2026-10-15T00:00:00Z'));
    expect(await rows()).toEqual([{ name: 'x', value: 5, hardware: 'b', tags: '{os=mac, model=m1}' }]);
  });

  it('is filled from the stored results when an older database is migrated', async () => {
    await store.db.write(async (tx) => {
      await tx.query('DROP TABLE metric_values');
      await tx.query('DROP TABLE tag_sets');
      await tx.query('DELETE FROM schema_migrations WHERE version = 12');
    });
    await store.close();
    store = await openStore({ path });
    expect(await rows()).toEqual([{ name: 'x', value: 5, hardware: 'b', tags: '{os=mac, model=m1}' }]);
  });
});
