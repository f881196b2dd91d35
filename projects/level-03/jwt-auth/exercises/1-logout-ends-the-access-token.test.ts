// Exercise 1: logout recalls the access token too, through a jti deny-list kept in Redis.
import { describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase, useTestRedis } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { login, refresh, testApp } from '../test/support.ts';

useTestDatabase();
const redis = useTestRedis();

interface Login {
  accessToken: string;
  refreshToken: string;
}

const signIn = async (app: Express, email: string): Promise<Login> => (await login(app, email)).body as Login;
const me = (app: Express, accessToken: string) => request(app).get('/auth/me').set('Authorization', `Bearer ${accessToken}`);
/** Logout as a client does it: the refresh token in the body, the access token in the header. */
const logout = (app: Express, { accessToken, refreshToken }: Login) =>
  request(app).post('/auth/logout').set('Authorization', `Bearer ${accessToken}`).send({ refreshToken });
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti?: string; exp: number };
/** This file's Redis keys whose name contains `part`, without the test prefix. */
const keysNaming = async (part: string) =>
  (await redis.redis.keys(`${redis.prefix}*`)).filter((key) => key.includes(part)).map((key) => key.slice(redis.prefix.length));

describe('exercise 1: a jti deny-list, so logout ends the access token too', () => {
  test('after POST /auth/logout the access token from that login answers 401 on /auth/me; another login of the same account keeps working', async () => {
    const app = testApp(redis.redis);
    const { email } = await signUp(app);
    const [phone, laptop] = [await signIn(app, email), await signIn(app, email)];

    const response = await logout(app, phone);

    expect(response.status).toBe(204);
    const recalled = await me(app, phone.accessToken);
    expect(recalled.status).toBe(401);
    expect(recalled.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect((await me(app, laptop.accessToken)).status).toBe(200);
    // What logout did before still holds: that login's refresh token is revoked, the other one is not.
    expect((await refresh(app, phone.refreshToken)).status).toBe(401);
    expect((await refresh(app, laptop.refreshToken)).status).toBe(200);
  });

  test('the entry is in Redis, named by the token’s jti, and expires when the token would: not later, and not much earlier', async () => {
    const app = testApp(redis.redis);
    const session = await signIn(app, (await signUp(app)).email);
    const { jti, exp } = claimsOf(session.accessToken);
    expect(jti).toEqual(expect.any(String));

    await logout(app, session);

    const keys = await keysNaming(String(jti));
    expect(keys).toHaveLength(1);
    const before = Date.now();
    const ttlMs = await redis.redis.pttl(keys[0] ?? '');
    const remainingMs = exp * 1000 - before;
    expect(ttlMs).toBeGreaterThan(0);
    expect(ttlMs).toBeLessThanOrEqual(remainingMs);
    expect(ttlMs).toBeGreaterThan(remainingMs - 2_000);
  });

  test('another instance of the service refuses the recalled token too: the list is shared in Redis, not kept in memory', async () => {
    const [one, two] = [testApp(redis.redis), testApp(redis.redis)];
    const session = await signIn(one, (await signUp(one)).email);

    await logout(one, session);

    expect((await me(two, session.accessToken)).status).toBe(401);
  });

  test('logout without an access token, or with one that is not valid, still answers 204 and revokes the refresh token', async () => {
    const app = testApp(redis.redis);
    const { email } = await signUp(app);
    const [plain, garbled] = [await signIn(app, email), await signIn(app, email)];

    const without = await request(app).post('/auth/logout').send({ refreshToken: plain.refreshToken });
    const invalid = await request(app)
      .post('/auth/logout')
      .set('Authorization', 'Bearer not-a-jwt')
      .send({ refreshToken: garbled.refreshToken });

    expect([without.status, invalid.status]).toEqual([204, 204]);
    expect((await refresh(app, plain.refreshToken)).status).toBe(401);
    expect((await refresh(app, garbled.refreshToken)).status).toBe(401);
  });
});
