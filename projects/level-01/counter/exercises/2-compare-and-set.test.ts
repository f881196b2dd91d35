// Exercise 2: POST /counters/:name/set { value, ifValue } writes `value` only while the stored
// value is still `ifValue` (compare-and-set): of many racing writers, exactly one wins.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, listen, useTestDatabase } from '@hub/testkit';
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

const uniqueName = () => `cas-${randomUUID().slice(0, 8)}`;
const storedValue = async (name: string) => (await Counter.findOne({ name }).lean())?.value;

describe('POST /counters/:name/set', () => {
  test('when the stored value is still ifValue, writes the new value and answers 200 with the counter', async () => {
    const name = uniqueName();
    await Counter.create({ name, value: 7 });

    const response = await request(app).post(`/counters/${name}/set`).send({ value: 42, ifValue: 7 });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ name, value: 42, updatedAt: expect.any(String) });
    expect(await storedValue(name)).toBe(42);
  });

  test('when the stored value has moved on, answers 409 problem+json and writes nothing', async () => {
    const name = uniqueName();
    await Counter.create({ name, value: 8 });

    const response = await request(app).post(`/counters/${name}/set`).send({ value: 42, ifValue: 7 });

    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await storedValue(name)).toBe(8);
  });

  test('an unknown counter answers 404 and is not created', async () => {
    const name = uniqueName();

    const response = await request(app).post(`/counters/${name}/set`).send({ value: 1, ifValue: 0 });

    expect(response.status).toBe(404);
    expect(await Counter.exists({ name })).toBeNull();
  });

  test.each([
    ['value is missing', { ifValue: 0 }, 'value'],
    ['ifValue is missing', { value: 1 }, 'ifValue'],
    ['value is a string', { value: '5', ifValue: 0 }, 'value'],
    ['value is 1.5', { value: 1.5, ifValue: 0 }, 'value'],
    ['ifValue is an operator object', { value: 1, ifValue: { $gte: 0 } }, 'ifValue'],
    ['an unknown field is sent', { value: 1, ifValue: 0, force: true }, 'force'],
  ])('when %s, answers 400 naming the field and writes nothing', async (_case, body, field) => {
    const name = uniqueName();
    await Counter.create({ name, value: 0 });

    const response = await request(app).post(`/counters/${name}/set`).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await storedValue(name)).toBe(0);
  });
});

describe('racing compare-and-set requests', () => {
  test('of 20 requests with the same ifValue, exactly one wins, and the stored value is the winner’s', async () => {
    const name = uniqueName();
    await Counter.create({ name, value: 100 });
    const send = (value: number) =>
      fetch(`${server.url}/counters/${name}/set`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value, ifValue: 100 }),
      });

    const responses = await Promise.all(Array.from({ length: 20 }, (_, index) => send(index + 1)));
    const winners = Array.from({ length: 20 }, (_, index) => index + 1).filter((_, index) => responses[index]?.status === 200);
    const refused = responses.filter(({ status }) => status === 409);

    expect(winners).toHaveLength(1);
    expect(refused).toHaveLength(19);
    expect(await storedValue(name)).toBe(winners[0]);
  });
});
