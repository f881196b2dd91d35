import { describe, expect, test } from '@jest/globals';
import { User } from '@hub/core';
import { expectFieldProblem, recordedSleep, useTestDatabase, withoutRequestId } from '@hub/testkit';
import request from 'supertest';
import {
  as,
  logIn,
  logInAttempt,
  logInFrom,
  me,
  preLogin,
  testApp,
  sessionCookieOf,
  sessionIdOf,
  signUp,
  sessionKeys,
  storedSession,
  uniqueEmail,
  useSessionRedis,
  PASSWORD,
} from './support.ts';

useTestDatabase();
const redis = useSessionRedis();

describe('POST /auth/login', () => {
  test('with the right password, answers 200 with the account and a new CSRF token, and the cookie signs the browser in', async () => {
    const app = testApp(redis);
    const account = await signUp(app);
    const browser = await preLogin(app);

    const response = await request(app).post('/auth/login').set(as(browser)).send({ email: account.email, password: PASSWORD });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      user: expect.objectContaining({ id: account.user.id, email: account.email, role: 'user' }),
      csrfToken: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(response.body.csrfToken).not.toBe(browser.csrfToken);
    const cookie = sessionCookieOf(response) as string;
    expect((await me(app, cookie)).body).toMatchObject({ id: account.user.id });
  });

  test('the session id changes at login: a session cookie planted in the browser before does not authenticate and its session is gone from Redis', async () => {
    const app = testApp(redis);
    const account = await signUp(app);
    // Session fixation: the attacker signs in to an account of their own and plants that cookie (and its token) in the victim's browser.
    const planted = await signUp(app);

    const response = await request(app).post('/auth/login').set(as(planted)).send({ email: account.email, password: PASSWORD });

    expect(response.status).toBe(200);
    const cookie = sessionCookieOf(response) as string;
    expect(sessionIdOf(cookie)).not.toBe(sessionIdOf(planted.cookie));
    expect(await storedSession(redis, planted.cookie)).toBeNull();
    expect(await storedSession(redis, cookie)).toMatchObject({ userId: account.user.id });
    const withOldCookie = await me(app, planted.cookie);
    expect(withOldCookie.status).toBe(401);
    expect(withOldCookie.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  test('before login nothing is stored: the session, its id and its cookie are made by the login response', async () => {
    const app = testApp(redis);
    const account = await signUp(app);
    const before = await sessionKeys(redis);
    const browser = await preLogin(app);
    expect(await sessionKeys(redis)).toEqual(before);

    const response = await request(app).post('/auth/login').set(as(browser)).send({ email: account.email, password: PASSWORD });

    const cookie = sessionCookieOf(response) as string;
    expect(await storedSession(redis, cookie)).toMatchObject({ userId: account.user.id });
    expect(await sessionKeys(redis)).toHaveLength(before.length + 1);
  });

  test('logging in as someone else from a signed-in browser ends the first session', async () => {
    const app = testApp(redis);
    const first = await signUp(app);
    const second = await signUp(app);

    const response = await request(app).post('/auth/login').set(as(first)).send({ email: second.email, password: PASSWORD });

    expect(response.status).toBe(200);
    expect(await storedSession(redis, first.cookie)).toBeNull();
    expect((await me(app, first.cookie)).status).toBe(401);
    expect((await me(app, sessionCookieOf(response) as string)).body).toMatchObject({ id: second.user.id });
  });

  test('an unknown email and a wrong password get the same status and body, and no session', async () => {
    const app = testApp(redis);
    const account = await signUp(app);

    const unknown = await logInAttempt(app, uniqueEmail(), 'wrong password');
    const wrong = await logInAttempt(app, account.email, 'wrong password');

    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(withoutRequestId(wrong.body)).toEqual(withoutRequestId(unknown.body));
    expect(wrong.headers['www-authenticate']).toBe(unknown.headers['www-authenticate']);
    // A cookie service's challenge, not the Bearer one of the token services.
    expect(wrong.headers['www-authenticate']).toMatch(/^Cookie /);
    // No session was started for either, so no session cookie comes back.
    expect(sessionCookieOf(wrong)).toBeUndefined();
    expect(sessionCookieOf(unknown)).toBeUndefined();
  });

  test('when password is {"$gt": ""}, answers 400 naming password and signs nobody in', async () => {
    const app = testApp(redis);
    await User.deleteOne({ email: 'a@x.io' });
    await signUp(app, { email: 'a@x.io' });
    const browser = await preLogin(app);

    const response = await request(app)
      .post('/auth/login')
      .set(as(browser))
      .send({ email: 'a@x.io', password: { $gt: '' } });

    expectFieldProblem(response, 'body', 'password');
    expect(sessionCookieOf(response)).toBeUndefined();
  });

  test.each([
    ['the email is missing', { password: PASSWORD }, 'email'],
    ['the email is an operator object', { email: { $ne: null }, password: PASSWORD }, 'email'],
    ['the password is a number', { email: 'a@x.io', password: 12345678 }, 'password'],
    ['the password is over 1024 characters', { email: 'a@x.io', password: 'x'.repeat(1025) }, 'password'],
  ])('when %s, answers 400 naming the field', async (_case, body, field) => {
    const app = testApp(redis);
    const browser = await preLogin(app);

    const response = await request(app).post('/auth/login').set(as(browser)).send(body);

    expectFieldProblem(response, 'body', field);
  });
});

describe('login throttling', () => {
  test('after LOGIN_MAX_FAILURES failures for one account from one address, that address gets 429 with Retry-After, even to the right password', async () => {
    const app = testApp(redis, { env: { LOGIN_MAX_FAILURES: '3' } });
    const account = await signUp(app);
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await logInAttempt(app, account.email, 'wrong password')).status).toBe(401);

    const response = await logInAttempt(app, account.email);

    expect(response.status).toBe(429);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(sessionCookieOf(response)).toBeUndefined();
  });

  test('failures from one address do not lock the owner out: the right password from another address signs in', async () => {
    const app = testApp(redis, { env: { LOGIN_MAX_FAILURES: '3', TRUST_PROXY: '1' } });
    const account = await signUp(app);
    for (let attempt = 0; attempt < 5; attempt += 1) await logInFrom(app, '203.0.113.50', account.email, 'wrong password');

    const attacker = await logInFrom(app, '203.0.113.50', account.email);
    const owner = await logInFrom(app, '198.51.100.50', account.email);

    expect(attacker.status).toBe(429);
    expect(owner.status).toBe(200);
    expect((await me(app, sessionCookieOf(owner) as string)).body).toMatchObject({ id: account.user.id });
  });

  test('past LOGIN_SLOWDOWN_AFTER failures from all addresses, each attempt waits longer (up to LOGIN_MAX_DELAY_MS), and the owner still signs in', async () => {
    const clock = recordedSleep();
    const app = testApp(redis, { env: { LOGIN_SLOWDOWN_AFTER: '2', LOGIN_MAX_DELAY_MS: '1500', TRUST_PROXY: '1' }, sleep: clock.sleep });
    const account = await signUp(app);
    for (let n = 1; n <= 3; n += 1) expect((await logInFrom(app, `203.0.113.${60 + n}`, account.email, 'wrong password')).status).toBe(401);

    const owner = await logInFrom(app, '198.51.100.60', account.email);

    expect(owner.status).toBe(200);
    // The 3rd failure waits 1 s; the owner's attempt (the 4th) would wait 2 s and is capped at 1.5 s.
    expect(clock.waits).toEqual([1000, 1500]);
  });

  test('requests refused for their CSRF token do not count as failed logins', async () => {
    const app = testApp(redis, { env: { LOGIN_MAX_FAILURES: '2' } });
    const account = await signUp(app);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await request(app).post('/auth/login').send({ email: account.email, password: 'wrong password' })).status).toBe(403);
    }

    expect((await logIn(app, account.email)).user.id).toBe(account.user.id);
  });

  test('the per-IP limit caps every attempt from one address, whatever the accounts', async () => {
    const app = testApp(redis, { env: { LOGIN_MAX_PER_IP: '3', TRUST_PROXY: '1' } });
    const browser = await preLogin(app);
    const from = (ip: string, email: string) =>
      request(app).post('/auth/login').set(as(browser)).set('X-Forwarded-For', ip).send({ email, password: PASSWORD });
    for (let attempt = 0; attempt < 3; attempt += 1) await from('203.0.113.7', uniqueEmail());

    const blocked = await from('203.0.113.7', uniqueEmail());
    const otherAddress = await from('198.51.100.9', uniqueEmail());

    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect(otherAddress.status).toBe(401);
  });
});
