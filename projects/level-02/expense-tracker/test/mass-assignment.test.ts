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

const serverFields = () => ({
  owner: bob.user.id,
  _id: '0123456789abcdef01234567',
  id: '0123456789abcdef01234567',
  createdAt: '2000-01-01T00:00:00.000Z',
  updatedAt: '2000-01-01T00:00:00.000Z',
  role: 'admin',
});

describe('server-set fields in a body are ignored', () => {
  test('POST /expenses keeps the caller as owner and sets its own id and timestamps', async () => {
    const response = await request(app)
      .post('/expenses')
      .set(alice.auth)
      .send({ ...anExpense(), ...serverFields() });

    expect(response.status).toBe(201);
    expect(response.body.id).not.toBe('0123456789abcdef01234567');
    expect(response.body.createdAt).not.toBe('2000-01-01T00:00:00.000Z');
    const doc = await stored(response.body.id);
    expect(String(doc?.owner)).toBe(alice.user.id);
    expect(doc?.createdAt.getFullYear()).toBeGreaterThan(2000);
    expect(doc).not.toHaveProperty('role');
  });

  test('PATCH /expenses/:id applies the real fields and ignores owner, _id, createdAt and role', async () => {
    const created = await request(app)
      .post('/expenses')
      .set(alice.auth)
      .send(anExpense({ amount: 100 }));
    const before = await stored(created.body.id);

    const response = await request(app)
      .patch(`/expenses/${created.body.id}`)
      .set(alice.auth)
      .send({ amount: 200, ...serverFields() });

    expect(response.status).toBe(200);
    const after = await stored(created.body.id);
    expect(after?.amount).toBe(200);
    expect(String(after?._id)).toBe(created.body.id);
    expect(String(after?.owner)).toBe(alice.user.id);
    expect(after?.createdAt).toEqual(before?.createdAt);
    expect(after).not.toHaveProperty('role');
    expect((await request(app).get(`/expenses/${created.body.id}`).set(bob.auth)).status).toBe(404);
  });

  test('a PATCH of only server-set fields changes nothing and answers 400', async () => {
    const created = await request(app).post('/expenses').set(alice.auth).send(anExpense());
    const before = await stored(created.body.id);

    const response = await request(app).patch(`/expenses/${created.body.id}`).set(alice.auth).send(serverFields());

    expect(response.status).toBe(400);
    expect(await stored(created.body.id)).toEqual(before);
  });
});
