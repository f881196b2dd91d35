import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import mongoose from 'mongoose';
import request from 'supertest';
import { createSessionAuthApp } from '../src/app.ts';
import { connectRedis, type RedisClient } from '../src/redis.ts';
import { SESSION_SECRET, sessionAuthTestConfig } from './support.ts';

useTestDatabase();

// A client that was connected and then closed: every command fails at once.
let closed: RedisClient;
beforeAll(async () => {
  closed = await connectRedis(process.env.REDIS_URL as string);
  await closed.close();
});
// A correctly signed cookie, so express-session goes to the store for it.
const signedCookie = (sessionId: string) => `sid=${encodeURIComponent(`s:${sessionId}.${createHmac('sha256', SESSION_SECRET).update(sessionId).digest('base64').replace(/=+$/, '')}`)}`;
const app = () => createSessionAuthApp({ config: sessionAuthTestConfig(), db: mongoose.connection, redis: closed, keyPrefix: 'redis-down:' });

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
