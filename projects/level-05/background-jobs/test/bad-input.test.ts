import { beforeAll, describe, expect, test } from '@jest/globals';
import { BAD_PAGE_QUERIES, expectFieldProblem, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Item } from '../src/items/item.model.ts';
import { anItem, stored, testApp } from './support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
});

const ownItems = () => Item.countDocuments({ owner: alice.user.id });

describe('POST /items with bad input', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['the name is missing', { quantity: 1 }, 'name'],
    ['the name is blank after trimming', { name: '   ' }, 'name'],
    ['the name is over 100 characters', { name: 'x'.repeat(101) }, 'name'],
    ['the name is a number', { name: 42 }, 'name'],
    ['the name is an operator object', { name: { $gt: '' } }, 'name'],
    ['the quantity is negative', { name: 'n', quantity: -1 }, 'quantity'],
    ['the quantity is a fraction', { name: 'n', quantity: 1.5 }, 'quantity'],
    ['the quantity is a numeric string', { name: 'n', quantity: '2' }, 'quantity'],
    ['the quantity is null', { name: 'n', quantity: null }, 'quantity'],
    ['an unknown field is sent', { name: 'n', colour: 'red' }, 'colour'],
    ['an operator key is sent', { name: 'n', $set: { owner: 'x' } }, '$set'],
  ])('when %s, answers 400 naming the field and writes nothing', async (_case, body, field) => {
    const before = await ownItems();

    const response = await request(app).post('/items').set(alice.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await ownItems()).toBe(before);
  });

  test('when the body is a JSON array, answers 400 and writes nothing', async () => {
    const before = await ownItems();

    const response = await request(app).post('/items').set(alice.auth).send([anItem()]);

    expect(response.status).toBe(400);
    expect(await ownItems()).toBe(before);
  });
});

describe('server-set fields in a body are ignored', () => {
  test('owner, _id and createdAt in a POST body are accepted and ignored: the caller owns the item, with a fresh id and the real creation time', async () => {
    const foreignId = '0123456789abcdef01234567';
    const longAgo = '2000-01-01T00:00:00.000Z';

    const response = await request(app)
      .post('/items')
      .set(alice.auth)
      .send(anItem({ owner: bob.user.id, _id: foreignId, id: foreignId, createdAt: longAgo, role: 'admin' }));

    expect(response.status).toBe(201);
    expect(response.body.id).not.toBe(foreignId);
    expect(response.body.createdAt).not.toBe(longAgo);
    const item = await stored(response.body.id);
    expect(String(item?.owner)).toBe(alice.user.id);
    expect(item).not.toHaveProperty('role');
    expect(await stored(foreignId)).toBeNull();
  });
});

describe('an :id that is not an ObjectId', () => {
  test.each(['not-an-id', '0123456789abcdef0123456', '$where'])('GET /items/%s answers 400 naming params.id, never 500', async (id) => {
    const response = await request(app)
      .get(`/items/${encodeURIComponent(id)}`)
      .set(alice.auth);

    expectFieldProblem(response, 'params', 'id');
  });
});

describe('GET /items with a bad query', () => {
  const queries: Array<[string, Record<string, string>, string]> = [
    ...BAD_PAGE_QUERIES,
    ['limit[$gt]=1', { 'limit[$gt]': '1' }, 'limit[$gt]'],
    ['an unknown parameter', { colour: 'red' }, 'colour'],
  ];

  test.each(queries)('when the query has %s, answers 400 naming the field', async (_case, query, field) => {
    const response = await request(app).get('/items').set(alice.auth).query(query);

    expectFieldProblem(response, 'query', field);
  });
});
