import { beforeAll, describe, expect, test } from '@jest/globals';
import { BAD_PAGE_QUERIES, expectFieldProblem, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { Note } from '../src/notes/note.model.ts';
import { aNote, testApp, stored } from './support.ts';

useTestDatabase();
const app = testApp();
let account: TestAccount;

beforeAll(async () => {
  account = await signUp(app);
});

const ownNotes = () => Note.countDocuments({ owner: account.user.id });

const bodies: Array<[string, Record<string, unknown>, string]> = [
  ['the title is missing', { body: 'no title' }, 'title'],
  ['the title is blank after trimming', { title: '   ' }, 'title'],
  ['the title is over 200 characters', { title: 'x'.repeat(201) }, 'title'],
  ['the title is a number', { title: 42 }, 'title'],
  ['the title is an operator object', { title: { $gt: '' } }, 'title'],
  ['the body is over 10,000 characters', { title: 't', body: 'x'.repeat(10_001) }, 'body'],
  ['the body is null', { title: 't', body: null }, 'body'],
  ['tags is a string', { title: 't', tags: 'work' }, 'tags'],
  ['tags has 21 entries', { title: 't', tags: Array.from({ length: 21 }, (_, n) => `t${n}`) }, 'tags'],
  ['a tag is empty', { title: 't', tags: ['ok', ' '] }, 'tags.1'],
  ['a tag is over 30 characters', { title: 't', tags: ['x'.repeat(31)] }, 'tags.0'],
  ['a tag is an operator object', { title: 't', tags: [{ $ne: 'x' }] }, 'tags.0'],
  ['pinned is the string "true"', { title: 't', pinned: 'true' }, 'pinned'],
  ['archived is 1', { title: 't', archived: 1 }, 'archived'],
  ['an unknown field is sent', { title: 't', colour: 'red' }, 'colour'],
  ['an operator key is sent', { title: 't', $set: { owner: 'x' } }, '$set'],
];

describe('POST /notes with bad input', () => {
  test.each(bodies)('when %s, answers 400 naming the field and writes nothing', async (_case, body, field) => {
    const before = await ownNotes();

    const response = await request(app).post('/notes').set(account.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await ownNotes()).toBe(before);
  });

  test('when the body is a JSON array, answers 400 and writes nothing', async () => {
    const before = await ownNotes();

    const response = await request(app).post('/notes').set(account.auth).send([aNote()]);

    expect(response.status).toBe(400);
    expect(await ownNotes()).toBe(before);
  });
});

describe('PATCH /notes/:id with bad input', () => {
  const patches: Array<[string, unknown, string]> = [
    ['the body is empty', {}, '(root)'],
    ['the title is an operator object', { title: { $gt: '' } }, 'title'],
    ['the title is blank', { title: '' }, 'title'],
    ['pinned is null', { pinned: null }, 'pinned'],
    ['an unknown field is sent', { title: 'ok', colour: 'red' }, 'colour'],
  ];

  test.each(patches)('when %s, answers 400 naming the field and the note is unchanged', async (_case, patch, field) => {
    const created = await request(app).post('/notes').set(account.auth).send(aNote());
    const before = await stored(created.body.id);

    const response = await request(app)
      .patch(`/notes/${created.body.id}`)
      .set(account.auth)
      .send(patch as object);

    expectFieldProblem(response, 'body', field);
    expect(await stored(created.body.id)).toEqual(before);
  });
});

describe('an :id that is not an ObjectId', () => {
  test.each([
    ['GET', 'not-an-id'],
    ['GET', '0123456789abcdef0123456'],
    ['PATCH', '0123456789abcdef0123456g'],
    ['DELETE', '$where'],
  ])('%s /notes/%s answers 400 naming params.id, never 500', async (method, id) => {
    const before = await ownNotes();

    const verb = method.toLowerCase() as 'get' | 'patch' | 'delete';
    const client = request(app);
    const response = await client[verb](`/notes/${encodeURIComponent(id)}`)
      .set(account.auth)
      .send(method === 'PATCH' ? { title: 'x' } : undefined);

    expectFieldProblem(response, 'params', 'id');
    expect(await ownNotes()).toBe(before);
  });
});

describe('GET /notes with a bad query', () => {
  test.each([
    ...BAD_PAGE_QUERIES,
    ['archived=yes', { archived: 'yes' }, 'archived'],
    ['archived=TRUE', { archived: 'TRUE' }, 'archived'],
    ['archived=1', { archived: '1' }, 'archived'],
    ['sort=newest', { sort: 'newest' }, 'sort'],
    ['an empty q', { q: '   ' }, 'q'],
    ['q over 100 characters', { q: 'x'.repeat(101) }, 'q'],
    ['a tag over 30 characters', { tag: 'x'.repeat(31) }, 'tag'],
    ['tag[$ne]=x', { 'tag[$ne]': 'x' }, 'tag[$ne]'],
    ['archived[$ne]=true', { 'archived[$ne]': 'true' }, 'archived[$ne]'],
    ['an unknown parameter', { colour: 'red' }, 'colour'],
  ])('when the query has %s, answers 400 naming the field', async (_case, query, field) => {
    const response = await request(app).get('/notes').set(account.auth).query(query);

    expectFieldProblem(response, 'query', field);
  });
});
