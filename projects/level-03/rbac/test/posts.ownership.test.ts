import { beforeAll, describe, expect, test } from '@jest/globals';
import { useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { aHiddenPost, accountWith, aPost, testApp, storedPost } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
let app: Express;
let alice: TestAccount;
let bob: TestAccount;
let moderator: TestAccount;
let admin: TestAccount;
const missingId = '0123456789abcdef01234567';

beforeAll(async () => {
  app = testApp(redis.redis);
  [alice, bob, moderator, admin] = await Promise.all([
    accountWith(app, 'user'),
    accountWith(app, 'user'),
    accountWith(app, 'moderator'),
    accountWith(app, 'admin'),
  ]);
});

const alicesPost = () => aPost(alice.user.id, { title: 'Alice writes', body: 'original' });

describe('PATCH /posts/:id', () => {
  test('when the author edits their own post, answers 200 and the change is stored', async () => {
    const { id } = await alicesPost();

    const response = await request(app).patch(`/posts/${id}`).set(alice.auth).send({ body: 'edited by Alice' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id, body: 'edited by Alice', author: alice.user.id });
    expect(await storedPost(id)).toMatchObject({ body: 'edited by Alice' });
  });

  test("when another user edits someone else's post, answers 403 and the post is unchanged in the database", async () => {
    const { id } = await alicesPost();
    const before = await storedPost(id);

    const response = await request(app).patch(`/posts/${id}`).set(bob.auth).send({ title: 'Bob was here', body: 'vandalised' });

    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await storedPost(id)).toEqual(before);
  });

  test("when a moderator edits the body of someone else's post, answers 403 and the body is unchanged", async () => {
    const { id } = await alicesPost();
    const before = await storedPost(id);

    const response = await request(app).patch(`/posts/${id}`).set(moderator.auth).send({ body: 'moderated text' });

    expect(response.status).toBe(403);
    expect(await storedPost(id)).toEqual(before);
  });

  test("when an admin edits someone else's post, answers 200; the author stays the same", async () => {
    const { id } = await alicesPost();

    const response = await request(app).patch(`/posts/${id}`).set(admin.auth).send({ title: 'Retitled by an admin' });

    expect(response.status).toBe(200);
    expect(await storedPost(id)).toMatchObject({ title: 'Retitled by an admin', body: 'original' });
    expect(String((await storedPost(id))?.author)).toBe(alice.user.id);
  });
});

describe('DELETE /posts/:id', () => {
  test('when the author deletes their own post, answers 204 and it is gone', async () => {
    const { id } = await alicesPost();

    const response = await request(app).delete(`/posts/${id}`).set(alice.auth);

    expect(response.status).toBe(204);
    expect(await storedPost(id)).toBeNull();
  });

  test.each([
    ['another user', () => bob],
    ['a moderator', () => moderator],
  ])("when %s deletes someone else's post, answers 403 and the post is still stored, unchanged", async (_who, caller) => {
    const { id } = await alicesPost();
    const before = await storedPost(id);

    const response = await request(app).delete(`/posts/${id}`).set(caller().auth);

    expect(response.status).toBe(403);
    expect(await storedPost(id)).toEqual(before);
  });

  test("when an admin deletes someone else's post, answers 204 and it is gone", async () => {
    const { id } = await alicesPost();

    const response = await request(app).delete(`/posts/${id}`).set(admin.auth);

    expect(response.status).toBe(204);
    expect(await storedPost(id)).toBeNull();
  });
});

describe('POST /posts/:id/hide and /unhide', () => {
  test('when a moderator hides any post, answers 200 and stores who hid it and when, leaving title, body and updatedAt alone', async () => {
    const { id } = await alicesPost();
    const before = await storedPost(id);
    const startedAt = Date.now();

    const response = await request(app).post(`/posts/${id}/hide`).set(moderator.auth);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id, hidden: true, hiddenBy: moderator.user.id, author: alice.user.id });
    const after = await storedPost(id);
    expect(after).toMatchObject({ hidden: true, title: before?.title, body: before?.body, updatedAt: before?.updatedAt });
    expect(String(after?.hiddenBy)).toBe(moderator.user.id);
    expect(after?.hiddenAt?.getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
  });

  test('when five moderators hide the same post at once, all answer 200 with one record: the first hide is kept', async () => {
    const { id } = await alicesPost();
    const moderators = [moderator, ...(await Promise.all([1, 2, 3, 4].map(() => accountWith(app, 'moderator'))))];

    const responses = await Promise.all(moderators.map((caller) => request(app).post(`/posts/${id}/hide`).set(caller.auth)));

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    const stored = await storedPost(id);
    expect(moderators.map((caller) => caller.user.id)).toContain(String(stored?.hiddenBy));
    for (const response of responses)
      expect(response.body).toMatchObject({ hiddenBy: String(stored?.hiddenBy), hiddenAt: stored?.hiddenAt?.toISOString() });
  });

  test('when a moderator unhides a hidden post, answers 200; the post is visible again and the hide record is gone', async () => {
    const { id } = await aHiddenPost(alice.user.id, moderator.user.id);

    const response = await request(app).post(`/posts/${id}/unhide`).set(moderator.auth);
    const read = await request(app).get(`/posts/${id}`).set(bob.auth);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id, hidden: false });
    expect(response.body).not.toHaveProperty('hiddenBy');
    const stored = await storedPost(id);
    expect(stored).toMatchObject({ hidden: false });
    expect(stored).not.toHaveProperty('hiddenBy');
    expect(stored).not.toHaveProperty('hiddenAt');
    expect(read.status).toBe(200);
  });

  test.each(['hide', 'unhide'])('when no post has that id, POST /posts/:id/%s answers 404 and creates nothing', async (action) => {
    const response = await request(app).post(`/posts/${missingId}/${action}`).set(moderator.auth);

    expect(response.status).toBe(404);
    expect(await storedPost(missingId)).toBeNull();
  });
});

describe('a hidden post', () => {
  const listedIds = async (caller: TestAccount) => {
    const response = await request(app).get('/posts').set(caller.auth).query({ limit: 100 });
    expect(response.status).toBe(200);
    return (response.body.items as Array<{ id: string }>).map((post) => post.id);
  };

  test("vanishes from everyone's listing, its author's too, but moderators and admins still list it", async () => {
    const visible = await alicesPost();
    const hidden = await aHiddenPost(alice.user.id, moderator.user.id);

    const [forAlice, forBob, forModerator, forAdmin] = await Promise.all([alice, bob, moderator, admin].map(listedIds));

    expect(forAlice).toContain(visible.id);
    expect(forAlice).not.toContain(hidden.id);
    expect(forBob).not.toContain(hidden.id);
    expect(forModerator).toContain(hidden.id);
    expect(forAdmin).toContain(hidden.id);
  });

  test('answers GET /posts/:id with 404 to its author and to other users, exactly like a missing post', async () => {
    const { id } = await aHiddenPost(alice.user.id, moderator.user.id);
    const missing = await request(app).get(`/posts/${missingId}`).set(bob.auth);

    for (const caller of [alice, bob]) {
      const response = await request(app).get(`/posts/${id}`).set(caller.auth);
      expect(response.status).toBe(404);
      expect(response.body.type).toBe(missing.body.type);
      expect(response.body.detail).toBe(missing.body.detail.replace(missingId, id));
    }
    expect((await request(app).get(`/posts/${id}`).set(moderator.auth)).status).toBe(200);
  });

  test('cannot be edited or deleted by its own author: 404, and it stays stored unchanged', async () => {
    const { id } = await aHiddenPost(alice.user.id, moderator.user.id);
    const before = await storedPost(id);

    const patch = await request(app).patch(`/posts/${id}`).set(alice.auth).send({ body: 'sneaky edit' });
    const remove = await request(app).delete(`/posts/${id}`).set(alice.auth);

    expect([patch.status, remove.status]).toEqual([404, 404]);
    expect(await storedPost(id)).toEqual(before);
  });
});
