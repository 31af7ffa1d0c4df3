import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { data, gql, INGEST, testApp } from '../support/app.ts';

// Throughput by hardware × model, one result per value (duration = throughput, for a lower-is-better series):
//   cuda/bert   100 101 102 103 104          n 5, mean 102
//   cuda/resnet  50  51  52  53  54          n 5, mean 52
//   cpu/bert     10  11  12  13  14  15  16  n 7, mean 13
//   cpu/resnet    5   6   7   8              n 4, mean 6.5 (below minSamples 5)
// Hardware: cpu has 11 results, cuda 10 → cpu is the reference. Every cuda value exceeds every cpu value
// and there are no ties, so Mann–Whitney's exact two-sided p = 2 / C(21, 10) = 2 / 352 716.
// Model: bert 12 (mean (510 + 91) / 12 = 601/12), resnet 9 (mean (260 + 26) / 9 = 286/9) → bert is the reference.
const cells: [string, string, number[]][] = [
  ['cuda', 'bert', [100, 101, 102, 103, 104]],
  ['cuda', 'resnet', [50, 51, 52, 53, 54]],
  ['cpu', 'bert', [10, 11, 12, 13, 14, 15, 16]],
  ['cpu', 'resnet', [5, 6, 7, 8]],
];
let i = 0;
const RUN = {
  run: { id: 'perf-1', project: 'perf', branch: 'main', startedAt: '2026-11-05T10:00:00Z' },
  results: cells.flatMap(([hardware, model, values]) =>
    values.map((v) => ({
      suite: 'bench',
      name: `case ${i++}`,
      status: 'PASSED',
      durationMs: v,
      startedAt: '2026-11-05T10:00:01Z',
      worker: `${hardware}-1`,
      hardware,
      tags: { model },
      metrics: [{ name: 'throughput', value: v, unit: 'items/s' }],
    })),
  ),
};

const QUERY = `query($series: SeriesInput!, $dimensions: [Dimension!], $tagKeys: [String!], $minSamples: Int) {
  performance(series: $series, dimensions: $dimensions, tagKeys: $tagKeys, minSamples: $minSamples, filter: { project: ["perf"] }) {
    higherIsBetter
    combinations { group { hardware tags } value n }
    best { group { hardware tags } value } worst { group { hardware tags } value }
    effects { dimension tag value n reference comparison { baseline { value n mean } candidate { value n mean } delta lower upper pValue significant method } }
  }
}`;

interface Cell {
  group: { hardware: string | null; tags: Record<string, string | null> };
  value: number;
  n?: number;
}
interface Effect {
  dimension: string | null;
  tag: string | null;
  value: string;
  n: number;
  reference: string;
  comparison: {
    baseline: { value: string; n: number; mean: number };
    candidate: { value: string; n: number; mean: number };
    delta: number;
    lower: number;
    upper: number;
    pValue: number;
    significant: boolean;
    method: string;
  } | null;
}
interface Perf {
  higherIsBetter: boolean;
  combinations: Cell[];
  best: Cell | null;
  worst: Cell | null;
  effects: Effect[];
}

let app: App;
beforeAll(async () => {
  app = await testApp();
  await data(app, INGEST, { input: RUN });
});
afterAll(async () => app.close());

const perf = async (variables: Record<string, unknown>) =>
  (await data<{ performance: Perf }>(app, QUERY, variables)).performance;
const THROUGHPUT = { metric: 'throughput', stat: 'AVG' };

describe('performance', () => {
  it('ranks every combination of hardware and model, best first, leaving out those with too few results', async () => {
    const p = await perf({ series: THROUGHPUT, dimensions: ['HARDWARE'], tagKeys: ['model'] });
    expect(p.higherIsBetter).toBe(true);
    expect(p.combinations).toEqual([
      { group: { hardware: 'cuda', tags: { model: 'bert' } }, value: 102, n: 5 },
      { group: { hardware: 'cuda', tags: { model: 'resnet' } }, value: 52, n: 5 },
      { group: { hardware: 'cpu', tags: { model: 'bert' } }, value: 13, n: 7 },
    ]);
    expect(p.best).toEqual({ group: { hardware: 'cuda', tags: { model: 'bert' } }, value: 102 });
    expect(p.worst).toEqual({ group: { hardware: 'cpu', tags: { model: 'bert' } }, value: 13 });
    const all = await perf({
      series: THROUGHPUT,
      dimensions: ['HARDWARE'],
      tagKeys: ['model'],
      minSamples: 4,
    });
    expect(all.worst).toEqual({ group: { hardware: 'cpu', tags: { model: 'resnet' } }, value: 6.5 });
  });

  it("gives each value's effect against its dimension's most observed value, with an interval", async () => {
    const { effects } = await perf({ series: THROUGHPUT, dimensions: ['HARDWARE'], tagKeys: ['model'] });
    expect(effects.map((e) => [e.dimension, e.tag, e.value, e.n, e.reference])).toEqual([
      ['HARDWARE', null, 'cpu', 11, 'cpu'],
      ['HARDWARE', null, 'cuda', 10, 'cpu'],
      [null, 'model', 'bert', 12, 'bert'],
      [null, 'model', 'resnet', 9, 'bert'],
    ]);
    expect(effects[0]!.comparison).toBeNull();
    const cuda = effects[1]!.comparison!;
    expect(cuda).toMatchObject({
      baseline: { value: 'cpu', n: 11 },
      candidate: { value: 'cuda', n: 10, mean: 77 },
      significant: true,
      method: 'MANN_WHITNEY',
    });
    expect(cuda.pValue).toBeCloseTo(2 / 352_716, 15);
    expect(cuda.lower).toBeGreaterThan(0);
    expect(cuda.lower).toBeLessThanOrEqual(cuda.delta);
    expect(cuda.delta).toBeLessThanOrEqual(cuda.upper);
    const resnet = effects[3]!.comparison!;
    expect(resnet.baseline).toEqual({ value: 'bert', n: 12, mean: expect.closeTo(601 / 12, 12) });
    expect(resnet.candidate).toEqual({ value: 'resnet', n: 9, mean: expect.closeTo(286 / 9, 12) });
  });

  it('agrees with `compare` on the same two values', async () => {
    const { effects } = await perf({ series: THROUGHPUT, dimensions: ['HARDWARE'] });
    const direct = await data<{ compare: { delta: number; lower: number; upper: number; pValue: number } }>(
      app,
      'query { compare(series: { metric: "throughput" }, filter: { project: ["perf"] }, dimension: HARDWARE, baseline: "cpu", candidate: "cuda") { delta lower upper pValue } }',
    );
    expect(effects[1]!.comparison).toMatchObject(direct.compare);
  });

  it('ranks a lower-is-better series the other way round', async () => {
    const p = await perf({
      series: { measure: 'DURATION', stat: 'AVG' },
      dimensions: ['HARDWARE'],
      tagKeys: ['model'],
    });
    expect(p.higherIsBetter).toBe(false);
    expect(p.combinations.map((c) => c.value)).toEqual([13, 52, 102]);
  });

  it('refuses more than four dimensions and a bad minSamples', async () => {
    const many = await gql(app, QUERY, {
      series: THROUGHPUT,
      dimensions: ['HARDWARE', 'WORKER', 'SUITE', 'BRANCH'],
      tagKeys: ['model'],
    });
    expect(many.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const zero = await gql(app, QUERY, { series: THROUGHPUT, minSamples: 0 });
    expect(zero.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
