import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import { hubDir, repoRoot } from '@hub/engines';
import { startHub, type Hub } from '../src/hub/server.ts';

// The hub page in a real browser: Debian's chromium, driven by playwright-core. It starts
// level-01/counter from the page and watches two requests go through the pipeline.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dataFolder = `hub-e2e-test-${process.pid}`;
const screenshot = resolve(repoRoot, '.hub/test-output/hub.png');
let hub: Hub | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium is missing at ${executablePath}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH.`,
    );
  }
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  // PORT: the services it starts listen there, not on their own ports, which a learner's run may hold.
  hub = await startHub({
    port: 25_000 + (process.pid % 1_000),
    dataFolder,
    env: { ...process.env, NODE_ENV: 'development', PORT: String(21_000 + (process.pid % 1_000)) },
    log: () => {},
  });
});
afterAll(async () => {
  await browser?.close();
  await hub?.close();
  rmSync(hubDir(dataFolder), { recursive: true, force: true });
});

describe('the hub page', () => {
  test('starts level-01/counter, shows a valid and an invalid request live, and where the invalid one stopped', async () => {
    if (!browser || !hub) throw new Error('the browser or the hub did not start');
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(hub.url);

    await page.locator('[data-testid="catalogue-entry"]').first().waitFor();
    expect(await page.locator('[data-testid="catalogue-entry"]').count()).toBe(30);
    await page.locator('[data-testid="catalogue-entry"][data-name="level-01/counter"] [data-testid="start-button"]').click();
    const status = page.locator('[data-testid="service-status"]', { hasText: 'running at' });
    await status.waitFor({ timeout: 90_000 });
    await page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
    const url = (await status.textContent())?.replace('running at ', '') ?? '';

    const name = `e2e-${process.pid}`;
    const increment = (by: number) =>
      fetch(`${url}/counters/${name}/increment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ by }),
      });
    expect((await increment(2)).status).toBe(200);
    expect((await increment(0)).status).toBe(400);

    const rows = page.locator('[data-testid="request-row"][data-method="POST"]', { hasText: `/counters/${name}/increment` });
    const valid = rows.and(page.locator('[data-status="200"]'));
    const invalid = rows.and(page.locator('[data-status="400"]'));
    await valid.waitFor();
    await invalid.waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.first().getAttribute('data-status')).toBe('400'); // newest first

    await invalid.click();
    const timeline = page.locator('[data-testid="timeline"]:visible');
    await timeline.waitFor();
    const decided = timeline.locator('[data-testid="stage"]', { has: page.locator('[data-testid="failed-at"]') });
    expect(await decided.getAttribute('data-stage')).toBe('validate');
    expect(await timeline.locator('[data-testid="stage"][data-stage="handler"]').count()).toBe(0); // it never reached the handler
    expect(await timeline.locator('[data-testid="field-error"]').getAttribute('data-field')).toBe('by');
    expect(await timeline.locator('[data-testid="problem"]').textContent()).toContain('"status": 400');

    mkdirSync(resolve(screenshot, '..'), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: false });
  }, 150_000);
});

describe('a Stop that fails', () => {
  test('shows why on the page, with no unhandled rejection, and Stop can be pressed again', async () => {
    if (!browser) throw new Error('the browser did not start');
    // A hub of its own, closed under the page: the way Stop fails when `pnpm dev` has been stopped.
    const folder = `${dataFolder}-stop`;
    const own = await startHub({
      port: 25_500 + (process.pid % 500),
      dataFolder: folder,
      env: { ...process.env, NODE_ENV: 'development', PORT: String(22_000 + (process.pid % 1_000)) },
      log: () => {},
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      // level-01/request-logger needs no database, so it starts in a few seconds.
      const started = await fetch(`${own.url}/api/services/level-01/request-logger/start`, { method: 'POST' });
      expect(started.status).toBe(200);
      await page.goto(`${own.url}/#/level-01/request-logger`);
      const stop = page.locator('[data-testid="stop-button"]');
      await stop.waitFor();

      await own.close();
      await stop.click();

      const status = page.locator('[data-testid="service-status"]');
      await status.filter({ hasText: 'failed to stop' }).waitFor();
      expect(await status.textContent()).toMatch(/^failed to stop: the hub did not answer \(.+\): is `pnpm dev` still running\?$/);
      expect(await stop.isEnabled()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await own.close();
      rmSync(hubDir(folder), { recursive: true, force: true });
    }
  }, 60_000);
});
