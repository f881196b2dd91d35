import { randomUUID } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { Counter } from '../src/counters/counter.model.ts';
import { testApp } from './support.ts';

useTestDatabase();
const app = testApp();
const uniqueName = () => `c-${randomUUID().slice(0, 8)}`;
const storedValue = async (name: string) => (await Counter.findOne({ name }).lean())?.value;

describe('POST /counters/:name/increment', () => {
  test('when the counter does not exist yet, creates it with the step as its value', async () => {
    const name = uniqueName();

    const response = await request(app).post(`/counters/${name}/increment`).send({ by: 5 });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ name, value: 5, updatedAt: expect.any(String) });
    expect(await storedValue(name)).toBe(5);
  });

  test('when the body is empty, adds 1', async () => {
    const name = uniqueName();
    await request(app).post(`/counters/${name}/increment`).send({ by: 10 });

    const response = await request(app).post(`/counters/${name}/increment`);

    expect(response.status).toBe(200);
    expect(response.body.value).toBe(11);
    expect(await storedValue(name)).toBe(11);
  });
});

describe('POST /counters/:name/decrement', () => {
  test('subtracts the step, going below zero if asked', async () => {
    const name = uniqueName();
    await request(app).post(`/counters/${name}/increment`).send({ by: 2 });

    const response = await request(app).post(`/counters/${name}/decrement`).send({ by: 5 });

    expect(response.status).toBe(200);
    expect(response.body.value).toBe(-3);
    expect(await storedValue(name)).toBe(-3);
  });

  test('an unknown counter answers 404 and is not created (only increment creates)', async () => {
    const name = uniqueName();

    const response = await request(app).post(`/counters/${name}/decrement`).send({ by: 1 });

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toBe(`No counter named ${name}; create it with POST /counters/${name}/increment first.`);
    expect(await Counter.exists({ name })).toBeNull();
  });
});

describe('GET /counters/:name', () => {
  test('answers the stored value', async () => {
    const name = uniqueName();
    await Counter.create({ name, value: 42 });

    const response = await request(app).get(`/counters/${name}`);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name, value: 42 });
    expect(new Date(response.body.updatedAt).getTime()).not.toBeNaN();
  });

  test('when no counter has that name, answers 404 problem+json and creates nothing', async () => {
    const name = uniqueName();

    const response = await request(app).get(`/counters/${name}`);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.detail).toContain(name);
    expect(await Counter.countDocuments({ name })).toBe(0);
  });
});

describe('POST /counters/:name/reset', () => {
  test('sets the value back to 0', async () => {
    const name = uniqueName();
    await Counter.create({ name, value: 7 });

    const response = await request(app).post(`/counters/${name}/reset`);

    expect(response.status).toBe(200);
    expect(response.body.value).toBe(0);
    expect(await storedValue(name)).toBe(0);
  });

  test('when no counter has that name, answers 404 and creates nothing', async () => {
    const name = uniqueName();

    const response = await request(app).post(`/counters/${name}/reset`);

    expect(response.status).toBe(404);
    expect(response.body.detail).toBe(`No counter named ${name}.`);
    expect(await Counter.countDocuments({ name })).toBe(0);
  });
});

describe('POST /counters/:name/naive-increment', () => {
  test('adds the step to that counter and no other', async () => {
    const [first, second] = [uniqueName(), uniqueName()];
    await Counter.create({ name: first, value: 1 });
    await Counter.create({ name: second, value: 10 });

    const response = await request(app).post(`/counters/${second}/naive-increment`).send({ by: 3 });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ name: second, value: 13, updatedAt: expect.any(String) });
    expect(await storedValue(second)).toBe(13);
    expect(await storedValue(first)).toBe(1);
  });

  test('an unknown counter answers 404 and is not created', async () => {
    await Counter.create({ name: uniqueName(), value: 1 });
    const name = uniqueName();

    const response = await request(app).post(`/counters/${name}/naive-increment`).send({ by: 1 });

    expect(response.status).toBe(404);
    expect(response.body.detail).toBe(`No counter named ${name}; create it with POST /counters/${name}/increment first.`);
    expect(await Counter.exists({ name })).toBeNull();
  });
});

describe('the stored counter', () => {
  test('is refused without a name or a value, and a second counter of the same name is refused by the unique index', async () => {
    await Counter.init(); // the unique index is built when the model first connects
    const name = uniqueName();
    await Counter.create({ name, value: 1 });

    await expect(Counter.create({ value: 1 })).rejects.toMatchObject({ errors: { name: expect.anything() } });
    // No route sends a null value; the model refuses one all the same (a default fills only a missing value).
    await expect(Counter.create({ name: uniqueName(), value: null as unknown as number })).rejects.toMatchObject({
      errors: { value: expect.anything() },
    });
    await expect(Counter.create({ name, value: 2 })).rejects.toMatchObject({ code: 11000 });
    expect(await Counter.countDocuments({ name })).toBe(1);
  });
});

describe('GET /counters', () => {
  test('lists counters sorted by name, at most `limit` of them', async () => {
    const prefix = `list-${randomUUID().slice(0, 4)}`;
    await Counter.create([{ name: `${prefix}-b` }, { name: `${prefix}-a` }, { name: `${prefix}-c` }]);

    const response = await request(app).get('/counters').query({ limit: 100 });
    const ours = response.body.items.map((item: { name: string }) => item.name).filter((name: string) => name.startsWith(prefix));
    const limited = await request(app).get('/counters').query({ limit: 2 });

    expect(response.status).toBe(200);
    expect(ours).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
    expect(limited.body.items).toHaveLength(2);
  });
});

describe('GET /ready', () => {
  test('reports ready with MongoDB checked and up, and nothing else', async () => {
    const response = await request(app).get('/ready');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: { mongo: 'up' } });
  });
});
