import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectFieldProblem, signUp, useTestDatabase, useTestRedis, type TestAccount } from '@hub/testkit';
import { Redis } from 'ioredis';
import request from 'supertest';
import { Link } from '../src/links/link.model.ts';
import { createLink, stored, testClock, testService, unique, visit } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
const clock = testClock();
let service: ReturnType<typeof testService>;
let alice: TestAccount;

beforeAll(async () => {
  service = testService(redis, { now: clock.now });
  alice = await signUp(service.app);
});

describe('GET /:code', () => {
  test('answers 302 to the URL, with Cache-Control: no-store so every visit comes back', async () => {
    const link = await createLink(service.app, alice.auth, { url: 'https://example.com/landing?ref=1' });

    const response = await visit(service.app, link.code);

    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('https://example.com/landing?ref=1');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  test('an unknown code answers 404 problem+json', async () => {
    const response = await visit(service.app, unique('none'));

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  test.each(['ab', 'a'.repeat(33), 'has.dot', 'sp ace', '%24where'])(
    'a code that cannot exist (%s) answers 400 naming params.code',
    async (code) => {
      const response = await request(service.app).get(`/${code}`).redirects(0);

      expectFieldProblem(response, 'params', 'code');
    },
  );
});

describe('the redirect cache', () => {
  test("a visited code is served from Redis: a change made behind the service's back is not seen until the entry is dropped", async () => {
    const link = await createLink(service.app, alice.auth, { url: 'https://example.com/cached' });
    await visit(service.app, link.code);

    await Link.updateOne({ _id: link.id }, { $set: { url: 'https://example.com/behind-its-back' } });
    const cached = await visit(service.app, link.code);

    expect(cached.headers.location).toBe('https://example.com/cached');
    expect(await redis.redis.pttl(`url-shortener:link:${link.code}`)).toBeGreaterThan(0);
  });

  test('an unknown code is cached as "not found" for CACHE_MISS_TTL_SECONDS: a link inserted behind the service\'s back stays 404 meanwhile', async () => {
    const code = unique('later');
    expect((await visit(service.app, code)).status).toBe(404);

    await Link.create({ owner: alice.user.id, code, url: 'https://example.com/sneaky' });
    const again = await visit(service.app, code);

    expect(again.status).toBe(404);
    const ttl = await redis.redis.pttl(`url-shortener:link:${code}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10_000);
  });

  test('after PATCH the very next redirect goes to the new URL (no stale redirect)', async () => {
    const link = await createLink(service.app, alice.auth, { url: 'https://example.com/old' });
    expect((await visit(service.app, link.code)).headers.location).toBe('https://example.com/old');

    const patched = await request(service.app).patch(`/links/${link.id}`).set(alice.auth).send({ url: 'https://example.org/new' });
    const after = await visit(service.app, link.code);

    expect(patched.status).toBe(200);
    expect(after.status).toBe(302);
    expect(after.headers.location).toBe('https://example.org/new');
  });

  test('after DELETE the very next visit answers 404', async () => {
    const link = await createLink(service.app, alice.auth);
    expect((await visit(service.app, link.code)).status).toBe(302);

    const deleted = await request(service.app).delete(`/links/${link.id}`).set(alice.auth);
    const after = await visit(service.app, link.code);

    expect(deleted.status).toBe(204);
    expect(after.status).toBe(404);
  });

  test('when Redis is down, redirects still answer from MongoDB', async () => {
    const link = await createLink(service.app, alice.auth, { url: 'https://example.com/no-cache' });
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => {});
    const withoutRedis = testService({ redis: down, prefix: '', url: '' }, { now: clock.now });

    const responses = [await visit(withoutRedis.app, link.code), await visit(withoutRedis.app, unique('none'))];

    expect(responses.map((response) => response.status)).toEqual([302, 404]);
    expect(responses[0]?.headers.location).toBe('https://example.com/no-cache');
    down.disconnect();
  });
});

describe('expiry', () => {
  test('a link answers 302 until expiresAt, then 410 problem+json, even from the cache', async () => {
    const link = await createLink(service.app, alice.auth, { expiresAt: new Date(clock.now().getTime() + 60_000).toISOString() });
    const before = await visit(service.app, link.code);

    clock.advance(61);
    const after = await visit(service.app, link.code);

    expect(before.status).toBe(302);
    expect(after.status).toBe(410);
    expect(after.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  test('PATCH expiresAt: null revives an expired link at once', async () => {
    const link = await createLink(service.app, alice.auth, { expiresAt: new Date(clock.now().getTime() + 1000).toISOString() });
    clock.advance(2);
    expect((await visit(service.app, link.code)).status).toBe(410);

    await request(service.app).patch(`/links/${link.id}`).set(alice.auth).send({ expiresAt: null });

    expect((await visit(service.app, link.code)).status).toBe(302);
  });

  test('an expiresAt in the past answers 422 naming expiresAt, and nothing is stored', async () => {
    const before = await Link.countDocuments();

    const response = await request(service.app)
      .post('/links')
      .set(alice.auth)
      .send({ url: 'https://example.com/', expiresAt: new Date(clock.now().getTime() - 1000).toISOString() });

    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'expiresAt' })]);
    expect(await Link.countDocuments()).toBe(before);
  });
});

describe('maxVisits', () => {
  test('20 concurrent visits of a link allowing 5 give exactly five 302 and fifteen 410', async () => {
    const link = await createLink(service.app, alice.auth, { maxVisits: 5 });
    // One visit first, so the rest also race through the cached entry.
    const first = await visit(service.app, link.code);

    const responses = await Promise.all(Array.from({ length: 20 }, () => visit(service.app, link.code)));

    const statuses = [first, ...responses].map((response) => response.status);
    expect(statuses.filter((status) => status === 302)).toHaveLength(5);
    expect(statuses.filter((status) => status === 410)).toHaveLength(16);
    expect(await stored(link.id)).toMatchObject({ visits: 5, maxVisits: 5 });
    const view = await request(service.app).get(`/links/${link.id}`).set(alice.auth);
    expect(view.body.visitsLeft).toBe(0);
  });

  test('HEAD shows where a link goes without using one of its visits', async () => {
    const link = await createLink(service.app, alice.auth, { maxVisits: 1 });

    const heads = await Promise.all([1, 2, 3].map(() => request(service.app).head(`/${link.code}`).redirects(0)));
    const get = await visit(service.app, link.code);
    const head = await request(service.app).head(`/${link.code}`).redirects(0);

    expect(heads.map((response) => response.status)).toEqual([302, 302, 302]);
    expect(get.status).toBe(302);
    expect(head.status).toBe(410);
    expect(await stored(link.id)).toMatchObject({ visits: 1 });
  });

  test('raising the limit with PATCH gives the used-up link more visits at once, though its old limit was cached', async () => {
    const link = await createLink(service.app, alice.auth, { maxVisits: 1 });
    await visit(service.app, link.code);
    expect((await visit(service.app, link.code)).status).toBe(410);

    const patched = await request(service.app).patch(`/links/${link.id}`).set(alice.auth).send({ maxVisits: 3 });
    const statuses = [];
    for (let n = 0; n < 3; n += 1) statuses.push((await visit(service.app, link.code)).status);

    expect(patched.body.visitsLeft).toBe(2);
    expect(statuses).toEqual([302, 302, 410]);
  });

  test("a limit changed behind the cache's back is read from the document: the atomic update decides, not the cached copy", async () => {
    const link = await createLink(service.app, alice.auth, { maxVisits: 1 });
    await visit(service.app, link.code);

    await Link.updateOne({ _id: link.id }, { $set: { maxVisits: 2 } });
    const second = await visit(service.app, link.code);
    const third = await visit(service.app, link.code);

    expect([second.status, third.status]).toEqual([302, 410]);
    expect(await stored(link.id)).toMatchObject({ visits: 2 });
  });
});
