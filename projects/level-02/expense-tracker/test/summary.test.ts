import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Expense } from '../src/expenses/expense.model.ts';
import { CATEGORIES } from '../src/expenses/expenses.schemas.ts';
import { anExpense, testApp, seededRandom } from './support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;
let bob: TestAccount;

interface Seed {
  amount: number;
  currency: string;
  category: string;
  spentAt: Date;
}
const aliceEuros: Seed[] = [];

// Six UTC months across a year boundary: 2024-10-01 up to (not including) 2025-04-01.
const START = Date.UTC(2024, 9, 1);
const END = Date.UTC(2025, 3, 1);

function randomExpenses(seed: number, count: number, currency: string): Seed[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    amount: random.int(1, 2_000_000),
    currency,
    category: random.pick(CATEGORIES),
    spentAt: new Date(random.int(START, END - 1)),
  }));
}

/** The expected summary, computed here in plain JavaScript from the seeds: the aggregation's referee. */
function expectedSummary(expenses: Seed[]) {
  const byCategory = new Map<string, { total: number; count: number }>();
  const byMonth = new Map<string, { total: number; count: number }>();
  let total = 0;
  for (const { amount, category, spentAt } of expenses) {
    total += amount;
    const month = spentAt.toISOString().slice(0, 7);
    for (const [groups, key] of [
      [byCategory, category],
      [byMonth, month],
    ] as const) {
      const group = groups.get(key) ?? { total: 0, count: 0 };
      groups.set(key, { total: group.total + amount, count: group.count + 1 });
    }
  }
  return {
    total,
    byCategory: [...byCategory]
      .map(([category, group]) => ({ category, ...group }))
      .sort((a, b) => b.total - a.total || a.category.localeCompare(b.category)),
    byMonth: [...byMonth].map(([month, group]) => ({ month, ...group })).sort((a, b) => a.month.localeCompare(b.month)),
  };
}

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
  aliceEuros.push(
    ...randomExpenses(20_250_101, 240, 'EUR'),
    // The last millisecond of 2024 and the first of 2025: the month boundary is UTC.
    { amount: 1111, currency: 'EUR', category: 'housing', spentAt: new Date('2024-12-31T23:59:59.999Z') },
    { amount: 2222, currency: 'EUR', category: 'housing', spentAt: new Date('2025-01-01T00:00:00.000Z') },
  );
  const noise = [
    // Alice in other currencies, and Bob in euros, in the same months: none of it may be counted.
    ...randomExpenses(7, 40, 'USD').map((expense) => ({ ...expense, owner: alice.user.id })),
    ...randomExpenses(8, 20, 'JPY').map((expense) => ({ ...expense, owner: alice.user.id })),
    ...randomExpenses(9, 60, 'EUR').map((expense) => ({ ...expense, owner: bob.user.id })),
  ];
  await Expense.insertMany([...aliceEuros.map((expense) => ({ ...expense, owner: alice.user.id })), ...noise]);
});

describe('GET /expenses/summary', () => {
  test('equals totals computed independently over 242 seeded random expenses, by category, by month and overall', async () => {
    const expected = expectedSummary(aliceEuros);

    const response = await request(app).get('/expenses/summary').set(alice.auth).query({ currency: 'EUR' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ currency: 'EUR', from: null, to: null, ...expected });
    // The data really spans a year boundary and every category; the counts add up.
    expect(response.body.byMonth.map((group: { month: string }) => group.month)).toEqual([
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
    ]);
    expect(response.body.byCategory).toHaveLength(CATEGORIES.length);
    expect(response.body.byMonth.reduce((sum: number, group: { count: number }) => sum + group.count, 0)).toBe(aliceEuros.length);
  });

  test('within a date range, equals the independent totals of the expenses inside it', async () => {
    const from = new Date('2024-11-15T00:00:00.000Z');
    const to = new Date('2025-02-10T12:00:00.000Z');
    const inside = aliceEuros.filter(({ spentAt }) => spentAt >= from && spentAt < to);

    const response = await request(app)
      .get('/expenses/summary')
      .set(alice.auth)
      .query({ currency: 'EUR', from: from.toISOString(), to: to.toISOString() });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ currency: 'EUR', from: from.toISOString(), to: to.toISOString(), ...expectedSummary(inside) });
  });

  test('puts the last millisecond of a year in December and the first in January (UTC months)', async () => {
    const response = await request(app)
      .get('/expenses/summary')
      .set(alice.auth)
      .query({ currency: 'EUR', from: '2024-12-31T23:59:59.999Z', to: '2025-01-01T00:00:00.001Z' });

    expect(response.body.byMonth).toEqual([
      { month: '2024-12', total: 1111, count: 1 },
      { month: '2025-01', total: 2222, count: 1 },
    ]);
  });

  test('never adds other currencies: a JPY summary counts only the JPY expenses', async () => {
    const yen = await Expense.find({ owner: alice.user.id, currency: 'JPY' }).lean();

    const response = await request(app).get('/expenses/summary').set(alice.auth).query({ currency: 'JPY' });

    expect(response.body.currency).toBe('JPY');
    expect(response.body.total).toBe(yen.reduce((sum, { amount }) => sum + amount, 0));
    expect(response.body.byMonth.reduce((sum: number, group: { count: number }) => sum + group.count, 0)).toBe(yen.length);
  });

  test("never counts another user's expenses", async () => {
    const bobsEuros = await Expense.find({ owner: bob.user.id, currency: 'EUR' }).lean();

    const response = await request(app).get('/expenses/summary').set(bob.auth).query({ currency: 'EUR' });

    expect(bobsEuros).toHaveLength(60);
    expect(response.body.total).toBe(bobsEuros.reduce((sum, { amount }) => sum + amount, 0));
    expect(response.body.byCategory.reduce((sum: number, group: { count: number }) => sum + group.count, 0)).toBe(60);
  });

  test('an expense added through the API shows up in the next summary', async () => {
    const me = await signUp(app);
    await request(app)
      .post('/expenses')
      .set(me.auth)
      .send(anExpense({ amount: 450, category: 'transport', spentAt: '2025-06-30T23:59:59Z' }));
    await request(app)
      .post('/expenses')
      .set(me.auth)
      .send(anExpense({ amount: 50, category: 'transport', spentAt: '2025-07-01T00:00:00Z' }));

    const response = await request(app).get('/expenses/summary').set(me.auth).query({ currency: 'EUR' });

    expect(response.body).toMatchObject({
      total: 500,
      byCategory: [{ category: 'transport', total: 500, count: 2 }],
      byMonth: [
        { month: '2025-06', total: 450, count: 1 },
        { month: '2025-07', total: 50, count: 1 },
      ],
    });
  });

  test('with no expenses in the currency, answers zero totals and empty groups', async () => {
    const me = await signUp(app);

    const response = await request(app).get('/expenses/summary').set(me.auth).query({ currency: 'GBP' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ currency: 'GBP', from: null, to: null, total: 0, byCategory: [], byMonth: [] });
  });
});
