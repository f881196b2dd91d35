import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { listen, useTestDatabase } from '@hub/testkit';
import { Counter } from '../src/counters/counter.model.ts';
import { testApp } from './support.ts';

useTestDatabase();
const CONCURRENT = 200;
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  server = await listen(testApp());
});
afterAll(() => server.close());
afterEach(() => {
  jest.restoreAllMocks();
});

/** Fires `CONCURRENT` POSTs at once over real sockets and returns the parsed answers. */
async function fireAtOnce(path: string, body: object = {}) {
  const send = () =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const responses = await Promise.all(Array.from({ length: CONCURRENT }, send));
  return Promise.all(responses.map(async (response) => ({ status: response.status, body: (await response.json()) as { value: number } })));
}

describe('concurrent updates', () => {
  test(`${CONCURRENT} concurrent increments of a new counter add exactly ${CONCURRENT}`, async () => {
    const name = `race-${randomUUID().slice(0, 8)}`;

    const answers = await fireAtOnce(`/counters/${name}/increment`);

    expect(answers.every(({ status }) => status === 200)).toBe(true);
    expect((await Counter.findOne({ name }).lean())?.value).toBe(CONCURRENT);
    // Not asserted: that the answers are exactly 1..200. MongoDB returns each update's own
    // post-image, but mongo-java-server may return one that already includes a neighbour's $inc.
  });

  test(`${CONCURRENT} concurrent decrements of 3 subtract exactly ${3 * CONCURRENT}`, async () => {
    const name = `race-${randomUUID().slice(0, 8)}`;
    await Counter.create({ name, value: 1000 });

    const answers = await fireAtOnce(`/counters/${name}/decrement`, { by: 3 });

    expect(answers.every(({ status }) => status === 200)).toBe(true);
    expect((await Counter.findOne({ name }).lean())?.value).toBe(1000 - 3 * CONCURRENT);
  });

  test('naive read-modify-write loses updates under the same load', async () => {
    const name = `naive-${randomUUID().slice(0, 8)}`;
    await Counter.create({ name, value: 0 });

    const answers = await fireAtOnce(`/counters/${name}/naive-increment`);
    const stored = (await Counter.findOne({ name }).lean())?.value ?? 0;

    // Every request "succeeded"…
    expect(answers.every(({ status }) => status === 200)).toBe(true);
    // …yet some increments vanished: requests that read the same value wrote the same sum.
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(CONCURRENT);
    expect(new Set(answers.map(({ body }) => body.value)).size).toBeLessThan(CONCURRENT);
  });

  test('when a racing first increment inserts the counter first (duplicate key), retries once and adds on top of it', async () => {
    await Counter.init(); // the unique index is built when the model first connects
    const name = `race-${randomUUID().slice(0, 8)}`;
    // The race, made certain: between this request's check and its insert, another request
    // creates the counter, so this request's own insert meets the unique index (11000).
    const upsert = jest.spyOn(Counter, 'findOneAndUpdate').mockImplementationOnce((async () => {
      await Counter.create({ name, value: 5 });
      return Counter.create({ name, value: 1 });
    }) as never);

    const response = await fetch(`${server.url}/counters/${name}/increment`, { method: 'POST' });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name, value: 6 });
    expect(await Counter.find({ name }).lean()).toEqual([expect.objectContaining({ value: 6 })]);
    expect(upsert).toHaveBeenCalledTimes(2);
  });

  test('any other database error on increment is not retried: 500, and nothing is written', async () => {
    const name = `race-${randomUUID().slice(0, 8)}`;
    const upsert = jest.spyOn(Counter, 'findOneAndUpdate').mockImplementationOnce((async () => {
      throw new Error('connection reset');
    }) as never);

    const response = await fetch(`${server.url}/counters/${name}/increment`, { method: 'POST' });

    expect(response.status).toBe(500);
    expect(upsert).toHaveBeenCalledTimes(1);
    expect(await Counter.exists({ name })).toBeNull();
  });
});
