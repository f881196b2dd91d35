// What this service's tests share: the app on this file's database and Redis keys, a clock the
// tests move, a resolver that answers from a table (no network in tests), and valid bodies.
import { randomUUID } from 'node:crypto';
import type { Resolve } from '@hub/core/url-safety';
import { testConfig, type useTestRedis } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp, type AppDeps } from '../src/app.ts';
import { createClickRecorder, type ClickRecorder } from '../src/clicks/click-recorder.ts';
import { serviceConfig } from '../src/config.ts';
import { Link } from '../src/links/link.model.ts';

/** Names as DNS would answer them; any other name does not resolve. */
export const DNS: Record<string, string[]> = {
  'example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'example.org': ['96.7.128.198'],
  'metadata.evil.example': ['169.254.169.254'],
  'intranet.evil.example': ['93.184.215.14', '10.0.0.7'],
};
export const tableResolve: Resolve = async (hostname) => {
  const addresses = DNS[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

export const BASE_URL = 'http://sho.rt';

/** A clock the tests move by hand: `clock.advance(seconds)` instead of sleeping. */
export function testClock(start = Date.now()) {
  let at = start;
  return {
    now: () => new Date(at),
    advance(seconds: number) {
      at += seconds * 1000;
    },
  };
}

export interface TestService {
  app: Express;
  /** The click buffer: `await clicks.flush()` writes what the redirects queued. */
  clicks: ClickRecorder;
}

/**
 * The app as it boots, with test settings, on this file's database and Redis (useTestRedis's
 * client, whose keys carry the file's prefix). The click timer is an hour, so only the test's
 * own flush() writes. Override any dependency: another clock, resolver, code generator.
 */
export function testService(redis: ReturnType<typeof useTestRedis>, overrides: Partial<AppDeps> = {}): TestService {
  const clicks = overrides.clicks ?? createClickRecorder({ flushEveryMs: 3_600_000, batchSize: 1000 });
  const config = testConfig(serviceConfig, { PUBLIC_BASE_URL: BASE_URL });
  const app = buildApp({ config, db: mongoose.connection, redis: redis.redis, resolve: tableResolve, clicks, ...overrides });
  return { app, clicks };
}

export const unique = (prefix = 'page') => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A valid POST /links body; override any field. */
export const aLink = (overrides: Record<string, unknown> = {}) => ({ url: `https://example.com/${unique()}`, ...overrides });

/** Creates a link through the API as `auth`, and answers its view (fails loudly on anything but 201). */
export async function createLink(app: Express, auth: Record<string, string>, overrides: Record<string, unknown> = {}) {
  const response = await request(app).post('/links').set(auth).send(aLink(overrides));
  if (response.status !== 201) throw new Error(`createLink: expected 201, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; code: string; shortUrl: string; url: string; visitsLeft: number | null };
}

/** Follows a code the way a browser would, without following the redirect. */
export const visit = (app: Express, code: string, headers: Record<string, string> = {}) =>
  request(app)
    .get(`/${code}`)
    .set({ 'User-Agent': BROWSER, ...headers })
    .redirects(0);

export const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

/** The stored document, read straight from the collection (not through the API under test). */
export const stored = (id: string) => Link.findById(id).lean();

/** A valid ObjectId that no link has. */
export const unusedId = () => new mongoose.Types.ObjectId().toHexString();

/** Just the app (contract suite, Postman). */
export const testApp = (redis: ReturnType<typeof useTestRedis>, overrides: Partial<AppDeps> = {}) => testService(redis, overrides).app;
