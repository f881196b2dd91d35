import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { pausableProxy, useTestDatabase, type PausableProxy } from '@hub/testkit';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp } from '../src/app.ts';
import { connectRedis, type RedisClient } from '../src/redis.ts';
import { SESSION_SECRET, testServiceConfig } from './support.ts';

useTestDatabase();

// A client that was connected and then closed: every command fails at once.
let closed: RedisClient;
beforeAll(async () => {
  closed = await connectRedis(process.env.REDIS_URL as string);
  await closed.close();
});
// A correctly signed cookie, so express-session goes to the store for it.
const signedCookie = (sessionId: string) =>
  `sid=${encodeURIComponent(`s:${sessionId}.${createHmac('sha256', SESSION_SECRET).update(sessionId).digest('base64').replace(/=+$/, '')}`)}`;
const app = () => buildApp({ config: testServiceConfig(), db: mongoose.connection, redis: closed, keyPrefix: 'redis-down:' });

describe('when Redis does not answer', () => {
  test('a request with a session cookie answers 503 problem+json, not 500', async () => {
    const response = await request(app()).get('/auth/me').set('Cookie', signedCookie('some-session-id'));

    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toMatch(/sessions-unavailable$/);
  });

  test('GET /ready answers 503 naming redis', async () => {
    const response = await request(app()).get('/ready');

    expect(response.status).toBe(503);
    expect(response.body.detail).toMatch(/redis/);
  });
});

describe('when Redis stops answering (its process paused: connections open, no reply)', () => {
  const TIMEOUT_MS = 400;
  let proxy: PausableProxy;
  let paused: RedisClient;
  beforeAll(async () => {
    proxy = await pausableProxy(process.env.REDIS_URL as string);
    paused = await connectRedis(proxy.url, TIMEOUT_MS);
  });
  afterAll(async () => {
    proxy.resume();
    await paused.close();
    await proxy.close();
  });
  const pausedApp = () => buildApp({ config: testServiceConfig(), db: mongoose.connection, redis: paused, keyPrefix: 'redis-paused:' });

  test('a request with a session cookie answers 503 within the timeout instead of hanging, and works again once Redis answers', async () => {
    proxy.pause();
    const started = Date.now();
    const response = await request(pausedApp()).get('/auth/me').set('Cookie', signedCookie('some-session-id'));
    const ms = Date.now() - started;
    proxy.resume();

    expect(response.status).toBe(503);
    expect(response.body.type).toMatch(/sessions-unavailable$/);
    expect(ms).toBeLessThan(TIMEOUT_MS + 1_500);
    // An unknown session id, read from a Redis that answers again: a plain 401.
    const after = await request(pausedApp()).get('/auth/me').set('Cookie', signedCookie('some-session-id'));
    expect(after.status).toBe(401);
  });
});
