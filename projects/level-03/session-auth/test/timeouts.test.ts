import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { listedSessionIds, logIn, me, testApp, sessionIdOf, signUp, storedSession, testClock, useSessionRedis } from './support.ts';

useTestDatabase();
const redis = useSessionRedis();

// 10 minutes idle, 30 minutes in all.
const env = { SESSION_IDLE_SECONDS: '600', SESSION_ABSOLUTE_SECONDS: '1800' };

describe('the idle timeout', () => {
  test('a session unused for longer than SESSION_IDLE_SECONDS answers 401 and is gone from Redis', async () => {
    const clock = testClock();
    const app = testApp(redis, { env, now: clock.now });
    const account = await signUp(app);

    clock.advance(601);
    const response = await me(app, account.cookie);

    expect(response.status).toBe(401);
    expect(response.body.type).toMatch(/session-expired$/);
    expect(await storedSession(redis, account.cookie)).toBeNull();
    expect(await listedSessionIds(redis, account.user.id)).not.toContain(sessionIdOf(account.cookie));
    clock.advance(-601);
    expect((await me(app, account.cookie)).status).toBe(401);
  });

  test('each authenticated request restarts the idle clock', async () => {
    const clock = testClock();
    const app = testApp(redis, { env, now: clock.now });
    const account = await signUp(app);

    const answers = [];
    for (let step = 0; step < 3; step += 1) {
      clock.advance(599);
      answers.push((await me(app, account.cookie)).status);
    }

    expect(answers).toEqual([200, 200, 200]);
    expect(await storedSession(redis, account.cookie)).toMatchObject({ lastSeenAt: clock.now().getTime() });
  });
});

describe('the absolute timeout', () => {
  test('a session older than SESSION_ABSOLUTE_SECONDS answers 401 and is gone, however busy it was', async () => {
    const clock = testClock();
    const app = testApp(redis, { env, now: clock.now });
    const account = await signUp(app);
    for (let step = 0; step < 3; step += 1) {
      clock.advance(590);
      expect((await me(app, account.cookie)).status).toBe(200);
    }

    clock.advance(60);
    const response = await me(app, account.cookie);

    expect(response.status).toBe(401);
    expect(response.body.type).toMatch(/session-expired$/);
    expect(await storedSession(redis, account.cookie)).toBeNull();
  });

  test('a timed-out session is not listed among my sessions, and is removed from Redis on the way', async () => {
    const clock = testClock();
    const app = testApp(redis, { env, now: clock.now });
    const old = await signUp(app);
    clock.advance(601);
    const current = await logIn(app, old.email);

    const response = await request(app).get('/auth/sessions').set('Cookie', current.cookie);

    expect(response.body.items).toEqual([expect.objectContaining({ current: true })]);
    expect(await storedSession(redis, old.cookie)).toBeNull();
    expect(await listedSessionIds(redis, old.user.id)).toEqual([sessionIdOf(current.cookie)]);
  });
});
