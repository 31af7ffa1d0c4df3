import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { INGEST, data, testApp } from '../support/app.ts';

// NIST StRD univariate summary statistics (../shared/reference/nist_strd/univariate):
// each data set is ingested as a named metric and its certified mean must come back
// from `metrics(... metric(stat: AVG))` to at least 9 significant digits.
const DATASETS = [
  'PiDigits',
  'Lottery',
  'Lew',
  'Mavro',
  'Michelso',
  'NumAcc1',
  'NumAcc2',
  'NumAcc3',
  'NumAcc4',
] as const;
const dir = new URL('../../../shared/reference/nist_strd/univariate/', import.meta.url);

function load(name: string): { values: number[]; mean: number } {
  const values = readFileSync(new URL(`${name}.csv`, dir), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map(Number);
  const cert = JSON.parse(readFileSync(new URL(`${name}.certified.json`, dir), 'utf8')) as {
    certified: { mean: number };
  };
  return { values, mean: cert.certified.mean };
}

/** NIST's log relative error: the number of significant digits that agree. */
const lre = (actual: number, certified: number): number =>
  actual === certified ? 15 : -Math.log10(Math.abs(actual - certified) / Math.abs(certified));

let app: App;
beforeAll(async () => {
  app = await testApp();
  for (const name of DATASETS) {
    const { values } = load(name);
    const results = values.map((v, i) => ({
      suite: 'nist',
      name: `${name} #${i}`,
      status: 'PASSED',
      durationMs: 1,
      metrics: [{ name, value: v }],
    }));
    await data(app, INGEST, {
      input: { run: { id: `nist-${name}`, project: 'nist', startedAt: '2026-11-01T00:00:00Z' }, results },
    });
  }
});
afterAll(async () => app.close());

describe('metrics reproduces the NIST StRD univariate certified means', () => {
  it.each(DATASETS)('%s: mean to at least 9 significant digits', async (name) => {
    const { mean, values } = load(name);
    const r = await data<{ metrics: { n: number; avg: number }[] }>(
      app,
      `query($m: String!) { metrics(filter: { project: ["nist"] }) { n: metric(name: $m, stat: COUNT) avg: metric(name: $m, stat: AVG) } }`,
      { m: name },
    );
    expect(r.metrics[0]!.n).toBe(values.length);
    expect(lre(r.metrics[0]!.avg, mean)).toBeGreaterThanOrEqual(9);
  });
});
