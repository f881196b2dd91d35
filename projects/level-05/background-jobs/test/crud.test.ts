import { describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { Item } from '../src/items/item.model.ts';
import { anItem, stored, testApp, unusedId } from './support.ts';

useTestDatabase();
const app = testApp();

describe('POST /items', () => {
  test('when the body is valid, answers 201 with the item and its Location, and stores it under the caller', async () => {
    const account = await signUp(app);

    const response = await request(app).post('/items').set(account.auth).send({ name: '  Blue mug ', quantity: 2 });

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/items/${response.body.id}`);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'Blue mug',
      quantity: 2,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const item = await stored(response.body.id);
    expect(String(item?.owner)).toBe(account.user.id);
    expect(item).toMatchObject({ name: 'Blue mug', quantity: 2 });
  });

  test('when only a name is sent, the quantity defaults to 1', async () => {
    const account = await signUp(app);

    const response = await request(app).post('/items').set(account.auth).send({ name: 'Bare' });

    expect(response.status).toBe(201);
    expect(response.body.quantity).toBe(1);
  });
});

describe('GET /items/:id', () => {
  test('answers the item', async () => {
    const account = await signUp(app);
    const created = await request(app).post('/items').set(account.auth).send(anItem());

    const response = await request(app).get(`/items/${created.body.id}`).set(account.auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(created.body);
  });

  test('when no item has that id, answers 404 problem+json', async () => {
    const account = await signUp(app);

    const response = await request(app).get(`/items/${unusedId()}`).set(account.auth);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  test("another user's item answers 404, exactly like a missing one", async () => {
    const [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
    const created = await request(app).post('/items').set(alice.auth).send(anItem());
    const missing = await request(app).get(`/items/${unusedId()}`).set(bob.auth);

    const response = await request(app).get(`/items/${created.body.id}`).set(bob.auth);

    expect(response.status).toBe(404);
    expect(response.body.type).toBe(missing.body.type);
    expect(response.body.title).toBe(missing.body.title);
    expect((await request(app).get(`/items/${created.body.id}`).set(alice.auth)).status).toBe(200);
  });
});

describe('GET /items', () => {
  test("lists only the caller's items, newest first, by page and by cursor", async () => {
    const [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
    const now = Date.now();
    // Five items a minute apart, inserted directly so their order is known.
    await Item.insertMany(
      Array.from({ length: 5 }, (_, n) => ({
        owner: alice.user.id,
        name: `item ${n}`,
        createdAt: new Date(now - n * 60_000),
        updatedAt: new Date(now),
      })),
      { timestamps: false },
    );
    await request(app)
      .post('/items')
      .set(bob.auth)
      .send(anItem({ name: 'bob own' }));
    const names = (response: request.Response) => (response.body.items as Array<{ name: string }>).map((item) => item.name);

    const first = await request(app).get('/items').set(alice.auth).query({ limit: 2 });
    const last = await request(app).get('/items').set(alice.auth).query({ limit: 2, page: 3 });
    const next = await request(app).get('/items').set(alice.auth).query({ limit: 2, cursor: first.body.nextCursor });

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 5, limit: 2, page: 1, pages: 3, nextCursor: expect.any(String) });
    expect(names(first)).toEqual(['item 0', 'item 1']);
    expect(last.body).toMatchObject({ page: 3, nextCursor: null });
    expect(names(last)).toEqual(['item 4']);
    expect(next.body.page).toBeNull();
    expect(names(next)).toEqual(['item 2', 'item 3']);
  });
});

describe('without a valid token', () => {
  test.each([
    ['POST /items', () => request(app).post('/items').send(anItem())],
    ['GET /items', () => request(app).get('/items')],
    ['GET /items/:id', () => request(app).get(`/items/${unusedId()}`)],
  ])('%s answers 401 problem+json and writes nothing', async (_route, send) => {
    const before = await Item.countDocuments();

    const none = await send();
    const garbage = await send().set('Authorization', 'Bearer not-a-jwt');

    for (const response of [none, garbage]) {
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect(await Item.countDocuments()).toBe(before);
  });
});
