import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.ts';
import { generateDemo, type DemoFacts } from '../../src/db/demo.ts';
import { createApp, type App } from '../../src/server/app.ts';

// The dashboard in Chromium against a gateway with API keys on (`assay serve --auth`).
const END = new Date('2026-11-01T00:00:00Z');
const SHOTS = join(process.cwd(), 'test-results', 'dashboard');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'];

const dir = mkdtempSync(join(tmpdir(), 'assay-dashboard-auth-'));
let app: App;
let facts: DemoFacts;
let origin: string;
let context: BrowserContext;
let page: Page;
let readKey: { id: string; secret: string };

beforeAll(async () => {
  const path = join(dir, 'demo.duckdb');
  const db = await Database.open({ path, readers: 1 });
  facts = await generateDemo(db, { days: 3, seed: 7, end: END });
  await db.close();
  app = await createApp({ db: path, port: 0, logLevel: 'silent', readers: 2, auth: true, now: () => END });
  origin = new URL(await app.listen()).origin;
  const { key, secret } = await app.keys.create({ name: 'wall screen', scope: 'read', projects: null });
  readKey = { id: key.id, secret };
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.clock.setFixedTime(END);
});

afterAll(async () => {
  await context?.close();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ready = () =>
  page.waitForSelector('body[data-view="overview"][data-ready="true"]', { timeout: 30_000 });

describe('the dashboard with API keys on', () => {
  it('says a key is needed, and loads the overview and live updates once a read key is entered', async () => {
    await page.goto(`${origin}/#/?range=7d`);
    await ready();
    await page.locator('form.key').waitFor({ state: 'visible' });
    expect(await page.locator('form.key .key-note').textContent()).toContain('This gateway needs an API key');
    expect(await page.locator('main .error').first().textContent()).toContain(
      'This gateway needs an API key',
    );
    expect(await page.locator('.live-dot.on').count()).toBe(0);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({
      path: join(SHOTS, 'key-prompt.png'),
      clip: { x: 0, y: 0, width: 1280, height: 500 },
    });

    await page.fill('form.key input[name="apiKey"]', readKey.secret);
    await Promise.all([page.waitForEvent('load'), page.click('form.key button[type="submit"]')]);
    await ready();
    await page.waitForSelector('.live-dot.on');
    const broken = page.locator(`[data-panel="failing"] a[data-test-id="${facts.brokenTest.id}"]`);
    await expect(broken.textContent()).resolves.toBe(facts.brokenTest.name);
    expect(await page.locator('main .error').count()).toBe(0);
    expect(await page.locator('form.key').isHidden()).toBe(true);
    expect(await page.locator('.key-toggle').isVisible()).toBe(true);
    // Kept for the tab's session, not in localStorage.
    expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([1, 0]);
  });

  it('says the key was refused once it is revoked', async () => {
    expect(await app.keys.revoke(readKey.id)).toBe(true);
    await page.reload();
    await ready();
    await page.locator('form.key').waitFor({ state: 'visible' });
    expect(await page.locator('form.key .key-note').textContent()).toContain(
      'The gateway refused this API key',
    );
    expect(await page.locator('main .error').first().textContent()).toContain(
      'The gateway refused this API key',
    );
  });
});
