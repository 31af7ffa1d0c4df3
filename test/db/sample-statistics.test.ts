import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareStatistics } from '../../src/analytics/compare-statistics.ts';
import { querySampleStatistics } from '../../src/db/sample-statistics.ts';
import { openStore } from '../../src/db/store.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { SampleStatistics } from '../../src/domain/series.ts';

// A metric by hardware: reference a = 1 2 2 4, b = 2 3 4 4 5, c = 0 0; tag g is x on a's results, y on the others.
const SAMPLES: Record<string, number[]> = { a: [1, 2, 2, 4], b: [2, 3, 4, 4, 5], c: [0, 0] };

let store: Awaited<ReturnType<typeof openStore>>;
let stats: Map<string, SampleStatistics>;
let byTag: Map<string, SampleStatistics>;
beforeAll(async () => {
  store = await openStore();
  let i = 0;
  await store.ingest(
    validateIngest({
      run: { id: 'r1', project: 'p', startedAt: '2026-11-01T10:00:00Z' },
      results: Object.entries(SAMPLES).flatMap(([hardware, values]) =>
        values.map((value) => ({
          suite: 's',
          name: `t${i++}`,
          status: 'PASSED',
          durationMs: 1,
          hardware,
          tags: { g: hardware === 'a' ? 'x' : 'y' },
          metrics: [{ name: 'm', value }],
        })),
      ),
    }),
  );
  const [hardware = [], tag = []] = await store.sampleStatistics({
    filter: {},
    series: { metric: 'm' },
    axes: [
      { dimension: 'HARDWARE', reference: 'a', values: ['b', 'c', 'missing'] },
      { dimension: 'HARDWARE', tag: 'g', reference: 'x', values: ['y'] },
    ],
  });
  stats = new Map(hardware.map((s) => [s.value, s]));
  byTag = new Map(tag.map((s) => [s.value, s]));
});
afterAll(async () => store.db.close());

describe('sample statistics in SQL', () => {
  it('ranks each sample against the reference with midranks for ties', () => {
    // Pooled a ∪ b, sorted: 1a 2a 2a 2b 3b 4a 4b 4b 5b. Midranks: 1 → 1; the three 2s share ranks 2–4 → 3;
    // 3 → 5; the three 4s share 6–8 → 7; 5 → 9. b's rank sum 3 + 5 + 7 + 7 + 9 = 31, U = 31 − 5·6/2 = 16
    // (= Σ over b of #a below + ½ #a equal: 2: 1 + 1, 3: 3, 4: 3.5 twice, 5: 4 → 16).
    // Ties: groups of 3 at 2 and at 4 → Σ(t³ − t) = 24 + 24 = 48.
    expect(stats.get('b')).toMatchObject({ n: 5, u: 16, tieTerm: 48, median: 4, mean: 3.6 });
    expect(stats.get('b')?.stdDev).toBeCloseTo(Math.sqrt(5.2 / 4), 12);
    // c = 0 0 lies below all of a: U = 0; ties in a ∪ c: the two 0s and the two 2s → 6 + 6 = 12.
    expect(stats.get('c')).toMatchObject({ n: 2, u: 0, tieTerm: 12, median: 0, mean: 0, stdDev: 0 });
    // The reference against itself: U = m²/2 = 8, ties only its own two 2s → 6; median (2 + 2)/2.
    expect(stats.get('a')).toMatchObject({ n: 4, u: 8, tieTerm: 6, median: 2, mean: 2.25 });
    expect(stats.get('a')?.stdDev).toBeCloseTo(Math.sqrt(4.75 / 3), 12);
    expect(stats.has('missing')).toBe(false);
  });

  it('ranks every axis of one query against its own reference', () => {
    // By tag: x = a = 1 2 2 4, y = b ∪ c = 0 0 2 3 4 4 5. U = 16 (from b) + 0 (from c) = 16;
    // ties in x ∪ y: two 0s (6), three 2s (24), three 4s (24) → 54.
    expect(byTag.get('y')).toMatchObject({ n: 7, u: 16, tieTerm: 54, median: 3 });
    expect(byTag.get('x')).toMatchObject({ n: 4, u: 8, tieTerm: 6 });
  });

  it('sends a small sample as one weighted point per distinct value', () => {
    expect(stats.get('a')?.points).toEqual([
      { lo: 1, hi: 1, mean: 1, weight: 1 },
      { lo: 2, hi: 2, mean: 2, weight: 2 },
      { lo: 4, hi: 4, mean: 4, weight: 1 },
    ]);
  });

  it('gives the Mann–Whitney p-value and Hodges–Lehmann shift of the raw samples', () => {
    const a = stats.get('a');
    const b = stats.get('b');
    if (!a || !b) throw new Error('samples missing');
    const r = compareStatistics(a, b, { confidence: 0.95 });
    // Normal approximation with ties: σ² = 20/12·(10 − 48/72) = 15.5556, σ = 3.944053;
    // z = (16 − 10 − ½)/σ = 1.394505, two-sided p = 0.1631653.
    expect(r.pValue).toBeCloseTo(0.1631653, 6);
    // The 20 differences b − a sorted: −2 −1 0 0 0 0 1 1 1 1 2 2 2 2 2 3 3 3 3 4; median (D(10) + D(11))/2 = 1.5.
    expect(r.delta).toBe(1.5);
    // K = ⌊10 − 1.959964·3.944053⌋ = ⌊2.27⌋ = 2: [D(2), D(19)] = [−1, 3].
    expect([r.lower, r.upper]).toEqual([-1, 3]);
    expect(r.baseline).toEqual({ n: 4, mean: 2.25, median: 2, stdDev: a.stdDev });
  });

  it('bins a sample with many distinct values into equal-count bins, the shift within its bracket', async () => {
    // With at most 2 exact points and 2 bins: a = 1 2 2 | 4 (bin = ⌊(values below)·2/4⌋) → [1, 2] weight 3
    // mean 5/3, [4, 4]; b = 2 3 4 4 | 5 → [2, 4] weight 4 mean 13/4, [5, 5].
    const [hardware = []] = await querySampleStatistics(
      store.db,
      {
        filter: {},
        series: { metric: 'm' },
        axes: [{ dimension: 'HARDWARE', reference: 'a', values: ['b'] }],
      },
      { exactPoints: 2, bins: 2 },
    );
    const [a, b] = ['a', 'b'].map((v) => hardware.find((s) => s.value === v));
    if (!a || !b) throw new Error('samples missing');
    expect(a.points).toEqual([
      { lo: 1, hi: 2, mean: expect.closeTo(5 / 3, 12), weight: 3 },
      { lo: 4, hi: 4, mean: 4, weight: 1 },
    ]);
    expect(b.points).toEqual([
      { lo: 2, hi: 4, mean: 3.25, weight: 4 },
      { lo: 5, hi: 5, mean: 5, weight: 1 },
    ]);
    // U, ties and moments do not depend on the bins.
    expect(b).toMatchObject({ u: 16, tieTerm: 48, median: 4 });
    // Differences of the means, weighted: −0.75 ×4, 1 ×1, 13/4 − 5/3 = 19/12 ×12, 10/3 ×3 → median 19/12.
    // Bracket: (lo_b − hi_a) gives −2 ×4, 0 ×12, 1, 3 ×3 → median 0; (hi_b − lo_a) 0 ×4, 1, 3 ×12, 4 ×3 → 3.
    // The exact shift 1.5 and the binned 19/12 both lie in [0, 3].
    expect(compareStatistics(a, b).delta).toBeCloseTo(19 / 12, 12);
  });
});
