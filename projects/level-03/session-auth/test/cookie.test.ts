import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import {
  as,
  preSession,
  PASSWORD,
  testApp,
  sessionCookieOf,
  setCookieLine,
  storedSession,
  uniqueEmail,
  useSessionRedis,
} from './support.ts';

useTestDatabase();
const redis = useSessionRedis();

// Production refuses a bcrypt cost below 10; the proxy in front terminates TLS.
const production = { NODE_ENV: 'production', TRUST_PROXY: '1', BCRYPT_COST: '10' };

describe('the session cookie', () => {
  test('in development and test: sid, HttpOnly, SameSite=Lax, Path=/, expiring with the idle timeout', async () => {
    const app = testApp(redis, { env: { SESSION_IDLE_SECONDS: '600' } });

    const response = await request(app).get('/auth/csrf');

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

    const response = await request(app).get('/auth/csrf').set('X-Forwarded-Proto', 'https');

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

    const response = await request(app).get('/auth/csrf');

    expect(response.status).toBe(200);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  test('in production, the __Host-sid cookie signs a browser up and in over https', async () => {
    const app = testApp(redis, { env: production });
    const https = { 'X-Forwarded-Proto': 'https' };
    const csrf = await request(app).get('/auth/csrf').set(https);
    const browser = { cookie: sessionCookieOf(csrf, '__Host-sid') as string, csrfToken: csrf.body.csrfToken as string };
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
    const browser = await preSession(app);
    const forged = browser.cookie.replace(/\.[^.]+$/, '.forgedsignature');

    const response = await request(app)
      .post('/auth/login')
      .set(as({ ...browser, cookie: forged }))
      .send({ email: uniqueEmail(), password: PASSWORD });

    expect(response.status).toBe(403);
    expect(await storedSession(redis, browser.cookie)).toMatchObject({ csrfToken: browser.csrfToken });
  });

  test('responses are never stored by caches (Cache-Control: no-store)', async () => {
    const app = testApp(redis);

    const response = await request(app).get('/auth/csrf');

    expect(response.headers['cache-control']).toBe('no-store');
  });

  test('a request that needs no session sets no cookie and writes nothing to Redis', async () => {
    const app = testApp(redis);
    const before = await redis.client.keys(`${redis.prefix}sess:*`);

    const response = await request(app).get('/health');

    expect(response.headers['set-cookie']).toBeUndefined();
    expect(await redis.client.keys(`${redis.prefix}sess:*`)).toHaveLength(before.length);
  });
});
