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

    // The valid one, opened: its query at the handler stage (the request inspector), and the request as curl.
    await invalid.click();
    await valid.click();
    const trip = page.locator('[data-testid="timeline"]:visible');
    const query = trip.locator('[data-testid="items"][data-stage="handler"] [data-testid="item"][data-kind="mongo"]');
    expect(await query.textContent()).toMatch(
      new RegExp(`findAndModify counters \\{"name":"${name}"\\} update \\{.*"\\$inc":\\{"value":2\\}\\} → 1 returned`),
    );
    expect(await trip.locator('[data-testid="curl"]').textContent()).toBe(
      `curl -i -X POST '${url}/counters/${name}/increment' -H 'content-type: application/json' -d '{"by":2}'`,
    );
    await trip.locator('[data-testid="copy-curl"]').click();
    await trip.locator('[data-testid="copy-curl"]', { hasText: /copied|selected/ }).waitFor();
    // Filters: by status, by path.
    await page.locator('[data-testid="filter-status"]').selectOption('4xx');
    expect(await rows.filter({ visible: true }).count()).toBe(1);
    await page.locator('[data-testid="filter-status"]').selectOption('all');
    await page.locator('[data-testid="filter-path"]').fill('/nothing-like-it');
    expect(await rows.filter({ visible: true }).count()).toBe(0);
    await page.locator('[data-testid="filter-path"]').fill('');

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
    if (req.url === '/__hub/jobs/emails/7') return res.setHeader('content-type', 'application/json').end(JSON.stringify(emailJob));
    if (req.url !== '/__hub/events') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = {
      id: 't1',
      at: new Date().toISOString(),
      method: 'GET',
      path: '/counters/from-terminal',
      status: 200,
      durationMs: 1.5,
      stages: [{ stage: 'handler', startMs: 0.1, ms: 1.2, outcome: 'ok' }],
      // What the request inspector sends for an N+1: four finds of the same shape, and its insight.
      inspection: {
        request: {
          method: 'GET',
          url: '/counters/from-terminal',
          headers: {},
          curl: "curl -i -X GET 'http://127.0.0.1/counters/from-terminal'",
        },
        items: [1, 2, 3, 4].map((n) => ({
          kind: 'mongo',
          stage: 'handler',
          atMs: n / 10,
          command: 'find',
          collection: 'counters',
          filter: { name: `c${n}` },
          returned: 1,
          ms: 0.1,
        })),
        dropped: {},
        commands: { mongo: 4, redis: 0 },
        insights: [
          {
            kind: 'repeated-shape',
            message: '4 × find on counters with the same filter shape: one query with $in (or a $lookup) would do',
            explain: 'docs/request-inspector.md#the-same-query-again-and-again-n1',
          },
        ],
      },
    };
    res.write(`event: request\ndata: ${JSON.stringify(event)}\n\n`);
    for (const later of [enqueued, socketEvent]) res.write(`event: request\ndata: ${JSON.stringify(later)}\n\n`);
  });
  // Level 05's kinds: a request that enqueued a job (whose page has two attempts), and a socket.io event that emitted one.
  const record = (items: object[]) => ({ items, dropped: {}, commands: { mongo: 0, redis: 0 }, insights: [] });
  const enqueued = {
    ...{
      id: 't2',
      at: new Date().toISOString(),
      method: 'POST',
      path: '/emails',
      status: 202,
      durationMs: 2,
      failedAt: null,
      problem: null,
    },
    stages: [{ stage: 'handler', startMs: 0.1, ms: 1.5, outcome: 'ok' }],
    inspection: record([{ kind: 'job', stage: 'handler', atMs: 0.5, queue: 'emails', name: 'send', jobId: '7', attempts: 6 }]),
  };
  const socketEvent = {
    ...{
      id: 't3',
      at: new Date().toISOString(),
      method: 'EVENT',
      path: 'message:send',
      status: 200,
      durationMs: 1,
      failedAt: null,
      problem: null,
    },
    stages: [{ stage: 'handler', startMs: 0.1, ms: 0.8, outcome: 'ok' }],
    inspection: record([{ kind: 'emit', stage: 'handler', atMs: 0.6, event: 'message:new', to: ['room-1'], bytes: 42 }]),
  };
  const attempt = (number: number, outcome: string, items: object[], error?: string) => ({
    ...{ attempt: number, at: new Date().toISOString(), durationMs: 3, outcome, worker: 'box pid 12' },
    ...(error ? { error } : {}),
    record: record(items),
  });
  const emailJob = {
    ...{ queue: 'emails', id: '7', name: 'send', state: 'completed', data: { to: 'ada@example.com' }, progress: 0 },
    ...{ attemptsMade: 2, attempts: 6, result: { messageId: '<m1@example.com>' }, createdAt: new Date().toISOString() },
    runs: [
      attempt(1, 'failed', [{ kind: 'log', stage: 'job', atMs: 1, level: 'warn', message: 'SMTP said 451' }], '451 try again later'),
      attempt(2, 'completed', [
        { kind: 'mongo', stage: 'job', atMs: 1, command: 'insert', collection: 'sentemails', modified: 1, ms: 0.4 },
      ]),
    ],
  };
  const scratch = mkdtempSync(resolve(tmpdir(), 'hub-e2e-board-'));
  const folder = `${dataFolder}-terminal`;
  let own: Hub | undefined;
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((done) => terminal.listen(0, '127.0.0.1', done));
    port = (terminal.address() as AddressInfo).port;
    const dir = resolve(scratch, 'projects/level-07/audit-log');
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
    writeFileSync(resolve(hubDir(folder, 'hub-tests', 'level-07'), 'audit-log.json'), JSON.stringify(report));
    const projects = [
      ...builtProjects().map((project) => (project.name === 'level-01/counter' ? { ...project, port } : project)),
      { name: 'level-07/audit-log', dir, needs: [], port: 3701 },
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
    page.setDefaultTimeout(10_000); // a step that never comes fails with its locator, inside Jest's 30 s
    try {
      await page.goto(`${own.url}/#/level-07/audit-log`);
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
      const row = page.locator('[data-testid="request-row"]', { hasText: '/counters/from-terminal' });
      await row.waitFor();
      expect(await row.textContent()).toContain('4 MongoDB ⚑ 1 insight');
      await page.locator('[data-testid="filter-insight"]').check();
      expect(await row.isVisible()).toBe(true);
      await row.click();
      const insight = page.locator('[data-testid="timeline"]:visible [data-testid="insight"][data-kind="repeated-shape"]');
      expect(await insight.textContent()).toContain('4 × find on counters with the same filter shape');
      const explained = await fetch(new URL(String(await insight.locator('a').getAttribute('href')), own.url));
      expect(await explained.text()).toContain('id="the-same-query-again-and-again-n1"');
      expect(await page.locator('[data-testid="timeline"]:visible [data-testid="item"][data-kind="mongo"]').count()).toBe(4);

      // A job the request enqueued opens the job's own page: each attempt with what it did.
      await page.locator('[data-testid="filter-insight"]').uncheck();
      await page.locator('[data-testid="request-row"]', { hasText: '/emails' }).click();
      const job = page.locator('[data-testid="timeline"]:visible [data-testid="item"][data-kind="job"]');
      expect(await job.textContent()).toContain('job emails/send enqueued as 7, up to 6 attempts');
      await job.locator('[data-testid="open-job"]').click();
      await job.locator('[data-testid="job-state"][data-state="completed"]').waitFor();
      expect(await job.locator('[data-testid="job-state"]').textContent()).toBe(
        'emails/send #7: completed, 2 of 6 attempts made → {"messageId":"<m1@example.com>"}',
      );
      const runs = job.locator('[data-testid="job-run"]');
      expect(await runs.evaluateAll((all) => all.map((run) => run.dataset.outcome))).toEqual(['failed', 'completed']);
      expect(await runs.nth(0).textContent()).toContain('✗ 451 try again later');
      expect(await runs.nth(0).locator('[data-kind="log"]').textContent()).toContain('SMTP said 451');
      expect(await runs.nth(1).locator('[data-kind="mongo"]').textContent()).toContain('insert sentemails → 1 changed');
      // A socket.io event is a row of its own, with what it emitted.
      await page.locator('[data-testid="request-row"][data-method="EVENT"]', { hasText: 'message:send' }).click();
      expect(await page.locator('[data-testid="timeline"]:visible [data-kind="emit"]').textContent()).toContain(
        'socket.io emit message:new to room-1 (42 bytes)',
      );
      expect(await page.locator('[data-testid="stop-button"]').count()).toBe(0); // the hub cannot stop it; Detach instead
      expect(await page.locator('[data-testid="detach-button"]').count()).toBe(1);
    } finally {
      await page.close();
    }
  });

  test("every built service's README diagram is drawn as SVG (mermaid from node_modules, no network)", async () => {
    if (!browser || !own) throw new Error('the browser or the hub did not start');
    const page = await browser.newPage();
    const offSite: string[] = [];
    page.on('request', (sent) => {
      if (!sent.url().startsWith(own?.url ?? '-')) offSite.push(sent.url());
    });
    try {
      await page.goto(own.url);
      await page.locator('[data-testid="catalogue-entry"]').first().waitFor();
      // Per service, each of its README's diagrams: drawn, as one SVG (not left as mermaid source).
      const drawn: Record<string, string[]> = {};
      for (const { name } of builtProjects()) {
        await page.evaluate(`location.hash = '#/${name}'`);
        await page.locator('[data-testid="detail"] h2', { hasText: name }).waitFor();
        const diagrams = page.locator('[data-testid="readme"] [data-testid="diagram"]');
        await diagrams
          .first()
          .waitFor({ timeout: 10_000 })
          .catch((error: Error) => {
            throw new Error(`${name}: no diagram on its page (${error.message})`);
          });
        await page.waitForFunction(
          "[...document.querySelectorAll('[data-testid=diagram]')].every((node) => node.dataset.state !== 'drawing')",
          undefined,
          { timeout: 20_000 },
        );
        drawn[name] = await diagrams.evaluateAll((nodes) =>
          nodes.map((node) => `${node.getAttribute('data-state') ?? ''} ${node.querySelectorAll(':scope > svg').length} svg`),
        );
      }
      const everyOne = Object.fromEntries(Object.entries(drawn).map(([name, states]) => [name, states.map(() => 'drawn 1 svg')]));
      expect(drawn).toEqual(everyOne);
      expect(Object.keys(drawn)).toEqual(builtProjects().map(({ name }) => name));
      expect(offSite).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);
});
