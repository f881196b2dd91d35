import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import { hubDir, repoRoot } from '@hub/engines';
import { startHub, type Hub } from '../src/hub/server.ts';
import { builtProjects } from '../src/projects.ts';

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
    // The README's markdown shows as the README renders it, not as asterisks.
    expect(await page.locator('[data-testid="guarantee-row"] em', { hasText: 'does' }).count()).toBe(1);
    expect(await page.locator('[data-testid="guarantee-row"]', { hasText: '*does*' }).count()).toBe(0);
    // Its exercises are listed, not checked yet, with the button that runs their checks.
    await page.locator('[data-testid="exercise"]').first().waitFor();
    expect(await page.locator('[data-testid="exercise"][data-state="not-run"]').count()).toBe(2);
    expect(await page.locator('[data-testid="run-exercises"]').isEnabled()).toBe(true);

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

describe('the page, with no service to start', () => {
  // Cheap on purpose: a stand-in answers for level-01/counter "started in a terminal", and the
  // board reads a Jest report written here, of a run with a failing test that no row cites.
  const terminal = createServer((req, res) => {
    if (req.url === '/health') return res.setHeader('content-type', 'application/json').end('{"status":"ok","service":"level-01/counter"}');
    if (req.url !== '/__hub/events') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = {
      id: 't1',
      at: new Date().toISOString(),
      method: 'GET',
      path: '/counters/from-terminal',
      status: 200,
      durationMs: 1.5,
      stages: [],
    };
    res.write(`event: request\ndata: ${JSON.stringify(event)}\n\n`);
  });
  const scratch = mkdtempSync(resolve(tmpdir(), 'hub-e2e-board-'));
  const folder = `${dataFolder}-terminal`;
  let own: Hub | undefined;
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((done) => terminal.listen(0, '127.0.0.1', done));
    port = (terminal.address() as AddressInfo).port;
    const dir = resolve(scratch, 'projects/level-04/url-shortener');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      resolve(dir, 'README.md'),
      '## Guarantees\n| Guarantee | Proof |\n|---|---|\n| Codes are short | `test/codes.test.ts`: "codes are short" |\n',
    );
    const result = (title: string, status: string) => ({ title, fullName: title, ancestorTitles: [], status });
    const report = {
      success: false,
      numPassedTests: 1,
      numFailedTests: 1,
      startTime: Date.now(),
      testResults: [
        { name: `${dir}/test/codes.test.ts`, status: 'passed', assertionResults: [result('codes are short', 'passed')] },
        { name: `${dir}/test/mine.test.ts`, status: 'failed', assertionResults: [result('codes never collide', 'failed')] },
      ],
    };
    writeFileSync(resolve(hubDir(folder, 'hub-tests', 'level-04'), 'url-shortener.json'), JSON.stringify(report));
    const projects = [
      ...builtProjects().map((project) => (project.name === 'level-01/counter' ? { ...project, port } : project)),
      { name: 'level-04/url-shortener', dir, needs: [], port: 3403 },
    ];
    own = await startHub({ port: 25_250 + (process.pid % 250), dataFolder: folder, projects, log: () => {} });
  });
  afterAll(async () => {
    await own?.close();
    terminal.closeAllConnections();
    await new Promise((done) => terminal.close(done));
    rmSync(scratch, { recursive: true, force: true });
    rmSync(hubDir(folder), { recursive: true, force: true });
  });

  // One page for both checks: a page and its catalogue load cost more than either check.
  test('a failed run whose rows are all green shows the failure and a red summary; Start on a service running in a terminal offers Attach', async () => {
    if (!browser || !own) throw new Error('the browser or the hub did not start');
    const page = await browser.newPage();
    try {
      await page.goto(`${own.url}/#/level-04/url-shortener`);
      const summary = page.locator('[data-testid="test-status"][data-verdict="failed"]');
      await summary.waitFor();

      expect(await summary.textContent()).toMatch(/^✗ last run .*: 1 passed, 1 failed$/);
      expect(await page.locator('[data-testid="guarantee-row"]').evaluateAll((rows) => rows.map((row) => row.dataset.status))).toEqual([
        'passed',
      ]);
      const outside = page.locator('[data-testid="uncited-failures"]');
      expect(await outside.getAttribute('data-status')).toBe('failed');
      expect(await outside.locator('li.failed').textContent()).toBe('✗ test/mine.test.ts › codes never collide');
      expect(await outside.locator('li.failed').isVisible()).toBe(true);

      await page.evaluate("location.hash = '#/level-01/counter'"); // the same page: no second catalogue load
      await page.locator('.controls [data-testid="start-button"]').click();
      const status = page.locator('[data-testid="service-status"]');
      const attach = status.locator('[data-testid="attach-button"]');
      await attach.waitFor();
      expect(await status.textContent()).toBe(`level-01/counter is already running on port ${port} (started in a terminal). Attach`);

      await attach.click();
      await page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
      expect(await status.textContent()).toBe(`running at http://127.0.0.1:${port} (started in a terminal; watched here)`);
      await page.locator('[data-testid="request-row"]', { hasText: '/counters/from-terminal' }).waitFor();
      expect(await page.locator('[data-testid="stop-button"]').count()).toBe(0); // the hub cannot stop it; Detach instead
      expect(await page.locator('[data-testid="detach-button"]').count()).toBe(1);
    } finally {
      await page.close();
    }
  });
});
