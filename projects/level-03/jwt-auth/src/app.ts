import { commandsOf, createAccounts, createApp, createRefreshTokens, mongoReady, packageInfo, redisReady, type Redis } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  redis: Redis;
  /** How a login slowed down by the account-wide throttle waits; tests record the wait instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** The clock refresh tokens expire by; tests move it. */
  now?: () => Date;
}

/**
 * The jwt-auth service: the shared accounts at /auth with both options on — rotating refresh
 * tokens (stored hashed in MongoDB) and signup and login throttling (counters in Redis).
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, redis, sleep, now = () => new Date() } = deps;
  const refreshTokens = createRefreshTokens({
    ttlSeconds: config.REFRESH_TTL_SECONDS,
    familyMaxSeconds: config.REFRESH_FAMILY_MAX_SECONDS,
    now,
  });
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name, refreshTokens, limits: { ...config, redis: commandsOf(redis), sleep } });
  return createApp({
    ...info,
    config,
    routes: [['/auth', accounts.router]],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
  });
}
