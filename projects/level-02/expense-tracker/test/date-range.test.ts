import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { anExpense, testApp } from './support.ts';

useTestDatabase();
const app = testApp();
let account: TestAccount;

const FROM = '2025-02-01T00:00:00.000Z';
const TO = '2025-03-01T00:00:00.000Z';
// One expense on each side of each boundary; the amount says which one it is.
const around = [
  { amount: 1, spentAt: '2025-01-31T23:59:59.999Z' }, // just before from: out
  { amount: 10, spentAt: FROM }, // exactly from: in (inclusive)
  { amount: 100, spentAt: '2025-02-28T23:59:59.999Z' }, // just before to: in
  { amount: 1000, spentAt: TO }, // exactly to: out (exclusive)
];

beforeAll(async () => {
  account = await signUp(app);
  for (const expense of around) {
    const response = await request(app)
      .post('/expenses')
      .set(account.auth)
      .send(anExpense({ ...expense, category: 'utilities' }));
    expect(response.status).toBe(201);
  }
});

const amountsIn = (response: request.Response) =>
  response.body.items.map((item: { amount: number }) => item.amount).sort((a: number, b: number) => a - b);

describe('date ranges: from is inclusive, to is exclusive', () => {
  test('GET /expenses keeps the expense exactly at from and drops the one exactly at to', async () => {
    const response = await request(app).get('/expenses').set(account.auth).query({ from: FROM, to: TO });

    expect(response.status).toBe(200);
    expect(amountsIn(response)).toEqual([10, 100]);
    expect(response.body.total).toBe(2);
  });

  test('GET /expenses with only from, or only to, applies just that bound', async () => {
    const fromOnly = await request(app).get('/expenses').set(account.auth).query({ from: FROM });
    const toOnly = await request(app).get('/expenses').set(account.auth).query({ to: TO });

    expect(amountsIn(fromOnly)).toEqual([10, 100, 1000]);
    expect(amountsIn(toOnly)).toEqual([1, 10, 100]);
  });

  test('GET /expenses reads an offset as the same instant: 01:00+01:00 is midnight UTC', async () => {
    const response = await request(app)
      .get('/expenses')
      .set(account.auth)
      .query({ from: '2025-02-01T01:00:00+01:00', to: '2025-03-01T01:00:00+01:00' });

    expect(response.status).toBe(200);
    expect(amountsIn(response)).toEqual([10, 100]);
  });

  test('GET /expenses/summary counts the expense exactly at from and not the one exactly at to', async () => {
    const response = await request(app).get('/expenses/summary').set(account.auth).query({ currency: 'EUR', from: FROM, to: TO });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      total: 110,
      byCategory: [{ category: 'utilities', total: 110, count: 2 }],
      byMonth: [{ month: '2025-02', total: 110, count: 2 }],
    });
  });

  test('consecutive ranges share no expense: [Jan, Feb) + [Feb, Mar) + [Mar, Apr) add up to the whole', async () => {
    const ranges = [
      ['2025-01-01T00:00:00Z', FROM],
      [FROM, TO],
      [TO, '2025-04-01T00:00:00Z'],
    ];

    const totals = await Promise.all(
      ranges.map(
        async ([from, to]) =>
          (await request(app).get('/expenses/summary').set(account.auth).query({ currency: 'EUR', from, to })).body.total as number,
      ),
    );

    expect(totals).toEqual([1, 110, 1000]);
  });
});
