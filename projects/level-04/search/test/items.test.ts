import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Catalogue } from '../src/search/catalogue.model.ts';
import { anAdmin, anItem, ids, indexedTerms, stored, testApp, uniqueWord, unusedId } from './support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;
let bob: TestAccount;
let admin: TestAccount;

beforeAll(async () => {
  [alice, bob, admin] = await Promise.all([signUp(app), signUp(app), anAdmin(app)]);
});

const found = async (q: string) => ids(await request(app).get('/search').query({ q }));
const totals = async () => {
  const catalogue = await Catalogue.findById('catalogue').lean();
  return {
    items: catalogue?.items ?? 0,
    lengths: { title: catalogue?.lengths?.title ?? 0, description: catalogue?.lengths?.description ?? 0 },
  };
};
const create = (account: TestAccount, body: Record<string, unknown>) => request(app).post('/items').set(account.auth).send(anItem(body));

describe('POST /items', () => {
  test('answers 201 with the item and its Location; it is searchable at once, and counted in the totals', async () => {
    const word = uniqueWord();
    const before = await totals();

    const response = await request(app)
      .post('/items')
      .set(alice.auth)
      .send({ title: `  Walnut ${word} `, description: 'Two words', category: 'office', price: 2599, tags: ['gift'] });

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/items/${response.body.id}`);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      title: `Walnut ${word}`,
      description: 'Two words',
      category: 'office',
      price: 2599,
      tags: ['gift'],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(String((await stored(response.body.id))?.owner)).toBe(alice.user.id);
    expect(await found(word)).toEqual([response.body.id]);
    expect(await indexedTerms(response.body.id)).toEqual([word, 'two', 'walnut', 'words'].sort());
    expect(await totals()).toMatchObject({
      items: before.items + 1,
      lengths: { title: before.lengths.title + 2, description: before.lengths.description + 2 },
    });
  });
});

describe('GET /items/:id', () => {
  test('is public: answers the item without a token; a missing one is 404 problem+json', async () => {
    const created = await create(alice, {});

    const response = await request(app).get(`/items/${created.body.id}`);
    const missing = await request(app).get(`/items/${unusedId()}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(created.body);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('PATCH /items/:id', () => {
  test('re-indexes the item: the old words find nothing, the new ones find it; the totals follow', async () => {
    const [old, fresh] = [uniqueWord(), uniqueWord()];
    const created = await create(alice, { title: `Lamp ${old}`, description: 'one two three' });
    const before = await totals();

    const response = await request(app)
      .patch(`/items/${created.body.id}`)
      .set(alice.auth)
      .send({ title: `Lamp ${fresh} shade`, price: 10 });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ title: `Lamp ${fresh} shade`, description: 'one two three', price: 10 });
    expect(await found(old)).toEqual([]);
    expect(await found(fresh)).toEqual([created.body.id]);
    expect(await indexedTerms(created.body.id)).toEqual([fresh, 'lamp', 'one', 'shade', 'three', 'two'].sort());
    expect((await totals()).lengths.title).toBe(before.lengths.title + 1);
    const filtered = await request(app).get('/search').query({ q: fresh, maxPrice: 10 });
    expect(ids(filtered)).toEqual([created.body.id]);
  });

  test('10 concurrent PATCHes of one item leave the index exactly as the last stored version says', async () => {
    const created = await create(alice, { title: 'Start', description: '' });
    const words = Array.from({ length: 10 }, () => uniqueWord());

    const responses = await Promise.all(
      words.map((word) =>
        request(app)
          .patch(`/items/${created.body.id}`)
          .set(alice.auth)
          .send({ title: `Final ${word}` }),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(words.map(() => 200));
    const item = await stored(created.body.id);
    const winner = item?.title.split(' ')[1] ?? '';
    expect(item?.rev).toBe(11);
    expect(await indexedTerms(created.body.id)).toEqual(['final', winner].sort());
    for (const word of words) expect(await found(word)).toEqual(word === winner ? [created.body.id] : []);
  });

  test("someone else's item answers 404, exactly like a missing one, and stays unchanged; an admin may change it", async () => {
    const created = await create(alice, { title: 'Mine' });
    const missing = await request(app).patch(`/items/${unusedId()}`).set(bob.auth).send({ title: 'x' });

    const response = await request(app).patch(`/items/${created.body.id}`).set(bob.auth).send({ title: 'Taken' });
    const byAdmin = await request(app).patch(`/items/${created.body.id}`).set(admin.auth).send({ title: 'Moderated' });

    expect(response.status).toBe(404);
    expect(response.body.title).toBe(missing.body.title);
    expect(byAdmin.status).toBe(200);
    expect((await stored(created.body.id))?.title).toBe('Moderated');
  });
});

describe('DELETE /items/:id', () => {
  test('answers 204; the item is gone from the search and from every list, and from the totals', async () => {
    const word = uniqueWord();
    const created = await create(alice, { title: `Gone ${word}`, description: 'soon' });
    const before = await totals();

    const response = await request(app).delete(`/items/${created.body.id}`).set(alice.auth);

    expect(response.status).toBe(204);
    expect(await stored(created.body.id)).toBeNull();
    expect(await found(word)).toEqual([]);
    expect(await indexedTerms(created.body.id)).toEqual([]);
    expect(await totals()).toMatchObject({
      items: before.items - 1,
      lengths: { title: before.lengths.title - 2, description: before.lengths.description - 1 },
    });
  });

  test("someone else's item answers 404 and survives; an admin may delete it", async () => {
    const word = uniqueWord();
    const created = await create(alice, { title: word });

    const response = await request(app).delete(`/items/${created.body.id}`).set(bob.auth);

    expect(response.status).toBe(404);
    expect(await found(word)).toEqual([created.body.id]);
    expect((await request(app).delete(`/items/${created.body.id}`).set(admin.auth)).status).toBe(204);
    expect(await found(word)).toEqual([]);
  });
});

describe('without a valid token', () => {
  test.each([
    ['POST /items', () => request(app).post('/items').send(anItem())],
    ['PATCH /items/:id', () => request(app).patch(`/items/${unusedId()}`).send({ title: 'x' })],
    ['DELETE /items/:id', () => request(app).delete(`/items/${unusedId()}`)],
  ])('%s answers 401 problem+json and writes nothing', async (_route, send) => {
    const before = await totals();

    const none = await send();
    const garbage = await send().set('Authorization', 'Bearer not-a-jwt');

    for (const response of [none, garbage]) {
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect((await totals()).items).toBe(before.items);
  });
});
