import { beforeAll, describe, expect, test } from '@jest/globals';
import { packageInfo } from '@hub/core';
import { signUp, testTokens, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import request, { type Response } from 'supertest';
import { Post } from '../src/posts/post.model.ts';
import { accountWith, aPost, testApp, testServiceConfig, storedPost, storedRole, unique } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
const config = testServiceConfig();
// The audience is the service's name (JWT_AUDIENCE is not set).
const service = packageInfo(import.meta.url).name;
const tokens = testTokens({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: service });
let app: Express;
let other: TestAccount;

beforeAll(async () => {
  app = testApp(redis.redis);
  other = await accountWith(app, 'user');
});

describe('a user cannot raise their own role by any route', () => {
  test('POST /auth/signup with role admin creates a plain user', async () => {
    const email = `${unique('climber')}@example.com`;

    const response = await request(app).post('/auth/signup').send({ email, password: 'correct horse battery', role: 'admin' });

    expect(response.status).toBe(201);
    expect(response.body.user.role).toBe('user');
    expect(await storedRole(response.body.user.id)).toBe('user');
  });

  // Each attempt is sent by a fresh user with their own token; afterwards the database must still say user.
  const attempts: Array<[string, number, (me: TestAccount) => Promise<Response>]> = [
    ['PATCH /users/:me/role to admin', 403, (me) => request(app).patch(`/users/${me.user.id}/role`).set(me.auth).send({ role: 'admin' })],
    [
      'PATCH /users/:me/role to moderator',
      403,
      (me) => request(app).patch(`/users/${me.user.id}/role`).set(me.auth).send({ role: 'moderator' }),
    ],
    // Login is a command, so its body is strict: an extra field is refused outright.
    [
      'POST /auth/login with role admin',
      400,
      (me) => request(app).post('/auth/login').send({ email: me.email, password: me.password, role: 'admin' }),
    ],
    ['POST /posts with role admin', 201, (me) => request(app).post('/posts').set(me.auth).send({ title: 'hi', role: 'admin' })],
    [
      'PATCH /posts/:id with role admin',
      200,
      async (me) =>
        request(app)
          .patch(`/posts/${(await aPost(me.user.id)).id}`)
          .set(me.auth)
          .send({ title: 'hi', role: 'admin' }),
    ],
    [
      'a correctly signed token that claims role admin, on GET /users',
      403,
      (me) =>
        request(app)
          .get('/users')
          .set('Authorization', `Bearer ${tokens.valid({ id: me.user.id, role: 'admin' })}`),
    ],
    [
      'a correctly signed token that claims role admin, on PATCH /users/:me/role',
      403,
      (me) =>
        request(app)
          .patch(`/users/${me.user.id}/role`)
          .set('Authorization', `Bearer ${tokens.valid({ id: me.user.id, role: 'admin' })}`)
          .send({ role: 'admin' }),
    ],
  ];

  test.each(attempts)('%s: answers %i and the stored role is still user', async (_attempt, status, send) => {
    const me = await signUp(app);

    const response = await send(me);

    expect(response.status).toBe(status);
    expect(await storedRole(me.user.id)).toBe('user');
    expect((await request(app).get('/users').set(me.auth)).status).toBe(403);
  });

  test('after PATCH /users/:me/role, a fresh login still carries role user', async () => {
    const me = await signUp(app);
    await request(app).patch(`/users/${me.user.id}/role`).set(me.auth).send({ role: 'admin' });

    const login = await request(app).post('/auth/login').send({ email: me.email, password: me.password });

    expect(login.body.user.role).toBe('user');
  });
});

describe('a post body cannot change who wrote it', () => {
  test('PATCH /posts/:id with author answers 400 naming author; the author and the post are unchanged', async () => {
    const me = await signUp(app);
    const { id } = await aPost(me.user.id);
    const before = await storedPost(id);

    const response = await request(app).patch(`/posts/${id}`).set(me.auth).send({ title: 'mine now?', author: other.user.id });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'author' })]);
    expect(await storedPost(id)).toEqual(before);
    expect(String(before?.author)).toBe(me.user.id);
  });

  test('POST /posts with author answers 400 naming author and writes nothing', async () => {
    const me = await signUp(app);
    const before = await Post.countDocuments();

    const response = await request(app).post('/posts').set(me.auth).send({ title: 'framed', author: other.user.id });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'author' })]);
    expect(await Post.countDocuments()).toBe(before);
  });

  test('POST /posts ignores owner, _id and role: the post belongs to the caller', async () => {
    const me = await signUp(app);
    const foreignId = '0123456789abcdef01234567';

    const response = await request(app)
      .post('/posts')
      .set(me.auth)
      .send({ title: 'mine', owner: other.user.id, _id: foreignId, role: 'admin' });

    expect(response.status).toBe(201);
    expect(response.body.author).toBe(me.user.id);
    expect(response.body.id).not.toBe(foreignId);
    expect(String((await storedPost(response.body.id))?.author)).toBe(me.user.id);
  });

  test.each([
    ['hidden', { hidden: true }],
    ['hiddenBy', { hiddenBy: '0123456789abcdef01234567' }],
  ])('PATCH /posts/:id with %s answers 400 naming it; the post is unchanged', async (field, extra) => {
    const me = await signUp(app);
    const { id } = await aPost(me.user.id);
    const before = await storedPost(id);

    const response = await request(app)
      .patch(`/posts/${id}`)
      .set(me.auth)
      .send({ title: 'x', ...extra });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'body', field })]);
    expect(await storedPost(id)).toEqual(before);
  });
});
