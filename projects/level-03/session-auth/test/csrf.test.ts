import { describe, expect, test } from '@jest/globals';
import { User } from '@hub/core';
import { useTestDatabase } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import {
  as,
  logIn,
  me,
  preSession,
  PASSWORD,
  testApp,
  sessionCookieOf,
  sessionIdOf,
  signUp,
  storedSession,
  uniqueEmail,
  useSessionRedis,
  type Browser,
  type SignedInBrowser,
} from './support.ts';

useTestDatabase();
const redis = useSessionRedis();

/** A state-changing route, sent for `browser` with `headers`; `unchanged` proves the request changed nothing. */
interface StateChange {
  send(app: Express, browser: SignedInBrowser, headers: Record<string, string>): Promise<request.Response>;
  unchanged(app: Express, browser: SignedInBrowser): Promise<void>;
}

const stateChanges: Array<[string, StateChange]> = [
  [
    'POST /auth/signup',
    {
      send: (app, _browser, headers) =>
        request(app).post('/auth/signup').set(headers).send({ email: 'csrf-victim@example.com', password: PASSWORD }),
      unchanged: async () => expect(await User.exists({ email: 'csrf-victim@example.com' })).toBeNull(),
    },
  ],
  [
    'POST /auth/login',
    {
      send: (app, browser, headers) => request(app).post('/auth/login').set(headers).send({ email: browser.email, password: PASSWORD }),
      unchanged: async (_app, browser) => expect(await storedSession(redis, browser.cookie)).toMatchObject({ userId: browser.user.id }),
    },
  ],
  [
    'POST /auth/logout',
    {
      send: (app, _browser, headers) => request(app).post('/auth/logout').set(headers),
      unchanged: async (app, browser) => expect((await me(app, browser.cookie)).status).toBe(200),
    },
  ],
  [
    'DELETE /auth/sessions/:id',
    {
      send: async (app, browser, headers) => {
        const [current] = (await request(app).get('/auth/sessions').set('Cookie', browser.cookie)).body.items as Array<{ id: string }>;
        return request(app).delete(`/auth/sessions/${current?.id}`).set(headers);
      },
      unchanged: async (app, browser) => expect((await me(app, browser.cookie)).status).toBe(200),
    },
  ],
];

/** The ways a forged request's token can be wrong: [case, headers from the victim's browser and another one]. */
const badTokens: Array<[string, (victim: Browser, other: Browser) => Record<string, string>]> = [
  ['no X-CSRF-Token header', (victim) => ({ Cookie: victim.cookie })],
  ['a wrong token', (victim) => ({ Cookie: victim.cookie, 'X-CSRF-Token': 'A'.repeat(43) })],
  ['a token of another length', (victim) => ({ Cookie: victim.cookie, 'X-CSRF-Token': 'short' })],
  ['the token of another session', (victim, other) => ({ Cookie: victim.cookie, 'X-CSRF-Token': other.csrfToken })],
];

describe('CSRF protection on every state-changing route', () => {
  describe.each(stateChanges)('%s', (_route, { send, unchanged }) => {
    test.each(badTokens)('with %s, answers 403 problem+json and changes nothing', async (_case, headersFor) => {
      const app = testApp(redis);
      await User.deleteOne({ email: 'csrf-victim@example.com' });
      const victim = await signUp(app);
      const other = await signUp(app);

      const response = await send(app, victim, headersFor(victim, other));

      expect(response.status).toBe(403);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.type).toMatch(/csrf-token-(missing|invalid)$/);
      await unchanged(app, victim);
    });

    test('with the right token but Sec-Fetch-Site: cross-site, answers 403', async () => {
      const app = testApp(redis);
      await User.deleteOne({ email: 'csrf-victim@example.com' });
      const victim = await signUp(app);

      const response = await send(app, victim, { ...as(victim), 'Sec-Fetch-Site': 'cross-site' });

      expect(response.status).toBe(403);
      expect(response.body.type).toMatch(/cross-site-request$/);
      await unchanged(app, victim);
    });
  });

  test('a same-origin request with the right token passes (Sec-Fetch-Site: same-origin)', async () => {
    const app = testApp(redis);
    const account = await signUp(app);

    const response = await request(app).post('/auth/logout').set(as(account)).set('Sec-Fetch-Site', 'same-origin');

    expect(response.status).toBe(204);
  });

  test('a refusal is decided by the csrf stage, not by authentication (Server-Timing)', async () => {
    const app = testApp(redis);
    const account = await signUp(app);

    const response = await request(app).post('/auth/logout').set('Cookie', account.cookie);

    expect(response.status).toBe(403);
    expect(response.headers['server-timing']).toMatch(/(^|, )authn;dur=/);
    expect(response.headers['server-timing']).toMatch(/csrf;desc="failed here";dur=/);
  });

  test('a cookie-less login attempt with any token answers 403: no session, no token to match', async () => {
    const app = testApp(redis);
    const account = await signUp(app);

    const response = await request(app)
      .post('/auth/login')
      .set('X-CSRF-Token', account.csrfToken)
      .send({ email: account.email, password: PASSWORD });

    expect(response.status).toBe(403);
  });
});

describe('GET /auth/csrf', () => {
  test('starts a pre-session in Redis holding the token, and signs nobody in', async () => {
    const app = testApp(redis);

    const browser = await preSession(app);

    expect(browser.csrfToken).toMatch(/^[\w-]{43}$/);
    expect(await storedSession(redis, browser.cookie)).toMatchObject({ csrfToken: browser.csrfToken });
    expect(await storedSession(redis, browser.cookie)).not.toHaveProperty('userId');
    expect((await me(app, browser.cookie)).status).toBe(401);
  });

  test('gives the same token again to the same session, and a different one to another browser', async () => {
    const app = testApp(redis);
    const browser = await preSession(app);

    const again = await request(app).get('/auth/csrf').set('Cookie', browser.cookie);
    const other = await preSession(app);

    expect(again.body.csrfToken).toBe(browser.csrfToken);
    expect(sessionIdOf(sessionCookieOf(again) as string)).toBe(sessionIdOf(browser.cookie));
    expect(other.csrfToken).not.toBe(browser.csrfToken);
  });

  test('signing in rotates the token: the pre-session’s token no longer passes', async () => {
    const app = testApp(redis);
    const email = uniqueEmail();
    await signUp(app, { email });
    const browser = await preSession(app);
    const response = await request(app).post('/auth/login').set(as(browser)).send({ email, password: PASSWORD });
    const signedIn = { cookie: sessionCookieOf(response) as string, csrfToken: response.body.csrfToken as string };

    const withOldToken = await request(app)
      .post('/auth/logout')
      .set(as({ ...signedIn, csrfToken: browser.csrfToken }));
    const withNewToken = await request(app).post('/auth/logout').set(as(signedIn));

    expect(signedIn.csrfToken).not.toBe(browser.csrfToken);
    expect(withOldToken.status).toBe(403);
    expect(withNewToken.status).toBe(204);
  });

  test('a signed-in browser gets its session’s current token', async () => {
    const app = testApp(redis);
    const account = await signUp(app);
    const second = await logIn(app, account.email);

    const response = await request(app).get('/auth/csrf').set('Cookie', second.cookie);

    expect(response.body.csrfToken).toBe(second.csrfToken);
  });
});

describe('the OpenAPI document', () => {
  type Operation = { security?: Array<Record<string, unknown>> };
  const document = async () =>
    (await request(testApp(redis)).get('/openapi.json')).body as {
      paths: Record<string, Record<string, Operation>>;
      components: { securitySchemes: Record<string, unknown> };
    };

  test('shows each protected route with what it needs: the session cookie, and the CSRF header where state changes', async () => {
    const { paths } = await document();

    expect(paths['/auth/me']?.get?.security).toEqual([{ sessionCookie: [] }]);
    expect(paths['/auth/logout']?.post?.security).toEqual([{ sessionCookie: [], csrfToken: [] }]);
    expect(paths['/auth/sessions/{id}']?.delete?.security).toEqual([{ sessionCookie: [], csrfToken: [] }]);
    expect(paths['/auth/login']?.post?.security).toEqual([{ csrfToken: [] }]);
    expect(paths['/auth/csrf']?.get?.security).toBeUndefined();
  });

  test('declares the cookie and the header by their real names, and no Bearer scheme', async () => {
    const { components } = await document();

    expect(components.securitySchemes).toEqual({
      sessionCookie: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'sid' }),
      csrfToken: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-CSRF-Token' }),
    });
  });
});
