// Exercise 2: GET /startup (Kubernetes' startupProbe) answers 503 until MongoDB has answered
// once, then 200 for the rest of the process's life, whatever happens to MongoDB later.
import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import mongoose from 'mongoose';
import request from 'supertest';
import { testApp } from '../test/support.ts';

const database = useTestDatabase();

describe('GET /startup', () => {
  test('before MongoDB has ever answered, 503 problem+json, while /health answers 200', async () => {
    const app = testApp({ db: mongoose.createConnection() });

    const startup = await request(app).get('/startup');
    const health = await request(app).get('/health');

    expect(startup.status).toBe(503);
    expect(startup.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(startup.headers['cache-control']).toBe('no-store');
    expect(health.status).toBe(200);
  });

  test('once MongoDB answers, 200; and still 200 after MongoDB goes away, while /ready answers 503', async () => {
    const connection = mongoose.createConnection();
    const app = testApp({ db: connection });

    const early = await request(app).get('/startup');
    await connection.openUri(database.url, { dbName: database.name });
    const started = await request(app).get('/startup');
    await connection.close();
    const later = await request(app).get('/startup');
    const ready = await request(app).get('/ready');

    expect(early.status).toBe(503);
    expect(started.status).toBe(200);
    expect(started.headers['cache-control']).toBe('no-store');
    expect(later.status).toBe(200);
    expect(ready.status).toBe(503);
  });

  test('once started, it stops asking MongoDB: no db stage in Server-Timing', async () => {
    const app = testApp();

    const first = await request(app).get('/startup');
    const second = await request(app).get('/startup');

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(String(second.headers['server-timing'])).not.toMatch(/\bdb;/);
  });

  test('HEAD answers like GET; another method answers 405 with Allow: GET, HEAD', async () => {
    const app = testApp();

    const head = await request(app).head('/startup');
    const post = await request(app).post('/startup');

    expect(head.status).toBe(200);
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });
});
