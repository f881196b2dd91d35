import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import { testApp, createTask, stored } from './support.ts';

useTestDatabase();
const app = testApp();
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  alice = await signUp(app);
  bob = await signUp(app);
});

describe("another user's task is invisible: 404, never 403, and untouched", () => {
  test.each([
    ['GET', (id: string) => request(app).get(`/tasks/${id}`).set(bob.auth)],
    ['PATCH', (id: string) => request(app).patch(`/tasks/${id}`).set(bob.auth).send({ title: 'hijacked', status: 'done' })],
    [
      'PATCH with If-Match',
      (id: string) => request(app).patch(`/tasks/${id}`).set(bob.auth).set('If-Match', '"1"').send({ title: 'hijacked' }),
    ],
    [
      'PATCH with a stale If-Match (no 412 that would confirm it exists)',
      (id: string) => request(app).patch(`/tasks/${id}`).set(bob.auth).set('If-Match', '"7"').send({ title: 'hijacked' }),
    ],
    ['DELETE', (id: string) => request(app).delete(`/tasks/${id}`).set(bob.auth)],
    ['DELETE with If-Match: *', (id: string) => request(app).delete(`/tasks/${id}`).set(bob.auth).set('If-Match', '*')],
  ])("B's %s on A's task answers 404 and A's task is unchanged", async (_case, act) => {
    const { task } = await createTask(app, alice, { title: 'alice only' });
    const before = await stored(task.id);

    const response = await act(task.id);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await stored(task.id)).toEqual(before);
  });

  test("B's list never shows A's tasks, whatever the filter", async () => {
    const { task } = await createTask(app, alice, { status: 'doing', dueDate: '2020-01-01T00:00:00Z' });
    const own = await createTask(app, bob);

    const lists = await Promise.all(
      [
        {},
        { status: 'doing' },
        { overdue: 'true' },
        { dueFrom: '2019-01-01T00:00:00Z', dueTo: '2021-01-01T00:00:00Z' },
        { limit: '100' },
      ].map((query) => request(app).get('/tasks').set(bob.auth).query(query)),
    );

    for (const list of lists) {
      expect(list.status).toBe(200);
      expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(task.id);
    }
    expect(lists[0]?.body.items.map((item: { id: string }) => item.id)).toEqual([own.task.id]);
  });

  test("bulk-complete with A's ids by B matches and modifies nothing", async () => {
    const first = await createTask(app, alice);
    const second = await createTask(app, alice);

    const response = await request(app)
      .post('/tasks/bulk-complete')
      .set(bob.auth)
      .send({ ids: [first.task.id, second.task.id] });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ matched: 0, modified: 0 });
    expect(await stored(first.task.id)).toMatchObject({ status: 'todo', version: 1 });
    expect(await stored(second.task.id)).toMatchObject({ status: 'todo', version: 1 });
  });
});
