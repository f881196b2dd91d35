import { describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { testApp, createTask, stored, unusedId } from './support.ts';

useTestDatabase();
const app = testApp();

describe('POST /tasks', () => {
  test('creates a task with defaults and answers 201 with Location and a strong ETag', async () => {
    const account = await signUp(app);

    const response = await request(app).post('/tasks').set(account.auth).send({ title: '  Renew passport  ' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[a-f\d]{24}$/),
      title: 'Renew passport',
      status: 'todo',
      priority: 'normal',
      dueDate: null,
      completedAt: null,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(response.headers.location).toBe(`/tasks/${response.body.id}`);
    expect(response.headers.etag).toBe('"1"');
    expect((await stored(response.body.id))?.owner.toString()).toBe(account.user.id);
  });

  test('when created as done, the server sets completedAt', async () => {
    const account = await signUp(app);

    const { task } = await createTask(app, account, { status: 'done', dueDate: '2026-05-01T09:00:00+02:00', notes: 'bring photos' });

    expect(task).toMatchObject({
      status: 'done',
      dueDate: '2026-05-01T07:00:00.000Z',
      notes: 'bring photos',
      completedAt: expect.any(String),
    });
  });

  test('without a token, answers 401 and writes nothing', async () => {
    const response = await request(app).post('/tasks').send({ title: 'anonymous' });

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});

describe('GET /tasks/:id', () => {
  test('answers the task with its ETag', async () => {
    const account = await signUp(app);
    const { task } = await createTask(app, account, { priority: 'high' });

    const response = await request(app).get(`/tasks/${task.id}`).set(account.auth);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: task.id, priority: 'high', version: 1 });
    expect(response.headers.etag).toBe('"1"');
  });

  test('with If-None-Match of the current ETag, answers 304 without a body', async () => {
    const account = await signUp(app);
    const { task, etag } = await createTask(app, account);

    const response = await request(app).get(`/tasks/${task.id}`).set(account.auth).set('If-None-Match', etag);

    expect(response.status).toBe(304);
    expect(response.text).toBe('');
  });

  test('when there is no such task, answers 404 problem+json', async () => {
    const account = await signUp(app);

    const response = await request(app).get(`/tasks/${unusedId()}`).set(account.auth);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('PATCH /tasks/:id', () => {
  test('applies the changes, adds 1 to the version and answers the new ETag', async () => {
    const account = await signUp(app);
    const { task } = await createTask(app, account, { notes: 'old', dueDate: '2026-01-01T00:00:00Z' });

    const response = await request(app)
      .patch(`/tasks/${task.id}`)
      .set(account.auth)
      .send({ title: 'new title', priority: 'low', notes: null, dueDate: null });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ title: 'new title', priority: 'low', dueDate: null, version: 2 });
    expect(response.body).not.toHaveProperty('notes');
    expect(response.headers.etag).toBe('"2"');
    expect(await stored(task.id)).toMatchObject({ title: 'new title', priority: 'low', priorityRank: 0, version: 2 });
    expect((await stored(task.id))?.dueDate).toBeUndefined();
  });

  test('becoming done sets completedAt; done again keeps it; leaving done clears it', async () => {
    const account = await signUp(app);
    const { task } = await createTask(app, account);
    const patch = (body: object) => request(app).patch(`/tasks/${task.id}`).set(account.auth).send(body);

    const done = await patch({ status: 'done' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const doneAgain = await patch({ status: 'done' });
    const reopened = await patch({ status: 'doing' });

    expect(done.body.completedAt).toEqual(expect.any(String));
    expect(doneAgain.body.completedAt).toBe(done.body.completedAt);
    expect(doneAgain.body.version).toBe(3);
    expect(reopened.body).toMatchObject({ status: 'doing', completedAt: null, version: 4 });
    expect((await stored(task.id))?.completedAt).toBeUndefined();
  });
});

describe('DELETE /tasks/:id', () => {
  test('deletes the task: 204, then GET answers 404', async () => {
    const account = await signUp(app);
    const { task } = await createTask(app, account);

    const response = await request(app).delete(`/tasks/${task.id}`).set(account.auth);
    const after = await request(app).get(`/tasks/${task.id}`).set(account.auth);

    expect(response.status).toBe(204);
    expect(after.status).toBe(404);
    expect(await stored(task.id)).toBeNull();
  });

  test('when there is no such task, answers 404', async () => {
    const account = await signUp(app);

    const response = await request(app).delete(`/tasks/${unusedId()}`).set(account.auth);

    expect(response.status).toBe(404);
  });
});

describe('POST /tasks/bulk-complete', () => {
  test('marks the matching not-yet-done tasks done in one update and counts them', async () => {
    const account = await signUp(app);
    const first = await createTask(app, account);
    const second = await createTask(app, account, { status: 'doing' });
    const already = await createTask(app, account, { status: 'done' });
    const alreadyBefore = await stored(already.task.id);

    const response = await request(app)
      .post('/tasks/bulk-complete')
      .set(account.auth)
      .send({ ids: [first.task.id, second.task.id, already.task.id, unusedId()] });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ matched: 2, modified: 2 });
    for (const { task } of [first, second]) {
      expect(await stored(task.id)).toMatchObject({ status: 'done', version: 2, completedAt: expect.any(Date) });
    }
    // Already done: untouched, so its completedAt keeps the time it was really completed.
    expect(await stored(already.task.id)).toEqual(alreadyBefore);
  });
});
