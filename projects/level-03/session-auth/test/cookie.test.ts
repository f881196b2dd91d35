import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import type { Express } from 'express';
import {
  as,
  me,
  preLogin,
  PASSWORD,
  testApp,
  sessionCookieOf,
  sessionKeys,
  setCookieLine,
  signUp,
  storedSession,
  uniqueEmail,
  useSessionRedis,
  type Browser,
} from './support.ts';

useTestDatabase();
const redis = useSessionRedis();

// Production refuses a bcrypt cost below 10; the proxy in front terminates TLS.
const production = { NODE_ENV: 'production', TRUST_PROXY: '1', BCRYPT_COST: '10' };
const https = { 'X-Forwarded-Proto': 'https' };

/** POST /auth/signup from a fresh browser: the response that sets its first session cookie. */
async function signupResponse(app: Express) {
  const browser = await preLogin(app);
  return request(app).post('/auth/signup').set(as(browser)).send({ email: uniqueEmail(), password: PASSWORD });
}

describe('the session cookie', () => {
  test('in development and test: sid, HttpOnly, SameSite=Lax, Path=/, expiring with the idle timeout', async () => {
    const app = testApp(redis, { env: { SESSION_IDLE_SECONDS: '600' } });

    const response = await signupResponse(app);

    const line = setCookieLine(response) as string;
    expect(line).toMatch(/^sid=s%3A/);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).toMatch(/; Path=\//);
    expect(line).not.toMatch(/; Secure/);
    expect(line).not.toMatch(/; Domain=/i);
    const expires = Date.parse(/Expires=([^;]+)/.exec(line)?.[1] ?? '');
    expect(expires - Date.now()).toBeGreaterThan(590_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(600_000);
  });

  test('in production over https behind the proxy: __Host-sid, Secure, HttpOnly, SameSite=Lax, Path=/', async () => {
    const app = testApp(redis, { env: production });
    const csrf = await request(app).get('/auth/csrf').set(https);
    const browser = { cookie: sessionCookieOf(csrf, '__Host-csrf') as string, csrfToken: csrf.body.csrfToken as string };

    const response = await request(app).post('/auth/signup').set(https).set(as(browser)).send({ email: uniqueEmail(), password: PASSWORD });

    expect(response.status).toBe(201);
    const line = setCookieLine(response, '__Host-sid') as string;
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).toMatch(/; Path=\/(;|$)/);
    expect(line).not.toMatch(/; Domain=/i);
    expect(sessionCookieOf(response)).toBeUndefined();
  });

  test('in production over plain http: no session cookie is set', async () => {
    const app = testApp(redis, { env: production });
    const csrf = await request(app).get('/auth/csrf').set(https);
    const browser = { cookie: sessionCookieOf(csrf, '__Host-csrf') as string, csrfToken: csrf.body.csrfToken as string };

    const response = await request(app).post('/auth/signup').set(as(browser)).send({ email: uniqueEmail(), password: PASSWORD });

    expect(response.status).toBe(201);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  test('in production, the __Host-sid cookie signs a browser up and in over https', async () => {
    const app = testApp(redis, { env: production });
    const csrf = await request(app).get('/auth/csrf').set(https);
    const browser = { cookie: sessionCookieOf(csrf, '__Host-csrf') as string, csrfToken: csrf.body.csrfToken as string };
    const email = uniqueEmail();

    const signup = await request(app).post('/auth/signup').set(https).set(as(browser)).send({ email, password: PASSWORD });
    const cookie = sessionCookieOf(signup, '__Host-sid') as string;
    const me = await request(app).get('/auth/me').set(https).set('Cookie', cookie);

    expect(signup.status).toBe(201);
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(email);
  });

  test('a cookie whose signature is wrong is ignored: no session is loaded', async () => {
    const app = testApp(redis);
    const account = await signUp(app);
    const forged = account.cookie.replace(/\.[^.]+$/, '.forgedsignature');

    const withForged = await me(app, forged);
    const logout = await request(app)
      .post('/auth/logout')
      .set(as({ ...account, cookie: forged }));

    expect(withForged.status).toBe(401);
    expect(logout.status).toBe(401);
    expect(await storedSession(redis, account.cookie)).toMatchObject({ userId: account.user.id });
    expect((await me(app, account.cookie)).status).toBe(200);
  });

  test('responses are never stored by caches (Cache-Control: no-store)', async () => {
    const app = testApp(redis);

    const response = await request(app).get('/auth/csrf');

    expect(response.headers['cache-control']).toBe('no-store');
  });

  test('a request that needs no session sets no cookie and writes nothing to Redis', async () => {
    const app = testApp(redis);
    const before = await sessionKeys(redis);

    const response = await request(app).get('/health');

    expect(response.headers['set-cookie']).toBeUndefined();
    expect(await sessionKeys(redis)).toEqual(before);
  });

  // Whatever a visitor does before signing in, Redis holds nothing for it: a flood of them cannot fill it.
  const beforeSignIn: Array<[string, (app: Express, browser: Browser, taken: string) => request.Test, number]> = [
    ['GET /auth/csrf', (app) => request(app).get('/auth/csrf'), 200],
    ['GET /auth/me', (app, browser) => request(app).get('/auth/me').set('Cookie', browser.cookie), 401],
    ['GET /auth/sessions', (app, browser) => request(app).get('/auth/sessions').set('Cookie', browser.cookie), 401],
    ['POST /auth/logout', (app, browser) => request(app).post('/auth/logout').set(as(browser)), 401],
    [
      'DELETE /auth/sessions/:id',
      (app, browser) =>
        request(app)
          .delete(`/auth/sessions/${'0'.repeat(32)}`)
          .set(as(browser)),
      401,
    ],
    [
      'POST /auth/login with a wrong password',
      (app, browser, taken) => request(app).post('/auth/login').set(as(browser)).send({ email: taken, password: 'wrong password' }),
      401,
    ],
    [
      'POST /auth/login without a token',
      (app, _browser, taken) => request(app).post('/auth/login').send({ email: taken, password: PASSWORD }),
      403,
    ],
    [
      'POST /auth/signup with a taken email',
      (app, browser, taken) => request(app).post('/auth/signup').set(as(browser)).send({ email: taken, password: PASSWORD }),
      409,
    ],
    ['POST /auth/signup with a bad body', (app, browser) => request(app).post('/auth/signup').set(as(browser)).send({ email: 'x' }), 400],
    ['an unknown path', (app, browser) => request(app).get('/auth/nowhere').set('Cookie', browser.cookie), 404],
  ];
  test.each(beforeSignIn)('before sign-in, %s stores no session and sets no session cookie', async (_case, send, status) => {
    const app = testApp(redis);
    const taken = (await signUp(app)).email;
    const browser = await preLogin(app);
    const before = await sessionKeys(redis);

    const response = await send(app, browser, taken);

    expect(response.status).toBe(status);
    expect(sessionCookieOf(response)).toBeUndefined();
    expect(await sessionKeys(redis)).toEqual(before);
  });
});

describe('the pre-login CSRF cookie (GET /auth/csrf before sign-in)', () => {
  test('in development and test: csrf, HttpOnly, SameSite=Strict, Path=/, expiring with the idle timeout, holding the token the body returns', async () => {
    const app = testApp(redis, { env: { SESSION_IDLE_SECONDS: '600' } });

    const response = await request(app).get('/auth/csrf');

    const line = setCookieLine(response, 'csrf') as string;
    expect(line.startsWith(`csrf=${response.body.csrfToken as string};`)).toBe(true);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Strict/);
    expect(line).toMatch(/; Path=\//);
    expect(line).toMatch(/; Max-Age=600;/);
    expect(line).not.toMatch(/; Secure/);
    expect(line).not.toMatch(/; Domain=/i);
    expect(setCookieLine(response)).toBeUndefined();
  });

  test('in production over https behind the proxy: __Host-csrf, Secure, HttpOnly, SameSite=Strict, Path=/, no Domain', async () => {
    const app = testApp(redis, { env: production });

    const response = await request(app).get('/auth/csrf').set(https);

    const line = setCookieLine(response, '__Host-csrf') as string;
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Strict/);
    expect(line).toMatch(/; Path=\/(;|$)/);
    expect(line).not.toMatch(/; Domain=/i);
    expect(setCookieLine(response, 'csrf')).toBeUndefined();
  });

  test('in production over plain http: no cookie is set', async () => {
    const app = testApp(redis, { env: production });

    const response = await request(app).get('/auth/csrf');

    expect(response.status).toBe(200);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  test('signing in clears it: from then on the session’s token applies', async () => {
    const app = testApp(redis);
    const browser = await preLogin(app);

    const response = await request(app).post('/auth/signup').set(as(browser)).send({ email: uniqueEmail(), password: PASSWORD });

    expect(response.status).toBe(201);
    expect(setCookieLine(response, 'csrf')).toMatch(/^csrf=;.*Expires=Thu, 01 Jan 1970 00:00:00 GMT/);
  });
});
