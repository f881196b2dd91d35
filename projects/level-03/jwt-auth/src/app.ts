import { commandsOf, createAccounts, createApp, createRefreshTokens, mongoReady, packageInfo, redisReady, type Redis } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  redis: Redis;
}

/**
 * The jwt-auth service: the shared accounts at /auth with both options on — rotating refresh
 * tokens (stored hashed in MongoDB) and login throttling (counters in Redis).
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, redis } = deps;
  const refreshTokens = createRefreshTokens({ ttlSeconds: config.REFRESH_TTL_SECONDS });
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name, refreshTokens, loginLimits: { ...config, redis: commandsOf(redis) } });
  return createApp({
    ...info,
    config,
    routes: [['/auth', accounts.router]],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
  });
}
