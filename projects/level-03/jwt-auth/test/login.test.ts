import { describe, expect, test } from '@jest/globals';
import { User } from '@hub/core';
import { expectFieldProblem, recordedSleep, signUp, useTestDatabase, useTestRedis, withoutRequestId } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { testApp, login, PASSWORD } from './support.ts';

useTestDatabase();
const redis = useTestRedis();

describe('POST /auth/login', () => {
  test('with the right password, answers 200 with an access token and a refresh token', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);

    const response = await login(app, account.email);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { email: account.email } });
    expect(response.body.refreshToken).toEqual(expect.any(String));
  });

  test('an unknown email and a wrong password get the same status, headers and body', async () => {
    const app = testApp(redis.redis);
    const account = await signUp(app);

    const unknown = await login(app, 'nobody-here@example.com', 'wrong password');
    const wrong = await login(app, account.email, 'wrong password');

    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(withoutRequestId(wrong.body)).toEqual(withoutRequestId(unknown.body));
    expect(wrong.headers['www-authenticate']).toBe(unknown.headers['www-authenticate']);
  });

  test('when password is {"$gt": ""}, answers 400 naming password and signs nobody in', async () => {
    const app = testApp(redis.redis);
    await signUp(app, { email: 'a@x.io' });

    const response = await request(app)
      .post('/auth/login')
      .send({ email: 'a@x.io', password: { $gt: '' } });

    expectFieldProblem(response, 'body', 'password');
    expect(response.body).not.toHaveProperty('accessToken');
  });
});

/** A login from one client address (the tests trust X-Forwarded-For with TRUST_PROXY=1). */
const loginFrom = (app: Express, ip: string, email: string, password: string = PASSWORD) =>
  request(app).post('/auth/login').set('X-Forwarded-For', ip).send({ email, password });

describe('login throttling', () => {
  test('after LOGIN_MAX_FAILURES failures for one account from one address, that address gets 429 with Retry-After, even to the right password', async () => {
    const app = testApp(redis.redis, { LOGIN_MAX_FAILURES: '3' });
    const account = await signUp(app);
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await login(app, account.email, 'wrong password')).status).toBe(401);

    const response = await login(app, account.email);

    expect(response.status).toBe(429);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(response.headers['server-timing']).toMatch(/limit;desc="failed here"/);
  });

  test('failures from one address do not lock the owner out: the right password from another address still signs in', async () => {
    const app = testApp(redis.redis, { LOGIN_MAX_FAILURES: '3', TRUST_PROXY: '1' });
    const account = await signUp(app);
    for (let attempt = 0; attempt < 5; attempt += 1) await loginFrom(app, '203.0.113.50', account.email, 'wrong password');

    const attacker = await loginFrom(app, '203.0.113.50', account.email);
    const owner = await loginFrom(app, '198.51.100.50', account.email);

    expect(attacker.status).toBe(429);
    expect(owner.status).toBe(200);
    expect(owner.body.user.email).toBe(account.email);
  });

  test('past LOGIN_SLOWDOWN_AFTER failures from all addresses, each attempt on the account waits 1 s longer, up to LOGIN_MAX_DELAY_MS, and the right password still signs in', async () => {
    const clock = recordedSleep();
    const app = testApp(redis.redis, { LOGIN_SLOWDOWN_AFTER: '3', LOGIN_MAX_DELAY_MS: '2500', TRUST_PROXY: '1' }, clock);
    const account = await signUp(app);
    const failures = [];
    for (let n = 1; n <= 5; n += 1) failures.push((await loginFrom(app, `203.0.113.${60 + n}`, account.email, 'wrong password')).status);

    const owner = await loginFrom(app, '198.51.100.60', account.email);

    expect(failures).toEqual([401, 401, 401, 401, 401]);
    expect(owner.status).toBe(200);
    expect(owner.headers['server-timing']).toMatch(/\bdelay;dur=/);
    // Failures 1–3 go through at once; the 4th and 5th wait 1 s and 2 s; the owner's (6th attempt) is capped at 2.5 s.
    expect(clock.waits).toEqual([1000, 2000, 2500]);
  });

  test('the slowdown counts failures only: below LOGIN_SLOWDOWN_AFTER, successful logins never wait', async () => {
    const clock = recordedSleep();
    const app = testApp(redis.redis, { LOGIN_SLOWDOWN_AFTER: '2' }, clock);
    const account = await signUp(app);

    const answers = [];
    for (let attempt = 0; attempt < 4; attempt += 1) answers.push((await login(app, account.email)).status);
    answers.push((await login(app, account.email, 'wrong password')).status);

    expect(answers).toEqual([200, 200, 200, 200, 401]);
    expect(clock.waits).toEqual([]);
  });

  test('counts failures per account: another account from the same address still signs in', async () => {
    const app = testApp(redis.redis, { LOGIN_MAX_FAILURES: '3' });
    const victim = await signUp(app);
    const bystander = await signUp(app);
    for (let attempt = 0; attempt < 4; attempt += 1) await login(app, victim.email, 'wrong password');

    expect((await login(app, bystander.email)).status).toBe(200);
  });

  test('an unknown email is throttled exactly like a real one, so the 429 reveals nothing', async () => {
    const app = testApp(redis.redis, { LOGIN_MAX_FAILURES: '2' });
    for (let attempt = 0; attempt < 2; attempt += 1) await login(app, 'ghost@example.com', 'wrong password');

    expect((await login(app, 'ghost@example.com', 'wrong password')).status).toBe(429);
  });

  test('successful logins do not count towards the account limit', async () => {
    const app = testApp(redis.redis, { LOGIN_MAX_FAILURES: '2' });
    const account = await signUp(app);

    const answers = [];
    for (let attempt = 0; attempt < 4; attempt += 1) answers.push((await login(app, account.email)).status);
    answers.push((await login(app, account.email, 'wrong password')).status);

    expect(answers).toEqual([200, 200, 200, 200, 401]);
  });

  test('the email is normalised first: Ada@X.io and ada@x.io share one counter', async () => {
    const app = testApp(redis.redis, { LOGIN_MAX_FAILURES: '2' });
    const account = await signUp(app);
    await login(app, account.email.toUpperCase(), 'wrong password');
    await login(app, ` ${account.email}`, 'wrong password');

    expect((await login(app, account.email)).status).toBe(429);
  });

  test('when 10 wrong passwords arrive at once, the limit still holds: at most LOGIN_MAX_FAILURES get a 401', async () => {
    const app = testApp(redis.redis, { LOGIN_MAX_FAILURES: '3' });
    const account = await signUp(app);

    const answers = await Promise.all(Array.from({ length: 10 }, () => login(app, account.email, 'wrong password')));

    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(3);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(7);
  });

  test('the per-IP limit caps every attempt from one address, whatever the accounts', async () => {
    const app = testApp(redis.redis, { LOGIN_MAX_PER_IP: '3', TRUST_PROXY: '1' });
    const from = (ip: string, email: string) =>
      request(app).post('/auth/login').set('X-Forwarded-For', ip).send({ email, password: PASSWORD });
    for (let attempt = 0; attempt < 3; attempt += 1) await from('203.0.113.7', `spray-${attempt}@example.com`);

    const blocked = await from('203.0.113.7', 'spray-last@example.com');
    const otherAddress = await from('198.51.100.9', 'spray-last@example.com');

    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect(otherAddress.status).toBe(401);
  });

  test('one address failing on many accounts locks out only itself: their owners elsewhere still sign in', async () => {
    const app = testApp(redis.redis, { LOGIN_MAX_FAILURES: '2', TRUST_PROXY: '1' });
    const accounts = [await signUp(app), await signUp(app), await signUp(app)];
    for (const account of accounts)
      for (let attempt = 0; attempt < 2; attempt += 1) await loginFrom(app, '203.0.113.70', account.email, 'x');

    const fromAttacker = await Promise.all(accounts.map((account) => loginFrom(app, '203.0.113.70', account.email)));
    const fromOwners = await Promise.all(accounts.map((account, n) => loginFrom(app, `198.51.100.${70 + n}`, account.email)));

    expect(fromAttacker.map((answer) => answer.status)).toEqual([429, 429, 429]);
    expect(fromOwners.map((answer) => answer.status)).toEqual([200, 200, 200]);
  });

  test('the counters live in Redis: two instances of the service share them', async () => {
    const one = testApp(redis.redis, { LOGIN_MAX_FAILURES: '2' });
    const two = testApp(redis.redis, { LOGIN_MAX_FAILURES: '2' });
    const account = await signUp(one);
    await login(one, account.email, 'wrong password');
    await login(two, account.email, 'wrong password');

    expect((await login(one, account.email)).status).toBe(429);
    expect((await login(two, account.email)).status).toBe(429);
  });
});

describe('re-hashing at login', () => {
  const storedHash = async (email: string) => (await User.findOne({ email }).select('+passwordHash').lean())?.passwordHash;
  /** The cost a bcrypt hash was made with: `$2b$05$…` → 5. */
  const roundsOf = async (email: string) => Number(/^\$2[aby]\$(\d\d)\$/.exec((await storedHash(email)) ?? '')?.[1]);

  test('after BCRYPT_COST changes, the right password replaces the stored hash with one at the new cost, and it still signs in', async () => {
    const account = await signUp(testApp(redis.redis, { BCRYPT_COST: '5' }));
    const app = testApp(redis.redis, { BCRYPT_COST: '4' });
    expect(await roundsOf(account.email)).toBe(5);

    expect((await login(app, account.email)).status).toBe(200);

    expect(await roundsOf(account.email)).toBe(4);
    expect((await login(app, account.email)).status).toBe(200);
    expect((await login(app, account.email, 'wrong password')).status).toBe(401);
  });

  test('a wrong password leaves the stored hash as it was', async () => {
    const account = await signUp(testApp(redis.redis, { BCRYPT_COST: '5' }));
    const before = await storedHash(account.email);

    expect((await login(testApp(redis.redis, { BCRYPT_COST: '4' }), account.email, 'wrong password')).status).toBe(401);

    expect(await storedHash(account.email)).toBe(before);
  });
});
