// Pipeline events for the hub page: published in development only, over real HTTP (SSE and JSON).
import { get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { testConfig, useTestDatabase } from '@hub/testkit';
import express, { type Express, type Request, type Response } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { z } from 'zod';
import { createPipelineEvents, HUB_PREFIX, hubRoutes, type PipelineEvents, type RequestEvent } from '../src/events.ts';
import { ApiRouter, AppError, loadConfig, REDACTED, startServer, validate, type ValidRequest } from '../src/index.ts';
import { appWith } from './support.ts';

useTestDatabase();
const Gadget = mongoose.model('EventsGadget', new mongoose.Schema({ name: String }));

const CountBody = { body: z.object({ count: z.number().int().min(1) }) };
const gadgets = new ApiRouter('gadgets')
  .post(
    '/',
    { summary: 'count', responses: { 201: 'counted' } },
    validate(CountBody),
    (req: ValidRequest<typeof CountBody>, res: Response) => {
      res.status(201).json({ count: req.body.count });
    },
  )
  .get('/', { summary: 'list', responses: { 200: 'gadgets' } }, async (_req: Request, res: Response) => {
    await Gadget.create({ name: 'lamp' });
    res.json(await Gadget.find().lean());
  })
  .get('/refused', { summary: 'a problem with an extension member', responses: { 200: 'never' } }, (req: Request, res: Response) => {
    // A service answering with a problem of its own, carrying members a client may need but the
    // hub page must never show: whatever is in the problem body passes through redact().
    const problem = {
      type: 'urn:backend-hub:problem:payment-refused',
      title: 'Payment Required',
      status: 402,
      detail: 'The card was refused.',
      instance: req.path,
      requestId: String(res.locals.requestId),
      token: 'tok_live_should_never_leave',
      errors: [{ field: 'card', message: 'refused', apiKey: 'key_should_never_leave' }],
    };
    res.locals.problem = problem;
    res.status(402).type('application/problem+json').json(problem);
  })
  .get('/broken', { summary: 'fails in the handler', responses: { 200: 'never' } }, () => {
    throw new AppError(409, 'conflict', 'Already there.', { errors: [{ field: 'password', message: 'was used before' }] });
  });

const developmentConfig = () => testConfig({}, { NODE_ENV: 'development' });
const devApp = () => appWith([['/gadgets', gadgets]], { config: developmentConfig() });
const emitterOf = (app: Express) => app.locals.pipelineEvents as PipelineEvents | undefined;

async function recent(app: Express): Promise<RequestEvent[]> {
  const response = await request(app).get('/__hub/events/recent');
  expect(response.status).toBe(200);
  return (response.body as { items: RequestEvent[] }).items;
}

/** The event of the request that got `response` (matched by its X-Request-Id). */
async function eventFor(app: Express, response: { headers: Record<string, string> }): Promise<RequestEvent> {
  const id = response.headers['x-request-id'];
  const event = (await recent(app)).find((item) => item.id === id);
  if (!event) throw new Error(`no event for request ${id}`);
  return event;
}

// Real servers for the streaming tests, closed after each test.
const servers: Server[] = [];
async function listen(app: Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((done) => server.once('listening', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

/** A streaming SSE client on node's http: every chunk as it arrives, and the messages parsed from it. */
async function openStream(url: string) {
  const response = await new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).once('error', reject));
  let text = '';
  let ended = false;
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => (text += chunk));
  response.once('end', () => (ended = true));
  response.once('close', () => (ended = true));
  const messages = () =>
    text
      .split('\n\n')
      .slice(0, -1) // the part after the last blank line is not complete yet
      .filter((block) => block.startsWith('event: '));
  const events = () =>
    messages().map((block) => {
      const [eventLine, dataLine, ...rest] = block.split('\n');
      expect(eventLine).toBe('event: request');
      expect(dataLine?.startsWith('data: ')).toBe(true);
      expect(rest).toEqual([]); // one line of JSON
      return JSON.parse(dataLine?.slice('data: '.length) ?? '') as RequestEvent;
    });
  return {
    response,
    text: () => text,
    events,
    ended: () => ended,
    async waitFor(check: () => boolean, what: string, timeoutMs = 3_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stream so far:\n${text}`);
        await sleep(5);
      }
    },
    close: () => response.destroy(),
  };
}

describe('in development, every request is published', () => {
  const app = devApp();

  test('a valid request: method, path without the query string, status, stages in order, no failure', async () => {
    const response = await request(app).post('/gadgets?source=test').send({ count: 2 });
    expect(response.status).toBe(201);

    const event = await eventFor(app, response);
    expect(event).toMatchObject({ method: 'POST', path: '/gadgets', status: 201, failedAt: null, problem: null });
    expect(event.stages.map(({ stage, outcome }) => [stage, outcome])).toEqual([
      ['validate', 'ok'],
      ['handler', 'ok'],
    ]);
    expect(Date.now() - Date.parse(event.at)).toBeGreaterThanOrEqual(0);
    expect(Date.now() - Date.parse(event.at)).toBeLessThan(5_000);
    expect(new Date(event.at).toISOString()).toBe(event.at);
    expect(event.durationMs).toBeGreaterThan(0);
  });

  test('an invalid body: stopped at validate, with the problem body and its field error; the handler never ran', async () => {
    const response = await request(app).post('/gadgets').send({ count: 'many' });
    expect(response.status).toBe(400);

    const event = await eventFor(app, response);
    expect(event).toMatchObject({ method: 'POST', path: '/gadgets', status: 400, failedAt: 'validate' });
    expect(event.stages).toEqual([{ stage: 'validate', startMs: expect.any(Number), ms: expect.any(Number), outcome: 'failed' }]);
    expect(event.problem).toEqual(response.body);
    expect(event.problem).toMatchObject({ status: 400, errors: [{ in: 'body', field: 'count', message: expect.any(String) }] });
  });

  test('an unknown route: failedAt route, which has no stage entry', async () => {
    const response = await request(app).get('/nothing/here');
    expect(response.status).toBe(404);

    const event = await eventFor(app, response);
    expect(event).toMatchObject({ method: 'GET', path: '/nothing/here', status: 404, failedAt: 'route', stages: [] });
    expect(event.problem).toMatchObject({ status: 404, detail: 'No route for GET /nothing/here.' });
  });

  test('a failure in the handler marks the handler stage failed', async () => {
    const response = await request(app).get('/gadgets/broken');
    expect(response.status).toBe(409);

    const event = await eventFor(app, response);
    expect(event.failedAt).toBe('handler');
    expect(event.stages).toEqual([{ stage: 'handler', startMs: expect.any(Number), ms: expect.any(Number), outcome: 'failed' }]);
  });

  test('a route that queries MongoDB shows handler and db, with start offsets and durations ≥ 0 inside the request', async () => {
    const response = await request(app).get('/gadgets');
    expect(response.status).toBe(200);

    const event = await eventFor(app, response);
    expect(event.stages.map(({ stage }) => stage)).toEqual(['handler', 'db']);
    for (const { startMs, ms, outcome } of event.stages) {
      expect(typeof startMs).toBe('number');
      expect(startMs).toBeGreaterThanOrEqual(0);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(startMs + ms).toBeLessThanOrEqual(event.durationMs + 0.02);
      expect(outcome).toBe('ok');
    }
    const [handler, db] = event.stages;
    expect(db?.ms).toBeGreaterThan(0);
    expect(db?.startMs).toBeGreaterThanOrEqual(handler?.startMs ?? Infinity);
  });

  test('a validated route: the handler starts after validate ends', async () => {
    const response = await request(app).post('/gadgets').send({ count: 1 });
    const [validateStage, handler] = (await eventFor(app, response)).stages;

    expect(handler?.startMs).toBeGreaterThanOrEqual((validateStage?.startMs ?? Infinity) + (validateStage?.ms ?? 0) - 0.02);
  });

  test('the event carries nothing else from the request: no headers, no bodies', async () => {
    const response = await request(app)
      .post('/gadgets')
      .set('Authorization', 'Bearer abc.def.ghi')
      .send({ count: 7, note: 'private words' });

    const event = await eventFor(app, response);
    expect(Object.keys(event).sort()).toEqual(['at', 'durationMs', 'failedAt', 'id', 'method', 'path', 'problem', 'stages', 'status']);
    expect(JSON.stringify(event)).not.toMatch(/abc\.def\.ghi|private words/);
  });
});

describe('secrets never leave', () => {
  const app = devApp();

  test('secret-named members anywhere in the problem body come out [REDACTED]', async () => {
    const response = await request(app).get('/gadgets/refused');
    expect(response.status).toBe(402);

    const event = await eventFor(app, response);
    expect(event.problem).toMatchObject({
      status: 402,
      detail: 'The card was refused.',
      token: REDACTED,
      errors: [{ field: 'card', apiKey: REDACTED }],
    });
    expect(JSON.stringify(event)).not.toMatch(/should_never_leave/);
  });

  test('a field merely named password is not a secret value: it stays, so the page can show which field failed', async () => {
    const response = await request(app).get('/gadgets/broken');

    expect((await eventFor(app, response)).problem).toMatchObject({ errors: [{ field: 'password', message: 'was used before' }] });
  });
});

describe('the hub routes themselves', () => {
  test('requests to /__hub/* are never published', async () => {
    const app = devApp();
    await request(app).get('/__hub/events/recent');
    await request(app).get('/__hub/events/recent?x=1');
    await request(app).get('/__hub/nothing');
    await request(app).get('/health');

    expect((await recent(app)).map(({ path }) => path)).toEqual(['/health']);
  });

  test('are not in the OpenAPI document', async () => {
    const response = await request(devApp()).get('/openapi.json');

    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body)).not.toContain('__hub');
  });

  test('the buffer keeps the 50 most recent events, oldest first', async () => {
    const app = devApp();
    for (let index = 0; index < 55; index += 1) await request(app).get(`/nothing/${index}`);

    const paths = (await recent(app)).map(({ path }) => path);
    expect(paths).toHaveLength(50);
    expect(paths[0]).toBe('/nothing/5');
    expect(paths.at(-1)).toBe('/nothing/54');
  });

  test('a page on this machine may read them cross-origin; another origin gets no CORS header', async () => {
    const app = devApp();
    const local = await request(app).get('/__hub/events/recent').set('Origin', 'http://localhost:4000');
    const other = await request(app).get('/__hub/events/recent').set('Origin', 'https://evil.example');

    expect(local.headers['access-control-allow-origin']).toBe('http://localhost:4000');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('GET /__hub/events (Server-Sent Events)', () => {
  test('streams each new request as an `event: request` message, with the stream headers', async () => {
    const app = devApp();
    const base = await listen(app);
    const stream = await openStream(`${base}/__hub/events`);

    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.response.headers['cache-control']).toBe('no-cache');
    expect(stream.response.headers['x-accel-buffering']).toBe('no');
    expect(stream.events()).toEqual([]);

    const sent = await fetch(`${base}/gadgets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"count":"x"}' });
    await stream.waitFor(() => stream.events().length === 1, 'the event');

    const [event] = stream.events();
    expect(event).toMatchObject({
      id: sent.headers.get('x-request-id'),
      method: 'POST',
      path: '/gadgets',
      status: 400,
      failedAt: 'validate',
    });
    stream.close();
  });

  test('replays the earlier events on connect, oldest first, then streams new ones', async () => {
    const app = devApp();
    const base = await listen(app);
    await fetch(`${base}/health`);
    await fetch(`${base}/nothing`);

    const stream = await openStream(`${base}/__hub/events`);
    await stream.waitFor(() => stream.events().length === 2, 'the replay');
    expect(stream.events().map(({ path }) => path)).toEqual(['/health', '/nothing']);

    await fetch(`${base}/gadgets`);
    await stream.waitFor(() => stream.events().length === 3, 'the new event');
    expect(stream.events().map(({ path }) => path)).toEqual(['/health', '/nothing', '/gadgets']);
    stream.close();
  });

  test('keeps no subscriber once the client disconnects', async () => {
    const app = devApp();
    const base = await listen(app);
    const emitter = emitterOf(app);
    const first = await openStream(`${base}/__hub/events`);
    const second = await openStream(`${base}/__hub/events`);
    expect(emitter?.subscriberCount).toBe(2);

    first.close();
    second.close();
    await first.waitFor(() => emitter?.subscriberCount === 0, 'the server to drop its subscribers');
    // Publishing afterwards writes to nobody and fails nothing.
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  test('sends a `: ping` comment while idle', async () => {
    const app = express().use(HUB_PREFIX, hubRoutes(createPipelineEvents(), { pingMs: 20 }));
    const stream = await openStream(`${await listen(app)}/__hub/events`);

    await stream.waitFor(() => stream.text().includes(': ping\n\n'), 'a ping');
    stream.close();
  });

  test('an open stream does not hold up a graceful shutdown: stop() ends it at once', async () => {
    const config = testConfig({}, { NODE_ENV: 'development', LOG_LEVEL: 'silent', PORT: '0', SHUTDOWN_TIMEOUT_MS: '5000' });
    const running = await startServer({ app: appWith([], { config }), config, handleSignals: false });
    const stream = await openStream(`${running.url}/__hub/events`);

    const started = Date.now();
    await running.stop();

    expect(Date.now() - started).toBeLessThan(2_000);
    await stream.waitFor(() => stream.ended(), 'the stream to end');
  });
});

describe('the emitter', () => {
  test('passes each event to every subscriber until it unsubscribes; close() ends every subscription', () => {
    const emitter = createPipelineEvents({ limit: 3 });
    const seen: string[] = [];
    const closed: string[] = [];
    const unsubscribe = emitter.subscribe((event) => seen.push(`a:${event.id}`));
    emitter.subscribe(
      (event) => seen.push(`b:${event.id}`),
      () => closed.push('b'),
    );
    const event = (id: string) => ({ id }) as RequestEvent;

    emitter.publish(event('1'));
    unsubscribe();
    emitter.publish(event('2'));
    emitter.close();
    emitter.publish(event('3'));
    emitter.publish(event('4'));

    expect(seen).toEqual(['a:1', 'b:1', 'b:2']);
    expect(closed).toEqual(['b']);
    expect(emitter.subscriberCount).toBe(0);
    expect(emitter.recent().map(({ id }) => id)).toEqual(['2', '3', '4']);
  });
});

describe('outside development nothing is published and the routes do not exist', () => {
  let apps: Array<[string, Express]> = [];
  beforeAll(() => {
    apps = [
      ['production', appWith([['/gadgets', gadgets]], { config: testConfig({}, { NODE_ENV: 'production' }) })],
      ['NODE_ENV not set (production)', appWith([['/gadgets', gadgets]], { config: loadConfig({}, { env: {}, envFile: false }) })],
      ['test (the default here)', appWith([['/gadgets', gadgets]])],
      ['development with events: false', appWith([['/gadgets', gadgets]], { config: developmentConfig(), events: false })],
    ];
  });
  afterAll(() => {
    apps = [];
  });

  test.each([['production'], ['NODE_ENV not set (production)'], ['test (the default here)'], ['development with events: false']])(
    '%s: 404 problem+json, no emitter',
    async (name) => {
      const app = apps.find(([label]) => label === name)?.[1] as Express;
      await request(app).post('/gadgets').send({ count: 'many' });

      for (const path of ['/__hub/events', '/__hub/events/recent']) {
        const response = await request(app).get(path);
        expect(response.status).toBe(404);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body.detail).toBe(`No route for GET ${path}.`);
      }
      expect(emitterOf(app)).toBeUndefined();
      expect(Object.keys(app.locals)).not.toContain('pipelineEvents');
    },
  );

  test('events: true turns them on in any environment (the bench measures it in production)', async () => {
    const app = appWith([['/gadgets', gadgets]], { config: testConfig({}, { NODE_ENV: 'production' }), events: true });
    await request(app).get('/health');

    expect((await recent(app)).map(({ path }) => path)).toEqual(['/health']);
  });
});
