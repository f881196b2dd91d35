import { describe, expect, test } from '@jest/globals';
import { User } from '@hub/core';
import { useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { me, testApp, signUp, storedSession, useSessionRedis } from './support.ts';

useTestDatabase();
const redis = useSessionRedis();

describe('GET /auth/me', () => {
  test('answers the signed-in account, never the password hash', async () => {
    const app = testApp(redis);
    const account = await signUp(app);

    const response = await me(app, account.cookie);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: account.user.id, email: account.email, role: 'user', createdAt: expect.any(String) });
  });

  test('without a cookie, answers 401 problem+json with a challenge', async () => {
    const app = testApp(redis);

    const response = await request(app).get('/auth/me');

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toMatch(/^Cookie realm="api"/);
  });

  test('when the account has been deleted, answers 401 and ends the session', async () => {
    const app = testApp(redis);
    const account = await signUp(app);
    await User.deleteOne({ _id: account.user.id });

    const response = await me(app, account.cookie);

    expect(response.status).toBe(401);
    expect(await storedSession(redis, account.cookie)).toBeNull();
  });
});
