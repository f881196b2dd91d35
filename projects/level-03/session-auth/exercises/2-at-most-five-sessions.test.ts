// Exercise 2: at most five sessions per user; a new sign-in ends the oldest, also under concurrency.
import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { as, logIn, me, signUp, storedSession, testApp, testClock, useSessionRedis, type SignedInBrowser } from '../test/support.ts';

useTestDatabase();
const redis = useSessionRedis();

const statusesOf = async (app: Express, browsers: SignedInBrowser[]) =>
  Promise.all(browsers.map(async (browser) => (await me(app, browser.cookie)).status));
const count = <T>(values: T[], value: T) => values.filter((each) => each === value).length;

describe('exercise 2: at most five sessions per user', () => {
  test('the sixth sign-in ends the oldest session (gone from Redis too); the five newest stay signed in', async () => {
    const clock = testClock();
    const app = testApp(redis, { now: clock.now });
    const oldest = await signUp(app);
    const newer: SignedInBrowser[] = [];
    for (let login = 0; login < 5; login += 1) {
      clock.advance(1);
      newer.push(await logIn(app, oldest.email));
    }

    expect(await storedSession(redis, oldest.cookie)).toBeNull();
    const refused = await me(app, oldest.cookie);
    expect(refused.status).toBe(401);
    expect(await statusesOf(app, newer)).toEqual([200, 200, 200, 200, 200]);
    const sessions = await request(app)
      .get('/auth/sessions')
      .set('Cookie', newer[0]?.cookie ?? '');
    expect(sessions.body.items).toHaveLength(5);
  });

  test('five sessions are not capped: all of them keep working', async () => {
    const clock = testClock();
    const app = testApp(redis, { now: clock.now });
    const first = await signUp(app);
    const browsers = [first];
    for (let login = 0; login < 4; login += 1) {
      clock.advance(1);
      browsers.push(await logIn(app, first.email));
    }

    expect(await statusesOf(app, browsers)).toEqual([200, 200, 200, 200, 200]);
  });

  test('signing out frees a place: after one of five logs out, the next sign-in ends nobody', async () => {
    const clock = testClock();
    const app = testApp(redis, { now: clock.now });
    const first = await signUp(app);
    const browsers = [first];
    for (let login = 0; login < 4; login += 1) {
      clock.advance(1);
      browsers.push(await logIn(app, first.email));
    }
    expect(
      (
        await request(app)
          .post('/auth/logout')
          .set(as(browsers[2] as SignedInBrowser))
      ).status,
    ).toBe(204);

    clock.advance(1);
    const latest = await logIn(app, first.email);

    const kept = [...browsers.slice(0, 2), ...browsers.slice(3), latest];
    expect(await statusesOf(app, kept)).toEqual([200, 200, 200, 200, 200]);
  });

  test('ten sign-ins at the same moment leave exactly five sessions, of this user only', async () => {
    // The per-account limit counts an attempt before its outcome is known: ten at once would trip it.
    const app = testApp(redis, { env: { LOGIN_MAX_FAILURES: '20' } });
    const ada = await signUp(app);
    const bob = await signUp(app);

    const logins = await Promise.all(Array.from({ length: 10 }, () => logIn(app, ada.email)));

    // Which five survive is a race; how many is not. (A sign-in still in flight when another one
    // ends its session may write its copy back to Redis: the user's list decides, not that copy.)
    const statuses = await statusesOf(app, [ada, ...logins]);
    expect(count(statuses, 200)).toBe(5);
    expect(count(statuses, 401)).toBe(6);
    const survivor = [ada, ...logins][statuses.indexOf(200)] as SignedInBrowser;
    expect((await request(app).get('/auth/sessions').set('Cookie', survivor.cookie)).body.items).toHaveLength(5);
    expect((await me(app, bob.cookie)).status).toBe(200);
  });
});
