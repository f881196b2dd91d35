import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { listen, signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { testApp, createTask, stored, unusedId } from './support.ts';

useTestDatabase();
const app = testApp();
const CONCURRENT = 10;
let account: TestAccount;

beforeAll(async () => {
  account = await signUp(app);
});

describe('ETag on every read and write', () => {
  test('POST, GET and PATCH each answer the current version as a strong ETag, which changes after each write', async () => {
    const created = await request(app).post('/tasks').set(account.auth).send({ title: 'tagged' });
    const id = created.body.id as string;
    const read = await request(app).get(`/tasks/${id}`).set(account.auth);
    const patched = await request(app).patch(`/tasks/${id}`).set(account.auth).send({ status: 'doing' });
    const readAgain = await request(app).get(`/tasks/${id}`).set(account.auth);
    const patchedAgain = await request(app).patch(`/tasks/${id}`).set(account.auth).set('If-Match', '"2"').send({ status: 'done' });

    expect([created, read, patched, readAgain, patchedAgain].map((response) => response.headers.etag)).toEqual([
      '"1"',
      '"1"',
      '"2"',
      '"2"',
      '"3"',
    ]);
  });
});

describe('GET /tasks/:id with If-None-Match', () => {
  test('the current ETag answers 304 with no body; after a change the old one gets 200 and the new body; a stranger still gets 404', async () => {
    const created = await request(app).post('/tasks').set(account.auth).send({ title: 'cached' });
    const id = created.body.id as string;
    const current = String(created.headers.etag);
    const stranger = await signUp(app);

    const unchanged = await request(app).get(`/tasks/${id}`).set(account.auth).set('If-None-Match', current);
    await request(app).patch(`/tasks/${id}`).set(account.auth).set('If-Match', current).send({ title: 'changed' });
    const changed = await request(app).get(`/tasks/${id}`).set(account.auth).set('If-None-Match', current);
    const guessed = await request(app).get(`/tasks/${id}`).set(stranger.auth).set('If-None-Match', current);

    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers.etag).toBe(current);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id, title: 'changed' });
    expect(changed.headers.etag).toBe('"2"');
    expect(guessed.status).toBe(404);
  });
});

describe('PATCH /tasks/:id with If-Match', () => {
  test('when If-Match is stale, answers 412 problem+json with the current ETag and writes nothing', async () => {
    const { task, etag: stale } = await createTask(app, account, { title: 'original' });
    await request(app).patch(`/tasks/${task.id}`).set(account.auth).set('If-Match', stale).send({ title: 'first writer' });
    const before = await stored(task.id);

    const response = await request(app)
      .patch(`/tasks/${task.id}`)
      .set(account.auth)
      .set('If-Match', stale)
      .send({ title: 'second writer' });

    expect(response.status).toBe(412);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.headers.etag).toBe('"2"');
    expect(response.body.detail).toContain('version 2');
    expect(await stored(task.id)).toEqual(before);
    expect(before).toMatchObject({ title: 'first writer', version: 2 });
  });

  test('when If-Match is current, applies the change', async () => {
    const { task, etag } = await createTask(app, account);

    const response = await request(app).patch(`/tasks/${task.id}`).set(account.auth).set('If-Match', etag).send({ priority: 'high' });

    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe('"2"');
  });

  test('If-Match: * matches any existing task, and still 404s a missing one', async () => {
    const { task } = await createTask(app, account);
    await request(app).patch(`/tasks/${task.id}`).set(account.auth).send({ title: 'moved on' });

    const existing = await request(app).patch(`/tasks/${task.id}`).set(account.auth).set('If-Match', '*').send({ title: 'any version' });
    const missing = await request(app).patch(`/tasks/${unusedId()}`).set(account.auth).set('If-Match', '*').send({ title: 'nobody' });

    expect(existing.status).toBe(200);
    expect(existing.body.version).toBe(3);
    expect(missing.status).toBe(404);
  });

  test('when the task does not exist, a stale-looking If-Match still answers 404, not 412', async () => {
    const response = await request(app).patch(`/tasks/${unusedId()}`).set(account.auth).set('If-Match', '"1"').send({ title: 'ghost' });

    expect(response.status).toBe(404);
  });

  test('without If-Match the write applies (last write wins)', async () => {
    const { task } = await createTask(app, account);
    await request(app).patch(`/tasks/${task.id}`).set(account.auth).send({ title: 'one' });

    const response = await request(app).patch(`/tasks/${task.id}`).set(account.auth).send({ title: 'two' });

    expect(response.status).toBe(200);
    expect(await stored(task.id)).toMatchObject({ title: 'two', version: 3 });
  });

  test.each([
    ['unquoted', '1'],
    ['weak', 'W/"1"'],
    ['a list', '"1", "2"'],
    ['not a number', '"abc"'],
    ['negative', '"-1"'],
    ['empty quotes', '""'],
  ])('when If-Match is %s, answers 400 naming the header and writes nothing', async (_case, header) => {
    const { task } = await createTask(app, account);

    const response = await request(app).patch(`/tasks/${task.id}`).set(account.auth).set('If-Match', header).send({ title: 'nope' });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'headers', field: 'if-match' })]);
    expect(await stored(task.id)).toMatchObject({ title: task.title, version: 1 });
  });
});

describe('DELETE /tasks/:id with If-Match', () => {
  test('when If-Match is stale, answers 412 and the task survives; with the current one, deletes it', async () => {
    const { task, etag: stale } = await createTask(app, account);
    await request(app).patch(`/tasks/${task.id}`).set(account.auth).send({ status: 'doing' });

    const refused = await request(app).delete(`/tasks/${task.id}`).set(account.auth).set('If-Match', stale);
    const survived = await stored(task.id);
    const deleted = await request(app).delete(`/tasks/${task.id}`).set(account.auth).set('If-Match', '"2"');

    expect(refused.status).toBe(412);
    expect(survived).toMatchObject({ status: 'doing', version: 2 });
    expect(deleted.status).toBe(204);
    expect(await stored(task.id)).toBeNull();
  });
});

describe('concurrent writers', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    server = await listen(app);
  });
  afterAll(() => server.close());

  test(`${CONCURRENT} concurrent PATCHes with the same If-Match: exactly one 200, ${CONCURRENT - 1} × 412, version +1`, async () => {
    const { task, etag } = await createTask(app, account);
    const send = (writer: number) =>
      fetch(`${server.url}/tasks/${task.id}`, {
        method: 'PATCH',
        headers: { ...account.auth, 'content-type': 'application/json', 'if-match': etag },
        body: JSON.stringify({ title: `writer ${writer}` }),
      });

    const responses = await Promise.all(Array.from({ length: CONCURRENT }, (_, writer) => send(writer)));
    const statuses = responses.map((response) => response.status).sort();
    const winner = responses.find((response) => response.status === 200);
    const winnerBody = (await winner?.json()) as { title: string } | undefined;

    expect(statuses).toEqual([200, ...Array<number>(CONCURRENT - 1).fill(412)]);
    expect(await stored(task.id)).toMatchObject({ version: 2, title: winnerBody?.title });
  });
});
