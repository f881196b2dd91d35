// Exercise 1: a write must say which version it read. No If-Match → 428, and nothing is written.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { createTask, stored, testApp } from '../test/support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
});

describe('If-Match is required on PATCH and DELETE', () => {
  test('a PATCH without If-Match answers 428 problem+json naming the header, and the task is unchanged', async () => {
    const { task } = await createTask(app, alice, { title: 'keep me' });
    const before = await stored(task.id);

    const response = await request(app).patch(`/tasks/${task.id}`).set(alice.auth).send({ title: 'blind write', status: 'done' });

    expect(response.status).toBe(428);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'if-match' })]);
    expect(await stored(task.id)).toEqual(before);
  });

  test('a DELETE without If-Match answers 428 naming the header, and the task survives', async () => {
    const { task } = await createTask(app, alice);

    const response = await request(app).delete(`/tasks/${task.id}`).set(alice.auth);

    expect(response.status).toBe(428);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'if-match' })]);
    expect(await stored(task.id)).toMatchObject({ title: task.title, version: 1 });
  });

  test("without If-Match on another user's task: refused, and the task is unchanged", async () => {
    const { task } = await createTask(app, alice);
    const before = await stored(task.id);

    const patched = await request(app).patch(`/tasks/${task.id}`).set(bob.auth).send({ title: 'hijacked' });
    const deleted = await request(app).delete(`/tasks/${task.id}`).set(bob.auth);

    // 428 or 404 both tell Bob nothing about Alice's task; a success would be a leak.
    expect([428, 404]).toContain(patched.status);
    expect([428, 404]).toContain(deleted.status);
    expect(await stored(task.id)).toEqual(before);
  });
});

describe('what If-Match already did still holds', () => {
  test('with the current version, PATCH and DELETE apply; with *, any version matches', async () => {
    const { task, etag } = await createTask(app, alice);

    const patched = await request(app).patch(`/tasks/${task.id}`).set(alice.auth).set('If-Match', etag).send({ status: 'doing' });
    const starred = await request(app).patch(`/tasks/${task.id}`).set(alice.auth).set('If-Match', '*').send({ priority: 'high' });
    const deleted = await request(app).delete(`/tasks/${task.id}`).set(alice.auth).set('If-Match', '"3"');

    expect(patched.status).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(starred.status).toBe(200);
    expect(starred.headers.etag).toBe('"3"');
    expect(deleted.status).toBe(204);
    expect(await stored(task.id)).toBeNull();
  });

  test('a stale If-Match is still 412, a malformed one still 400, and neither writes', async () => {
    const { task } = await createTask(app, alice);
    await request(app).patch(`/tasks/${task.id}`).set(alice.auth).set('If-Match', '"1"').send({ title: 'first' });

    const stale = await request(app).patch(`/tasks/${task.id}`).set(alice.auth).set('If-Match', '"1"').send({ title: 'second' });
    const malformed = await request(app).delete(`/tasks/${task.id}`).set(alice.auth).set('If-Match', 'W/"2"');

    expect(stale.status).toBe(412);
    expect(malformed.status).toBe(400);
    expect(await stored(task.id)).toMatchObject({ title: 'first', version: 2 });
  });
});
