import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import type { NextFunction, Request, Response } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { z } from 'zod';
import { ApiRouter, AppError, stage, validate, type ValidRequest } from '../src/index.ts';
import { Timings } from '../src/timing.ts';
import { testConfig } from '@hub/testkit';
import { appWith, timingEntry } from './support.ts';

useTestDatabase();
const Item = mongoose.model('PipelineItem', new mongoose.Schema({ name: String }));

const byName = { params: z.object({ name: z.string().max(20) }) };
const items = new ApiRouter('items')
  .get('/', { summary: 'list', responses: { 200: 'items' } }, async (_req: Request, res: Response) => {
    res.json(await Item.find().sort({ _id: 1 }).lean());
  })
  .post('/', { summary: 'create', responses: { 201: 'created' } }, (_req: Request, res: Response) => {
    res.status(201).json({ created: true });
  })
  .get(
    '/:name',
    { summary: 'read', responses: { 200: 'item' } },
    validate(byName),
    async (req: ValidRequest<typeof byName>, res: Response) => {
      await Item.create({ name: req.params.name });
      res.json(await Item.findOne({ name: req.params.name }).lean());
    },
  )
  .delete('/:name', { summary: 'delete', responses: { 204: 'deleted' } }, (_req: Request, res: Response) => {
    res.status(204).end();
  });

const app = appWith([['/items', items]]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('405 Method Not Allowed and OPTIONS', () => {
  test('a known path asked with another method answers 405 problem+json with Allow', async () => {
    const response = await request(app).patch('/items');

    expect(response.status).toBe(405);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers.allow).toBe('GET, POST, HEAD');
    expect(response.body).toMatchObject({
      type: 'urn:backend-hub:problem:method-not-allowed',
      detail: 'PATCH is not allowed here; use GET, POST, HEAD.',
    });
    expect(response.headers['server-timing']).toMatch(/^route;desc="failed here", total;dur=/);
  });

  test('a path with parameters gets the methods declared for it', async () => {
    const response = await request(app).put('/items/lamp');

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, DELETE, HEAD');
  });

  test('OPTIONS answers 204 with Allow and no body', async () => {
    const response = await request(app).options('/items/lamp');

    expect(response.status).toBe(204);
    expect(response.headers.allow).toBe('GET, DELETE, HEAD');
    expect(response.text).toBe('');
  });

  test('the shared /health route refuses POST with 405 as well', async () => {
    const response = await request(app).post('/health');

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  test('an unknown path under a router answers 404, not 405', async () => {
    const response = await request(app).delete('/items/lamp/parts');

    expect(response.status).toBe(404);
    expect(response.body.detail).toBe('No route for DELETE /items/lamp/parts.');
  });
});

describe('Server-Timing', () => {
  test('shows validate, handler and db (a real MongoDB query) in pipeline order, then total', async () => {
    const response = await request(app).get('/items/lamp');

    expect(response.status).toBe(200);
    expect(response.body.name).toBe('lamp');
    const header = response.headers['server-timing'] ?? '';
    expect(header).toMatch(/^validate;dur=\d+\.\d, handler;dur=\d+\.\d, db;dur=\d+\.\d, total;dur=\d+\.\d$/);
    const duration = (name: string) => Number(/dur=([\d.]+)/.exec(timingEntry(header, name) ?? '')?.[1]);
    expect(duration('db')).toBeGreaterThan(0);
    expect(duration('total')).toBeGreaterThanOrEqual(duration('handler'));
  });

  test('a route without validation shows handler and db only', async () => {
    const response = await request(app).get('/items');

    expect(response.headers['server-timing']).toMatch(/^handler;dur=[\d.]+, db;dur=[\d.]+, total;dur=[\d.]+$/);
  });

  test('a stage running twice at once counts the time it was running, not the sum: db commands sent together overlap', () => {
    const timings = new Timings();
    const at = timings.startedAt;
    timings.add('db', 10, at + 1); // 1 → 11
    timings.add('db', 10, at + 6); // 6 → 16, overlapping the first: 15 ms busy so far
    timings.add('db', 2, at + 20); // 20 → 22, after a gap
    timings.add('db', 1, at + 7); // inside the first two: adds nothing
    timings.add('validate', 0.5, at);

    expect(timings.stages()).toEqual([
      { stage: 'validate', ms: 0.5, startMs: 0 },
      { stage: 'db', ms: 17, startMs: 1 },
    ]);
  });

  test('db time is counted for the request that issued the query, not for its neighbours', async () => {
    const [withDb, withoutDb] = await Promise.all([request(app).get('/items'), request(app).post('/items')]);

    expect(timingEntry(withDb.headers['server-timing'], 'db')).toBeDefined();
    expect(timingEntry(withoutDb.headers['server-timing'], 'db')).toBeUndefined();
  });
});

describe('stages a service names itself', () => {
  const checked = new ApiRouter().post(
    '/guarded',
    { summary: 'a service-named stage before the handler', responses: { 200: 'ok' } },
    validate({ query: z.object({ token: z.string().optional() }) }),
    stage('csrf', (req) => {
      if (req.query.token !== 'right') throw new AppError(403, 'csrf-token-invalid', 'Wrong token.');
    }),
    (_req: Request, res: Response) => {
      res.json({ ok: true });
    },
  );
  const guarded = appWith([['', checked]]);

  test('are timed in Server-Timing in the order they ran, between the shared stages', async () => {
    const response = await request(guarded).post('/guarded?token=right');

    expect(response.status).toBe(200);
    const names = String(response.headers['server-timing'])
      .split(', ')
      .map((entry) => entry.split(';')[0]);
    expect(names).toEqual(['validate', 'csrf', 'handler', 'total']);
  });

  test('a refusal names that stage as the one that decided, not the handler or authentication', async () => {
    const response = await request(guarded).post('/guarded?token=wrong');

    expect(response.status).toBe(403);
    expect(timingEntry(response.headers['server-timing'], 'csrf')).toMatch(/^csrf;desc="failed here";dur=/);
    expect(response.headers['server-timing']).not.toMatch(/handler|authn/);
  });

  test.each(['CSRF', 'has space', 'a;b', '', 'x'.repeat(25)])(
    'a stage name that is not a short lower-case token (%j) is refused when declared',
    (name) => {
      expect(() => stage(name, () => {})).toThrow(/stage name/);
    },
  );
});

describe('X-Request-Id', () => {
  test.each([
    ['a success', () => request(app).post('/items')],
    ['a 400', () => request(app).get(`/items/${'x'.repeat(30)}`)],
    ['a 404', () => request(app).get('/nothing-here')],
    ['a 405', () => request(app).put('/items')],
    ['malformed JSON', () => request(app).post('/items').set('Content-Type', 'application/json').send('{')],
    ['/health', () => request(app).get('/health')],
  ])('is on %s, as a fresh UUID, and in the problem body when there is one', async (_case, send) => {
    const response = await send();

    expect(response.headers['x-request-id']).toMatch(UUID);
    if (response.status >= 400) expect(response.body.requestId).toBe(response.headers['x-request-id']);
  });

  test('echoes a well-formed incoming id, also into the problem body', async () => {
    const response = await request(app).get('/nothing-here').set('X-Request-Id', 'edge-proxy:4711.a');

    expect(response.headers['x-request-id']).toBe('edge-proxy:4711.a');
    expect(response.body.requestId).toBe('edge-proxy:4711.a');
  });

  test.each([['with spaces and ;'], ['x'.repeat(129)], ['<script>']])('replaces a malformed incoming id (%s)', async (incoming) => {
    const response = await request(app).get('/health').set('X-Request-Id', incoming);

    expect(response.headers['x-request-id']).toMatch(UUID);
  });
});

describe('security headers', () => {
  test('no X-Powered-By; helmet headers are set; CORS is off unless origins are configured', async () => {
    const response = await request(app).get('/health').set('Origin', 'https://evil.example');

    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS', () => {
  test('answers a configured origin, and only that one', async () => {
    const withOrigins = appWith([['/items', items]], { config: testConfig({}, { CORS_ORIGINS: 'https://app.example' }) });

    const allowed = await request(withOrigins).get('/health').set('Origin', 'https://app.example');
    const other = await request(withOrigins).get('/health').set('Origin', 'https://evil.example');

    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe("the service's own middleware", () => {
  test('runs for every request after body parsing, before the routes, the 404 included', async () => {
    const seen: string[] = [];
    const tag = (req: Request, res: Response, next: NextFunction) => {
      seen.push(`${req.method} ${req.path} ${JSON.stringify(req.body ?? null)}`);
      res.set('X-Service', 'items');
      next();
    };
    const withMiddleware = appWith([['/items', items]], { middleware: [tag] });

    const created = await request(withMiddleware).post('/items').send({ a: 1 });
    const missing = await request(withMiddleware).get('/missing');

    expect(created.headers['x-service']).toBe('items');
    expect(missing.headers['x-service']).toBe('items');
    expect(seen).toEqual(['POST /items {"a":1}', 'GET /missing null']);
  });

  test('an error middleware among them sees a refused body, and the answer is still the shared problem', async () => {
    const refused: unknown[] = [];
    const noteRefusal = (error: { type?: string }, _req: Request, _res: Response, next: NextFunction) => {
      refused.push(error.type);
      next(error);
    };
    const withMiddleware = appWith([['/items', items]], { middleware: [noteRefusal] });

    const response = await request(withMiddleware).post('/items').set('Content-Type', 'application/json').send('{nope');

    expect(refused).toEqual(['entity.parse.failed']);
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('urn:backend-hub:problem:malformed-json');
  });
});
