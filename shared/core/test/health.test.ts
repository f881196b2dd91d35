import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { testConfig, useTestDatabase } from '@hub/testkit';
import type { Redis } from 'ioredis';
import mongoose from 'mongoose';
import request from 'supertest';
import { createRedis, mongoReady, redisReady } from '../src/index.ts';
import { appWith, captureLogs } from './support.ts';

useTestDatabase();
let redis: Redis;
beforeAll(() => {
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:1');
});
afterAll(async () => {
  await redis.quit();
});

const failing = async () => {
  throw new Error('connection refused');
};
const hanging = () => new Promise<never>(() => {});

describe('GET /health', () => {
  test('answers 200 with name, version, uptime and time, and is never cached', async () => {
    const response = await request(appWith([], { readiness: { broken: failing } })).get('/health');

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({
      status: 'ok',
      service: 'core-test',
      version: '1.2.3',
      uptime: expect.any(Number),
      time: expect.any(String),
    });
    expect(Math.abs(Date.parse(response.body.time) - Date.now())).toBeLessThan(5_000);
    expect(response.body.uptime).toBeGreaterThan(0);
  });
});

describe('GET /ready', () => {
  test('when every dependency answers, 200 listing each check as up', async () => {
    const app = appWith([], { readiness: { mongo: mongoReady(), redis: redisReady(redis) } });

    const response = await request(app).get('/ready');

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({ status: 'ready', checks: { mongo: 'up', redis: 'up' } });
  });

  test('without checks, is ready', async () => {
    const response = await request(appWith([])).get('/ready');

    expect(response.body).toEqual({ status: 'ready', checks: {} });
  });

  test('when a check fails, 503 problem+json with Retry-After, naming the failing check', async () => {
    const app = appWith([], { readiness: { mongo: mongoReady(), cache: failing } });

    const response = await request(app).get('/ready');

    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body.type).toBe('urn:backend-hub:problem:not-ready');
    expect(response.body.detail).toContain('cache');
    expect(response.body.detail).not.toContain('mongo');
  });

  test('the answer names the failing check but not its reason (it can name internal hosts); the log has the reason', async () => {
    const logs = captureLogs('production', 'warn');
    try {
      const app = appWith([], { config: testConfig({}, { NODE_ENV: 'production' }), readiness: { cache: failing } });

      const response = await request(app).get('/ready');
      await logs.waitFor(1);

      expect(response.status).toBe(503);
      expect(response.body.detail).toBe('Not ready: cache not answering.');
      expect(logs.json()[0]).toMatchObject({ level: 'warn', message: 'Not ready: cache down (connection refused)' });
    } finally {
      logs.restore();
    }
  });

  test('when a check hangs, 503 after the 2 s check timeout instead of hanging too', async () => {
    const app = appWith([], {
      config: testConfig({}, { NODE_ENV: 'development' }),
      readiness: { queue: hanging, redis: redisReady(redis) },
    });
    const started = Date.now();

    const response = await request(app).get('/ready');

    const elapsed = Date.now() - started;
    expect(response.status).toBe(503);
    expect(response.body.detail).toBe('Not ready: queue not answering.');
    expect(elapsed).toBeGreaterThanOrEqual(1_950);
    expect(elapsed).toBeLessThan(3_000);
  });

  test('mongoReady() fails for a connection that was never opened', async () => {
    const closed = mongoose.createConnection();

    await expect(mongoReady(closed)()).rejects.toThrow('not connected');
  });

  test('while shutting down, 503 even though every check passes', async () => {
    const app = appWith([], { readiness: { mongo: mongoReady() } });
    app.locals.shuttingDown = true;

    const response = await request(app).get('/ready');

    expect(response.status).toBe(503);
    expect(response.body.type).toBe('urn:backend-hub:problem:shutting-down');
    expect(response.headers.connection).toBe('close');
  });
});
