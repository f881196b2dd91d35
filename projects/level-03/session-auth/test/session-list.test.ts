import { describe, expect, test } from '@jest/globals';
import { sha256 } from '@hub/core';
import { expectFieldProblem, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import {
  as,
  listedSessionIds,
  logIn,
  me,
  testApp,
  sessionIdOf,
  setCookieLine,
  signUp,
  storedSession,
  useSessionRedis,
  type SignedInBrowser,
} from './support.ts';

useTestDatabase();
const redis = useSessionRedis();

const sessionsOf = (app: Parameters<typeof request>[0], browser: SignedInBrowser) =>
  request(app).get('/auth/sessions').set('Cookie', browser.cookie);
const revoke = (app: Parameters<typeof request>[0], browser: SignedInBrowser, id: string) =>
  request(app).delete(`/auth/sessions/${id}`).set(as(browser));
const handleOf = (browser: SignedInBrowser) => sha256(sessionIdOf(browser.cookie)).slice(0, 32);

describe('GET /auth/sessions', () => {
  test('two logins give two entries, newest first; current marks the one asking', async () => {
    const app = testApp(redis);
    const laptop = await signUp(app, { userAgent: 'Laptop/1.0' });
    const phone = await logIn(app, laptop.email, undefined, 'Phone/2.0');

    const response = await sessionsOf(app, laptop);

    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([
      {
        id: handleOf(phone),
        createdAt: expect.any(String),
        lastSeenAt: expect.any(String),
        userAgent: 'Phone/2.0',
        ip: expect.any(String),
        current: false,
      },
      {
        id: handleOf(laptop),
        createdAt: expect.any(String),
        lastSeenAt: expect.any(String),
        userAgent: 'Laptop/1.0',
        ip: expect.any(String),
        current: true,
      },
    ]);
  });

  test('an entry id is an opaque handle: the session id appears nowhere in the answer', async () => {
    const app = testApp(redis);
    const account = await signUp(app);

    const response = await sessionsOf(app, account);

    expect(response.body.items[0].id).toMatch(/^[0-9a-f]{32}$/);
    expect(response.text).not.toContain(sessionIdOf(account.cookie));
  });

  test('never lists another user’s sessions', async () => {
    const app = testApp(redis);
    const alice = await signUp(app);
    const bob = await signUp(app);

    const response = await sessionsOf(app, alice);

    expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([handleOf(alice)]);
    expect(response.text).not.toContain(handleOf(bob));
  });

  test('a session that is gone from Redis is pruned from the user’s list', async () => {
    const app = testApp(redis);
    const laptop = await signUp(app);
    const phone = await logIn(app, laptop.email);
    await redis.client.del(`${redis.prefix}sess:${sessionIdOf(phone.cookie)}`);

    const response = await sessionsOf(app, laptop);

    expect(response.body.items).toHaveLength(1);
    expect(await listedSessionIds(redis, laptop.user.id)).toEqual([sessionIdOf(laptop.cookie)]);
  });

  test('without a signed-in session, answers 401', async () => {
    const app = testApp(redis);

    expect((await request(app).get('/auth/sessions')).status).toBe(401);
  });
});

describe('DELETE /auth/sessions/:id', () => {
  test('revokes one of my sessions: 204, gone from Redis, its cookie gets 401, and this one still works', async () => {
    const app = testApp(redis);
    const laptop = await signUp(app);
    const phone = await logIn(app, laptop.email);

    const response = await revoke(app, laptop, handleOf(phone));

    expect(response.status).toBe(204);
    expect(await storedSession(redis, phone.cookie)).toBeNull();
    expect(await listedSessionIds(redis, laptop.user.id)).toEqual([sessionIdOf(laptop.cookie)]);
    expect((await me(app, phone.cookie)).status).toBe(401);
    expect((await me(app, laptop.cookie)).status).toBe(200);
    expect((await sessionsOf(app, laptop)).body.items).toHaveLength(1);
  });

  test('another user’s session answers 404, exactly like an unknown one, and keeps working', async () => {
    const app = testApp(redis);
    const alice = await signUp(app);
    const bob = await signUp(app);

    const foreign = await revoke(app, alice, handleOf(bob));
    const unknown = await revoke(app, alice, '0123456789abcdef0123456789abcdef');

    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(foreign.body.title).toBe(unknown.body.title);
    expect((await me(app, bob.cookie)).status).toBe(200);
    expect(await storedSession(redis, bob.cookie)).toMatchObject({ userId: bob.user.id });
  });

  test('a session id instead of its handle answers 400 naming the id, and revokes nothing', async () => {
    const app = testApp(redis);
    const laptop = await signUp(app);
    const phone = await logIn(app, laptop.email);

    const response = await revoke(app, laptop, sessionIdOf(phone.cookie));

    expectFieldProblem(response, 'params', 'id');
    expect((await me(app, phone.cookie)).status).toBe(200);
  });

  test('revoking the session making the request signs this browser out and clears its cookie', async () => {
    const app = testApp(redis);
    const account = await signUp(app);

    const response = await revoke(app, account, handleOf(account));

    expect(response.status).toBe(204);
    expect(setCookieLine(response)).toMatch(/^sid=; /);
    expect(await storedSession(redis, account.cookie)).toBeNull();
    expect((await me(app, account.cookie)).status).toBe(401);
  });

  test('a revoked session written back by a request that was in flight still answers 401, and is deleted again', async () => {
    const app = testApp(redis);
    const laptop = await signUp(app);
    const phone = await logIn(app, laptop.email);
    const key = `${redis.prefix}sess:${sessionIdOf(phone.cookie)}`;
    const loadedBeforeTheRevoke = await redis.client.get(key);

    await revoke(app, laptop, handleOf(phone));
    // express-session saves a session when its request ends: one that loaded it before the revoke puts it back.
    await redis.client.set(key, loadedBeforeTheRevoke as string);

    expect((await me(app, phone.cookie)).status).toBe(401);
    expect(await redis.client.exists(key)).toBe(0);
  });

  test('a revoke racing with 20 requests on that session leaves it signed out', async () => {
    const app = testApp(redis);
    const laptop = await signUp(app);
    const phone = await logIn(app, laptop.email);

    const [revoked] = await Promise.all([revoke(app, laptop, handleOf(phone)), ...Array.from({ length: 20 }, () => me(app, phone.cookie))]);

    expect(revoked.status).toBe(204);
    expect((await me(app, phone.cookie)).status).toBe(401);
    expect(await storedSession(redis, phone.cookie)).toBeNull();
  });
});
