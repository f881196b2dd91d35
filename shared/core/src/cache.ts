/*
 * Cache-aside in Redis: read the cache, and on a miss load from the source of truth (MongoDB)
 * and store what was found, with a TTL. "Not found" is cached too, under a shorter TTL of its
 * own, so a flood of requests for codes that do not exist does not reach the database each time.
 *
 * Redis is an optimisation here, never a dependency: when it fails or times out, the loader's
 * answer is returned as if there were no cache, and for `bypassMs` after a failure reads skip
 * Redis altogether, so a hung Redis costs one request its command timeout, not every request.
 * Invalidations are always tried. And an invalidation wins over a load that was
 * already in flight: each key has a generation, bumped by invalidate(), and a loaded value is
 * stored only if the generation is still the one read before loading (one Lua script, atomic).
 * Without that, a reader that loaded the old value just before an edit could write it back just
 * after the edit's invalidation, and the stale value would live for a whole TTL.
 */
import type { Redis } from 'ioredis';
import { logger } from './logger.ts';

export interface CacheOptions {
  /** Starts every key this cache writes (`links:`); the client's own keyPrefix applies first. */
  prefix: string;
  /** How long a found value stays cached. */
  ttlSeconds: number;
  /** How long "not found" stays cached: short, so a thing created meanwhile is not hidden long. */
  missTtlSeconds: number;
  /** Told of every Redis failure the cache absorbed (default: a warning in the log). */
  onError?: (error: unknown, operation: 'read' | 'write' | 'invalidate') => void;
  /** After a failed read or write, how long gets go straight to the loader (default 1000 ms). */
  bypassMs?: number;
  /** The clock the bypass is timed by; tests move it. */
  now?: () => number;
}

export interface Cache<T> {
  /** The cached value, or what `load` answers (null: not found), cached for next time. */
  get(key: string, load: () => Promise<T | null>): Promise<T | null>;
  /** Forgets the key, and makes any load that started before now store nothing. Never throws. */
  invalidate(key: string): Promise<void>;
}

/** What Redis holds for a key: the value found, or the fact that nothing was. */
type Entry<T> = { found: true; value: T } | { found: false };

// KEYS[1] the value, KEYS[2] its generation; ARGV: the generation read before loading ('' for
// none), the entry, its TTL in ms. Stores only when no invalidation happened since that read.
const STORE_IF_CURRENT = `
local generation = redis.call('GET', KEYS[2]) or ''
if generation ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/** A get-or-load cache in Redis for JSON values (see the file's header for its guarantees). */
export function createCache<T>(redis: Redis, options: CacheOptions): Cache<T> {
  const { prefix, ttlSeconds, missTtlSeconds, bypassMs = 1000, now = Date.now } = options;
  const onError =
    options.onError ??
    ((error: unknown, operation: string) =>
      logger.warn(`cache ${operation} failed; answering from the source`, {
        error: error instanceof Error ? error.message : String(error),
      }));
  const valueKey = (key: string) => `${prefix}${key}`;
  const generationKey = (key: string) => `${prefix}${key}:generation`;
  // A generation outlives any load in flight and any value stored under it.
  const generationTtlMs = Math.max(ttlSeconds, missTtlSeconds, 60) * 2000;
  let bypassUntil = 0;
  const failed = (error: unknown, operation: 'read' | 'write') => {
    bypassUntil = now() + bypassMs;
    onError(error, operation);
  };

  async function read(key: string): Promise<{ entry: Entry<T> | undefined; generation: string } | undefined> {
    if (now() < bypassUntil) return undefined;
    try {
      const [raw, generation] = await redis.mget(valueKey(key), generationKey(key));
      return { entry: raw ? (JSON.parse(raw) as Entry<T>) : undefined, generation: generation ?? '' };
    } catch (error) {
      failed(error, 'read');
      return undefined;
    }
  }

  async function store(key: string, generation: string, entry: Entry<T>): Promise<void> {
    const ttlMs = (entry.found ? ttlSeconds : missTtlSeconds) * 1000;
    try {
      await redis.eval(STORE_IF_CURRENT, 2, valueKey(key), generationKey(key), generation, JSON.stringify(entry), ttlMs);
    } catch (error) {
      failed(error, 'write');
    }
  }

  return {
    async get(key, load) {
      const cached = await read(key);
      if (cached?.entry) return cached.entry.found ? cached.entry.value : null;
      const value = await load();
      // Redis failed to answer the read (or is being bypassed): do not wait on it for the write.
      if (cached) await store(key, cached.generation, value === null ? { found: false } : { found: true, value });
      return value;
    },
    async invalidate(key) {
      try {
        await redis.multi().incr(generationKey(key)).pexpire(generationKey(key), generationTtlMs).del(valueKey(key)).exec();
      } catch (error) {
        onError(error, 'invalidate');
      }
    },
  };
}
