import { randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { testConfig } from '@hub/testkit';
import request from 'supertest';
import { serviceConfig } from '../src/config.ts';
import { testLogger } from './support.ts';

const READ_KEY = 'a-read-key-of-32-characters-long';

describe('GET /logs', () => {
  test('answers the entries newest first, with the capacity', async () => {
    const { app } = testLogger();
    for (const id of ['first', 'second', 'third']) await request(app).get('/health').set('X-Request-Id', id);

    const response = await request(app).get('/logs');

    expect(response.status).toBe(200);
    // The logs change with every request: no cache may keep a copy.
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body.capacity).toBe(500);
    expect(response.body.items.map((entry: { requestId: string }) => entry.requestId)).toEqual(['third', 'second', 'first']);
  });

  test('answers at most `limit` entries, the newest ones', async () => {
    const { app } = testLogger();
    for (const id of ['a', 'b', 'c', 'd']) await request(app).get('/health').set('X-Request-Id', id);

    const response = await request(app).get('/logs').query({ limit: 2 });

    expect(response.body.items.map((entry: { requestId: string }) => entry.requestId)).toEqual(['d', 'c']);
  });

  test('filters by status and by method', async () => {
    const { app } = testLogger();
    await request(app).get('/fail').set('X-Request-Id', 'crash');
    await request(app).post('/echo').send({ a: 1 }).set('X-Request-Id', 'posted');
    await request(app).get('/health').set('X-Request-Id', 'healthy');

    const crashes = await request(app).get('/logs').query({ status: 500 });
    const posts = await request(app).get('/logs').query({ method: 'POST' });

    expect(crashes.body.items.map((entry: { requestId: string }) => entry.requestId)).toEqual(['crash']);
    expect(posts.body.items.map((entry: { requestId: string }) => entry.requestId)).toEqual(['posted']);
  });

  test('successful reads of /logs are not recorded; refused ones are', async () => {
    const { app, buffer } = testLogger();

    await request(app).get('/logs');
    await request(app).get('/logs');
    const refused = await request(app).get('/logs').query({ limit: 0 });

    expect(buffer.entries()).toEqual([expect.objectContaining({ path: '/logs', status: 400, requestId: refused.headers['x-request-id'] })]);
  });

  test('another method on /logs answers 405 with Allow', async () => {
    const { app } = testLogger();

    const response = await request(app).delete('/logs');

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });
});

describe('memory stays bounded', () => {
  test('after capacity + 15 requests, keeps exactly `capacity` entries: the newest, newest first', async () => {
    const { app, buffer } = testLogger({ LOGS_CAPACITY: '10' });
    const ids = Array.from({ length: 25 }, (_, index) => `req-${index}`);
    for (const id of ids) await request(app).get('/health').set('X-Request-Id', id);

    const response = await request(app).get('/logs').query({ limit: 200 });

    expect(buffer.size).toBe(10);
    expect(response.body.capacity).toBe(10);
    expect(response.body.items.map((entry: { requestId: string }) => entry.requestId)).toEqual(ids.slice(-10).reverse());
  });
});

describe('GET /logs with LOGS_READ_KEY set', () => {
  const { app } = testLogger({ LOGS_READ_KEY: READ_KEY });

  test.each([
    ['missing', undefined],
    ['wrong, same length', READ_KEY.replace(/.$/, '!')],
    ['wrong, shorter', 'short'],
    ['the key with a suffix', `${READ_KEY}x`],
  ])('when X-Logs-Key is %s, answers 401 problem+json', async (_case, key) => {
    const response = await (key === undefined ? request(app).get('/logs') : request(app).get('/logs').set('X-Logs-Key', key));

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: 'urn:backend-hub:problem:unauthorized',
      status: 401,
      detail: expect.stringContaining('X-Logs-Key'),
    });
    expect(response.headers['www-authenticate']).toBe('LogsKey realm="logs", header="X-Logs-Key"');
    expect(response.body).not.toHaveProperty('items');
  });

  test('when X-Logs-Key is right, answers 200 with the entries', async () => {
    await request(app).get('/health').set('X-Request-Id', 'behind-the-key');

    const response = await request(app).get('/logs').set('X-Logs-Key', READ_KEY);

    expect(response.status).toBe(200);
    expect(response.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ requestId: 'behind-the-key' })]));
  });

  test('the other routes do not need the key', async () => {
    const response = await request(app).post('/echo').send({ open: true });

    expect(response.status).toBe(200);
  });
});

describe('GET /logs with a bad query', () => {
  const { app } = testLogger();

  test.each([
    ['limit is 0', { limit: '0' }, 'limit'],
    ['limit is 201', { limit: '201' }, 'limit'],
    ['limit is not a number', { limit: 'abc' }, 'limit'],
    ['limit is given twice', 'limit=1&limit=2', 'limit'],
    ['limit is an operator key', { 'limit[$gt]': '1' }, 'limit[$gt]'],
    ['status is not a status code', { status: '999' }, 'status'],
    ['method is unknown', { method: 'FETCH' }, 'method'],
    ['a key is unknown', { unknown: '1' }, 'unknown'],
  ])('when %s, answers 400 problem+json naming the field', async (_case, query, field) => {
    const response = await request(app).get('/logs').query(query);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'query', field })]);
  });
});

describe('configuration', () => {
  test.each([
    ['LOGS_CAPACITY below 10', { LOGS_CAPACITY: '9' }, 'LOGS_CAPACITY'],
    ['LOGS_CAPACITY above 10000', { LOGS_CAPACITY: '10001' }, 'LOGS_CAPACITY'],
    ['LOGS_READ_KEY shorter than 16', { LOGS_READ_KEY: 'too-short' }, 'LOGS_READ_KEY'],
  ])('refuses %s at boot, naming the key', (_case, env, key) => {
    expect(() => testConfig(serviceConfig, env)).toThrow(key);
  });

  test('hides the value of a rejected read key in the error', () => {
    expect(() => testConfig(serviceConfig, { LOGS_READ_KEY: 'too-short' })).toThrow(
      /LOGS_READ_KEY: must be at least 16 characters: .*\(value hidden\)/,
    );
  });

  test('in production the read key must be random: a typed one is refused with how to make one, a generated one boots', () => {
    expect(() => testConfig(serviceConfig, { NODE_ENV: 'production', LOGS_READ_KEY: READ_KEY })).toThrow(
      /LOGS_READ_KEY: .*openssl rand -base64 32.*\(value hidden\)/,
    );
    const key = randomBytes(32).toString('base64');
    expect(testConfig(serviceConfig, { NODE_ENV: 'production', LOGS_READ_KEY: key }).LOGS_READ_KEY).toBe(key);
  });
});
