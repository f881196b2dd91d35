import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from '@jest/globals';
import mongoose from 'mongoose';
import request from 'supertest';
import pkg from '../package.json' with { type: 'json' };
import { testConfig } from '@hub/testkit';
import type { Express } from 'express';
import { buildApp } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import { testApp } from './support.ts';

// /health must not need the database: this app's connection is never even opened.
const app = testApp({ db: mongoose.createConnection() });

describe('GET /health (liveness)', () => {
  test('answers 200 with status, service, version, uptime and time, never cached', async () => {
    const before = Date.now();

    const response = await request(app).get('/health');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({
      status: 'ok',
      service: 'level-01/health-check',
      version: pkg.version,
      uptime: expect.any(Number),
      time: expect.any(String),
    });
    expect(response.body.uptime).toBeGreaterThan(0);
    expect(Date.parse(response.body.time)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(response.body.time)).toBeLessThanOrEqual(Date.now());
  });

  test('uptime grows between two calls', async () => {
    const first = await request(app).get('/health');
    await sleep(20);
    const second = await request(app).get('/health');

    expect(second.body.uptime).toBeGreaterThan(first.body.uptime);
  });

  test('answers 200 while MongoDB is down: a slow database must not get a live process restarted', async () => {
    const response = await request(app).get('/health');

    expect(response.status).toBe(200);
    expect(response.headers['server-timing']).not.toMatch(/\bdb;/);
  });

  test('HEAD answers 200 with the same headers and no body', async () => {
    const response = await request(app).head('/health');

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-request-id']).toBeDefined();
    expect(response.text).toBeUndefined();
  });

  test('ignores query strings, even operator-looking ones', async () => {
    const response = await request(app).get('/health?verbose=1&x[$gt]=1');

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ok');
  });
});

describe('wrong methods and unknown paths', () => {
  test.each(['post', 'put', 'patch', 'delete'] as const)('%s /health answers 405 problem+json with Allow: GET, HEAD', async (method) => {
    const response = await request(app)[method]('/health');

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 405, type: 'urn:backend-hub:problem:method-not-allowed' });
  });

  test('POST /ready answers 405 with Allow: GET, HEAD', async () => {
    const response = await request(app).post('/ready');

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  test('OPTIONS /health answers 204 with Allow and no body', async () => {
    const response = await request(app).options('/health');

    expect(response.status).toBe(204);
    expect(response.headers.allow).toBe('GET, HEAD');
    expect(response.text).toBe('');
  });

  test('an unknown path answers 404 problem+json naming it', async () => {
    const response = await request(app).get('/healthz');

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, detail: 'No route for GET /healthz.', instance: '/healthz' });
  });
});

describe("the hub's pipeline events", () => {
  const development = testConfig(serviceConfig, { NODE_ENV: 'development' });
  const recent = async (on: Express) => (await request(on).get('/__hub/events/recent')).body as { items?: Array<{ path: string }> };

  test('are off in test and production unless asked for (bench/pipeline asks): no /__hub route answers', async () => {
    expect((await request(app).get('/__hub/events/recent')).status).toBe(404);
    const forced = testApp({ db: mongoose.createConnection(), events: true });
    await request(forced).get('/health');
    expect((await recent(forced)).items?.map(({ path }) => path)).toEqual(['/health']);
  });

  test('are on in development, and events: false turns them off there', async () => {
    const dev = buildApp({ config: development, db: mongoose.createConnection() });
    await request(dev).get('/health');
    expect((await recent(dev)).items?.map(({ path }) => path)).toEqual(['/health']);
    const off = buildApp({ config: development, db: mongoose.createConnection(), events: false });
    expect((await request(off).get('/__hub/events/recent')).status).toBe(404);
  });
});
