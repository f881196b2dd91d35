// What this service's tests share: the app on this file's database and Redis (its own change
// channel), more instances on the same ones, accounts holding a role, and valid bodies.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import { signUp, testConfig, useTestRedis, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp, startLive } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import type { LiveFlags } from '../src/flags/live-flags.ts';
import type { Role } from '../src/permissions.ts';
import { promote } from '../src/promote.ts';

export const testServiceConfig = (env: Record<string, string> = {}) => testConfig(serviceConfig, env);

export interface Instance {
  app: Express;
  live: LiveFlags;
}

/**
 * Instances of the service as it boots, on this file's database and Redis, all on one change
 * channel of this file's own. Call after useTestDatabase(). `first` is started before the
 * tests; `another()` starts one more; all are stopped afterwards.
 */
export function useInstances() {
  const testRedis = useTestRedis();
  const channel = `${testRedis.prefix}flag-changes`;
  const started: Instance[] = [];
  const another = async (): Promise<Instance> => {
    const live = await startLive({ redis: testRedis.redis, channel });
    const instance = { app: buildApp({ config: testServiceConfig(), db: mongoose.connection, redis: testRedis.redis, live }), live };
    started.push(instance);
    return instance;
  };
  beforeAll(async () => {
    await another();
  });
  afterAll(async () => {
    await Promise.all(started.map(({ live }) => live.stop()));
  });
  return {
    another,
    channel,
    get redis() {
      return testRedis.redis;
    },
    get first(): Instance {
      const [first] = started;
      if (!first) throw new Error('useInstances(): the first instance exists from beforeAll on');
      return first;
    },
  };
}

export const unique = (prefix = 'flag') => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * A new account holding `role`: signed up through the API, promoted the way an operator would
 * (the promote script's function), then logged in again, so its token carries the role.
 */
export async function accountWith(app: Express, role: Role): Promise<TestAccount> {
  const account = await signUp(app);
  if (role === 'user') return account;
  await promote([account.email, role]);
  const login = await request(app).post('/auth/login').send({ email: account.email, password: account.password });
  if (login.status !== 200) throw new Error(`accountWith(${role}): login answered ${login.status}`);
  const token = login.body.accessToken as string;
  return { ...account, user: login.body.user, token, auth: { Authorization: `Bearer ${token}` } };
}

/** A valid POST /flags body: a boolean flag on in development and off in production; override any field. */
export const aFlag = (overrides: Record<string, unknown> = {}) => ({
  key: unique(),
  description: 'a test flag',
  environments: { development: { enabled: true, fallthrough: 'on' }, production: { enabled: false } },
  ...overrides,
});

/** POST /flags as `admin`, expecting 201: the created flag. */
export async function createFlag(app: Express, admin: TestAccount, overrides: Record<string, unknown> = {}) {
  const response = await request(app).post('/flags').set(admin.auth).send(aFlag(overrides));
  if (response.status !== 201) throw new Error(`createFlag: expected 201, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { key: string; version: number } & Record<string, unknown>;
}

/** POST /ofrep/v1/evaluate/flags/:key with a context, in an environment (production when absent). */
export const evaluateOne = (app: Express, key: string, context: unknown, environment?: string) => {
  const call = request(app).post(`/ofrep/v1/evaluate/flags/${key}`);
  return (environment ? call.set('X-Environment', environment) : call).send({ context });
};
