import { beforeAll, describe, expect, test } from '@jest/globals';
import { BAD_PAGE_QUERIES, expectFieldProblem, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { anExpense, testApp, ownExpenses, stored } from './support.ts';

useTestDatabase();
const app = testApp();
let account: TestAccount;

beforeAll(async () => {
  account = await signUp(app);
});

const bodies: Array<[string, Record<string, unknown>, string]> = [
  ['the currency is missing', anExpense({ currency: undefined }), 'currency'],
  ['the currency is lower case', anExpense({ currency: 'eur' }), 'currency'],
  ['the currency is not on the list', anExpense({ currency: 'XYZ' }), 'currency'],
  ['the currency is an operator object', anExpense({ currency: { $ne: 'EUR' } }), 'currency'],
  ['the category is not on the list', anExpense({ category: 'yachts' }), 'category'],
  ['the category is a number', anExpense({ category: 3 }), 'category'],
  ['the category is an operator object', anExpense({ category: { $in: ['food'] } }), 'category'],
  ['the description is over 200 characters', anExpense({ description: 'x'.repeat(201) }), 'description'],
  ['the description is a number', anExpense({ description: 5 }), 'description'],
  ['spentAt is missing', anExpense({ spentAt: undefined }), 'spentAt'],
  ['spentAt is a date without a time', anExpense({ spentAt: '2025-01-15' }), 'spentAt'],
  ['spentAt is February 30th', anExpense({ spentAt: '2025-02-30T00:00:00Z' }), 'spentAt'],
  ['spentAt is month 13', anExpense({ spentAt: '2025-13-01T00:00:00Z' }), 'spentAt'],
  ['spentAt is free text', anExpense({ spentAt: 'yesterday' }), 'spentAt'],
  ['spentAt is a timestamp number', anExpense({ spentAt: 1_736_942_400_000 }), 'spentAt'],
  ['spentAt is an operator object', anExpense({ spentAt: { $gt: '' } }), 'spentAt'],
  ['an unknown field is sent', anExpense({ colour: 'red' }), 'colour'],
  ['an operator key is sent', anExpense({ $set: { owner: 'x' } }), '$set'],
];

describe('POST /expenses with bad input', () => {
  test.each(bodies)('when %s, answers 400 naming the field and stores nothing', async (_case, body, field) => {
    const before = await ownExpenses(account.user.id);

    const response = await request(app).post('/expenses').set(account.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await ownExpenses(account.user.id)).toBe(before);
  });

  test('when the body is a JSON array, answers 400 and stores nothing', async () => {
    const before = await ownExpenses(account.user.id);

    const response = await request(app).post('/expenses').set(account.auth).send([anExpense()]);

    expect(response.status).toBe(400);
    expect(await ownExpenses(account.user.id)).toBe(before);
  });
});

describe('PATCH /expenses/:id with bad input', () => {
  test.each([
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['a bad category', { category: 'yachts' }, 'category'],
    ['a bad currency', { currency: 'euro' }, 'currency'],
    ['a bad date', { spentAt: '2025-02-30T00:00:00Z' }, 'spentAt'],
    ['an operator object', { description: { $set: 'x' } }, 'description'],
  ])('when the patch has %s, answers 400 naming the field and changes nothing', async (_case, body, field) => {
    const created = await request(app).post('/expenses').set(account.auth).send(anExpense());
    const before = await stored(created.body.id);

    const response = await request(app).patch(`/expenses/${created.body.id}`).set(account.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await stored(created.body.id)).toEqual(before);
  });
});

describe('an id that is not an ObjectId', () => {
  test.each([
    ['GET', (id: string) => request(app).get(`/expenses/${id}`)],
    ['PATCH', (id: string) => request(app).patch(`/expenses/${id}`).send({ amount: 1 })],
    ['DELETE', (id: string) => request(app).delete(`/expenses/${id}`)],
  ])('%s answers 400 naming params.id, never 500', async (_method, send) => {
    for (const id of ['not-an-id', '0123456789abcdef0123456', '0123456789abcdef012345678', 'zzzzzzzzzzzzzzzzzzzzzzzz']) {
      const response = await send(id).set(account.auth);
      expectFieldProblem(response, 'params', 'id');
    }
  });
});

const listQueries: Array<[string, Record<string, string>, string]> = [
  ...BAD_PAGE_QUERIES,
  ['category is not on the list', { category: 'yachts' }, 'category'],
  ['currency is lower case', { currency: 'eur' }, 'currency'],
  ['from is not a date-time', { from: '2025-01-01' }, 'from'],
  ['to is February 30th', { to: '2025-02-30T00:00:00Z' }, 'to'],
  ['from equals to', { from: '2025-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'to'],
  ['from is after to', { from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'to'],
  ['category carries an operator', { 'category[$ne]': 'food' }, 'category[$ne]'],
  ['amount carries an operator', { 'amount[$gt]': '0' }, 'amount[$gt]'],
  ['an unknown parameter is sent', { owner: '0123456789abcdef01234567' }, 'owner'],
];

describe('GET /expenses with bad query parameters', () => {
  test.each(listQueries)('when %s, answers 400 naming the query field', async (_case, query, field) => {
    const response = await request(app).get('/expenses').set(account.auth).query(query);

    expectFieldProblem(response, 'query', field);
  });
});

const summaryQueries: Array<[string, Record<string, string>, string]> = [
  ['currency is missing', {}, 'currency'],
  ['currency is not on the list', { currency: 'XYZ' }, 'currency'],
  ['currency carries an operator', { 'currency[$ne]': 'EUR' }, 'currency[$ne]'],
  ['from is free text', { currency: 'EUR', from: 'last week' }, 'from'],
  ['from equals to', { currency: 'EUR', from: '2025-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'to'],
  ['from is after to', { currency: 'EUR', from: '2026-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'to'],
  ['a listing parameter is sent', { currency: 'EUR', limit: '10' }, 'limit'],
];

describe('GET /expenses/summary with bad query parameters', () => {
  test.each(summaryQueries)('when %s, answers 400 naming the query field', async (_case, query, field) => {
    const response = await request(app).get('/expenses/summary').set(account.auth).query(query);

    expectFieldProblem(response, 'query', field);
  });
});
