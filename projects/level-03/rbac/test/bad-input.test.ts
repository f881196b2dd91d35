import { beforeAll, describe, expect, test } from '@jest/globals';
import { BAD_PAGE_QUERIES, expectFieldProblem, signUp, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { Post } from '../src/posts/post.model.ts';
import { accountWith, aPost, testApp, storedPost, storedRole } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
let app: Express;
let author: TestAccount;
let admin: TestAccount;

beforeAll(async () => {
  app = testApp(redis.redis);
  [author, admin] = await Promise.all([accountWith(app, 'user'), accountWith(app, 'admin')]);
});

describe('an :id that is not an ObjectId', () => {
  test.each([
    ['GET', '/posts/not-an-id'],
    ['PATCH', '/posts/0123456789abcdef0123456'],
    ['DELETE', '/posts/0123456789abcdef0123456g'],
    ['POST', '/posts/$where/hide'],
    ['POST', '/posts/[object Object]/unhide'],
    ['PATCH', '/users/not-an-id/role'],
  ])('%s %s answers 400 naming params.id, never 500', async (method, path) => {
    const send = request(app)[method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](encodeURI(path)).set(admin.auth);

    const response = await (method === 'PATCH' ? send.send(path.startsWith('/users') ? { role: 'user' } : { title: 'x' }) : send);

    expectFieldProblem(response, 'params', 'id');
  });
});

describe('PATCH /users/:id/role with a bad body', () => {
  test.each([
    ['an unknown role value', { role: 'superadmin' }, 'role'],
    ['a role in capitals', { role: 'Admin' }, 'role'],
    ['an operator object as the role', { role: { $gt: '' } }, 'role'],
    ['a role list', { role: ['admin'] }, 'role'],
    ['a null role', { role: null }, 'role'],
    ['no role', {}, 'role'],
    ['an extra field', { role: 'moderator', email: 'x@example.com' }, 'email'],
  ])('when the body has %s, answers 400 naming the field and the role is unchanged', async (_case, body, field) => {
    const target = await signUp(app);

    const response = await request(app).patch(`/users/${target.user.id}/role`).set(admin.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await storedRole(target.user.id)).toBe('user');
  });
});

describe('GET /users with a bad query', () => {
  test.each([...BAD_PAGE_QUERIES, ['an unknown role', { role: 'root' }, 'role'], ['role[$ne]=user', { 'role[$ne]': 'user' }, 'role[$ne]']])(
    'when the query has %s, answers 400 naming the field',
    async (_case, query, field) => {
      const response = await request(app).get('/users').set(admin.auth).query(query);

      expectFieldProblem(response, 'query', field);
    },
  );
});

describe('GET /posts with a bad query', () => {
  test.each([...BAD_PAGE_QUERIES, ['an unknown parameter', { hidden: 'true' }, 'hidden']])(
    'when the query has %s, answers 400 naming the field',
    async (_case, query, field) => {
      const response = await request(app).get('/posts').set(author.auth).query(query);

      expectFieldProblem(response, 'query', field);
    },
  );
});

describe('POST /posts with bad input', () => {
  test.each([
    ['the title is missing', { body: 'no title' }, 'title'],
    ['the title is blank after trimming', { title: '   ' }, 'title'],
    ['the title is over 200 characters', { title: 'x'.repeat(201) }, 'title'],
    ['the title is an operator object', { title: { $gt: '' } }, 'title'],
    ['the body is over 10,000 characters', { title: 't', body: 'x'.repeat(10_001) }, 'body'],
    ['the body is a number', { title: 't', body: 42 }, 'body'],
    ['an unknown field is sent', { title: 't', colour: 'red' }, 'colour'],
  ])('when %s, answers 400 naming the field and writes nothing', async (_case, body, field) => {
    const before = await Post.countDocuments();

    const response = await request(app).post('/posts').set(author.auth).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await Post.countDocuments()).toBe(before);
  });
});

describe('PATCH /posts/:id with bad input', () => {
  test.each([
    ['the body is empty', {}, '(root)'],
    ['the title is blank', { title: '' }, 'title'],
    ['the title is an operator object', { title: { $gt: '' } }, 'title'],
    ['the body is null', { body: null }, 'body'],
  ])('when %s, answers 400 naming the field and the post is unchanged', async (_case, patch, field) => {
    const { id } = await aPost(author.user.id);
    const before = await storedPost(id);

    const response = await request(app).patch(`/posts/${id}`).set(author.auth).send(patch);

    expectFieldProblem(response, 'body', field);
    expect(await storedPost(id)).toEqual(before);
  });
});
