// A database that stops answering (its process paused, its host overloaded) must fail a request
// fast with 503 and Retry-After, and the next request after it answers again must succeed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { pausableProxy, type PausableProxy } from '@hub/testkit';
import type { Request, Response } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { ApiRouter, commandsOf, connectMongo, createRedis, rateLimit, type Redis } from '../src/index.ts';
import { appWith, captureLogs } from './support.ts';

const TIMEOUT_MS = 400;
// The driver retries a read once: finding the server again and waiting for the answer again.
const BOUND_MS = 3 * TIMEOUT_MS + 1_500;

let mongoProxy: PausableProxy;
let redisProxy: PausableProxy;
let connection: mongoose.Connection;
let redis: Redis;
let Thing: mongoose.Model<{ name?: string | null }>;

beforeAll(async () => {
  mongoProxy = await pausableProxy(process.env.MONGO_URL as string);
  redisProxy = await pausableProxy(process.env.REDIS_URL as string);
  connection = await connectMongo(mongoProxy.url, {
    connection: mongoose.createConnection(),
    dbName: `test_paused_${process.pid}_${Date.now()}`,
    attempts: 1,
    timeoutMs: TIMEOUT_MS,
  });
  Thing = connection.model('PausedThing', new mongoose.Schema({ name: String }));
  await Thing.create({ name: 'kept' });
  redis = createRedis(redisProxy.url, { timeoutMs: TIMEOUT_MS, keyPrefix: `paused:${process.pid}:` });
});
afterAll(async () => {
  mongoProxy.resume();
  redisProxy.resume();
  await connection.dropDatabase();
  await connection.close();
  await redis.quit();
  await Promise.all([mongoProxy.close(), redisProxy.close()]);
});

const app = () =>
  appWith([
    [
      '/',
      new ApiRouter()
        .get('/things', { summary: 'reads MongoDB', responses: { 200: 'the things' } }, async (_req: Request, res: Response) => {
          res.json(await Thing.find().lean());
        })
        .post('/things', { summary: 'writes MongoDB', responses: { 201: 'stored' } }, async (_req: Request, res: Response) => {
          res.status(201).json(await Thing.create({ name: 'new' }));
        })
        .get(
          '/limited',
          { summary: 'checks a Redis rate limit', responses: { 200: 'ok' } },
          rateLimit({ name: 'paused', limit: 1_000, windowSeconds: 60, redis: commandsOf(redis), detail: 'Slow down.' }),
          (_req: Request, res: Response) => {
            res.json({ ok: true });
          },
        ),
    ],
  ]);

async function timed(send: () => PromiseLike<request.Response>) {
  const started = Date.now();
  const response = await send();
  return { response, ms: Date.now() - started };
}

async function eventually(send: () => PromiseLike<request.Response>, status: number, withinMs = 10_000) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const response = await send();
    if (response.status === status || Date.now() > deadline) return response;
    await new Promise((done) => setTimeout(done, 100));
  }
}

describe('when MongoDB stops answering', () => {
  test('a read answers 503 problem+json with Retry-After within the configured bound, logged once as the dependency', async () => {
    const logs = captureLogs('production', 'warn');
    mongoProxy.pause();
    try {
      const { response, ms } = await timed(() => request(app()).get('/things'));

      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: 'urn:backend-hub:problem:database-unavailable', status: 503 });
      expect(response.headers['retry-after']).toBe('5');
      expect(response.headers['server-timing']).toMatch(/db;desc="failed here"/);
      expect(ms).toBeLessThan(BOUND_MS);
      await logs.waitFor(1);
      const entries = logs.json().filter((entry) => String(entry.message).includes('/things'));
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ level: 'warn', message: expect.stringContaining('MongoDB is not answering') });
    } finally {
      mongoProxy.resume();
      logs.restore();
    }
  });

  test('a write answers 503 too, and once MongoDB answers again requests succeed without a restart', async () => {
    mongoProxy.pause();
    const { response, ms } = await timed(() => request(app()).post('/things'));
    mongoProxy.resume();

    expect(response.status).toBe(503);
    expect(ms).toBeLessThan(BOUND_MS);
    const recovered = await eventually(() => request(app()).get('/things'), 200);
    expect(recovered.status).toBe(200);
    expect(recovered.body.map((thing: { name: string }) => thing.name)).toContain('kept');
  });
});

describe('when Redis stops answering', () => {
  test('a rate-limited route answers 503 with Retry-After within the bound, and recovers', async () => {
    expect((await request(app()).get('/limited')).status).toBe(200);
    redisProxy.pause();
    const { response, ms } = await timed(() => request(app()).get('/limited'));
    redisProxy.resume();

    expect(response.status).toBe(503);
    expect(response.body.type).toBe('urn:backend-hub:problem:limit-unavailable');
    expect(response.headers['retry-after']).toBe('5');
    expect(ms).toBeLessThan(BOUND_MS);
    expect((await eventually(() => request(app()).get('/limited'), 200)).status).toBe(200);
  });
});
