import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { hubDir, repoRoot } from '@hub/engines';
import { startHub, type Hub } from '../src/hub/server.ts';
import type { BoardRow } from '../src/hub/guarantees.ts';
import { builtProjects } from '../src/projects.ts';

// The hub server's API, with a data folder of this test's own under .hub/.
const dataFolder = `hub-api-test-${process.pid}`;
let hub: Hub;

beforeAll(async () => {
  hub = await startHub({ port: 24_000 + (process.pid % 1_000), dataFolder, log: () => {} });
});
afterAll(async () => {
  await hub?.close();
  rmSync(hubDir(dataFolder), { recursive: true, force: true });
});

const get = async (path: string) => (await fetch(`${hub.url}${path}`)).json() as Promise<Record<string, unknown>>;

describe('the hub server', () => {
  test('listens on 127.0.0.1 only: not on ::1, so not on every address either', async () => {
    expect(hub.host).toBe('127.0.0.1');
    const refused = await new Promise<string>((done) => {
      const socket = connect({ host: '::1', port: hub.port });
      socket.once('connect', () => (socket.destroy(), done('connected')));
      socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
    });
    expect(refused).not.toBe('connected');
  });

  test('refuses another site: a foreign Host (DNS rebinding) or a cross-site POST → 403, nothing started', async () => {
    const status = await new Promise<number | undefined>((done, fail) => {
      httpRequest({ host: '127.0.0.1', port: hub.port, path: '/api/catalogue', headers: { host: 'evil.example:80' } }, (response) => {
        response.resume();
        done(response.statusCode);
      })
        .on('error', fail)
        .end();
    });
    const crossSite = await fetch(`${hub.url}/api/services/level-01/counter/start`, {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
    });

    expect(status).toBe(403);
    expect(crossSite.status).toBe(403);
    expect((await get('/api/services')).items).toEqual([]);
  });

  test('serves the page', async () => {
    const page = await fetch(hub.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/app.js">');
  });

  test('GET /api/catalogue lists the thirty services, the built ones with their README and guarantees', async () => {
    const { items } = (await get('/api/catalogue')) as { items: Array<Record<string, unknown>> };

    expect(items).toHaveLength(30);
    expect(items.filter(({ built }) => built).map(({ name }) => name)).toEqual([
      'level-01/health-check',
      'level-01/counter',
      'level-01/request-logger',
      'level-02/notes',
      'level-02/todo',
      'level-02/expense-tracker',
      'level-02/contact-manager',
      'level-03/jwt-auth',
      'level-03/session-auth',
      'level-03/rbac',
      'level-03/password-reset',
      'level-04/file-upload',
      'level-04/email-notification',
      'level-04/url-shortener',
      'level-04/search',
      'level-04/feature-flags',
      'level-05/background-jobs',
      'level-05/email-queue',
      'level-05/realtime-chat',
      'level-05/notification-queue',
    ]);
    const counter = items.find(({ name }) => name === 'level-01/counter');
    expect(counter).toMatchObject({ level: 1, built: true, command: 'pnpm dev --filter level-01/counter' });
    expect(counter?.readmeHtml).toContain('<h2');
    expect(counter?.guarantees).toHaveLength(9);
    expect(items.find(({ name }) => name === 'level-07/audit-log')).toMatchObject({ built: false, readmeHtml: null, guarantees: [] });
  });

  test('refuses to start what is not built, and to attach to another machine', async () => {
    const start = await fetch(`${hub.url}/api/services/level-07/audit-log/start`, { method: 'POST' });
    const attach = await fetch(`${hub.url}/api/services/level-01/counter/events?url=${encodeURIComponent('http://example.com:3000')}`);
    const notRunning = await fetch(`${hub.url}/api/services/level-01/counter/events`);

    expect(start.status).toBe(404);
    expect(attach.status).toBe(400);
    expect(notRunning.status).toBe(404);
    expect(await get('/api/services')).toEqual({ items: [] });
  });

  // health-check: the smallest suite whose README states guarantees, so the real run stays cheap.
  test('the guarantee board of level-01/health-check: grey before a run, every row proved by a passing test after one', async () => {
    const before = (await get('/api/services/level-01/health-check/tests')) as { run: null; board: BoardRow[] };
    expect(before.run).toBeNull();
    expect(before.board.map(({ status }) => status)).toEqual(Array(9).fill('not-run'));

    const after = await fetch(`${hub.url}/api/services/level-01/health-check/tests`, { method: 'POST' });
    const { run, board } = (await after.json()) as { run: { success: boolean; failed: number }; board: BoardRow[] };

    expect(run).toMatchObject({ success: true, failed: 0 });
    for (const row of board) {
      expect({ guarantee: row.guarantee, status: row.status }).toEqual({ guarantee: row.guarantee, status: 'passed' });
      expect(row.tests.length).toBeGreaterThan(0);
    }
    expect(((await get('/api/services/level-01/health-check/tests')) as { board: BoardRow[] }).board).toEqual(board);
  }, 120_000);

  test("a service's exercises: not checked before a Run; after one, each is not yet done as shipped, with its README hint", async () => {
    type Listed = {
      ranAt: string | null;
      exercises: Array<{ number: number; title: string; test: string; hint?: string; state: string | null }>;
    };
    const before = (await get('/api/services/level-02/expense-tracker/exercises')) as Listed;

    const after = (await (await fetch(`${hub.url}/api/services/level-02/expense-tracker/exercises`, { method: 'POST' })).json()) as Listed;

    expect(before.ranAt).toBeNull();
    expect(before.exercises.map(({ number, state }) => ({ number, state }))).toEqual([
      { number: 1, state: null },
      { number: 2, state: null },
    ]);
    expect(after.ranAt).not.toBeNull();
    expect(after.exercises.map(({ number, state, test }) => ({ number, state, test: test.startsWith('exercises/') }))).toEqual([
      { number: 1, state: 'failed', test: true },
      { number: 2, state: 'failed', test: true },
    ]);
    expect(after.exercises.every(({ hint }) => typeof hint === 'string' && hint.length > 0)).toBe(true);
    expect(((await get('/api/services/level-02/expense-tracker/exercises')) as Listed).exercises).toEqual(after.exercises);
  }, 120_000);
});

describe('a hub given its own environment', () => {
  test('passes it to the test runs it starts (MONGO_URL, REDIS_URL… as exported), without NODE_ENV', async () => {
    // NODE_OPTIONS in the hub's environment loads a probe into the test run: it writes down the
    // environment it got and ends the run there, so no suite runs for nothing.
    const scratch = mkdtempSync(resolve(tmpdir(), 'hub-env-test-'));
    const record = resolve(scratch, 'env.json');
    const probe = resolve(scratch, 'probe.mjs');
    writeFileSync(
      probe,
      `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(record)}, JSON.stringify({ env: process.env, argv: process.argv.slice(1) }));
process.exit(3);
`,
    );
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      NODE_OPTIONS: `--import ${pathToFileURL(probe).href}`,
      MONGO_URL: 'mongodb://127.0.0.1:27017/?directConnection=true',
      REDIS_URL: 'redis://127.0.0.1:6379',
      HUB_ENV_PROBE: 'given to the hub',
    };
    const own = await startHub({ port: 27_000 + (process.pid % 1_000), dataFolder: `${dataFolder}-env`, env, log: () => {} });
    try {
      const answer = await fetch(`${own.url}/api/services/level-01/counter/tests`, { method: 'POST' });
      expect(existsSync(record)).toBe(true);
      const seen = JSON.parse(readFileSync(record, 'utf8')) as { env: Record<string, string>; argv: string[] };

      expect(seen.env).toMatchObject({ HUB_ENV_PROBE: 'given to the hub', MONGO_URL: env.MONGO_URL, REDIS_URL: env.REDIS_URL });
      expect(seen.env).not.toHaveProperty('NODE_ENV');
      expect(seen.argv).toEqual(expect.arrayContaining(['--selectProjects', 'level-01/counter']));
      // The probe ended the run before it wrote a report: said as problem+json.
      expect(answer.status).toBe(500);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(((await answer.json()) as { detail: string }).detail).toContain('the test run left no report');
    } finally {
      await own.close();
      rmSync(scratch, { recursive: true, force: true });
      rmSync(hubDir(`${dataFolder}-env`), { recursive: true, force: true });
    }
  });
});

describe('a built service with no README yet', () => {
  let own: Hub;
  const scratch = mkdtempSync(resolve(tmpdir(), 'hub-readme-test-'));
  beforeAll(async () => {
    // level-07/multi-tenant as a learner starts it: a package.json, no README.
    const dir = resolve(scratch, 'projects/level-07/multi-tenant');
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'package.json'), JSON.stringify({ name: 'level-07/multi-tenant', hub: { port: 3703, needs: [] } }));
    const projects = [...builtProjects(), { name: 'level-07/multi-tenant', dir, needs: [], port: 3703 }];
    own = await startHub({ port: 28_000 + (process.pid % 1_000), dataFolder: `${dataFolder}-readme`, projects, log: () => {} });
  });
  afterAll(async () => {
    await own?.close();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(hubDir(`${dataFolder}-readme`), { recursive: true, force: true });
  });

  test('is in the catalogue as built, with no README and no guarantees; the others keep theirs', async () => {
    const { items } = (await (await fetch(`${own.url}/api/catalogue`)).json()) as { items: Array<Record<string, unknown>> };

    expect(items.find(({ name }) => name === 'level-07/multi-tenant')).toMatchObject({ built: true, readmeHtml: null, guarantees: [] });
    expect(items.find(({ name }) => name === 'level-01/counter')?.guarantees).toHaveLength(9);
  });

  test('its guarantee board is empty, not a 500', async () => {
    const answer = await fetch(`${own.url}/api/services/level-07/multi-tenant/tests`);

    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ run: null, board: [], uncited: [], verdict: 'not-run' });
  });

  test('an unknown API route is a problem+json 404, not an HTML page', async () => {
    const answer = await fetch(`${own.url}/api/nothing-here`);

    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(await answer.json()).toMatchObject({ status: 404, detail: 'No API route GET /api/nothing-here.' });
  });
});

describe('Start on a service already running in a terminal', () => {
  // A stand-in for `pnpm dev --filter level-01/counter` in another terminal: its /health names
  // the service, its /__hub/events streams one request. The hub is told counter's port is its port.
  const terminal = createServer((req, res) => {
    if (req.url === '/health') return res.setHeader('content-type', 'application/json').end('{"status":"ok","service":"level-01/counter"}');
    if (req.url !== '/__hub/events') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`event: request\ndata: ${JSON.stringify({ id: 'r1', method: 'GET', path: '/counters/x', status: 200 })}\n\n`);
  });
  let own: Hub;
  let port: number;
  beforeAll(async () => {
    await new Promise<void>((done) => terminal.listen(0, '127.0.0.1', done));
    port = (terminal.address() as AddressInfo).port;
    const projects = builtProjects().map((project) =>
      ['level-01/counter', 'level-01/request-logger'].includes(project.name) ? { ...project, port } : project,
    );
    own = await startHub({ port: 29_000 + (process.pid % 1_000), dataFolder: `${dataFolder}-attach`, projects, log: () => {} });
  });
  afterAll(async () => {
    await own?.close();
    terminal.closeAllConnections();
    await new Promise((done) => terminal.close(done));
    rmSync(hubDir(`${dataFolder}-attach`), { recursive: true, force: true });
  });

  test('answers 409: already running on port N (started in a terminal), with the URL to attach to; nothing is started', async () => {
    const answer = await fetch(`${own.url}/api/services/level-01/counter/start`, { method: 'POST' });

    expect(answer.status).toBe(409);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(await answer.json()).toEqual({
      title: 'Conflict',
      status: 409,
      detail: `level-01/counter is already running on port ${port} (started in a terminal).`,
      attach: `http://127.0.0.1:${port}`,
    });
    expect(await (await fetch(`${own.url}/api/services`)).json()).toEqual({ items: [] });
  });

  test('Attach: its requests reach the hub through the events stream', async () => {
    const stream = await fetch(`${own.url}/api/services/level-01/counter/events?url=${encodeURIComponent(`http://127.0.0.1:${port}`)}`);
    const reader = stream.body?.getReader();
    const first = await reader?.read();
    await reader?.cancel();

    expect(stream.status).toBe(200);
    expect(Buffer.from(first?.value ?? []).toString()).toContain('"path":"/counters/x"');
  });

  test('another service on that port: 409 naming it, and nothing to attach to', async () => {
    const answer = await fetch(`${own.url}/api/services/level-01/request-logger/start`, { method: 'POST' });
    const body = (await answer.json()) as { detail: string; attach?: string };

    expect(answer.status).toBe(409);
    expect(body.detail).toMatch(new RegExp(`^Port ${port} is busy: level-01/counter is running there\\.`));
    expect(body.attach).toBeUndefined();
  });
});

describe('the guarantee board of a run that failed', () => {
  // A learner's service, its README's table written the way ours are, and the Jest report of a
  // run with a deliberately failing test that no row cites (as the hub keeps it under .hub/).
  const scratch = mkdtempSync(resolve(tmpdir(), 'hub-board-test-'));
  const dir = resolve(scratch, 'projects/level-07/audit-log');
  const folder = `${dataFolder}-board`;
  let own: Hub;
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      resolve(dir, 'README.md'),
      [
        '## Guarantees',
        '| Guarantee | Proof |',
        '|---|---|',
        '| An operator is refused | `test/bad-input.test.ts`: "when url is {\\"$gt\\": \\"\\"}, answers 400 naming url" |',
        "| Logout ends the session | `test/auth.test.ts`: `describe('POST /auth/logout')` |",
        '',
      ].join('\n'),
    );
    const test = (file: string, ancestors: string[], title: string, status = 'passed') => ({
      file,
      result: { title, fullName: [...ancestors, title].join(' '), ancestorTitles: ancestors, status },
    });
    const tests = [
      test('bad-input', ['POST /links'], 'when url is {"$gt": ""}, answers 400 naming url'),
      test('auth', ['POST /auth/logout'], 'answers 204'),
      test('auth', ['POST /auth/logout'], 'revokes the session'),
      test('auth', ['POST /auth/login'], 'answers 200'),
      test('auth', ['POST /auth/logout-all'], 'revokes every session'),
      test('mine', [], 'codes never collide', 'failed'),
    ];
    const report = {
      success: false,
      numPassedTests: 5,
      numFailedTests: 1,
      startTime: Date.parse('2025-01-01T00:00:00Z'),
      testResults: ['bad-input', 'auth', 'mine'].map((file) => ({
        name: `${dir}/test/${file}.test.ts`,
        status: file === 'mine' ? 'failed' : 'passed',
        assertionResults: tests.filter((entry) => entry.file === file).map(({ result }) => result),
      })),
    };
    writeFileSync(resolve(hubDir(folder, 'hub-tests', 'level-07'), 'audit-log.json'), JSON.stringify(report));
    const projects = [...builtProjects(), { name: 'level-07/audit-log', dir, needs: [], port: 3701 }];
    own = await startHub({ port: 31_000 + (process.pid % 1_000), dataFolder: folder, projects, log: () => {} });
  });
  afterAll(async () => {
    await own?.close();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(hubDir(folder), { recursive: true, force: true });
  });

  test('is never greener than the run: the failing test no row cites is listed, the verdict is red; each row lights from exactly its tests', async () => {
    const answer = await fetch(`${own.url}/api/services/level-07/audit-log/tests`);
    const { run, board, uncited, verdict } = (await answer.json()) as {
      run: { success: boolean; failed: number };
      board: BoardRow[];
      uncited: BoardRow['tests'];
      verdict: string;
    };

    expect(run).toMatchObject({ success: false, failed: 1 });
    // The escaped name matches its test; the describe lights its two tests, not the file's five.
    expect(board.map(({ status, tests }) => [status, tests.map(({ fullName }) => fullName)])).toEqual([
      ['passed', ['POST /links when url is {"$gt": ""}, answers 400 naming url']],
      ['passed', ['POST /auth/logout answers 204', 'POST /auth/logout revokes the session']],
    ]);
    expect(uncited).toEqual([{ file: 'test/mine.test.ts', fullName: 'codes never collide', status: 'failed' }]);
    expect(verdict).toBe('failed');
  });
});

describe('pnpm dev with no filter', () => {
  test('prints the catalogue and the hub URL; Ctrl+C stops the services started from the page, and exits 0', async () => {
    const folder = `${dataFolder}-cli`;
    const child = spawn(process.execPath, ['shared/dev/bin/dev.js'], {
      cwd: repoRoot,
      // PORT: the service it starts listens there, not on its own port, which a learner's run may hold.
      env: {
        ...process.env,
        NODE_ENV: 'development',
        HUB_PORT: String(26_000 + (process.pid % 1_000)),
        PORT: String(23_000 + (process.pid % 1_000)),
        HUB_DEV_DATA: folder,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      while (!/Hub page: (\S+)/.test(output)) {
        if (child.exitCode !== null) throw new Error(`pnpm dev exited:\n${output}`);
        await new Promise((done) => setTimeout(done, 100));
      }
      const url = /Hub page: (\S+)/.exec(output)?.[1] ?? '';
      expect(output).toContain('30 services in 7 levels, 20 built');
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const started = await fetch(`${url}/api/services/level-01/health-check/start`, { method: 'POST' });
      const service = (await started.json()) as { url: string };
      expect((await fetch(`${service.url}/health`)).status).toBe(200);

      const exited = once(child, 'exit');
      child.kill('SIGINT');
      expect((await exited)[0]).toBe(0);
      await expect(fetch(`${service.url}/health`)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
      rmSync(hubDir(folder), { recursive: true, force: true });
    }
  }, 90_000);
});
