// Exercise 2: GET /expenses/summary/currencies answers one block per currency, and never adds two currencies together.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Expense } from '../src/expenses/expense.model.ts';
import { testApp } from '../test/support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
  const spent = (owner: string, currency: string, category: string, amount: number, spentAt: string) => ({
    owner,
    currency,
    category,
    amount,
    spentAt: new Date(spentAt),
  });
  await Expense.insertMany([
    spent(alice.user.id, 'EUR', 'food', 1000, '2025-01-10T12:00:00Z'),
    spent(alice.user.id, 'EUR', 'food', 250, '2025-02-01T00:00:00Z'),
    spent(alice.user.id, 'EUR', 'transport', 300, '2025-01-20T08:00:00Z'),
    // The same number in another currency is another amount: 999 USD cents are not 999 EUR cents.
    spent(alice.user.id, 'USD', 'food', 999, '2025-01-15T12:00:00Z'),
    spent(alice.user.id, 'JPY', 'other', 5000, '2025-01-31T23:59:59.999Z'),
    // Bob spends in the same currencies and categories: never in Alice's totals.
    spent(bob.user.id, 'EUR', 'food', 7777, '2025-01-10T12:00:00Z'),
    spent(bob.user.id, 'GBP', 'food', 4242, '2025-01-10T12:00:00Z'),
  ]);
});

const totals = (account: TestAccount, query: Record<string, string> = {}) =>
  request(app).get('/expenses/summary/currencies').set(account.auth).query(query);

describe('GET /expenses/summary/currencies', () => {
  test('answers one block per currency the caller spent in, sorted by code; EUR and USD totals stay apart', async () => {
    const response = await totals(alice);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      from: null,
      to: null,
      currencies: [
        {
          currency: 'EUR',
          total: 1550,
          byCategory: [
            { category: 'food', total: 1250, count: 2 },
            { category: 'transport', total: 300, count: 1 },
          ],
        },
        { currency: 'JPY', total: 5000, byCategory: [{ category: 'other', total: 5000, count: 1 }] },
        { currency: 'USD', total: 999, byCategory: [{ category: 'food', total: 999, count: 1 }] },
      ],
    });
  });

  test('honours the range: from inclusive, to exclusive', async () => {
    const response = await totals(alice, { from: '2025-01-15T12:00:00Z', to: '2025-02-01T00:00:00Z' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      from: '2025-01-15T12:00:00.000Z',
      to: '2025-02-01T00:00:00.000Z',
      currencies: [
        { currency: 'EUR', total: 300, byCategory: [{ category: 'transport', total: 300, count: 1 }] },
        { currency: 'JPY', total: 5000, byCategory: [{ category: 'other', total: 5000, count: 1 }] },
        { currency: 'USD', total: 999, byCategory: [{ category: 'food', total: 999, count: 1 }] },
      ],
    });
  });

  test("counts only the caller's own expenses", async () => {
    const response = await totals(bob);

    expect(response.status).toBe(200);
    expect(response.body.currencies).toEqual([
      { currency: 'EUR', total: 7777, byCategory: [{ category: 'food', total: 7777, count: 1 }] },
      { currency: 'GBP', total: 4242, byCategory: [{ category: 'food', total: 4242, count: 1 }] },
    ]);
  });

  test('with no expenses at all: an empty list, not an error', async () => {
    const newcomer = await signUp(app);

    const response = await totals(newcomer);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ from: null, to: null, currencies: [] });
  });

  test('a bad range is a 400 naming the field; no token is a 401', async () => {
    expectFieldProblem(await totals(alice, { from: 'last week' }), 'query', 'from');
    expectFieldProblem(await totals(alice, { from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }), 'query', 'to');
    expect((await request(app).get('/expenses/summary/currencies')).status).toBe(401);
  });
});

describe('the one-currency summary stays as it was', () => {
  test('GET /expenses/summary still needs a currency and still counts only that one', async () => {
    const missing = await request(app).get('/expenses/summary').set(alice.auth);
    const euros = await request(app).get('/expenses/summary').set(alice.auth).query({ currency: 'EUR' });

    expectFieldProblem(missing, 'query', 'currency');
    expect(euros.body).toMatchObject({ currency: 'EUR', total: 1550 });
  });
});
