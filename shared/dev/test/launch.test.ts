import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import { hubDir, repoRoot } from '@hub/engines';

// A real launch, as a learner runs it: `node shared/dev/bin/dev.js --filter level-01/counter` (`pnpm dev`)
// with no MONGO_URL and no NODE_ENV (the launcher sets development itself), data kept in a folder
// of this test's own under .hub/.
const dataFolder = `dev-test-${process.pid}`;
const port = 20_000 + (process.pid % 10_000);
const base = `http://127.0.0.1:${port}`;

afterAll(() => rmSync(hubDir(dataFolder), { recursive: true, force: true }));

// A test that fails half-way must not leave its launcher on the port the next test uses.
const started: ChildProcess[] = [];
afterEach(async () => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) await stop(child);
});

async function startDev(project = 'level-01/counter'): Promise<{ child: ChildProcess; output: () => string }> {
  const {
    MONGO_URL: _mongo,
    REDIS_URL: _redis,
    SMTP_URL: _smtp,
    JWT_SECRET: _secret,
    SESSION_SECRET: _session,
    NODE_ENV: _mode,
    ...env
  } = process.env;
  const child = spawn(process.execPath, ['shared/dev/bin/dev.js', '--filter', project], {
    cwd: repoRoot,
    env: { ...env, PORT: String(port), HUB_DEV_DATA: dataFolder, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('is up')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the launcher did not come up:\n${output}`);
    await new Promise((done) => setTimeout(done, 200));
  }
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  const [code] = (await exited) as [number | null];
  return code;
}

describe('pnpm dev --filter level-01/counter, with no Docker and no MONGO_URL', () => {
  test('starts the service on mongo-java-server with a data file, prints its URLs, and keeps increments across a restart', async () => {
    const first = await startDev();
    expect(first.output()).toContain(`MongoDB  `);
    // The engine's URL is printed, so a script or mongosh can reach the same database.
    expect(first.output()).toMatch(/^ {11}mongodb:\/\/127\.0\.0\.1:\d+\/level-01-counter/m);
    expect(first.output()).toContain(resolve(repoRoot, '.hub', dataFolder, 'level-01/counter'));
    expect(first.output()).toContain(`Swagger  http://localhost:${port}/docs`);

    const health = await fetch(`${base}/health`);
    const docs = await fetch(`${base}/docs/`);
    // Development, though nobody set NODE_ENV: the hub page's event routes exist only there.
    const events = await fetch(`${base}/__hub/events/recent`);
    const increment = await fetch(`${base}/counters/kept/increment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: 7 }),
    });
    expect(health.status).toBe(200);
    expect(docs.status).toBe(200);
    expect(events.status).toBe(200);
    expect(await increment.json()).toMatchObject({ name: 'kept', value: 7 });
    expect(await stop(first.child)).toBe(0);
    // The service is gone, and so is the engine started for it (its command line names our data folder).
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    expect(spawnSync('pgrep', ['-f', dataFolder]).status).toBe(1);

    const second = await startDev();
    const kept = await fetch(`${base}/counters/kept`);
    expect(await kept.json()).toMatchObject({ name: 'kept', value: 7 });
    expect(await stop(second.child)).toBe(0);
  }, 120_000);
});

describe('pnpm dev --filter level-02/notes, with no JWT_SECRET set', () => {
  test('boots with a development secret kept under .hub/, so a token still works after a restart', async () => {
    const first = await startDev('level-02/notes');
    const signup = await fetch(`${base}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `dev-${process.pid}@example.com`, password: 'correct horse battery' }),
    });
    expect(signup.status).toBe(201);
    const { accessToken } = (await signup.json()) as { accessToken: string };
    expect(await stop(first.child)).toBe(0);

    const second = await startDev('level-02/notes');
    const me = await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(200);
    expect(await stop(second.child)).toBe(0);
  }, 120_000);
});

describe('pnpm dev --filter level-03/session-auth, with no SESSION_SECRET set', () => {
  test('boots with a development session secret and hands out a CSRF token', async () => {
    const dev = await startDev('level-03/session-auth');
    const csrf = await fetch(`${base}/auth/csrf`);
    expect(csrf.status).toBe(200);
    // sid, not production's __Host-sid: the launcher ran it as development.
    expect(csrf.headers.get('set-cookie')).toMatch(/^sid=/);
    expect(await stop(dev.child)).toBe(0);
  }, 120_000);
});

describe('pnpm dev --filter level-03/password-reset, with no SMTP_URL set', () => {
  test('starts a mail catcher and prints the reset mail, link included, in the terminal', async () => {
    const dev = await startDev('level-03/password-reset');
    expect(dev.output()).toMatch(/SMTP +mail catcher on port \d+/);
    const email = `reset-${process.pid}@example.com`;
    const post = (path: string, body: object) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/auth/signup', { email, password: 'correct horse battery' })).status).toBe(201);
    expect((await post('/auth/password/forgot', { email })).status).toBe(202);

    const deadline = Date.now() + 10_000;
    while (!dev.output().includes(`mail to ${email}`) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
    expect(dev.output()).toContain(`mail to ${email}`);
    // The link points at the port this run picked, not a fixed 3000.
    expect(dev.output()).toMatch(new RegExp(`http://localhost:${port}/auth/password/reset\\?token=[\\w-]{43}`));
    expect(await stop(dev.child)).toBe(0);
  }, 120_000);
});
