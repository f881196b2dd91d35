// What the jwt-auth tests share: the app on this file's database and Redis keys, and raw reads of what is stored.
import { RefreshToken, sha256, type Redis } from '@hub/core';
import { testConfig } from '@hub/testkit';
import mongoose from 'mongoose';
import request from 'supertest';
import type { Express } from 'express';
import { buildApp, type AppDeps } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';

/** The config the app boots with in tests; `env` overrides keys (LOGIN_MAX_FAILURES=3). */
export const testServiceConfig = (env: Record<string, string> = {}) => testConfig(serviceConfig, env);

/**
 * The app as it boots, on this test file's database and Redis keys; `sleep` replaces the
 * slowed-down login's wait, `now` is the clock refresh tokens expire by.
 */
export const testApp = (redis: Redis, env: Record<string, string> = {}, { sleep, now }: Pick<AppDeps, 'sleep' | 'now'> = {}): Express =>
  buildApp({ config: testServiceConfig(env), db: mongoose.connection, redis, sleep, ...(now ? { now } : {}) });

export const PASSWORD = 'correct horse battery';

export const login = (app: Express, email: string, password: string = PASSWORD) =>
  request(app).post('/auth/login').send({ email, password });
export const refresh = (app: Express, refreshToken: string | undefined) => request(app).post('/auth/refresh').send({ refreshToken });

/** The stored refresh-token document for a token the client holds (read by its hash, the only way it is stored). */
export const storedRefreshToken = (token: string) => RefreshToken.findOne({ tokenHash: sha256(token) }).lean();
