import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { aNote, testApp, stored } from './support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
});

/** Alice writes a note; returns its id and the stored document before anyone else touches it. */
async function alicesNote() {
  const created = await request(app)
    .post('/notes')
    .set(alice.auth)
    .send(aNote({ title: 'Alice private', tags: ['secret'] }));
  expect(created.status).toBe(201);
  return { id: created.body.id as string, before: await stored(created.body.id) };
}

describe("another user's note answers exactly like a missing one", () => {
  test.each([
    ['GET', (id: string) => request(app).get(`/notes/${id}`)],
    ['PATCH', (id: string) => request(app).patch(`/notes/${id}`).send({ title: 'Bob was here', pinned: true })],
    ['DELETE', (id: string) => request(app).delete(`/notes/${id}`)],
  ])("when Bob sends %s for Alice's note, answers 404 (never 403) and the note is unchanged", async (_method, send) => {
    const { id, before } = await alicesNote();
    const missing = await send('0123456789abcdef01234567').set(bob.auth);

    const response = await send(id).set(bob.auth);

    expect(response.status).toBe(404);
    expect(response.body.title).toBe(missing.body.title);
    expect(response.body.type).toBe(missing.body.type);
    expect(await stored(id)).toEqual(before);
    expect((await request(app).get(`/notes/${id}`).set(alice.auth)).status).toBe(200);
  });
});

describe("GET /notes lists only the caller's notes", () => {
  test("Bob's listing never shows Alice's notes, whatever the filters", async () => {
    const { id } = await alicesNote();
    await request(app)
      .post('/notes')
      .set(bob.auth)
      .send(aNote({ title: 'Bob own', tags: ['secret'] }));

    const queries = [{}, { tag: 'secret' }, { q: 'Alice private' }, { sort: 'title' }, { archived: 'true' }, { limit: '100' }];
    for (const query of queries) {
      const response = await request(app).get('/notes').set(bob.auth).query(query);
      expect(response.status).toBe(200);
      expect(response.body.items.map((note: { id: string }) => note.id)).not.toContain(id);
      expect(response.body.items.every((note: { title: string }) => !note.title.startsWith('Alice'))).toBe(true);
    }
  });
});

describe('without a valid token', () => {
  test.each([
    ['POST /notes', () => request(app).post('/notes').send(aNote())],
    ['GET /notes', () => request(app).get('/notes')],
    ['GET /notes/:id', () => request(app).get('/notes/0123456789abcdef01234567')],
    ['PATCH /notes/:id', () => request(app).patch('/notes/0123456789abcdef01234567').send({ title: 'x' })],
    ['DELETE /notes/:id', () => request(app).delete('/notes/0123456789abcdef01234567')],
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
