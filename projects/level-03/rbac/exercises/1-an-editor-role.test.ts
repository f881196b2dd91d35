// Exercise 1: an `editor` role — in the permission table, in the README's table, and in what the API lets it do.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { User } from '@hub/core';
import { signUp, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import request, { type Response } from 'supertest';
import { permissions } from '../src/permissions.ts';
import { promote } from '../src/promote.ts';
import { aHiddenPost, accountWith, aPost, storedPost, storedRole, testApp, unique } from '../test/support.ts';

useTestDatabase();
const redis = useTestRedis();
let app: Express;
let author: TestAccount;
let moderator: TestAccount;
let admin: TestAccount;
let editor: TestAccount;

/** The table as shipped: a new role must not change what the others hold. */
const SHIPPED = {
  user: ['posts:read', 'posts:create', 'posts:update:own', 'posts:delete:own'],
  moderator: ['posts:read', 'posts:create', 'posts:update:own', 'posts:delete:own', 'posts:hide', 'posts:read:hidden'],
  admin: [
    'posts:read',
    'posts:create',
    'posts:update:own',
    'posts:delete:own',
    'posts:hide',
    'posts:read:hidden',
    'posts:update:any',
    'posts:delete:any',
    'users:read',
    'users:role:update',
  ],
};
const EDITOR = [...SHIPPED.user, 'posts:update:any'];
const table: Record<string, readonly string[] | undefined> = permissions;

beforeAll(async () => {
  app = testApp(redis.redis);
  [author, moderator, admin, editor] = await Promise.all([
    accountWith(app, 'user'),
    accountWith(app, 'moderator'),
    accountWith(app, 'admin'),
    signUp(app),
  ]);
  // Straight in the database: the role is read from there on every request, so the token need not change.
  await User.updateOne({ _id: editor.user.id }, { $set: { role: 'editor' } });
});

const visiblePost = () => aPost(author.user.id);
const hiddenPost = () => aHiddenPost(author.user.id, moderator.user.id);

/** What an editor may do: every route, about someone else's post unless the case says otherwise. */
const EDITOR_ACCESS: Array<[string, number, () => Promise<Response>]> = [
  ['GET /auth/me', 200, () => request(app).get('/auth/me').set(editor.auth)],
  ['GET /posts', 200, () => request(app).get('/posts').set(editor.auth)],
  ['POST /posts', 201, () => request(app).post('/posts').set(editor.auth).send({ title: 'By an editor' })],
  [
    'GET /posts/:id',
    200,
    async () =>
      request(app)
        .get(`/posts/${(await visiblePost()).id}`)
        .set(editor.auth),
  ],
  [
    'GET /posts/:id, hidden post',
    404,
    async () =>
      request(app)
        .get(`/posts/${(await hiddenPost()).id}`)
        .set(editor.auth),
  ],
  [
    'PATCH /posts/:id',
    200,
    async () =>
      request(app)
        .patch(`/posts/${(await visiblePost()).id}`)
        .set(editor.auth)
        .send({ body: 'fixed' }),
  ],
  [
    'PATCH /posts/:id, hidden post',
    404,
    async () =>
      request(app)
        .patch(`/posts/${(await hiddenPost()).id}`)
        .set(editor.auth)
        .send({ body: 'fixed' }),
  ],
  [
    'DELETE /posts/:id',
    403,
    async () =>
      request(app)
        .delete(`/posts/${(await visiblePost()).id}`)
        .set(editor.auth),
  ],
  [
    'DELETE /posts/:id, own post',
    204,
    async () =>
      request(app)
        .delete(`/posts/${(await aPost(editor.user.id)).id}`)
        .set(editor.auth),
  ],
  [
    'DELETE /posts/:id, hidden post',
    404,
    async () =>
      request(app)
        .delete(`/posts/${(await hiddenPost()).id}`)
        .set(editor.auth),
  ],
  [
    'POST /posts/:id/hide',
    403,
    async () =>
      request(app)
        .post(`/posts/${(await visiblePost()).id}/hide`)
        .set(editor.auth),
  ],
  [
    'POST /posts/:id/unhide, hidden post',
    403,
    async () =>
      request(app)
        .post(`/posts/${(await hiddenPost()).id}/unhide`)
        .set(editor.auth),
  ],
  ['GET /users', 403, () => request(app).get('/users').set(editor.auth)],
  [
    'PATCH /users/:id/role',
    403,
    async () =>
      request(app)
        .patch(`/users/${(await signUp(app)).user.id}/role`)
        .set(editor.auth)
        .send({ role: 'moderator' }),
  ],
  [
    'PATCH /users/:id/role, own account',
    403,
    () => request(app).patch(`/users/${editor.user.id}/role`).set(editor.auth).send({ role: 'admin' }),
  ],
];

describe('exercise 1: an editor role', () => {
  test.each(EDITOR_ACCESS)('%s, as editor, answers %i', async (_case, status, send) => {
    const response = await send();

    expect({ status: response.status, detail: response.body.detail as unknown }).toMatchObject({ status });
  });

  test('an editor’s edit of someone else’s post is stored, and the author stays the same', async () => {
    const { id } = await visiblePost();

    await request(app).patch(`/posts/${id}`).set(editor.auth).send({ title: 'Fixed typo' });

    const stored = await storedPost(id);
    expect(stored?.title).toBe('Fixed typo');
    expect(String(stored?.author)).toBe(author.user.id);
  });

  test('an admin makes an account editor through the API, and GET /users?role=editor finds it', async () => {
    const account = await signUp(app);

    const response = await request(app).patch(`/users/${account.user.id}/role`).set(admin.auth).send({ role: 'editor' });
    const listed = await request(app).get('/users?role=editor').set(admin.auth);

    expect(response.status).toBe(200);
    expect(await storedRole(account.user.id)).toBe('editor');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(account.user.id);
  });

  test('the promote script accepts editor', async () => {
    const account = await signUp(app, { email: `${unique('editor')}@example.com` });

    await expect(promote([account.email, 'editor'])).resolves.toBe(`${account.email}: user → editor`);
    expect(await storedRole(account.user.id)).toBe('editor');
  });

  test('editor holds what a user holds, plus posts:update:any; no other role gains or loses a permission', () => {
    expect([...(table.editor ?? [])].sort()).toEqual([...EDITOR].sort());
    expect({ user: table.user, moderator: table.moderator, admin: table.admin }).toEqual(SHIPPED);
  });

  test('the README’s table has an editor column, and every column says exactly what src/permissions.ts grants', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');
    // The first table after the heading: its lines run from the first `|` to the first line without one.
    const lines = readme.slice(readme.indexOf('## Roles and permissions')).split('\n');
    const start = lines.findIndex((line) => line.startsWith('|'));
    const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
    const [header = [], , ...body] = lines.slice(start, end).map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
    const roles = header.slice(1, -1);
    expect(roles).toContain('editor');
    expect([...roles].sort()).toEqual(Object.keys(table).sort());

    const documented = Object.fromEntries(
      roles.map((role, column) => [
        role,
        body
          .filter((row) => row[column + 1] === '✓')
          .map((row) => (row[0] ?? '').replace(/`/g, ''))
          .sort(),
      ]),
    );
    const granted = Object.fromEntries(roles.map((role) => [role, [...(table[role] ?? [])].sort()]));
    expect(documented).toEqual(granted);
  });
});
