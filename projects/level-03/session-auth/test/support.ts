// What the session-auth tests share: a node-redis client and key prefix per test file, the app
// on them, a movable clock, and a browser-like way to sign in (cookie + CSRF token).
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from '@jest/globals';
import type { AccountView } from '@hub/core';
import { testConfig, useTestRedis } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request, { type Response } from 'supertest';
import { buildApp } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import { connectRedis, type RedisClient } from '../src/redis.ts';

// Random like a real one, so a test can boot the service as production too.
export const SESSION_SECRET = randomBytes(32).toString('base64url');
export const PASSWORD = 'correct horse battery';

/** This file's Redis: a node-redis client of its own, and a key prefix no other file uses (the testkit deletes its keys afterwards). */
export function useSessionRedis(): { readonly client: RedisClient; readonly prefix: string } {
  const testRedis = useTestRedis();
  let client: RedisClient | undefined;
  beforeAll(async () => {
    client = await connectRedis(testRedis.url);
  });
  afterAll(async () => {
    await client?.close();
  });
  return {
    get client() {
      if (!client) throw new Error('useSessionRedis(): the client exists from beforeAll on');
      return client;
    },
    get prefix() {
      return testRedis.prefix;
    },
  };
}
export type SessionRedis = ReturnType<typeof useSessionRedis>;

/** A clock the tests move by hand: `clock.advance(seconds)` instead of sleeping. */
export function testClock() {
  let at = Date.now();
  return {
    now: () => new Date(at),
    advance(seconds: number) {
      at += seconds * 1000;
    },
  };
}

export const testServiceConfig = (env: Record<string, string> = {}) => testConfig(serviceConfig, { SESSION_SECRET, ...env });

/** The app as it boots, on this file's database, Redis client and key prefix; `now` and `sleep` replace the clock and the slowed-down login's wait. */
export const testApp = (
  redis: SessionRedis,
  { env = {}, now, sleep }: { env?: Record<string, string>; now?: () => Date; sleep?: (ms: number) => Promise<void> } = {},
): Express =>
  buildApp({
    config: testServiceConfig(env),
    db: mongoose.connection,
    redis: redis.client,
    keyPrefix: redis.prefix,
    ...(now ? { now } : {}),
    ...(sleep ? { sleep } : {}),
  });

export const uniqueEmail = () => `user-${randomUUID().slice(0, 8)}@example.com`;

/** The `name=value` pair of a cookie a response sets (the session cookie unless named), or undefined. */
export function sessionCookieOf(response: Response, name = 'sid'): string | undefined {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  const line = header?.find((cookie) => cookie.startsWith(`${name}=`));
  return line?.split(';')[0];
}

/** The Set-Cookie line for a cookie (the session cookie unless named), attributes and all. */
export function setCookieLine(response: Response, name = 'sid'): string | undefined {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  return header?.find((cookie) => cookie.startsWith(`${name}=`));
}

/** The session id inside a signed cookie (`sid=s%3A<id>.<signature>`): what Redis keys are named after. */
export function sessionIdOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  return value.slice(2, value.lastIndexOf('.'));
}

/** The raw session in Redis, or null when it is gone. */
export async function storedSession(redis: SessionRedis, cookie: string): Promise<Record<string, unknown> | null> {
  const raw = await redis.client.get(`${redis.prefix}sess:${sessionIdOf(cookie)}`);
  return raw === null ? null : (JSON.parse(raw) as Record<string, unknown>);
}

/** Every session key in this file's Redis, sorted: what a request before sign-in must not add to. */
export const sessionKeys = async (redis: SessionRedis) => (await redis.client.keys(`${redis.prefix}sess:*`)).sort();

/** The session ids Redis lists for a user. */
export const listedSessionIds = (redis: SessionRedis, userId: string) => redis.client.sMembers(`${redis.prefix}user-sessions:${userId}`);

/** What a browser holds: its cookie (the session's, or before sign-in the signed CSRF cookie) and the CSRF token that goes with it. */
export interface Browser {
  cookie: string;
  csrfToken: string;
}

/** GET /auth/csrf from a browser with no cookie: the signed CSRF cookie and its token (nothing is stored). */
export async function preLogin(app: Express): Promise<Browser> {
  const response = await request(app).get('/auth/csrf');
  expect(response.status).toBe(200);
  const cookie = sessionCookieOf(response, 'csrf');
  if (!cookie) throw new Error('GET /auth/csrf set no csrf cookie');
  return { cookie, csrfToken: response.body.csrfToken as string };
}

/** Sends a request the way a signed-in page would: the cookie, and the CSRF token on a state change. */
export const as = (browser: Browser) => ({ Cookie: browser.cookie, 'X-CSRF-Token': browser.csrfToken });

export interface SignedInBrowser extends Browser {
  user: AccountView;
  email: string;
  password: string;
}

/** The browser after a successful sign-in response (the cookie it set, the token it returned). */
function signedIn(response: Response, email: string, password: string): SignedInBrowser {
  const cookie = sessionCookieOf(response);
  if (!cookie) throw new Error(`expected a session cookie, got ${response.status} ${JSON.stringify(response.body)}`);
  return { cookie, csrfToken: response.body.csrfToken as string, user: response.body.user as AccountView, email, password };
}

/** Signs a new account up through the app (GET /auth/csrf, then POST /auth/signup), like a browser. */
export async function signUp(
  app: Express,
  { email = uniqueEmail(), password = PASSWORD, userAgent }: { email?: string; password?: string; userAgent?: string } = {},
): Promise<SignedInBrowser> {
  const browser = await preLogin(app);
  const response = await request(app)
    .post('/auth/signup')
    .set(as(browser))
    .set('User-Agent', userAgent ?? 'jest')
    .send({ email, password });
  if (response.status !== 201) throw new Error(`signUp(${email}): expected 201, got ${response.status} ${JSON.stringify(response.body)}`);
  return signedIn(response, email, password);
}

/** POST /auth/login from a fresh browser (its own CSRF cookie and token). */
export async function logInAttempt(app: Express, email: string, password: string = PASSWORD, userAgent = 'jest'): Promise<Response> {
  const browser = await preLogin(app);
  return request(app).post('/auth/login').set(as(browser)).set('User-Agent', userAgent).send({ email, password });
}

/** POST /auth/login from a fresh browser at client address `ip` (the app must trust one proxy: TRUST_PROXY=1). */
export async function logInFrom(app: Express, ip: string, email: string, password: string = PASSWORD): Promise<Response> {
  const browser = await preLogin(app);
  return request(app).post('/auth/login').set(as(browser)).set('X-Forwarded-For', ip).send({ email, password });
}

/** Signs an existing account in from a new browser. */
export async function logIn(app: Express, email: string, password: string = PASSWORD, userAgent = 'jest'): Promise<SignedInBrowser> {
  const response = await logInAttempt(app, email, password, userAgent);
  if (response.status !== 200) throw new Error(`logIn(${email}): expected 200, got ${response.status} ${JSON.stringify(response.body)}`);
  return signedIn(response, email, password);
}

/** GET /auth/me with a cookie. */
export const me = (app: Express, cookie: string) => request(app).get('/auth/me').set('Cookie', cookie);
