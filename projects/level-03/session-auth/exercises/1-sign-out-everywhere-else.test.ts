// Exercise 1: DELETE /auth/sessions signs the user out everywhere except the browser asking.
import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { as, logIn, me, signUp, storedSession, testApp, useSessionRedis, type SignedInBrowser } from '../test/support.ts';

useTestDatabase();
const redis = useSessionRedis();

const signOutOthers = (app: Express, browser: SignedInBrowser) => request(app).delete('/auth/sessions').set(as(browser));
const statusesOf = async (app: Express, browsers: SignedInBrowser[]) =>
  Promise.all(browsers.map(async (browser) => (await me(app, browser.cookie)).status));

describe('exercise 1: sign out everywhere else (DELETE /auth/sessions)', () => {
  test('ends every other session of the user, keeps this one, and leaves another user’s sessions alone', async () => {
    const app = testApp(redis);
    const laptop = await signUp(app, { userAgent: 'Laptop/1.0' });
    const phone = await logIn(app, laptop.email, undefined, 'Phone/2.0');
    const tablet = await logIn(app, laptop.email, undefined, 'Tablet/3.0');
    const bob = await signUp(app);
    const bobsPhone = await logIn(app, bob.email);

    const response = await signOutOthers(app, laptop);

    expect(response.status).toBe(204);
    expect(await statusesOf(app, [laptop, phone, tablet, bob, bobsPhone])).toEqual([200, 401, 401, 200, 200]);
    // Gone from Redis, not only unlisted: nothing is left for a stolen cookie to revive.
    expect(await storedSession(redis, phone.cookie)).toBeNull();
    expect(await storedSession(redis, tablet.cookie)).toBeNull();
    const sessions = await request(app).get('/auth/sessions').set('Cookie', laptop.cookie);
    expect(sessions.body.items).toEqual([expect.objectContaining({ userAgent: 'Laptop/1.0', current: true })]);
  });

  test('the browser asking keeps its cookie and CSRF token: its next state change still works', async () => {
    const app = testApp(redis);
    const laptop = await signUp(app);
    await logIn(app, laptop.email);

    await signOutOthers(app, laptop);

    expect((await request(app).post('/auth/logout').set(as(laptop))).status).toBe(204);
  });

  test('with only the one session, answers 204 and changes nothing', async () => {
    const app = testApp(redis);
    const laptop = await signUp(app);

    const response = await signOutOthers(app, laptop);

    expect(response.status).toBe(204);
    expect((await me(app, laptop.cookie)).status).toBe(200);
  });

  test.each([
    ['without the CSRF token', (browser: SignedInBrowser) => ({ Cookie: browser.cookie })],
    ['with a wrong CSRF token', (browser: SignedInBrowser) => ({ Cookie: browser.cookie, 'X-CSRF-Token': 'x'.repeat(43) })],
  ])('%s, answers 403 and every session stays signed in', async (_case, headersFor) => {
    const app = testApp(redis);
    const laptop = await signUp(app);
    const phone = await logIn(app, laptop.email);

    const response = await request(app).delete('/auth/sessions').set(headersFor(laptop));

    expect(response.status).toBe(403);
    expect(response.body.type).toMatch(/csrf-token-(missing|invalid)$/);
    expect(await statusesOf(app, [laptop, phone])).toEqual([200, 200]);
  });

  test('without a signed-in session, answers 401', async () => {
    const app = testApp(redis);

    const response = await request(app).delete('/auth/sessions');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Cookie/);
  });
});
