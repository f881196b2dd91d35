import { beforeAll, describe, expect, test } from '@jest/globals';
import { useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { Post } from '../src/posts/post.model.ts';
import { accountWith, aPost, testApp, storedPost } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
let app: Express;
let author: TestAccount;

beforeAll(async () => {
  app = testApp(redis.redis);
  author = await accountWith(app, 'user');
});

type Item = { id: string; createdAt: string };

describe('POST /posts', () => {
  test('when the body is valid, answers 201 with the post and its Location; the caller is the author', async () => {
    const response = await request(app).post('/posts').set(author.auth).send({ title: '  Hello  ', body: 'First post.' });

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/posts/${response.body.id}`);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[a-f\d]{24}$/),
      title: 'Hello',
      body: 'First post.',
      author: author.user.id,
      hidden: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await storedPost(response.body.id)).toMatchObject({ title: 'Hello', body: 'First post.', hidden: false });
  });
});

describe('GET /posts/:id', () => {
  test('answers 200 with the post to any signed-in user; a missing id answers 404', async () => {
    const { id } = await aPost(author.user.id, { title: 'Readable' });
    const reader = await accountWith(app, 'user');

    const response = await request(app).get(`/posts/${id}`).set(reader.auth);
    const missing = await request(app).get('/posts/0123456789abcdef01234567').set(reader.auth);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id, title: 'Readable', author: author.user.id });
    expect(missing.status).toBe(404);
  });
});

describe('PATCH /posts/:id', () => {
  test('changes only the fields sent and moves updatedAt forward', async () => {
    const created = await request(app).post('/posts').set(author.auth).send({ title: 'Before', body: 'keep me' });

    const response = await request(app).patch(`/posts/${created.body.id}`).set(author.auth).send({ title: 'After' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ title: 'After', body: 'keep me', createdAt: created.body.createdAt });
    expect(new Date(response.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(created.body.updatedAt).getTime());
    expect(await storedPost(created.body.id)).toMatchObject({ title: 'After', body: 'keep me' });
  });
});

describe('DELETE /posts/:id', () => {
  test('answers 204 with no body; a second delete is 404', async () => {
    const { id } = await aPost(author.user.id);

    const response = await request(app).delete(`/posts/${id}`).set(author.auth);
    const again = await request(app).delete(`/posts/${id}`).set(author.auth);

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(again.status).toBe(404);
    expect(await storedPost(id)).toBeNull();
  });
});

describe('GET /posts', () => {
  test('walking by cursor, 2 at a time, returns every visible post once, newest first, and no hidden one', async () => {
    await Promise.all([1, 2, 3, 4, 5].map(() => aPost(author.user.id)));
    await aPost(author.user.id, { hidden: true });
    const visible = await Post.countDocuments({ hidden: false });

    const seen: Item[] = [];
    let cursor: string | null = null;
    do {
      const response: request.Response = await request(app)
        .get('/posts')
        .set(author.auth)
        .query({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(visible);
      seen.push(...(response.body.items as Item[]));
      cursor = response.body.nextCursor as string | null;
    } while (cursor);

    expect(seen).toHaveLength(visible);
    expect(new Set(seen.map((post) => post.id)).size).toBe(visible);
    const times = seen.map((post) => new Date(post.createdAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  test('page 1 of 2 items says how many pages there are', async () => {
    await Promise.all([1, 2, 3].map(() => aPost(author.user.id)));
    const visible = await Post.countDocuments({ hidden: false });

    const response = await request(app).get('/posts').set(author.auth).query({ limit: 2, page: 1 });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      total: visible,
      limit: 2,
      page: 1,
      pages: Math.ceil(visible / 2),
      nextCursor: expect.any(String),
    });
    expect(response.body.items).toHaveLength(2);
  });
});
