import { describe, expect, test } from '@jest/globals';
import { listen } from '@hub/testkit';
import request from 'supertest';
import { CLIENT_CLOSED_REQUEST, MAX_BODY_BYTES } from '../src/logs/record-requests.ts';
import { testLogger } from './support.ts';

/** The entries recorded for the request that answered with this X-Request-Id. */
const entriesFor = (buffer: ReturnType<typeof testLogger>['buffer'], response: request.Response) =>
  buffer.entries().filter((entry) => entry.requestId === response.headers['x-request-id']);

describe('every request is recorded exactly once', () => {
  test('a successful request: method, path without the query, status, duration, request id', async () => {
    const { app, buffer } = testLogger();

    const response = await request(app).get('/slow').query({ ms: 0 });

    const entries = entriesFor(buffer, response);
    expect(response.status).toBe(200);
    expect(buffer.size).toBe(1);
    expect(entries).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/slow',
        query: { ms: '0' },
        status: 200,
        requestId: response.headers['x-request-id'],
      }),
    ]);
    expect(entries[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(new Date(entries[0]?.at ?? '').toISOString()).toBe(entries[0]?.at);
  });

  test.each([
    ['an unknown route', 'get', '/no/such/route', undefined, 404],
    ['a wrong method', 'delete', '/echo', undefined, 405],
    ['a body that fails validation', 'post', '/echo', [1, 2], 400],
    ['a crash', 'get', '/fail', undefined, 500],
    ['/health', 'get', '/health', undefined, 200],
  ] as const)('%s is recorded with its status', async (_case, method, path, body, status) => {
    const { app, buffer } = testLogger();

    const response = await request(app)[method](path).send(body);

    expect(response.status).toBe(status);
    expect(entriesFor(buffer, response)).toEqual([expect.objectContaining({ method: method.toUpperCase(), path, status })]);
    expect(buffer.size).toBe(1);
  });

  test('malformed JSON, rejected before the recorder runs, is still recorded as 400 (by the error-path twin)', async () => {
    const { app, buffer } = testLogger();

    const response = await request(app).post('/echo').set('Content-Type', 'application/json').send('{"note": "hi",');

    expect(response.status).toBe(400);
    expect(entriesFor(buffer, response)).toEqual([expect.objectContaining({ method: 'POST', path: '/echo', status: 400 })]);
    expect(entriesFor(buffer, response)[0]).not.toHaveProperty('body');
  });

  test('a body over the limit is recorded as 413, without its body', async () => {
    const { app, buffer } = testLogger();

    const response = await request(app)
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(200 * 1024) }));

    expect(response.status).toBe(413);
    expect(entriesFor(buffer, response)).toEqual([expect.objectContaining({ status: 413 })]);
    expect(entriesFor(buffer, response)[0]).not.toHaveProperty('body');
  });

  test('a slow request records how long it took', async () => {
    const { app, buffer } = testLogger();

    const response = await request(app).get('/slow').query({ ms: 120 });

    const { durationMs } = entriesFor(buffer, response)[0] ?? {};
    expect(durationMs).toBeGreaterThanOrEqual(115);
    // Measured from its arrival, not a clock reading of its own.
    expect(durationMs).toBeLessThan(5_000);
  });

  test('records the client address the request came from', async () => {
    const { app, buffer } = testLogger();

    const response = await request(app).get('/health');

    expect(entriesFor(buffer, response)[0]?.ip).toMatch(/127\.0\.0\.1|::1/);
  });

  test(`a body of exactly ${MAX_BODY_BYTES} bytes of JSON is kept whole; one byte more is summarised`, async () => {
    const { app, buffer } = testLogger();
    const exactly = { text: 'y'.repeat(MAX_BODY_BYTES - JSON.stringify({ text: '' }).length) };
    expect(JSON.stringify(exactly)).toHaveLength(MAX_BODY_BYTES);

    const kept = await request(app).post('/echo').send(exactly);
    const cut = await request(app)
      .post('/echo')
      .send({ text: `${exactly.text}y` });

    expect(entriesFor(buffer, kept)[0]?.body).toEqual(exactly);
    expect(entriesFor(buffer, cut)[0]?.body).toBe(`[${MAX_BODY_BYTES + 1} bytes of JSON, not kept]`);
  });

  test('a large body is summarised, so one entry stays small', async () => {
    const { app, buffer } = testLogger();

    const response = await request(app)
      .post('/echo')
      .send({ text: 'y'.repeat(10_000) });

    expect(response.status).toBe(200);
    expect(entriesFor(buffer, response)[0]?.body).toMatch(/^\[\d+ bytes of JSON, not kept\]$/);
  });

  test(`when the client hangs up before the answer, the request is recorded once, as ${CLIENT_CLOSED_REQUEST}`, async () => {
    const { app, buffer } = testLogger();
    const server = await listen(app);
    try {
      const hangUp = new AbortController();
      const pending = fetch(`${server.url}/slow?ms=3000`, { headers: { 'X-Request-Id': 'hung-up-1' }, signal: hangUp.signal });
      await new Promise((resolve) => setTimeout(resolve, 100));

      hangUp.abort();
      await expect(pending).rejects.toThrow();
      await waitUntil(() => buffer.size > 0);

      expect(buffer.entries()).toEqual([expect.objectContaining({ requestId: 'hung-up-1', path: '/slow', status: CLIENT_CLOSED_REQUEST })]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(buffer.size).toBe(1);
    } finally {
      await server.close();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
