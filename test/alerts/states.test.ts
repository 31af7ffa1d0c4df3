import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { INGEST, TEST_NOW, data, testApp } from '../support/app.ts';

// The engine reads a rule's group states from memory (written through): after a resolve by
// hand, a rule edit and a restart it must judge as the stored states say.
let app: App | undefined;
let dir: string | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const HOUR = 3_600_000;
// After the app's clock, so a resolve by hand (stamped with it) lies before the data.
const T0 = TEST_NOW.getTime() + 24 * HOUR;
let runNo = 0;

/** A run on main whose only test fails, `hour` hours after T0. */
async function failingRun(hour: number): Promise<void> {
  const at = new Date(T0 + hour * HOUR).toISOString();
  await data(app!, INGEST, {
    input: {
      run: { id: `run-${++runNo}`, project: 'web', branch: 'main', startedAt: at },
      results: [{ suite: 's', name: 't', status: 'FAILED', durationMs: 1, startedAt: at }],
    },
  });
  await app!.alerts.idle();
}

async function alertIds(): Promise<{ id: string; kind: string; resolvedAt: string | null }[]> {
  const r = await data<{
    alerts: { edges: { node: { id: string; kind: string; resolvedAt: string | null } }[] };
  }>(app!, '{ alerts(first: 100) { edges { node { id kind resolvedAt } } } }');
  return r.alerts.edges.map((e) => e.node).reverse(); // oldest first
}

const DROP = {
  name: 'main',
  kind: 'PASS_RATE_DROP',
  threshold: 0.9,
  groupBy: ['BRANCH'],
  cooldownMinutes: 0,
};

describe('alert states kept in memory', () => {
  it('fire anew after a resolve by hand, and after an edit that changes the kind', async () => {
    app = await testApp();
    const { createAlertRule } = await data<{ createAlertRule: { id: string } }>(
      app,
      'mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }',
      { input: DROP },
    );
    await failingRun(0);
    await failingRun(1); // still failing: the alarm holds, nothing new
    const [first] = await alertIds();
    expect(await alertIds()).toHaveLength(1);
    await data(app, 'mutation($id: ID!) { resolveAlert(id: $id) { id } }', { id: first!.id });
    await failingRun(2); // the group no longer fires: a new alert
    expect((await alertIds()).map((a) => a.kind)).toEqual(['PASS_RATE_DROP', 'PASS_RATE_DROP']);
    await data(
      app,
      'mutation($id: ID!, $input: AlertRuleInput!) { updateAlertRule(id: $id, input: $input) { id } }',
      {
        id: createAlertRule.id,
        input: {
          ...DROP,
          kind: 'THRESHOLD',
          series: { measure: 'FAIL_RATE' },
          operator: 'GT',
          threshold: 0.5,
        },
      },
    );
    await failingRun(3); // a new kind starts from no state: it fires although the group was firing
    expect((await alertIds()).map((a) => a.kind)).toEqual(['PASS_RATE_DROP', 'PASS_RATE_DROP', 'THRESHOLD']);
  });

  it('keep a firing alarm quiet across a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'assay-alert-states-'));
    const db = join(dir, 'a.duckdb');
    app = await testApp({ db });
    await data(app, 'mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }', {
      input: DROP,
    });
    await failingRun(0);
    await app.close();
    app = await testApp({ db });
    await failingRun(1);
    expect(await alertIds()).toHaveLength(1);
  });
});
