import { describe, expect, test } from '@jest/globals';
import { User } from '@hub/core';
import { expectFieldProblem, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import {
  as,
  me,
  preLogin,
  PASSWORD,
  testApp,
  sessionCookieOf,
  sessionIdOf,
  signUp,
  storedSession,
  uniqueEmail,
  useSessionRedis,
} from './support.ts';

useTestDatabase();
const redis = useSessionRedis();

describe('POST /auth/signup', () => {
  test('answers 201 with the account, signs the browser in, and ignores a role in the body', async () => {
    const app = testApp(redis);
    const browser = await preLogin(app);
    const email = uniqueEmail();

    const response = await request(app)
      .post('/auth/signup')
      .set(as(browser))
      .send({ email, password: PASSWORD, name: 'Mallory', role: 'admin' });

    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({ email, name: 'Mallory', role: 'user' });
    expect(response.body.user).not.toHaveProperty('passwordHash');
    expect((await User.findOne({ email }).lean())?.role).toBe('user');
    const cookie = sessionCookieOf(response) as string;
    expect(await storedSession(redis, cookie)).toMatchObject({ role: 'user' });
    expect((await me(app, cookie)).body).toMatchObject({ email, role: 'user' });
  });

  test('gives the session a new id: a session cookie planted in the browser before does not authenticate and its session is gone from Redis', async () => {
    const app = testApp(redis);
    const planted = await signUp(app);
    const email = uniqueEmail();

    const response = await request(app).post('/auth/signup').set(as(planted)).send({ email, password: PASSWORD });

    expect(response.status).toBe(201);
    const cookie = sessionCookieOf(response) as string;
    expect(sessionIdOf(cookie)).not.toBe(sessionIdOf(planted.cookie));
    expect(await storedSession(redis, planted.cookie)).toBeNull();
    expect((await me(app, planted.cookie)).status).toBe(401);
    expect((await me(app, cookie)).body).toMatchObject({ email });
  });

  test('when the email is taken, answers 409 and signs nobody in', async () => {
    const app = testApp(redis);
    const account = await signUp(app);
    const browser = await preLogin(app);

    const response = await request(app).post('/auth/signup').set(as(browser)).send({ email: account.email, password: PASSWORD });

    expect(response.status).toBe(409);
    expect(sessionCookieOf(response)).toBeUndefined();
    expect((await me(app, browser.cookie)).status).toBe(401);
  });

  test('after SIGNUP_MAX_PER_IP signups from one address, the next answers 429 with Retry-After, a taken email too: 409s cannot walk a list of emails', async () => {
    const taken = await signUp(testApp(redis));
    const app = testApp(redis, { env: { SIGNUP_MAX_PER_IP: '2', TRUST_PROXY: '1' } });
    const signupFrom = async (ip: string) =>
      request(app)
        .post('/auth/signup')
        .set(as(await preLogin(app)))
        .set('X-Forwarded-For', ip)
        .send({ email: taken.email, password: PASSWORD });
    const answers = [(await signupFrom('203.0.113.80')).status, (await signupFrom('203.0.113.80')).status];

    const refused = await signupFrom('203.0.113.80');
    const otherAddress = await signupFrom('198.51.100.80');

    expect(answers).toEqual([409, 409]);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(otherAddress.status).toBe(409);
  });

  test.each([
    ['the password is too short', { email: 'b@x.io', password: 'short' }, 'password'],
    ['the email is not an email', { email: 'not-an-email', password: PASSWORD }, 'email'],
    ['the email is an operator object', { email: { $gt: '' }, password: PASSWORD }, 'email'],
  ])('when %s, answers 400 naming the field and creates no account', async (_case, body, field) => {
    const app = testApp(redis);
    const browser = await preLogin(app);
    const before = await User.countDocuments();

    const response = await request(app).post('/auth/signup').set(as(browser)).send(body);

    expectFieldProblem(response, 'body', field);
    expect(await User.countDocuments()).toBe(before);
  });
});
