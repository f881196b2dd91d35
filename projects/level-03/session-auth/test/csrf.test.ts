import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { User } from '@hub/core';
import { useTestDatabase } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import {
  as,
  logIn,
  me,
  preLogin,
  PASSWORD,
  SESSION_SECRET,
  testApp,
  sessionCookieOf,
  sessionKeys,
  setCookieLine,
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
    const issued = await preLogin(app);

    for (const token of [account.csrfToken, issued.csrfToken]) {
      const response = await request(app).post('/auth/login').set('X-CSRF-Token', token).send({ email: account.email, password: PASSWORD });
      expect(response.status).toBe(403);
      expect(response.body.type).toMatch(/csrf-token-invalid$/);
    }
  });
});

/** A `<nonce>.<mac>` pair made outside the service, with `key` as the HMAC key. */
const pairSignedWith = (key: string) => {
  const nonce = randomBytes(32).toString('base64url');
  return `${nonce}.${createHmac('sha256', key).update(nonce).digest('base64url')}`;
};

/**
 * Before sign-in the token is checked against the signed csrf cookie: [case, headers from the
 * victim's browser and another one, the problem type]. Login CSRF needs one of these to pass.
 */
const badPreLoginTokens: Array<[string, (victim: Browser, other: Browser) => Record<string, string>, string]> = [
  ['no X-CSRF-Token header', (victim) => ({ Cookie: victim.cookie }), 'csrf-token-missing'],
  ['a token but no csrf cookie', (victim) => ({ 'X-CSRF-Token': victim.csrfToken }), 'csrf-token-invalid'],
  ['a wrong token', (victim) => ({ Cookie: victim.cookie, 'X-CSRF-Token': `${'A'.repeat(43)}.${'A'.repeat(43)}` }), 'csrf-token-invalid'],
  ['a token of another length', (victim) => ({ Cookie: victim.cookie, 'X-CSRF-Token': 'short' }), 'csrf-token-invalid'],
  ['the token of another browser', (victim, other) => ({ Cookie: victim.cookie, 'X-CSRF-Token': other.csrfToken }), 'csrf-token-invalid'],
  ['a made-up pair in both cookie and header', () => pairIn('csrf', pairSignedWith('a key that is not ours')), 'csrf-token-invalid'],
  // express-session signs session ids with the secret itself: that signature must not make a CSRF token.
  ['a pair signed with SESSION_SECRET itself', () => pairIn('csrf', pairSignedWith(SESSION_SECRET)), 'csrf-token-invalid'],
  ['a nonce without its mac in both', () => pairIn('csrf', randomBytes(32).toString('base64url')), 'csrf-token-invalid'],
];
const pairIn = (cookie: string, token: string) => ({ Cookie: `${cookie}=${token}`, 'X-CSRF-Token': token });

describe('CSRF protection before sign-in (the signed csrf cookie)', () => {
  const routes: Array<[string, (app: Express, headers: Record<string, string>, email: string) => request.Test]> = [
    ['POST /auth/signup', (app, headers, email) => request(app).post('/auth/signup').set(headers).send({ email, password: PASSWORD })],
    ['POST /auth/login', (app, headers, email) => request(app).post('/auth/login').set(headers).send({ email, password: PASSWORD })],
  ];

  describe.each(routes)('%s', (route, send) => {
    test.each(badPreLoginTokens)('with %s, answers 403 problem+json and signs nobody in', async (_case, headersFor, type) => {
      const app = testApp(redis);
      // For login, the account exists and the password is right: only the token stands in the way.
      const email = route.endsWith('login') ? (await signUp(app)).email : uniqueEmail();
      const [victim, other] = [await preLogin(app), await preLogin(app)];
      const before = await sessionKeys(redis);

      const response = await send(app, headersFor(victim, other), email);

      expect(response.status).toBe(403);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.type).toBe(`urn:backend-hub:problem:${type}`);
      expect(sessionCookieOf(response)).toBeUndefined();
      expect(await sessionKeys(redis)).toEqual(before);
      if (route.endsWith('signup')) expect(await User.exists({ email })).toBeNull();
    });

    test('with the right pair but Sec-Fetch-Site: cross-site, answers 403', async () => {
      const app = testApp(redis);
      const email = route.endsWith('login') ? (await signUp(app)).email : uniqueEmail();
      const browser = await preLogin(app);

      const response = await send(app, { ...as(browser), 'Sec-Fetch-Site': 'cross-site' }, email);

      expect(response.status).toBe(403);
      expect(response.body.type).toMatch(/cross-site-request$/);
    });

    test('with the cookie and the token GET /auth/csrf gave, signs in', async () => {
      const app = testApp(redis);
      const email = route.endsWith('login') ? (await signUp(app)).email : uniqueEmail();
      const browser = await preLogin(app);

      const response = await send(app, as(browser), email);

      expect(response.status).toBe(route.endsWith('login') ? 200 : 201);
      expect((await me(app, sessionCookieOf(response) as string)).body).toMatchObject({ email });
    });
  });
});

describe('GET /auth/csrf', () => {
  test('stores nothing: 50 requests without a cookie add no key to Redis, and sign nobody in', async () => {
    const app = testApp(redis);
    const keys = async () => (await redis.client.keys(`${redis.prefix}*`)).sort();
    const before = await keys();

    const responses = await Promise.all(Array.from({ length: 50 }, () => request(app).get('/auth/csrf')));

    expect(await keys()).toEqual(before);
    expect(responses.map(({ status }) => status)).toEqual(Array(50).fill(200));
    expect(new Set(responses.map(({ body }) => body.csrfToken as string)).size).toBe(50);
    for (const response of responses.slice(0, 3)) {
      expect(response.body.csrfToken).toMatch(/^[\w-]{43}\.[\w-]{43}$/);
      expect(sessionCookieOf(response)).toBeUndefined();
      const cookie = sessionCookieOf(response, 'csrf') as string;
      expect(cookie).toBe(`csrf=${response.body.csrfToken as string}`);
      expect((await me(app, cookie)).status).toBe(401);
    }
  });

  test('gives the same token again to the same browser (its csrf cookie), and a different one to another browser', async () => {
    const app = testApp(redis);
    const browser = await preLogin(app);

    const again = await request(app).get('/auth/csrf').set('Cookie', browser.cookie);
    const other = await preLogin(app);

    expect(again.body.csrfToken).toBe(browser.csrfToken);
    expect(sessionCookieOf(again, 'csrf')).toBe(browser.cookie);
    expect(other.csrfToken).not.toBe(browser.csrfToken);
  });

  test('a csrf cookie that is not ours is replaced by a new pair', async () => {
    const app = testApp(redis);
    const planted = pairSignedWith('a key that is not ours');

    const response = await request(app).get('/auth/csrf').set('Cookie', `csrf=${planted}`);

    expect(response.body.csrfToken).not.toBe(planted);
    expect(sessionCookieOf(response, 'csrf')).toBe(`csrf=${response.body.csrfToken as string}`);
  });

  test('signing in rotates the token: the pre-login token no longer passes, even with its cookie still sent', async () => {
    const app = testApp(redis);
    const email = uniqueEmail();
    await signUp(app, { email });
    const browser = await preLogin(app);
    const response = await request(app).post('/auth/login').set(as(browser)).send({ email, password: PASSWORD });
    const signedIn = { cookie: sessionCookieOf(response) as string, csrfToken: response.body.csrfToken as string };

    const withOldToken = await request(app)
      .post('/auth/logout')
      .set(as({ cookie: `${signedIn.cookie}; ${browser.cookie}`, csrfToken: browser.csrfToken }));
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
    expect(setCookieLine(response, 'csrf')).toBeUndefined();
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
