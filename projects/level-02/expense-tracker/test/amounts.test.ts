import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { anExpense, testApp, ownExpenses, stored } from './support.ts';

useTestDatabase();
const app = testApp();
let account: TestAccount;

beforeAll(async () => {
  account = await signUp(app);
});

// Each of these would be a plausible bug: a float that rounds, a sign that flips a total,
// a string that concatenates instead of adding, an operator that reaches a query.
const notAnAmount: Array<[string, unknown]> = [
  ['a fraction of a minor unit (12.345)', 12.345],
  ['a fraction of a whole unit (12.5)', 12.5],
  ['negative (-1)', -1],
  ['zero', 0],
  ['a numeric string ("12")', '12'],
  ['the string "NaN"', 'NaN'],
  ['null (what JSON.stringify makes of NaN)', null],
  ['1e300', 1e300],
  ['just over 10^12', 1_000_000_000_001],
  ['an operator object ({"$gt": 0})', { $gt: 0 }],
  ['an array', [100]],
  ['a boolean', true],
];

describe('POST /expenses: amount must be whole minor units', () => {
  test.each(notAnAmount)('when the amount is %s, answers 400 naming amount and stores nothing', async (_case, amount) => {
    const before = await ownExpenses(account.user.id);

    const response = await request(app).post('/expenses').set(account.auth).send(anExpense({ amount }));

    expectFieldProblem(response, 'body', 'amount');
    expect(await ownExpenses(account.user.id)).toBe(before);
  });

  test('when the amount is missing, answers 400 naming amount', async () => {
    const { amount: _omitted, ...body } = anExpense();

    const response = await request(app).post('/expenses').set(account.auth).send(body);

    expectFieldProblem(response, 'body', 'amount');
  });

  test('when the raw JSON says NaN or Infinity, answers 400 (not JSON) and stores nothing', async () => {
    const before = await ownExpenses(account.user.id);

    for (const literal of ['NaN', 'Infinity']) {
      const response = await request(app)
        .post('/expenses')
        .set(account.auth)
        .set('Content-Type', 'application/json')
        .send(`{"amount": ${literal}, "currency": "EUR", "category": "food", "spentAt": "2025-01-01T00:00:00Z"}`);
      expect(response.status).toBe(400);
    }
    expect(await ownExpenses(account.user.id)).toBe(before);
  });

  test.each([1, 99, 1_000_000_000_000])('stores %d exactly, as an integer', async (amount) => {
    const response = await request(app).post('/expenses').set(account.auth).send(anExpense({ amount }));

    expect(response.status).toBe(201);
    expect(response.body.amount).toBe(amount);
    const doc = await stored(response.body.id);
    expect(doc?.amount).toBe(amount);
    expect(Number.isInteger(doc?.amount)).toBe(true);
  });
});

describe('PATCH /expenses/:id: the same rules for amount', () => {
  test.each(notAnAmount)(
    'when the new amount is %s, answers 400 naming amount and the stored amount is unchanged',
    async (_case, amount) => {
      const created = await request(app)
        .post('/expenses')
        .set(account.auth)
        .send(anExpense({ amount: 321 }));

      const response = await request(app).patch(`/expenses/${created.body.id}`).set(account.auth).send({ amount });

      expectFieldProblem(response, 'body', 'amount');
      expect((await stored(created.body.id))?.amount).toBe(321);
    },
  );
});
