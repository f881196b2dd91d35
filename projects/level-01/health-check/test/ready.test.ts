import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import mongoose from 'mongoose';
import request from 'supertest';
import { testApp } from './support.ts';

const database = useTestDatabase();

describe('GET /ready (readiness)', () => {
  test('when MongoDB answers, 200 with every check up', async () => {
    const app = testApp();

    const response = await request(app).get('/ready');

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({ status: 'ready', checks: { mongo: 'up' } });
    // The ping is the one database command: it shows as the db stage.
    expect(response.headers['server-timing']).toMatch(/^handler;dur=[\d.]+, db;dur=[\d.]+, total;dur=/);
  });

  test('when MongoDB is gone, 503 problem+json naming it with Retry-After, while /health stays 200', async () => {
    const lost = await mongoose.createConnection(database.url, { dbName: database.name }).asPromise();
    await lost.close();
    const app = testApp({ db: lost });

    const ready = await request(app).get('/ready');
    const health = await request(app).get('/health');

    expect(ready.status).toBe(503);
    expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(ready.headers['retry-after']).toBe('5');
    expect(ready.body).toMatchObject({ type: 'urn:backend-hub:problem:not-ready', detail: 'Not ready: mongo not answering.' });
    expect(health.status).toBe(200);
  });

  test('when the connection was never opened, 503 as well', async () => {
    const app = testApp({ db: mongoose.createConnection() });

    const response = await request(app).get('/ready');

    expect(response.status).toBe(503);
    expect(response.body.detail).toContain('mongo');
  });

  test('while shutting down, 503 even though MongoDB answers, so the load balancer stops sending traffic', async () => {
    const app = testApp();
    app.locals.shuttingDown = true;

    const ready = await request(app).get('/ready');
    const health = await request(app).get('/health');

    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ type: 'urn:backend-hub:problem:shutting-down' });
    expect(health.status).toBe(200);
    expect(health.headers.connection).toBe('close');
  });
});
