import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { as, listedSessionIds, logIn, me, testApp, sessionIdOf, setCookieLine, signUp, storedSession, useSessionRedis } from './support.ts';

useTestDatabase();
const redis = useSessionRedis();

describe('POST /auth/logout', () => {
  test('answers 204, deletes the session in Redis, clears the cookie, and the old cookie then gets 401', async () => {
    const app = testApp(redis);
    const account = await signUp(app);
    expect(await storedSession(redis, account.cookie)).toMatchObject({ userId: account.user.id });

    const response = await request(app).post('/auth/logout').set(as(account));

    expect(response.status).toBe(204);
    expect(await storedSession(redis, account.cookie)).toBeNull();
    expect(await listedSessionIds(redis, account.user.id)).not.toContain(sessionIdOf(account.cookie));
    expect(setCookieLine(response)).toMatch(/^sid=; .*Expires=Thu, 01 Jan 1970/);
    const after = await me(app, account.cookie);
    expect(after.status).toBe(401);
    expect(after.headers['www-authenticate']).toMatch(/^Cookie/);
  });

  test('signs out only this browser: the same account elsewhere stays signed in', async () => {
    const app = testApp(redis);
    const laptop = await signUp(app);
    const phone = await logIn(app, laptop.email);

    await request(app).post('/auth/logout').set(as(laptop));

    expect((await me(app, phone.cookie)).status).toBe(200);
  });

  test('without a signed-in session, answers 401', async () => {
    const app = testApp(redis);

    const response = await request(app).post('/auth/logout');

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
