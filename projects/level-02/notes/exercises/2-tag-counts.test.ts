// Exercise 2: GET /notes/tags answers each of my tags with how many of my notes carry it,
// counted by MongoDB in one aggregation; another user's tags never appear.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { aNote, testApp } from '../test/support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;
let bob: TestAccount;

async function write(account: TestAccount, tags: string[]) {
  const response = await request(app).post('/notes').set(account.auth).send(aNote({ tags }));
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
  await write(alice, ['home', 'work']);
  await write(alice, ['home']);
  await write(alice, ['Home', 'ideas', 'home']); // normalised to one "home"
  await write(alice, []);
  await write(bob, ['secret', 'home']);
});

describe('GET /notes/tags', () => {
  test('answers each of my tags with its count, most used first, then by name', async () => {
    const response = await request(app).get('/notes/tags').set(alice.auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        { tag: 'home', count: 3 },
        { tag: 'ideas', count: 1 },
        { tag: 'work', count: 1 },
      ],
    });
  });

  test("another user's tags and notes never appear in my counts", async () => {
    const alices = await request(app).get('/notes/tags').set(alice.auth);
    const bobs = await request(app).get('/notes/tags').set(bob.auth);

    expect(alices.body.items.map(({ tag }: { tag: string }) => tag)).not.toContain('secret');
    expect(bobs.body).toEqual({
      items: [
        { tag: 'home', count: 1 },
        { tag: 'secret', count: 1 },
      ],
    });
  });

  test('a user without notes gets an empty list', async () => {
    const carol = await signUp(app);

    const response = await request(app).get('/notes/tags').set(carol.auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [] });
  });

  test('without a valid token, answers 401 problem+json', async () => {
    const response = await request(app).get('/notes/tags');

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  test('GET /notes/:id still reads a note', async () => {
    const created = await request(app)
      .post('/notes')
      .set(alice.auth)
      .send(aNote({ tags: [] }));

    const response = await request(app).get(`/notes/${created.body.id}`).set(alice.auth);

    expect(response.status).toBe(200);
    expect(response.body.id).toBe(created.body.id);
  });
});
