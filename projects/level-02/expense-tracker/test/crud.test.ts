import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { anExpense, testApp, ownExpenses, stored } from './support.ts';

useTestDatabase();
const app = testApp();
let account: TestAccount;

beforeAll(async () => {
  account = await signUp(app);
});

const create = (overrides: Record<string, unknown> = {}) => request(app).post('/expenses').set(account.auth).send(anExpense(overrides));

describe('POST /expenses', () => {
  test('when the body is valid, answers 201 with a Location and stores the amount exactly as sent', async () => {
    const response = await create({
      amount: 1999,
      currency: 'USD',
      category: 'transport',
      description: '  Taxi  ',
      spentAt: '2025-03-01T08:15:00+02:00',
    });

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/expenses/${response.body.id}`);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      amount: 1999,
      currency: 'USD',
      category: 'transport',
      description: 'Taxi',
      spentAt: '2025-03-01T06:15:00.000Z',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const doc = await stored(response.body.id);
    expect(doc?.amount).toBe(1999);
    expect(Number.isInteger(doc?.amount)).toBe(true);
    expect(String(doc?.owner)).toBe(account.user.id);
  });

  test('when the description is left out, stores an empty one', async () => {
    const { description: _omitted, ...body } = anExpense();

    const response = await request(app).post('/expenses').set(account.auth).send(body);

    expect(response.status).toBe(201);
    expect(response.body.description).toBe('');
  });

  test('accepts the largest amount, 10^12 minor units, and a JPY amount with no decimals', async () => {
    const largest = await create({ amount: 1_000_000_000_000 });
    const yen = await create({ amount: 1500, currency: 'JPY' });

    expect(largest.status).toBe(201);
    expect((await stored(largest.body.id))?.amount).toBe(1_000_000_000_000);
    expect(yen.status).toBe(201);
    expect((await stored(yen.body.id))?.amount).toBe(1500);
  });
});

describe('GET /expenses/:id', () => {
  test('answers the stored expense', async () => {
    const created = await create({ amount: 42 });

    const response = await request(app).get(`/expenses/${created.body.id}`).set(account.auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(created.body);
  });

  test('when no expense has that id, answers 404 problem+json', async () => {
    const response = await request(app).get('/expenses/0123456789abcdef01234567').set(account.auth);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('PATCH /expenses/:id', () => {
  test('changes only the fields sent', async () => {
    const created = await create({ amount: 500, category: 'food' });

    const response = await request(app).patch(`/expenses/${created.body.id}`).set(account.auth).send({ amount: 750, category: 'health' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      amount: 750,
      category: 'health',
      currency: 'EUR',
      description: 'Lunch',
      spentAt: created.body.spentAt,
    });
    expect(await stored(created.body.id)).toMatchObject({ amount: 750, category: 'health', currency: 'EUR' });
  });

  test('when the body is empty, answers 400 and changes nothing', async () => {
    const created = await create();
    const before = await stored(created.body.id);

    const response = await request(app).patch(`/expenses/${created.body.id}`).set(account.auth).send({});

    expect(response.status).toBe(400);
    expect(await stored(created.body.id)).toEqual(before);
  });
});

describe('DELETE /expenses/:id', () => {
  test('answers 204, removes the expense, and a second delete answers 404', async () => {
    const created = await create();
    const before = await ownExpenses(account.user.id);

    const response = await request(app).delete(`/expenses/${created.body.id}`).set(account.auth);
    const again = await request(app).delete(`/expenses/${created.body.id}`).set(account.auth);
    const read = await request(app).get(`/expenses/${created.body.id}`).set(account.auth);

    expect(response.status).toBe(204);
    expect(await stored(created.body.id)).toBeNull();
    expect(await ownExpenses(account.user.id)).toBe(before - 1);
    expect(again.status).toBe(404);
    expect(read.status).toBe(404);
  });
});

describe('GET /expenses', () => {
  test('lists my expenses newest first, filtered by category and currency, with a total', async () => {
    const me = await signUp(app);
    const add = (overrides: Record<string, unknown>) => request(app).post('/expenses').set(me.auth).send(anExpense(overrides));
    await add({ category: 'food', currency: 'EUR', spentAt: '2025-01-01T00:00:00Z' });
    await add({ category: 'food', currency: 'EUR', spentAt: '2025-03-01T00:00:00Z' });
    await add({ category: 'food', currency: 'USD', spentAt: '2025-02-01T00:00:00Z' });
    await add({ category: 'housing', currency: 'EUR', spentAt: '2025-04-01T00:00:00Z' });

    const all = await request(app).get('/expenses').set(me.auth);
    const foodInEuros = await request(app).get('/expenses').set(me.auth).query({ category: 'food', currency: 'EUR' });
    const firstPage = await request(app).get('/expenses').set(me.auth).query({ limit: 3 });

    expect(all.status).toBe(200);
    expect(all.body.total).toBe(4);
    expect(all.body.items.map((item: { spentAt: string }) => item.spentAt)).toEqual([
      '2025-04-01T00:00:00.000Z',
      '2025-03-01T00:00:00.000Z',
      '2025-02-01T00:00:00.000Z',
      '2025-01-01T00:00:00.000Z',
    ]);
    expect(foodInEuros.body.items.map((item: { spentAt: string }) => item.spentAt)).toEqual([
      '2025-03-01T00:00:00.000Z',
      '2025-01-01T00:00:00.000Z',
    ]);
    expect(foodInEuros.body.total).toBe(2);
    expect(firstPage.body).toMatchObject({ total: 4, limit: 3, page: 1, pages: 2 });
    expect(firstPage.body.items).toHaveLength(3);
  });
});
