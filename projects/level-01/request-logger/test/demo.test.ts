import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { testLogger } from './support.ts';

describe('POST /echo', () => {
  test('answers the JSON object it was sent', async () => {
    const { app } = testLogger();
    const body = { note: 'hello', nested: { list: [1, 'two', null] } };

    const response = await request(app).post('/echo').send(body);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(body);
  });

  test.each([
    ['a JSON array', [1, 2]],
    ['no body at all', undefined],
  ])('when the body is %s, answers 400 problem+json', async (_case, body) => {
    const { app } = testLogger();

    const response = await request(app).post('/echo').send(body);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'body' })]);
  });
});

describe('GET /slow', () => {
  test('waits, then answers how long it waited', async () => {
    const { app } = testLogger();
    const started = Date.now();

    const response = await request(app).get('/slow').query({ ms: 80 });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ waitedMs: 80 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  test.each([
    ['over 5000', { ms: '6000' }, 'ms'],
    ['negative', { ms: '-1' }, 'ms'],
    ['not a number', { ms: 'soon' }, 'ms'],
    ['an unknown key', { seconds: '1' }, 'seconds'],
  ])('when ms is %s, answers 400 naming the field, without waiting', async (_case, query, field) => {
    const { app, buffer } = testLogger();

    const response = await request(app).get('/slow').query(query);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'query', field })]);
    expect(buffer.entries()).toEqual([expect.objectContaining({ status: 400 })]);
  });
});

describe('GET /fail', () => {
  test('answers 500 problem+json without the error message (NODE_ENV=test is not development)', async () => {
    const { app, buffer } = testLogger();

    const response = await request(app).get('/fail');

    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
    expect(response.text).not.toContain('db-internal');
    expect(response.body).not.toHaveProperty('stack');
    expect(buffer.entries()).toEqual([expect.objectContaining({ path: '/fail', status: 500 })]);
  });

  test('in development the message and stack are shown, so the hiding above is a decision', async () => {
    const { app } = testLogger({ NODE_ENV: 'development' });

    const response = await request(app).get('/fail');

    expect(response.status).toBe(500);
    expect(response.body.detail).toContain('db-internal');
    expect(response.body.stack).toEqual(expect.any(String));
  });
});
