// Exercise 2: POST /tasks/:id/reopen takes a done task back to todo; the precondition lives in the update's filter.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { listen, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { createTask, stored, testApp, unusedId } from '../test/support.ts';

useTestDatabase();
const app = testApp();
const RACERS = 10;
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
});

const reopen = (account: TestAccount, id: string) => request(app).post(`/tasks/${id}/reopen`).set(account.auth);

describe('POST /tasks/:id/reopen', () => {
  test('reopens a done task: 200, status todo, completedAt cleared, version +1 and a new ETag', async () => {
    const { task } = await createTask(app, alice, { status: 'done' });

    const response = await reopen(alice, task.id);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: task.id, status: 'todo', completedAt: null, version: 2 });
    expect(response.headers.etag).toBe('"2"');
    const after = await stored(task.id);
    expect(after).toMatchObject({ status: 'todo', version: 2 });
    expect(after?.completedAt).toBeUndefined();
  });

  test.each(['todo', 'doing'])('a %s task is not done: 409 problem+json, nothing written', async (status) => {
    const { task } = await createTask(app, alice, { status });
    const before = await stored(task.id);

    const response = await reopen(alice, task.id);

    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await stored(task.id)).toEqual(before);
  });

  test("another user's done task answers 404 (never 409) and stays done; a missing one is 404, a bad id 400", async () => {
    const { task } = await createTask(app, alice, { status: 'done' });
    const before = await stored(task.id);

    const theirs = await reopen(bob, task.id);
    const missing = await reopen(alice, unusedId());
    const invalid = await reopen(alice, 'not-an-id');

    expect(theirs.status).toBe(404);
    expect(await stored(task.id)).toEqual(before);
    expect(missing.status).toBe(404);
    expect(invalid.status).toBe(400);
  });

  test('without a token: 401', async () => {
    const { task } = await createTask(app, alice, { status: 'done' });

    expect((await request(app).post(`/tasks/${task.id}/reopen`)).status).toBe(401);
  });
});

describe('racing reopens', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    server = await listen(app);
  });
  afterAll(() => server.close());

  test(`${RACERS} concurrent reopens of one done task, without If-Match: exactly one 200, ${RACERS - 1} × 409, version +1`, async () => {
    const { task } = await createTask(app, alice, { status: 'done' });
    const send = () => fetch(`${server.url}/tasks/${task.id}/reopen`, { method: 'POST', headers: alice.auth });

    const responses = await Promise.all(Array.from({ length: RACERS }, send));

    expect(responses.map((response) => response.status).sort()).toEqual([200, ...Array<number>(RACERS - 1).fill(409)]);
    expect(await stored(task.id)).toMatchObject({ status: 'todo', version: 2 });
  });
});
