import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import { connectMongo, createRedis, type Redis } from '@hub/core';
import mongoose from 'mongoose';

function requireEnv(name: 'MONGO_URL' | 'REDIS_URL'): string {
  const value = process.env[name];
  if (value) return value;
  const why = name === 'REDIS_URL' ? process.env.HUB_REDIS_UNAVAILABLE : undefined;
  throw new Error(`${name} is not set: run tests through the package's test script (it starts the engines).${why ? `\n${why}` : ''}`);
}

/**
 * Gives this test file a database of its own on the run's MongoDB: mongoose is connected to
 * it before the tests, every model's indexes are built, and it is dropped afterwards.
 */
export function useTestDatabase(): { readonly name: string; readonly url: string } {
  const name = `test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  beforeAll(async () => {
    // Generous: a loaded CI machine must not turn a slow answer into a 503 in some unrelated test.
    await connectMongo(requireEnv('MONGO_URL'), { dbName: name, attempts: 1, timeoutMs: 15_000 });
    await Promise.all(Object.values(mongoose.connection.models).map((model) => model.init()));
  });
  afterAll(async () => {
    await mongoose.connection.dropDatabase();
    await mongoose.disconnect();
  });
  return {
    name,
    get url() {
      return requireEnv('MONGO_URL');
    },
  };
}

/**
 * A Redis client for this test file whose keys all start with a prefix of its own; they
 * are deleted afterwards. `prefix` is for code that builds its own key names.
 */
export function useTestRedis(): { readonly redis: Redis; readonly prefix: string; readonly url: string } {
  const prefix = `test:${randomUUID().slice(0, 8)}:`;
  let client: Redis | undefined;
  beforeAll(() => {
    // No command timeout: on a loaded machine a slow answer is not a Redis that is down.
    client = createRedis(requireEnv('REDIS_URL'), { keyPrefix: prefix, maxRetriesPerRequest: 1, timeoutMs: null });
  });
  afterAll(async () => {
    if (!client) return;
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys.map((key) => key.slice(prefix.length)));
    await client.quit();
  });
  return {
    prefix,
    get redis() {
      if (!client) throw new Error('useTestRedis(): the client exists from beforeAll on');
      return client;
    },
    get url() {
      return requireEnv('REDIS_URL');
    },
  };
}
