import { describe, expect, test } from '@jest/globals';
import { pausableProxy, useTestRedis } from '@hub/testkit';
import { Redis } from 'ioredis';
import { createCache, type CacheOptions } from '../src/cache.ts';

const testRedis = useTestRedis();
let counter = 0;

/** A cache with a prefix of its own, on this file's Redis; the errors it absorbs are collected. */
function cacheOn(redis: Redis = testRedis.redis, options: Partial<CacheOptions> = {}) {
  counter += 1;
  const errors: string[] = [];
  const cache = createCache<{ target: string }>(redis, {
    prefix: `cache-${counter}:`,
    ttlSeconds: 60,
    missTtlSeconds: 5,
    onError: (_error, operation) => errors.push(operation),
    ...options,
  });
  return { cache, errors, prefix: `cache-${counter}:` };
}

/** A loader that answers `value` and counts its calls. */
function loader<T>(value: T) {
  const calls = { count: 0 };
  const load = async () => {
    calls.count += 1;
    return value;
  };
  return { load, calls };
}

describe('createCache().get()', () => {
  test('loads on a miss, stores the value with the TTL, and answers later reads from Redis without loading', async () => {
    const { cache, prefix } = cacheOn();
    const { load, calls } = loader({ target: 'https://example.com/' });

    const first = await cache.get('abc', load);
    const second = await cache.get('abc', load);

    expect(first).toEqual({ target: 'https://example.com/' });
    expect(second).toEqual(first);
    expect(calls.count).toBe(1);
    const ttl = await testRedis.redis.pttl(`${prefix}abc`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  test('caches "not found" too, under its own shorter TTL', async () => {
    const { cache, prefix } = cacheOn();
    const { load, calls } = loader(null);

    expect(await cache.get('nope', load)).toBeNull();
    expect(await cache.get('nope', load)).toBeNull();

    expect(calls.count).toBe(1);
    const ttl = await testRedis.redis.pttl(`${prefix}nope`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  test('a failing loader fails the get and caches nothing', async () => {
    const { cache, prefix } = cacheOn();

    await expect(
      cache.get('boom', async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');

    expect(await testRedis.redis.exists(`${prefix}boom`)).toBe(0);
  });
});

describe('createCache().invalidate()', () => {
  test('forgets a value: the next get loads again and sees the new one', async () => {
    const { cache } = cacheOn();
    await cache.get('abc', async () => ({ target: 'https://old.example/' }));

    await cache.invalidate('abc');
    const after = await cache.get('abc', async () => ({ target: 'https://new.example/' }));

    expect(after).toEqual({ target: 'https://new.example/' });
  });

  test('forgets a cached "not found", so something created meanwhile is seen at once', async () => {
    const { cache } = cacheOn();
    await cache.get('fresh', async () => null);

    await cache.invalidate('fresh');

    expect(await cache.get('fresh', async () => ({ target: 'https://created.example/' }))).toEqual({ target: 'https://created.example/' });
  });

  test('wins over a load already in flight: the old value that load read is never stored', async () => {
    const { cache } = cacheOn();
    // The load reads the old value, then the edit and its invalidation happen before it stores.
    const stale = await cache.get('race', async () => {
      await cache.invalidate('race');
      return { target: 'https://old.example/' };
    });
    const { load, calls } = loader({ target: 'https://new.example/' });

    const next = await cache.get('race', load);

    expect(stale).toEqual({ target: 'https://old.example/' });
    expect(next).toEqual({ target: 'https://new.example/' });
    expect(calls.count).toBe(1);
  });
});

describe('when Redis fails', () => {
  test('a Redis that refuses connections: every get answers from the loader, invalidate does not throw', async () => {
    // A port nothing listens on, no retries, no offline queue: each command fails at once.
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => {});
    const { cache, errors } = cacheOn(down);
    const { load, calls } = loader({ target: 'https://example.com/' });

    const answers = [await cache.get('abc', load), await cache.get('abc', load)];
    await expect(cache.invalidate('abc')).resolves.toBeUndefined();

    expect(answers).toEqual([{ target: 'https://example.com/' }, { target: 'https://example.com/' }]);
    expect(calls.count).toBe(2);
    // The second get skips Redis (bypassMs after a failure); invalidations are always tried.
    expect(errors).toEqual(['read', 'invalidate']);
    down.disconnect();
  });

  test('a Redis that stops answering: the get answers from the loader once the command timeout passes, and the next gets skip Redis for bypassMs', async () => {
    const proxy = await pausableProxy(testRedis.url);
    const hung = new Redis(proxy.url, { commandTimeout: 100, maxRetriesPerRequest: 0 });
    hung.on('error', () => {});
    // Connected before the pause; on a loaded machine one ping may miss the 100 ms itself.
    for (let tries = 1; ; tries += 1) {
      try {
        await hung.ping();
        break;
      } catch (error) {
        if (tries >= 20) throw error;
      }
    }
    let clock = 1_000_000;
    const { cache, errors } = cacheOn(hung, { bypassMs: 5000, now: () => clock });
    const { load, calls } = loader({ target: 'https://example.com/' });
    proxy.pause();

    const first = await cache.get('abc', load);
    const whileBypassed = await Promise.all([cache.get('abc', load), cache.get('def', load)]);
    const errorsWhileBypassed = [...errors];
    clock += 5001;
    await cache.get('abc', load);

    expect(first).toEqual({ target: 'https://example.com/' });
    expect(whileBypassed).toEqual([first, first]);
    expect(calls.count).toBe(4);
    // One timeout, then none while bypassed; after bypassMs Redis is tried (and times out) again.
    expect(errorsWhileBypassed).toEqual(['read']);
    expect(errors).toEqual(['read', 'read']);
    hung.disconnect();
    await proxy.close();
  });
});
