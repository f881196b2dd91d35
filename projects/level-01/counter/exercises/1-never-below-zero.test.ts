// Exercise 1: POST /counters/:name/decrement refuses (409) to take a counter below zero, in one
// atomic update, so that even many decrements at once never overdraw it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { listen, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { Counter } from '../src/counters/counter.model.ts';
import { testApp } from '../test/support.ts';

useTestDatabase();
const app = testApp();
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  server = await listen(app);
});
afterAll(() => server.close());

const uniqueName = () => `floor-${randomUUID().slice(0, 8)}`;
const storedValue = async (name: string) => (await Counter.findOne({ name }).lean())?.value;

/** Sends `count` decrements at once over real sockets; returns how many answered each status. */
async function decrementAtOnce(name: string, count: number, by: number) {
  const send = () =>
    fetch(`${server.url}/counters/${name}/decrement`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by }),
    });
  const responses = await Promise.all(Array.from({ length: count }, send));
  const statuses: Record<number, number> = {};
  for (const { status } of responses) statuses[status] = (statuses[status] ?? 0) + 1;
  return statuses;
}

describe('a decrement that would go below zero', () => {
  test('answers 409 problem+json and leaves the value as it was', async () => {
    const name = uniqueName();
    await Counter.create({ name, value: 2 });

    const response = await request(app).post(`/counters/${name}/decrement`).send({ by: 3 });

    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await storedValue(name)).toBe(2);
  });

  test('down to exactly zero is allowed', async () => {
    const name = uniqueName();
    await Counter.create({ name, value: 3 });

    const response = await request(app).post(`/counters/${name}/decrement`).send({ by: 3 });

    expect(response.status).toBe(200);
    expect(response.body.value).toBe(0);
    expect(await storedValue(name)).toBe(0);
  });

  test('an unknown counter still answers 404 and is not created', async () => {
    const name = uniqueName();

    const response = await request(app).post(`/counters/${name}/decrement`).send({ by: 1 });

    expect(response.status).toBe(404);
    expect(await Counter.exists({ name })).toBeNull();
  });
});

describe('many decrements at once on a small counter', () => {
  test('50 concurrent decrements of 1 on a counter at 5: exactly 5 succeed, 45 are refused, the value ends at 0', async () => {
    const name = uniqueName();
    await Counter.create({ name, value: 5 });

    const statuses = await decrementAtOnce(name, 50, 1);

    expect(statuses).toEqual({ 200: 5, 409: 45 });
    expect(await storedValue(name)).toBe(0);
  });

  test('40 concurrent decrements of 3 on a counter at 10: exactly 3 succeed, the value ends at 1, never below 0', async () => {
    const name = uniqueName();
    await Counter.create({ name, value: 10 });

    const statuses = await decrementAtOnce(name, 40, 3);

    expect(statuses).toEqual({ 200: 3, 409: 37 });
    expect(await storedValue(name)).toBe(1);
  });

  test('increments still work as before', async () => {
    const name = uniqueName();

    const response = await request(app).post(`/counters/${name}/increment`).send({ by: 4 });

    expect(response.status).toBe(200);
    expect(await storedValue(name)).toBe(4);
  });
});
