// Exercise 1: GET /logs?after=<requestId> answers only the entries recorded after that one, so
// a poller never sees an entry twice; an id the buffer no longer holds answers 410 Gone.
import { describe, expect, test } from '@jest/globals';
import { expectFieldProblem } from '@hub/testkit';
import request from 'supertest';
import { testLogger } from '../test/support.ts';

const idsOf = (response: request.Response) => response.body.items.map((entry: { requestId: string }) => entry.requestId);

async function sendAll(app: Parameters<typeof request>[0], ids: string[]) {
  for (const id of ids) await request(app).get('/health').set('X-Request-Id', id);
}

describe('GET /logs?after=<requestId>', () => {
  test('answers only the entries newer than that one, newest first', async () => {
    const { app } = testLogger();
    await sendAll(app, ['a', 'b', 'c', 'd']);

    const response = await request(app).get('/logs').query({ after: 'b' });

    expect(response.status).toBe(200);
    expect(idsOf(response)).toEqual(['d', 'c']);
  });

  test('after the newest entry, answers an empty list; a poller that carries on sees each entry once', async () => {
    const { app } = testLogger();
    await sendAll(app, ['p1', 'p2']);

    const caughtUp = await request(app).get('/logs').query({ after: 'p2' });
    await sendAll(app, ['p3']);
    const next = await request(app).get('/logs').query({ after: 'p2' });

    expect(caughtUp.status).toBe(200);
    expect(idsOf(caughtUp)).toEqual([]);
    expect(idsOf(next)).toEqual(['p3']);
  });

  test('combines with status and method', async () => {
    const { app } = testLogger();
    await sendAll(app, ['start']);
    await request(app).get('/fail').set('X-Request-Id', 'crash');
    await request(app).post('/echo').send({}).set('X-Request-Id', 'posted');
    await sendAll(app, ['x']);

    const crashes = await request(app).get('/logs').query({ after: 'start', status: 500 });
    const posts = await request(app).get('/logs').query({ after: 'crash', method: 'POST' });

    expect(idsOf(crashes)).toEqual(['crash']);
    expect(idsOf(posts)).toEqual(['posted']);
  });

  test('with a limit, answers the entries right after `after`, so a poller that goes on from the newest it got misses none', async () => {
    const { app } = testLogger();
    await sendAll(app, ['start', 'x', 'y', 'z']);

    const first = await request(app).get('/logs').query({ after: 'start', limit: 2 });
    const second = await request(app)
      .get('/logs')
      .query({ after: idsOf(first)[0], limit: 2 });

    expect(idsOf(first)).toEqual(['y', 'x']);
    expect(idsOf(second)).toEqual(['z']);
  });

  test('with LOGS_CAPACITY=10, an entry already overwritten answers 410 problem+json, so the poller knows it missed some', async () => {
    const { app } = testLogger({ LOGS_CAPACITY: '10' });
    const ids = Array.from({ length: 15 }, (_, index) => `req-${index}`);
    await sendAll(app, ids);

    const oldestKept = await request(app).get('/logs').query({ after: 'req-5' });
    const gone = await request(app).get('/logs').query({ after: 'req-2' });

    expect(gone.status).toBe(410);
    expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(gone.body.detail).toContain('req-2');
    expect(oldestKept.status).toBe(200);
    expect(idsOf(oldestKept)).toEqual(ids.slice(6).reverse());
  });

  test.each([
    ['empty', { after: '' }],
    ['given twice', 'after=a&after=b'],
    ['longer than a request id can be', { after: 'x'.repeat(129) }],
  ])('when after is %s, answers 400 naming it', async (_case, query) => {
    const { app } = testLogger();

    const response = await request(app).get('/logs').query(query);

    expectFieldProblem(response, 'query', 'after');
  });

  test('without after, /logs answers as before', async () => {
    const { app } = testLogger();
    await sendAll(app, ['one', 'two']);

    const response = await request(app).get('/logs');

    expect(response.status).toBe(200);
    expect(idsOf(response)).toEqual(['two', 'one']);
  });
});
