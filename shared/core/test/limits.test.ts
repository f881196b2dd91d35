import { describe, expect, test } from '@jest/globals';
import { useTestRedis } from '@hub/testkit';
import type { Request, Response } from 'express';
import request from 'supertest';
import { ApiRouter, AppError, commandsOf, rateLimit, type LimitOptions } from '../src/index.ts';
import { appWith } from './support.ts';

const redis = useTestRedis();
let counter = 0;

/** An app whose GET /try answers 200, or 401 with ?fail=1, behind one rate limit. */
function limitedApp(options: Partial<LimitOptions> = {}) {
  counter += 1;
  const limit = rateLimit({
    name: `test-${counter}`,
    limit: 2,
    windowSeconds: 60,
    redis: commandsOf(redis.redis),
    detail: 'Slow down.',
    ...options,
  });
  const routes = new ApiRouter().get('/try', { summary: 'try', responses: { 200: 'ok' } }, limit, (req: Request, res: Response) => {
    if (req.query.fail) throw new AppError(401, 'nope', 'Refused.');
    res.json({ ok: true });
  });
  return appWith([['/', routes]]);
}

describe('rateLimit()', () => {
  test('lets `limit` requests through in a window, then answers 429 problem+json with Retry-After', async () => {
    const app = limitedApp();

    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await request(app).get('/try')).status);
    const limited = await request(app).get('/try');

    expect(statuses).toEqual([200, 200, 429]);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, detail: 'Slow down.', type: 'urn:backend-hub:problem:too-many-requests' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  test('names the limit stage in Server-Timing, and tells the client its budget on every answer', async () => {
    const app = limitedApp();

    const first = await request(app).get('/try');
    await request(app).get('/try');
    const refused = await request(app).get('/try');

    expect(first.headers['server-timing']).toMatch(/^limit;dur=/);
    expect(first.headers.ratelimit).toMatch(/r=1; t=\d+/);
    expect(refused.headers['server-timing']).toMatch(/limit;desc="failed here"/);
  });

  test('with failuresOnly, successful requests are free and only failures count', async () => {
    const app = limitedApp({ failuresOnly: true });

    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await request(app).get('/try')).status);
    for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await request(app).get('/try?fail=1')).status);

    expect(statuses).toEqual([200, 200, 200, 200, 401, 401, 429]);
  });

  test('counts per key: a limit by a header value leaves other values alone', async () => {
    const app = limitedApp({ by: (req) => String(req.get('x-user')) });
    for (let attempt = 0; attempt < 2; attempt += 1) await request(app).get('/try').set('x-user', 'ada');

    expect((await request(app).get('/try').set('x-user', 'ada')).status).toBe(429);
    expect((await request(app).get('/try').set('x-user', 'bob')).status).toBe(200);
  });

  test('when Redis cannot be reached, refuses with 503 instead of letting requests through uncounted', async () => {
    const app = limitedApp({ redis: () => Promise.reject(new Error('connect ECONNREFUSED')) });

    const response = await request(app).get('/try');

    expect(response.status).toBe(503);
    expect(response.body.type).toBe('urn:backend-hub:problem:limit-unavailable');
  });
});
