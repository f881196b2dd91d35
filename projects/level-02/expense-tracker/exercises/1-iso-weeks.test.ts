// Exercise 1: GET /expenses/summary?groupBy=week totals by ISO 8601 week, the same on every engine.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Expense } from '../src/expenses/expense.model.ts';
import { testApp } from '../test/support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;
let bob: TestAccount;

// ISO weeks start on Monday, and a week belongs to the year that holds its Thursday, so the
// days around New Year are where a week's year and the calendar year part.
const aliceEuros = [
  { spentAt: '2020-12-31T12:00:00.000Z', amount: 600, category: 'food' }, // Thursday: 2020-W53
  { spentAt: '2021-01-03T12:00:00.000Z', amount: 500, category: 'food' }, // Sunday of the same week: 2020-W53, not 2021
  { spentAt: '2024-12-29T23:59:59.999Z', amount: 100, category: 'food' }, // last millisecond of 2024-W52
  { spentAt: '2024-12-30T00:00:00.000Z', amount: 200, category: 'food' }, // Monday in December: 2025-W01
  { spentAt: '2025-01-05T23:59:59.999Z', amount: 300, category: 'transport' }, // last millisecond of 2025-W01
  { spentAt: '2025-01-06T00:00:00.000Z', amount: 400, category: 'food' }, // 2025-W02
  { spentAt: '2026-01-01T12:00:00.000Z', amount: 800, category: 'health' }, // Thursday 1 January: 2026-W01
  { spentAt: '2027-01-01T12:00:00.000Z', amount: 700, category: 'health' }, // Friday 1 January: 2026-W53
];

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
  const expense = (owner: string, currency: string) => (seed: { spentAt: string; amount: number; category: string }) => ({
    ...seed,
    owner,
    currency,
    spentAt: new Date(seed.spentAt),
  });
  await Expense.insertMany([
    ...aliceEuros.map(expense(alice.user.id, 'EUR')),
    // In the same weeks, but another currency or another owner: never counted.
    ...aliceEuros.map(expense(alice.user.id, 'USD')),
    ...aliceEuros.map(expense(bob.user.id, 'EUR')),
  ]);
});

const summary = (query: Record<string, string>) => request(app).get('/expenses/summary').set(alice.auth).query(query);

describe('GET /expenses/summary?groupBy=week', () => {
  test('totals by ISO week (YYYY-Www, oldest first), with the year the week belongs to', async () => {
    const response = await summary({ currency: 'EUR', groupBy: 'week' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      currency: 'EUR',
      from: null,
      to: null,
      total: 3600,
      byCategory: [
        { category: 'food', total: 1800, count: 5 },
        { category: 'health', total: 1500, count: 2 },
        { category: 'transport', total: 300, count: 1 },
      ],
      byWeek: [
        { week: '2020-W53', total: 1100, count: 2 },
        { week: '2024-W52', total: 100, count: 1 },
        { week: '2025-W01', total: 500, count: 2 },
        { week: '2025-W02', total: 400, count: 1 },
        { week: '2026-W01', total: 800, count: 1 },
        { week: '2026-W53', total: 700, count: 1 },
      ],
    });
  });

  test('a range of exactly one week, Monday 00:00Z to the next Monday, holds that week alone', async () => {
    const response = await summary({ currency: 'EUR', groupBy: 'week', from: '2024-12-30T00:00:00Z', to: '2025-01-06T00:00:00Z' });

    expect(response.status).toBe(200);
    expect(response.body.byWeek).toEqual([{ week: '2025-W01', total: 500, count: 2 }]);
    expect(response.body.total).toBe(500);
  });
});

describe('months stay as they were', () => {
  test('without groupBy, or with groupBy=month, the answer is the monthly summary, with no byWeek', async () => {
    const plain = await summary({ currency: 'EUR' });
    const monthly = await summary({ currency: 'EUR', groupBy: 'month' });

    expect(plain.status).toBe(200);
    expect(plain.body).not.toHaveProperty('byWeek');
    expect(plain.body.byMonth).toContainEqual({ month: '2024-12', total: 300, count: 2 });
    expect(monthly.status).toBe(200);
    expect(monthly.body).toEqual(plain.body);
  });

  test('any other groupBy is a 400 naming it', async () => {
    expectFieldProblem(await summary({ currency: 'EUR', groupBy: 'day' }), 'query', 'groupBy');
  });
});
