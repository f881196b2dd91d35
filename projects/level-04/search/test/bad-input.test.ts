import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Item } from '../src/items/item.model.ts';
import { addItem, anItem, stored, testApp, uniqueWord } from './support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;

beforeAll(async () => {
  alice = await signUp(app);
});

describe('POST /items with bad input', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['the title is missing', { title: undefined }, 'title'],
    ['the title is blank after trimming', { title: '   ' }, 'title'],
    ['the title is over 200 characters', { title: 'x'.repeat(201) }, 'title'],
    ['the title is an operator object', { title: { $gt: '' } }, 'title'],
    ['the description is over 5000 characters', { description: 'x'.repeat(5001) }, 'description'],
    ['the category has capitals', { category: 'Kitchen' }, 'category'],
    ['the category has a space', { category: 'home office' }, 'category'],
    ['the price is negative', { price: -1 }, 'price'],
    ['the price is a fraction (cents are whole)', { price: 12.5 }, 'price'],
    ['the price is a numeric string', { price: '12' }, 'price'],
    ['the tags are a string', { tags: 'eco' }, 'tags'],
    ['a tag repeats', { tags: ['eco', 'eco'] }, 'tags'],
    ['there are 11 tags', { tags: Array.from({ length: 11 }, (_, n) => `t${n}`) }, 'tags'],
    ['an unknown field is sent', { colour: 'red' }, 'colour'],
    ['an operator key is sent', { $set: { owner: 'x' } }, '$set'],
  ])('when %s, answers 400 naming the field and writes nothing', async (_case, overrides, field) => {
    const before = await Item.countDocuments();

    const response = await request(app).post('/items').set(alice.auth).send(anItem(overrides));

    expectFieldProblem(response, 'body', field);
    expect(await Item.countDocuments()).toBe(before);
  });

  test('owner, _id and createdAt in a body are accepted and ignored: the caller owns the item, with a fresh id and time', async () => {
    const foreignId = '0123456789abcdef01234567';

    const response = await request(app)
      .post('/items')
      .set(alice.auth)
      .send(anItem({ owner: foreignId, _id: foreignId, createdAt: '2000-01-01T00:00:00.000Z', role: 'admin' }));

    expect(response.status).toBe(201);
    expect(response.body.id).not.toBe(foreignId);
    expect(response.body.createdAt).not.toBe('2000-01-01T00:00:00.000Z');
    expect(String((await stored(response.body.id))?.owner)).toBe(alice.user.id);
  });
});

describe('PATCH /items/:id with bad input', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['the price is a string', { price: 'free' }, 'price'],
    ['the title is empty', { title: '' }, 'title'],
    ['a tag repeats', { tags: ['eco', 'eco'] }, 'tags'],
    ['an unknown field is sent', { stock: 3 }, 'stock'],
  ])('when %s, answers 400 naming the field and changes nothing', async (_case, body, field) => {
    const created = await request(app).post('/items').set(alice.auth).send(anItem());

    const response = await request(app).patch(`/items/${created.body.id}`).set(alice.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await stored(created.body.id)).toMatchObject({ title: created.body.title, price: created.body.price, rev: 1 });
  });

  test('an empty patch answers 400 and changes nothing', async () => {
    const created = await request(app).post('/items').set(alice.auth).send(anItem());

    const response = await request(app).patch(`/items/${created.body.id}`).set(alice.auth).send({});

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await stored(created.body.id))?.rev).toBe(1);
  });
});

describe('an :id that is not an ObjectId', () => {
  test.each(['not-an-id', '0123456789abcdef0123456', '$where'])('GET /items/%s answers 400 naming params.id, never 500', async (id) => {
    expectFieldProblem(await request(app).get(`/items/${encodeURIComponent(id)}`), 'params', 'id');
  });
});

describe('GET /search with a bad query', () => {
  test.each<[string, Record<string, string | string[]>, string]>([
    ['no q', {}, 'q'],
    ['an empty q', { q: '' }, 'q'],
    ['a q of spaces', { q: '   ' }, 'q'],
    ['a q over 100 characters', { q: 'a'.repeat(101) }, 'q'],
    ['a q over 100 characters of regex metacharacters', { q: '(.*)'.repeat(26) }, 'q'],
    ['q twice', { q: ['lamp', 'mug'] }, 'q'],
    ['q[$regex]', { 'q[$regex]': '.*' }, 'q[$regex]'],
    ['a category with capitals', { q: 'lamp', category: 'Kitchen' }, 'category'],
    ['category[$ne]', { q: 'lamp', 'category[$ne]': 'x' }, 'category[$ne]'],
    ['a bad tag', { q: 'lamp', tags: 'no spaces allowed' }, 'tags'],
    ['a fractional minPrice', { q: 'lamp', minPrice: '1.5' }, 'minPrice'],
    ['a negative maxPrice', { q: 'lamp', maxPrice: '-1' }, 'maxPrice'],
    ['maxPrice below minPrice', { q: 'lamp', minPrice: '500', maxPrice: '100' }, 'maxPrice'],
    ['an unknown sort', { q: 'lamp', sort: 'popularity' }, 'sort'],
    ['limit=0', { q: 'lamp', limit: '0' }, 'limit'],
    ['limit=101', { q: 'lamp', limit: '101' }, 'limit'],
    ['a cursor that is not one', { q: 'lamp', cursor: 'bm90IGEgY3Vyc29y' }, 'cursor'],
    ['an unknown parameter', { q: 'lamp', colour: 'red' }, 'colour'],
  ])('when the query has %s, answers 400 naming the field', async (_case, query, field) => {
    expectFieldProblem(await request(app).get('/search').query(query), 'query', field);
  });

  test('a cursor from another search (other words, filters or sort) answers 400 naming cursor; it works for its own', async () => {
    const word = uniqueWord();
    await Promise.all([addItem({ title: word }), addItem({ title: word })]);
    const first = await request(app).get('/search').query({ q: word, limit: 1 });
    const { nextCursor } = first.body as { nextCursor: string };

    const own = await request(app).get('/search').query({ q: word, limit: 1, cursor: nextCursor });

    expect(own.status).toBe(200);
    for (const other of [{ q: `${word} lamp` }, { q: word, category: 'garden' }, { q: word, sort: 'price' }]) {
      expectFieldProblem(
        await request(app)
          .get('/search')
          .query({ limit: 1, ...other, cursor: nextCursor }),
        'query',
        'cursor',
      );
    }
  });
});
