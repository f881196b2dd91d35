// Exercise 2: POST /auth/logout-all signs the caller out of every login at once.
import { describe, expect, test } from '@jest/globals';
import { RefreshToken } from '@hub/core';
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
const logoutAll = (app: Express, accessToken?: string) => {
  const call = request(app).post('/auth/logout-all');
  return accessToken === undefined ? call : call.set('Authorization', `Bearer ${accessToken}`);
};

describe('exercise 2: POST /auth/logout-all', () => {
  test('revokes every login of the caller: the refresh tokens of the other devices stop working; another user stays signed in', async () => {
    const app = testApp(redis.redis);
    const ada = await signUp(app);
    const [phone, laptop] = [await signIn(app, ada.email), await signIn(app, ada.email)];
    const bob = await signUp(app);

    const response = await logoutAll(app, laptop.accessToken);

    expect(response.status).toBe(204);
    for (const refreshToken of [ada.refreshToken, phone.refreshToken, laptop.refreshToken]) {
      const refused = await refresh(app, refreshToken);
      expect(refused.status).toBe(401);
      expect(refused.body.type).toBe('urn:backend-hub:problem:invalid-refresh-token');
    }
    expect(await RefreshToken.countDocuments({ user: ada.user.id, revokedAt: null })).toBe(0);
    expect((await refresh(app, bob.refreshToken)).status).toBe(200);
  });

  test('a login made after it works as usual', async () => {
    const app = testApp(redis.redis);
    const ada = await signUp(app);
    await logoutAll(app, ada.token);

    const again = await signIn(app, ada.email);

    expect((await refresh(app, again.refreshToken)).status).toBe(200);
  });

  test.each([
    ['without a token', undefined],
    ['with a token that is not valid', 'not-a-jwt'],
    ['with a refresh token instead of an access token', 'refresh'],
  ])('%s, answers 401 with a Bearer challenge and revokes nothing', async (_case, token) => {
    const app = testApp(redis.redis);
    const ada = await signUp(app);

    const response = await logoutAll(app, token === 'refresh' ? ada.refreshToken : token);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="api"/);
    expect(await RefreshToken.countDocuments({ user: ada.user.id, revokedAt: { $ne: null } })).toBe(0);
    expect((await refresh(app, ada.refreshToken)).status).toBe(200);
  });

  test('appears in the OpenAPI document as a Bearer-protected route', async () => {
    const app = testApp(redis.redis);

    const openapi = await request(app).get('/openapi.json');

    expect(openapi.body.paths['/auth/logout-all']?.post?.security).toEqual([{ bearerAuth: [] }]);
  });
});
