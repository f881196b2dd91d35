import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { Counter } from '../src/counters/counter.model.ts';
import { testApp } from './support.ts';

useTestDatabase();
const app = testApp();

describe('bad input never reaches the database', () => {
  test.each([
    ['zero', { by: 0 }, 'by'],
    ['over 1000', { by: 1001 }, 'by'],
    ['a fraction', { by: 1.5 }, 'by'],
    ['a numeric string', { by: '5' }, 'by'],
    ['null', { by: null }, 'by'],
    ['an operator object', { by: { $gt: 0 } }, 'by'],
    ['an unknown field', { by: 1, owner: 'admin' }, 'owner'],
  ])('when `by` is %s, answers 400 naming the field and writes nothing', async (_case, body, field) => {
    await Counter.create({ name: 'guarded', value: 10 }).catch(() => undefined);

    const response = await request(app).post('/counters/guarded/increment').send(body);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'body', field })]));
    expect((await Counter.findOne({ name: 'guarded' }).lean())?.value).toBe(10);
  });

  test('when the body is a JSON array, answers 400 and writes nothing', async () => {
    const response = await request(app).post('/counters/array-body/increment').send([1, 2]);

    expect(response.status).toBe(400);
    expect(await Counter.countDocuments({ name: 'array-body' })).toBe(0);
  });

  test.each([
    ['spaces and punctuation', 'bad%20name!'],
    ['an operator', '$gt'],
    ['65 characters', 'x'.repeat(65)],
  ])('when the name has %s, answers 400 naming params.name, saying what a name may be, and creates nothing', async (_case, name) => {
    const before = await Counter.countDocuments();

    const response = await request(app).post(`/counters/${name}/increment`).send({ by: 1 });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { in: 'params', field: 'name', message: 'letters, digits, - and _ only, at most 64 characters' },
    ]);
    expect(await Counter.countDocuments()).toBe(before);
  });

  test.each([
    ['GET', ''],
    ['POST', '/decrement'],
    ['POST', '/reset'],
    ['POST', '/naive-increment'],
  ])('%s /counters/:name%s refuses a bad name too: 400 naming params.name', async (method, action) => {
    await Counter.updateOne({ name: '$gt' }, { $set: { value: 1 } }, { upsert: true });

    const response = await request(app)[method === 'GET' ? 'get' : 'post'](`/counters/$gt${action}`);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'params', field: 'name' })]);
    expect((await Counter.findOne({ name: '$gt' }).lean())?.value).toBe(1);
  });

  test.each([
    ['0', { limit: '0' }, 'limit'],
    ['101', { limit: '101' }, 'limit'],
    ['not a number', { limit: 'ten' }, 'limit'],
    ['an operator key', { 'limit[$gt]': '1' }, 'limit[$gt]'],
  ])('when the list limit is %s, answers 400 naming the query field', async (_case, query, field) => {
    const response = await request(app).get('/counters').query(query);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'query', field })]);
  });

  test('reset refuses a body it does not expect', async () => {
    await Counter.create({ name: 'keep-me', value: 3 });

    const response = await request(app).post('/counters/keep-me/reset').send({ value: 99 });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'value' })]);
    expect((await Counter.findOne({ name: 'keep-me' }).lean())?.value).toBe(3);
  });
});
