import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp } from '../src/app.ts';
import { connectRedis, type RedisClient } from '../src/redis.ts';
import { as, me, testServiceConfig, signUp, storedSession, useSessionRedis } from './support.ts';

useTestDatabase();
const redis = useSessionRedis();

// Two instances of the service, as behind a load balancer: each with its own Redis connection, nothing shared in memory.
let secondClient: RedisClient;
beforeAll(async () => {
  secondClient = await connectRedis(process.env.REDIS_URL as string);
});
afterAll(async () => {
  await secondClient.close();
});
const instances = () => {
  const build = (client: RedisClient) =>
    buildApp({ config: testServiceConfig(), db: mongoose.connection, redis: client, keyPrefix: redis.prefix });
  return [build(redis.client), build(secondClient)] as const;
};

describe('sessions live in Redis, not in the process', () => {
  test('signed in on one instance, the cookie works on the other', async () => {
    const [one, two] = instances();
    const account = await signUp(one);

    const response = await me(two, account.cookie);

    expect(response.status).toBe(200);
    expect(response.body.id).toBe(account.user.id);
  });

  test('signed out on one instance, the cookie fails on both', async () => {
    const [one, two] = instances();
    const account = await signUp(one);
    expect((await me(two, account.cookie)).status).toBe(200);

    const logout = await request(two).post('/auth/logout').set(as(account));

    expect(logout.status).toBe(204);
    expect(await storedSession(redis, account.cookie)).toBeNull();
    expect((await me(one, account.cookie)).status).toBe(401);
    expect((await me(two, account.cookie)).status).toBe(401);
  });

  test('a CSRF token from one instance passes on the other', async () => {
    const [one, two] = instances();
    const account = await signUp(one);

    const response = await request(two).post('/auth/logout').set(as(account));

    expect(response.status).toBe(204);
  });
});
