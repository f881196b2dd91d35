import { beforeAll, describe, expect, test } from '@jest/globals';
import { User } from '@hub/core';
import { useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { aHiddenPost, accountWith, aPost, claimsOf, testApp, storedPost } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
let app: Express;
let admin: TestAccount;

beforeAll(async () => {
  app = testApp(redis.redis);
  admin = await accountWith(app, 'admin');
});

describe('the role is read from the database on every request', () => {
  test('a demoted admin loses admin rights on the very next request with the same token', async () => {
    const demoted = await accountWith(app, 'admin');
    expect((await request(app).get('/users').set(demoted.auth)).status).toBe(200);

    const demotion = await request(app).patch(`/users/${demoted.user.id}/role`).set(admin.auth).send({ role: 'user' });
    const list = await request(app).get('/users').set(demoted.auth);
    const counterattack = await request(app).patch(`/users/${admin.user.id}/role`).set(demoted.auth).send({ role: 'user' });

    expect(demotion.status).toBe(200);
    expect(claimsOf(demoted.token).role).toBe('admin');
    expect(list.status).toBe(403);
    expect(counterattack.status).toBe(403);
    expect((await User.findById(admin.user.id).lean())?.role).toBe('admin');
  });

  test('a demoted moderator can no longer hide posts or see hidden ones, with the same token', async () => {
    const demoted = await accountWith(app, 'moderator');
    const hidden = await aHiddenPost(admin.user.id, admin.user.id);
    const visible = await aPost(admin.user.id);

    await request(app).patch(`/users/${demoted.user.id}/role`).set(admin.auth).send({ role: 'user' });
    const read = await request(app).get(`/posts/${hidden.id}`).set(demoted.auth);
    const hide = await request(app).post(`/posts/${visible.id}/hide`).set(demoted.auth);

    expect(read.status).toBe(404);
    expect(hide.status).toBe(403);
    expect(await storedPost(visible.id)).toMatchObject({ hidden: false });
  });

  test('a promotion counts at once too: a user made moderator hides a post with the token from before', async () => {
    const promoted = await accountWith(app, 'user');
    const { id } = await aPost(admin.user.id);

    await request(app).patch(`/users/${promoted.user.id}/role`).set(admin.auth).send({ role: 'moderator' });
    const response = await request(app).post(`/posts/${id}/hide`).set(promoted.auth);

    expect(claimsOf(promoted.token).role).toBe('user');
    expect(response.status).toBe(200);
  });

  test('a deleted account is signed out: its unexpired token answers 401 on the next request', async () => {
    const deleted = await accountWith(app, 'admin');
    await User.deleteOne({ _id: deleted.user.id });

    const response = await request(app).get('/posts').set(deleted.auth);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
  });
});
