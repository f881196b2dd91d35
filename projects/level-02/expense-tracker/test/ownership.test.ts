import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { anExpense, testApp, stored } from './support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
});

/** Alice records an expense; returns its id and the stored document before anyone else touches it. */
async function alicesExpense() {
  const created = await request(app)
    .post('/expenses')
    .set(alice.auth)
    .send(anExpense({ amount: 777_777, category: 'health', description: 'Alice private' }));
  expect(created.status).toBe(201);
  return { id: created.body.id as string, before: await stored(created.body.id) };
}

describe("another user's expense answers exactly like a missing one", () => {
  test.each([
    ['GET', (id: string) => request(app).get(`/expenses/${id}`)],
    ['PATCH', (id: string) => request(app).patch(`/expenses/${id}`).send({ amount: 1, description: 'Bob was here' })],
    ['DELETE', (id: string) => request(app).delete(`/expenses/${id}`)],
  ])("when Bob sends %s for Alice's expense, answers 404 (never 403) and the expense is unchanged", async (_method, send) => {
    const { id, before } = await alicesExpense();
    const missing = await send('0123456789abcdef01234567').set(bob.auth);

    const response = await send(id).set(bob.auth);

    expect(response.status).toBe(404);
    expect(response.body.title).toBe(missing.body.title);
    expect(response.body.type).toBe(missing.body.type);
    expect(await stored(id)).toEqual(before);
    expect((await request(app).get(`/expenses/${id}`).set(alice.auth)).status).toBe(200);
  });
});

describe("Bob never sees Alice's data", () => {
  test("Bob's listing never shows Alice's expenses, whatever the filters", async () => {
    const { id } = await alicesExpense();
    await request(app)
      .post('/expenses')
      .set(bob.auth)
      .send(anExpense({ category: 'health', description: 'Bob own' }));

    const queries = [
      {},
      { category: 'health' },
      { currency: 'EUR' },
      { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' },
      { limit: '100' },
    ];
    for (const query of queries) {
      const response = await request(app).get('/expenses').set(bob.auth).query(query);
      expect(response.status).toBe(200);
      expect(response.body.items.map((item: { id: string }) => item.id)).not.toContain(id);
      expect(response.body.items.every((item: { description: string }) => item.description === 'Bob own')).toBe(true);
    }
  });

  test("Bob's summary counts only Bob's expenses", async () => {
    await alicesExpense();
    const me = await signUp(app);
    await request(app)
      .post('/expenses')
      .set(me.auth)
      .send(anExpense({ amount: 300, category: 'health' }));

    const response = await request(app).get('/expenses/summary').set(me.auth).query({ currency: 'EUR' });

    expect(response.status).toBe(200);
    expect(response.body.total).toBe(300);
    expect(response.body.byCategory).toEqual([{ category: 'health', total: 300, count: 1 }]);
    expect(response.body.byMonth).toEqual([{ month: '2025-01', total: 300, count: 1 }]);
  });
});

describe('without a valid token', () => {
  test.each([
    ['POST /expenses', () => request(app).post('/expenses').send(anExpense())],
    ['GET /expenses', () => request(app).get('/expenses')],
    ['GET /expenses/summary', () => request(app).get('/expenses/summary').query({ currency: 'EUR' })],
    ['GET /expenses/:id', () => request(app).get('/expenses/0123456789abcdef01234567')],
    ['PATCH /expenses/:id', () => request(app).patch('/expenses/0123456789abcdef01234567').send({ amount: 1 })],
    ['DELETE /expenses/:id', () => request(app).delete('/expenses/0123456789abcdef01234567')],
  ])('%s answers 401 problem+json', async (_route, send) => {
    const none = await send();
    const garbage = await send().set('Authorization', 'Bearer not-a-jwt');

    for (const response of [none, garbage]) {
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });
});
