import { describe, expect, test } from '@jest/globals';
import { BAD_PAGE_QUERIES, signUp, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { Contact } from '../src/contacts/contact.model.ts';
import { aContact, testApp } from './support.ts';

useTestDatabase();
const app = testApp();

describe('bad input answers 400 naming the field, never 500, and writes nothing', () => {
  test.each([
    ['a missing name', { name: undefined }, 'name'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a 101-character name', { name: 'x'.repeat(101) }, 'name'],
    ['a number as name', { name: 42 }, 'name'],
    ['an operator object as name', { name: { $gt: '' } }, 'name'],
    ['a bad email', { email: 'not-an-email' }, 'email'],
    ['an operator object as email', { email: { $ne: null } }, 'email'],
    ['phones that is not an array', { phones: '+14155550123' }, 'phones'],
    ['six phones', { phones: Array.from({ length: 6 }, () => ({ label: 'home', number: '+14155550123' })) }, 'phones'],
    ['an unknown phone label', { phones: [{ label: 'fax', number: '+14155550123' }] }, 'phones.0.label'],
    ['an unknown field inside a phone', { phones: [{ label: 'home', number: '+14155550123', ext: '12' }] }, 'phones.0.ext'],
    ['a 101-character company', { company: 'c'.repeat(101) }, 'company'],
    ['21 tags', { tags: Array.from({ length: 21 }, (_, index) => `t${index}`) }, 'tags'],
    ['a tag that is not a string', { tags: [1] }, 'tags.0'],
    ['2,001 characters of notes', { notes: 'n'.repeat(2001) }, 'notes'],
    ['an unknown field', { nickname: 'Ada' }, 'nickname'],
  ])('POST /contacts with %s', async (_case, overrides, field) => {
    const { auth, user } = await signUp(app);

    const response = await request(app).post('/contacts').set(auth).send(aContact(overrides));

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'body', field })]));
    expect(await Contact.countDocuments({ owner: user.id })).toBe(0);
  });

  test.each([
    ['an operator object as name', { name: { $gt: '' } }, 'name'],
    ['a wrong type for tags', { tags: 'a,b' }, 'tags'],
    ['an unknown field', { favourite: true }, 'favourite'],
  ])('PATCH /contacts/:id with %s', async (_case, body, field) => {
    const { auth } = await signUp(app);
    const created = await request(app).post('/contacts').set(auth).send(aContact());
    const before = await Contact.findById(created.body.id).lean();

    const response = await request(app).patch(`/contacts/${created.body.id}`).set(auth).send(body);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'body', field })]));
    expect(await Contact.findById(created.body.id).lean()).toEqual(before);
  });

  test.each([
    ['GET', 'not-an-id'],
    ['GET', '0123456789abcdef0123456'],
    ['PATCH', '{"$gt":""}'],
    ['DELETE', 'zzzzzzzzzzzzzzzzzzzzzzzz'],
  ])('%s /contacts/%s answers 400 naming params.id', async (method, id) => {
    const { auth } = await signUp(app);
    const path = `/contacts/${encodeURIComponent(id)}`;
    const call =
      method === 'GET'
        ? request(app).get(path)
        : method === 'PATCH'
          ? request(app).patch(path).send({ name: 'x' })
          : request(app).delete(path);

    const response = await call.set(auth);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'params', field: 'id' })]);
  });

  test.each([
    ...BAD_PAGE_QUERIES,
    ['tag[$ne]=x (an operator key)', { 'tag[$ne]': 'x' }, 'tag[$ne]'],
    ['an empty q', { q: ' ' }, 'q'],
    ['a 101-character q', { q: 'q'.repeat(101) }, 'q'],
    ['an unknown parameter', { owner: 'someone' }, 'owner'],
    ['a forged cursor', { cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
  ])('GET /contacts?%s answers 400 naming the query field', async (_case, query, field) => {
    const { auth } = await signUp(app);

    const response = await request(app).get('/contacts').set(auth).query(query);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'query', field })]);
  });

  test('a repeated tag parameter (an array) answers 400 naming tag', async () => {
    const { auth } = await signUp(app);

    const response = await request(app).get('/contacts?tag=a&tag=b').set(auth);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'query', field: 'tag' })]);
  });

  test('GET /contacts/export.csv?tag[$ne]=x answers 400 problem+json, not a CSV', async () => {
    const { auth } = await signUp(app);

    const response = await request(app).get('/contacts/export.csv').set(auth).query({ 'tag[$ne]': 'x' });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'query', field: 'tag[$ne]' })]);
  });
});
