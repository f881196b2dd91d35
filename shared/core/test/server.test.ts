import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, test } from '@jest/globals';
import { testConfig } from '@hub/testkit';
import type { Request, Response } from 'express';
import request from 'supertest';
import { ApiRouter, startServer } from '../src/index.ts';
import { appWith } from './support.ts';

const FIXTURE = new URL('./fixtures/graceful-server.ts', import.meta.url).pathname;
const children = new Set<ChildProcess>();

afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

/** Starts the fixture service in a child process and resolves once it printed its URL. */
async function startService(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', FIXTURE], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as string | null,
    at: Date.now(),
  }));

  /** Resolves when the output matches `pattern`; fails with the output so far otherwise. */
  const waitFor = async (pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = output.match(pattern);
      if (found) return found;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${pattern} in the child's output:\n${output}`);
      await sleep(10);
    }
  };
  const [, url = ''] = await waitFor(/ready at (http:\/\/127\.0\.0\.1:\d+)/);
  return { child, url, port: Number(new URL(url).port), exited, waitFor, output: () => output };
}

/** Resolves with the error code of a fresh TCP connection to `port`, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('startServer(): graceful shutdown on SIGTERM (child process)', () => {
  test('finishes the in-flight request, refuses new connections, closes dependencies in order and exits 0', async () => {
    const service = await startService({ SHUTDOWN_TIMEOUT_MS: '5000' });
    expect(await tryConnect(service.port)).toBe('connected');

    const inFlight = fetch(`${service.url}/slow?ms=1000`);
    await service.waitFor(/slow request started/);
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    await service.waitFor(/SIGTERM: finishing in-flight requests, then exiting/);

    expect(await tryConnect(service.port)).toBe('ECONNREFUSED');
    const response = await inFlight;
    const body = (await response.json()) as { sleptMs: number; padding: string };
    expect(response.status).toBe(200);
    expect(response.headers.get('connection')).toBe('close');
    expect(body.sleptMs).toBe(1000);
    expect(body.padding).toHaveLength(100_000);

    const { code, at } = await service.exited;
    expect(code).toBe(0);
    // It did not sit out the 5 s deadline: it left as soon as the request was done.
    expect(at - signalledAt).toBeLessThan(3_000);
    expect(service.output()).toMatch(/closing mongo\n(.*\n)?closing redis\n(.*\n)?exit code 0/);
  });

  test('a request still running at SHUTDOWN_TIMEOUT_MS has its connection closed, and the process exits 1 to say so', async () => {
    const service = await startService({ SHUTDOWN_TIMEOUT_MS: '300' });

    const inFlight = fetch(`${service.url}/slow?ms=5000`).then(
      (response) => `answered ${response.status}`,
      (error: Error) => `failed: ${error.message}`,
    );
    await service.waitFor(/slow request started/);
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');

    expect(await inFlight).toMatch(/^failed: /);
    const { code, at } = await service.exited;
    expect(code).toBe(1);
    expect(at - signalledAt).toBeGreaterThanOrEqual(300);
    expect(at - signalledAt).toBeLessThan(2_500);
    expect(service.output()).toContain('Requests still running after 300 ms: closing their connections');
    expect(service.output()).toMatch(/closing mongo\n(.*\n)?closing redis/);
  });

  test('a second signal while draining exits at once with code 1', async () => {
    const service = await startService({ SHUTDOWN_TIMEOUT_MS: '10000' });
    void fetch(`${service.url}/slow?ms=5000`).catch(() => undefined);
    await service.waitFor(/slow request started/);

    service.child.kill('SIGTERM');
    await service.waitFor(/SIGTERM: finishing in-flight requests/);
    const secondAt = Date.now();
    service.child.kill('SIGTERM');

    const { code, at } = await service.exited;
    expect(code).toBe(1);
    expect(at - secondAt).toBeLessThan(1_000);
    expect(service.output()).not.toContain('closing mongo');
  });

  test('an uncaught exception stops the server cleanly and exits 1', async () => {
    const service = await startService();

    const response = await fetch(`${service.url}/crash-later`);
    expect(response.status).toBe(200);

    const { code } = await service.exited;
    expect(code).toBe(1);
    expect(service.output()).toContain('Uncaught exception');
    expect(service.output()).toMatch(/closing mongo\n(.*\n)?closing redis/);
  });
});

/** The status a GET to `url` answers when it names `host` in its Host header. */
function statusFor(url: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode);
    }).on('error', reject);
  });
}

describe('startServer(): a service started without NODE_ENV', () => {
  test('runs as production: JSON logs, a warning that ALLOWED_HOSTS is unset, and 421 for any Host but loopback', async () => {
    const service = await startService({ NODE_ENV: '' });

    expect(service.output()).toMatch(/"level":"warn","message":"ALLOWED_HOSTS is not set: only requests for localhost/);
    expect(await statusFor(`${service.url}/slow?ms=1`, 'api.example.com')).toBe(421);
    expect(await statusFor(`${service.url}/slow?ms=1`, `localhost:${service.port}`)).toBe(200);
  });
});

describe('startServer(): in process', () => {
  test('listens on a free port at PORT=0 and reports its url', async () => {
    const running = await startServer({ app: appWith([]), config: testConfig({}, { PORT: '0' }), handleSignals: false });

    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.url).not.toMatch(/:0$/);
    const health = await fetch(`${running.url}/health`);
    expect(health.status).toBe(200);
    await running.stop();
  });

  test('stop() answers /ready with 503, waits for the in-flight request, then closes dependencies in order', async () => {
    const events: string[] = [];
    const routes = new ApiRouter().get('/slow', { summary: 'slow', responses: { 200: 'ok' } }, async (_req: Request, res: Response) => {
      events.push('request started');
      await sleep(300);
      events.push('request answered');
      res.json({ done: true });
    });
    const app = appWith([['', routes]]);
    const running = await startServer({
      app,
      config: testConfig({}, { PORT: '0', SHUTDOWN_TIMEOUT_MS: '5000' }),
      handleSignals: false,
      onClose: [async () => void events.push('close mongo'), async () => void events.push('close redis')],
    });

    const inFlight = fetch(`${running.url}/slow`);
    while (!events.includes('request started')) await sleep(5);
    const stopped = running.stop();
    const ready = await request(app).get('/ready');
    const [response] = await Promise.all([inFlight, stopped]);

    expect(ready.status).toBe(503);
    expect(ready.body.type).toBe('urn:backend-hub:problem:shutting-down');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    expect(events).toEqual(['request started', 'request answered', 'close mongo', 'close redis']);
    expect(running.stop()).toBe(stopped);
  });
});

describe('importing @hub/core', () => {
  test('loads no Redis, SMTP or JWT library until a service calls for one (each test file pays for what it imports)', () => {
    const script = [
      "import { createRequire } from 'node:module';",
      "const core = await import('./src/index.ts');",
      'const loaded = () => Object.keys(createRequire(import.meta.url).cache).join("\\n");',
      'const before = loaded();',
      "core.createMailer({ SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'a@b.c' });",
      "core.createRedis('redis://127.0.0.1:1', { lazyConnect: true });",
      'console.log(JSON.stringify({ before, after: loaded() }));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: resolve(import.meta.dirname, '..'),
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    const { before, after } = JSON.parse(child.stdout) as { before: string; after: string };
    expect(before).toContain('/mongoose/');
    for (const library of ['/ioredis/', '/nodemailer/', '/jsonwebtoken/']) expect(before).not.toContain(library);
    expect(after).toContain('/ioredis/');
    expect(after).toContain('/nodemailer/');
  });
});
