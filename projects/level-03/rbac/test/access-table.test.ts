import { beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import request, { type Response } from 'supertest';
import { aHiddenPost, accountWith, aPost, testApp, unique } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
let app: Express;

// `owner` is a user who wrote the post the request is about; `user` is a user who did not.
const ACTORS = ['anonymous', 'owner', 'user', 'moderator', 'admin'] as const;
type Actor = (typeof ACTORS)[number];
const accounts = {} as Record<Exclude<Actor, 'anonymous'>, TestAccount>;

beforeAll(async () => {
  app = testApp(redis.redis);
  [accounts.owner, accounts.user, accounts.moderator, accounts.admin] = await Promise.all([
    accountWith(app, 'user'),
    accountWith(app, 'user'),
    accountWith(app, 'moderator'),
    accountWith(app, 'admin'),
  ]);
});

/**
 * Who may call what: every route the app serves, by every kind of caller, and the status they
 * get. '-' where a column does not apply: only a post has an owner, and anonymous has no
 * account of its own. A case after a comma names the resource the request is about.
 */
const TABLE: Array<[string, ...Array<number | '-'>]> = [
  //                                     anonymous  owner  user  moderator  admin
  ['GET /health', 200, '-', 200, 200, 200],
  ['GET /ready', 200, '-', 200, 200, 200],
  ['POST /auth/signup', 201, '-', 201, 201, 201],
  ['POST /auth/login', 200, '-', 200, 200, 200],
  ['GET /auth/me', 401, '-', 200, 200, 200],
  ['GET /posts', 401, '-', 200, 200, 200],
  ['POST /posts', 401, '-', 201, 201, 201],
  ['GET /posts/:id', 401, 200, 200, 200, 200],
  ['GET /posts/:id, hidden post', 401, 404, 404, 200, 200],
  ['PATCH /posts/:id', 401, 200, 403, 403, 200],
  ['PATCH /posts/:id, hidden post', 401, 404, 404, 403, 200],
  ['DELETE /posts/:id', 401, 204, 403, 403, 204],
  ['DELETE /posts/:id, hidden post', 401, 404, 404, 403, 204],
  ['POST /posts/:id/hide', 401, 403, 403, 200, 200],
  ['POST /posts/:id/unhide, hidden post', 401, 403, 403, 200, 200],
  ['GET /users', 401, '-', 403, 403, 200],
  ['PATCH /users/:id/role', 401, '-', 403, 403, 200],
  ['PATCH /users/:id/role, own account', '-', '-', 403, 403, 403],
];

/** One test per cell: [case, actor, expected status]. */
const ROWS = TABLE.flatMap(([name, ...statuses]) =>
  ACTORS.flatMap((actor, column) => {
    const status = statuses[column];
    return typeof status === 'number' ? [[name, actor, status] as const] : [];
  }),
);

const routeOf = (name: string) => name.split(',')[0] ?? name;
const headersOf = (actor: Actor) => (actor === 'anonymous' ? {} : accounts[actor].auth);
const visiblePost = () => aPost(accounts.owner.user.id);
const hiddenPost = () => aHiddenPost(accounts.owner.user.id, accounts.moderator.user.id);

/** How each case is sent; a fresh post or account per test, so no test depends on another. */
const SEND: Record<string, (actor: Actor) => Promise<Response>> = {
  'GET /health': (actor) => request(app).get('/health').set(headersOf(actor)),
  'GET /ready': (actor) => request(app).get('/ready').set(headersOf(actor)),
  'POST /auth/signup': (actor) =>
    request(app)
      .post('/auth/signup')
      .set(headersOf(actor))
      .send({ email: `${unique(actor)}@example.com`, password: 'correct horse battery' }),
  'POST /auth/login': (actor) =>
    request(app).post('/auth/login').set(headersOf(actor)).send({ email: accounts.owner.email, password: accounts.owner.password }),
  'GET /auth/me': (actor) => request(app).get('/auth/me').set(headersOf(actor)),
  'GET /posts': (actor) => request(app).get('/posts').set(headersOf(actor)),
  'POST /posts': (actor) => request(app).post('/posts').set(headersOf(actor)).send({ title: 'A post', body: 'text' }),
  'GET /posts/:id': async (actor) =>
    request(app)
      .get(`/posts/${(await visiblePost()).id}`)
      .set(headersOf(actor)),
  'GET /posts/:id, hidden post': async (actor) =>
    request(app)
      .get(`/posts/${(await hiddenPost()).id}`)
      .set(headersOf(actor)),
  'PATCH /posts/:id': async (actor) =>
    request(app)
      .patch(`/posts/${(await visiblePost()).id}`)
      .set(headersOf(actor))
      .send({ body: 'edited' }),
  'PATCH /posts/:id, hidden post': async (actor) =>
    request(app)
      .patch(`/posts/${(await hiddenPost()).id}`)
      .set(headersOf(actor))
      .send({ body: 'edited' }),
  'DELETE /posts/:id': async (actor) =>
    request(app)
      .delete(`/posts/${(await visiblePost()).id}`)
      .set(headersOf(actor)),
  'DELETE /posts/:id, hidden post': async (actor) =>
    request(app)
      .delete(`/posts/${(await hiddenPost()).id}`)
      .set(headersOf(actor)),
  'POST /posts/:id/hide': async (actor) =>
    request(app)
      .post(`/posts/${(await visiblePost()).id}/hide`)
      .set(headersOf(actor)),
  'POST /posts/:id/unhide, hidden post': async (actor) =>
    request(app)
      .post(`/posts/${(await hiddenPost()).id}/unhide`)
      .set(headersOf(actor)),
  'GET /users': (actor) => request(app).get('/users').set(headersOf(actor)),
  'PATCH /users/:id/role': async (actor) =>
    request(app)
      .patch(`/users/${(await signUp(app)).user.id}/role`)
      .set(headersOf(actor))
      .send({ role: 'moderator' }),
  'PATCH /users/:id/role, own account': (actor) => {
    if (actor === 'anonymous') throw new Error('anonymous has no account of its own');
    return request(app).patch(`/users/${accounts[actor].user.id}/role`).set(headersOf(actor)).send({ role: 'admin' });
  },
};

describe('every route × every role', () => {
  test.each(ROWS)('%s, as %s, answers %i', async (name, actor, status) => {
    const send = SEND[name];
    if (!send) throw new Error(`no way to send "${name}": add it to SEND`);

    const response = await send(actor);

    expect({ status: response.status, detail: response.body.detail as unknown }).toMatchObject({ status });
  });

  test('the table has a row for every route the app serves, for anonymous, user, moderator and admin', async () => {
    // The app's own list of routes: /openapi.json is built from every mounted ApiRouter's `.routes`.
    const openapi = await request(app).get('/openapi.json');
    const served = Object.entries(openapi.body.paths as Record<string, object>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );

    const tabled = [...new Set(TABLE.map(([name]) => routeOf(name)))];
    expect(tabled.sort()).toEqual([...served].sort());
    for (const route of served) {
      const actors = new Set(ROWS.filter(([name]) => routeOf(name) === route).map(([, actor]) => actor));
      expect({
        route,
        anonymous: actors.has('anonymous'),
        user: actors.has('user'),
        moderator: actors.has('moderator'),
        admin: actors.has('admin'),
      }).toEqual({
        route,
        anonymous: true,
        user: true,
        moderator: true,
        admin: true,
      });
    }
  });
});
