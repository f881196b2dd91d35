import {
  accountConfig,
  commandsOf,
  createAccounts,
  createApp,
  createRefreshTokens,
  loginLimitConfig,
  mongoReady,
  packageInfo,
  redisConfig,
  redisReady,
  refreshTokenConfig,
  type Config,
  type Redis,
} from '@hub/core';
import type { Connection } from 'mongoose';

/** Accounts, login throttling and refresh tokens: every key this service reads, each with its default. */
export const jwtAuthConfig = { ...accountConfig, ...redisConfig, ...loginLimitConfig, ...refreshTokenConfig };
export type JwtAuthConfig = Config<typeof jwtAuthConfig>;

/**
 * The jwt-auth service: the shared accounts at /auth with both options on — rotating refresh
 * tokens (stored hashed in MongoDB) and login throttling (counters in Redis).
 */
export function createJwtAuthApp({ config, db, redis }: { config: JwtAuthConfig; db: Connection; redis: Redis }) {
  const refreshTokens = createRefreshTokens({ ttlSeconds: config.REFRESH_TTL_SECONDS });
  const accounts = createAccounts(config, { refreshTokens, loginLimits: { ...config, redis: commandsOf(redis) } });
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    routes: [['/auth', accounts.router]],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
  });
}
