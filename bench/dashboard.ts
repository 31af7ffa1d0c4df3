import { startOfDayUtc } from '../src/domain/time.ts';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { buildDashboard } from '../dashboard/build.ts';
import { Database } from '../src/db/database.ts';
import { generateDemo } from '../src/db/demo.ts';
import { createApp } from '../src/server/app.ts';
import { FAIL_RATE_RULE } from './alert-clients.ts';
import { progress, summarise } from './lib.ts';
import { fmt, type Figure } from './report.ts';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const CHARTS = ['passRate', 'executions', 'flakyRate']
  .map((c) => `[data-panel="chart-${c}"] .chart[data-drawn="true"]`)
  .concat('[data-panel="chart-duration"] .chart[data-drawn="true"]');

export interface DashboardBenchOptions {
  /** Navigations timed after the first (cold) one. @default 10 */
  readonly loads?: number;
  /** Alerts timed from ingest reply to row drawn. @default 10 */
  readonly alerts?: number;
  /** Days of demo history. @default 30 */
  readonly days?: number;
  /**
   * Time the overview on a copy of this database instead of the demo, with the page's clock set to
   * `end` (the reference set ends on a fixed day, and the dashboard's ranges count back from the
   * page's now). The alert step runs on the demo only.
   */
  readonly reference?: { readonly path: string; readonly end: Date; readonly label: string };
}

/**
 * The dashboard in Chromium on the demo (as `npm start` serves it):
 * - navigation → the overview's four charts drawn, cold (empty caches) and warm (a reload);
 * - an ingest's reply → its alert's row on the open Alerts page (a MutationObserver stamps the
 *   row's arrival with the page's wall clock, which is the machine's, like the bench's).
 */
export async function benchDashboard({
  loads = 10,
  alerts = 10,
  days = 30,
  reference,
}: DashboardBenchOptions = {}): Promise<{ figures: Figure[] }> {
  progress(
    `dashboard: building the bundle and ${reference ? `a copy of ${reference.label}` : 'a demo history'}…`,
  );
  await buildDashboard();
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-dashboard-'));
  const path = join(dir, 'data.duckdb');
  await prepareDatabase(path, reference, days);
  const app = await createApp({ db: path, port: 0, logLevel: 'silent' });
  const graphql = await app.listen();
  const origin = new URL(graphql).origin;
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    if (reference) await page.clock.setFixedTime(reference.end);
    const data = reference ? reference.label : `${days}-day demo`;
    const loadFigures = await overviewLoads(page, origin, loads, data);
    if (reference) return { figures: loadFigures };
    return { figures: [...loadFigures, await alertArrivals(page, origin, graphql, alerts)] };
  } finally {
    await context.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A copy of the reference database (with its WAL), or a demo history ending today. */
async function prepareDatabase(
  path: string,
  reference: DashboardBenchOptions['reference'],
  days: number,
): Promise<void> {
  if (reference) {
    copyFileSync(reference.path, path);
    if (existsSync(`${reference.path}.wal`)) copyFileSync(`${reference.path}.wal`, `${path}.wal`);
    return;
  }
  const db = await Database.open({ path, readers: 1 });
  // The demo ends today, as `npm start` builds it, so the dashboard's default range holds it.
  await generateDemo(db, { days, seed: 42, end: startOfDayUtc(new Date()) });
  await db.close();
}

/** Navigation → the overview's four charts drawn: once cold, then `loads` times warm. */
async function overviewLoads(page: Page, origin: string, loads: number, data: string): Promise<Figure[]> {
  // The warm loads are reloads: a second goto to the same URL is a same-document hash
  // navigation, which fetches and draws nothing again.
  const overview = async (reload = false): Promise<number> => {
    const t0 = performance.now();
    if (reload) await page.reload({ waitUntil: 'commit' });
    else await page.goto(`${origin}/#/`, { waitUntil: 'commit' });
    for (const c of CHARTS) await page.waitForSelector(c, { timeout: 60_000 });
    return performance.now() - t0;
  };
  progress('dashboard: overview loads…');
  const cold = await overview();
  const warm: number[] = [];
  for (let i = 0; i < loads; i++) warm.push(await overview(true));
  const w = summarise(warm);
  return [
    {
      figure: `dashboard: navigation → overview charts drawn, cold (${data}, Chromium)`,
      value: cold,
      unit: 'ms',
      goal: { op: '<=', value: 1000 },
    },
    {
      figure: `dashboard: navigation → overview charts drawn, warm p50 / p95 (${data}, ${loads} loads)`,
      value: w.p95,
      display: `${fmt(w.p50)} / ${fmt(w.p95)}`,
      unit: 'ms',
      goal: { op: '<=', value: 1000 },
    },
  ];
}

/** An ingest's reply → its alert's row on the open Alerts page, over `alerts` alerts (after one to warm up). */
async function alertArrivals(page: Page, origin: string, graphql: string, alerts: number): Promise<Figure> {
  const post = async (query: string, variables: Record<string, unknown>): Promise<void> => {
    const res = await fetch(graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  progress('dashboard: alerts from ingest reply to the page…');
  await post('mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }', {
    input: FAIL_RATE_RULE,
  });
  await page.goto(`${origin}/#/alerts`);
  await page.waitForSelector('body[data-ready="true"] .live-dot.on');
  await watchRows(page);
  const latencies: number[] = [];
  for (let i = 0; i < alerts + 1; i++) {
    const before = await page.evaluate(() => (window as unknown as { rowTimes: number[] }).rowTimes.length);
    await post('mutation($input: IngestInput!) { ingest(input: $input) { accepted } }', {
      input: {
        run: {
          id: `bench-dash-${i}`,
          project: 'bench',
          branch: 'main',
          startedAt: new Date(Date.now() - 60_000).toISOString(),
        },
        results: [{ suite: 's', name: 't', status: 'FAILED', durationMs: 1 }],
      },
    });
    const replied = Date.now();
    await page.waitForFunction(
      (n) => (window as unknown as { rowTimes: number[] }).rowTimes.length > n,
      before,
      { timeout: 10_000 },
    );
    const drawn = await page.evaluate(
      (n) => (window as unknown as { rowTimes: number[] }).rowTimes[n]!,
      before,
    );
    if (i > 0) latencies.push(drawn - replied); // the first registers the rule's state
  }
  const a = summarise(latencies);
  return {
    figure: `dashboard: ingest reply → alert drawn, p50 / p95 (${alerts} alerts)`,
    value: a.p95,
    display: `${fmt(a.p50)} / ${fmt(a.p95)}`,
    unit: 'ms',
    goal: { op: '<=', value: 200 },
  };
}

/** Stamps the first appearance of each alert id on the page with the wall clock (the list may be re-rendered by a refresh). */
async function watchRows(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { rowTimes: number[] };
    const seen = new Set(
      Array.from(document.querySelectorAll('[data-alert-id]'), (e) => e.getAttribute('data-alert-id')),
    );
    w.rowTimes = [];
    new MutationObserver(() => {
      const t = performance.timeOrigin + performance.now();
      for (const e of document.querySelectorAll('[data-alert-id]')) {
        const id = e.getAttribute('data-alert-id');
        if (!seen.has(id)) {
          seen.add(id);
          w.rowTimes.push(t);
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
}

if (process.argv[1]?.endsWith('dashboard.ts')) {
  const { figures } = await benchDashboard();
  for (const f of figures) console.log(`${f.figure}: ${f.display ?? fmt(f.value)} ${f.unit}`);
}
