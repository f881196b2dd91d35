import { describe, expect, test } from '@jest/globals';
import { recordedSleep, useTestRedis } from '@hub/testkit';
import type { Request, Response } from 'express';
import request from 'supertest';
import { ApiRouter, AppError, commandsOf, quota, rateLimit, slowDown, type LimitOptions, type SlowDownOptions } from '../src/index.ts';
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

/** An app whose GET /try answers 200, or 401 with ?fail=1, behind one slowdown that waits 100 ms per request over 2. */
function slowedApp(options: Partial<SlowDownOptions> = {}) {
  counter += 1;
  const clock = recordedSleep();
  const slow = slowDown({
    name: `test-slow-${counter}`,
    after: 2,
    delayMs: (over) => over * 100,
    windowSeconds: 60,
    redis: commandsOf(redis.redis),
    sleep: clock.sleep,
    ...options,
  });
  const routes = new ApiRouter().get('/try', { summary: 'try', responses: { 200: 'ok' } }, slow, (req: Request, res: Response) => {
    if (req.query.fail) throw new AppError(401, 'nope', 'Refused.');
    res.json({ ok: true });
  });
  return { app: appWith([['/', routes]]), waits: clock.waits };
}

describe('slowDown()', () => {
  test('lets `after` requests through at once, then makes each one wait delayMs(over) and still answers it: never a 429', async () => {
    const { app, waits } = slowedApp();

    const statuses = [];
    for (let attempt = 0; attempt < 5; attempt += 1) statuses.push((await request(app).get('/try')).status);

    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(waits).toEqual([100, 200, 300]);
  });

  test('times the wait as the delay stage, and sends no RateLimit headers (nothing is refused)', async () => {
    const { app } = slowedApp();

    const response = await request(app).get('/try');

    expect(response.headers['server-timing']).toMatch(/^delay;dur=/);
    expect(response.headers).not.toHaveProperty('ratelimit');
  });

  test('with failuresOnly, successful requests are free and only failures slow the next ones', async () => {
    const { app, waits } = slowedApp({ failuresOnly: true });

    for (let attempt = 0; attempt < 4; attempt += 1) await request(app).get('/try');
    for (let attempt = 0; attempt < 3; attempt += 1) await request(app).get('/try?fail=1');

    expect(waits).toEqual([100]);
  });

  test('when Redis cannot be reached, refuses with 503 instead of letting requests through uncounted', async () => {
    const { app } = slowedApp({ redis: () => Promise.reject(new Error('connect ECONNREFUSED')) });

    const response = await request(app).get('/try');

    expect(response.status).toBe(503);
    expect(response.body.type).toBe('urn:backend-hub:problem:limit-unavailable');
  });
});

describe('quota()', () => {
  test('take(key) says yes `limit` times per window and key, then no', async () => {
    counter += 1;
    const mails = quota({ name: `test-quota-${counter}`, limit: 2, windowSeconds: 60, redis: commandsOf(redis.redis) });

    const ada = [await mails.take('ada'), await mails.take('ada'), await mails.take('ada')];

    expect(ada).toEqual([true, true, false]);
    expect(await mails.take('bob')).toBe(true);
  });

  test('counts exactly under concurrency: of 10 takes at once, 3 get a yes', async () => {
    counter += 1;
    const mails = quota({ name: `test-quota-${counter}`, limit: 3, windowSeconds: 60, redis: commandsOf(redis.redis) });

    const answers = await Promise.all(Array.from({ length: 10 }, () => mails.take('ada')));

    expect(answers.filter(Boolean)).toHaveLength(3);
  });

  test('when Redis cannot be reached, take() fails instead of saying yes', async () => {
    const mails = quota({
      name: 'test-quota-down',
      limit: 3,
      windowSeconds: 60,
      redis: () => Promise.reject(new Error('connect ECONNREFUSED')),
    });

    await expect(mails.take('ada')).rejects.toThrow(/ECONNREFUSED/);
  });
});
