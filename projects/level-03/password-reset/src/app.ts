import {
  accountConfig,
  commandsOf,
  createAccounts,
  createApp,
  createRefreshTokens,
  loginLimitConfig,
  mailConfig,
  mongoReady,
  packageInfo,
  redisConfig,
  redisReady,
  refreshTokenConfig,
  type Config,
  type Mailer,
  type Redis,
} from '@hub/core';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { checkResetUrl } from './reset/reset.mail.ts';
import { forgotThrottle, resetRoutes } from './reset/reset.routes.ts';
import { createPasswordResets } from './reset/reset.service.ts';

/** Every key this service reads: the shared accounts, Redis, login limits, refresh tokens and mail, plus the reset's own. */
export const passwordResetConfig = {
  ...accountConfig,
  ...redisConfig,
  ...loginLimitConfig,
  ...refreshTokenConfig,
  ...mailConfig,
  RESET_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .describe('the page the mailed link opens (the token is added as ?token=); default: this server on PORT; required and https in production'),
  RESET_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900).describe('how long a reset link works'),
  FORGOT_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(3).describe('forgot-password requests per email per window before 429'),
  FORGOT_MAX_PER_IP: z.coerce.number().int().min(1).max(100_000).default(20).describe('forgot-password requests per client IP per window before 429'),
  FORGOT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600).describe('the window both forgot-password limits count in'),
};
export type PasswordResetConfig = Config<typeof passwordResetConfig>;

export interface PasswordResetDeps {
  config: PasswordResetConfig;
  db: Connection;
  redis: Redis;
  mailer: Mailer;
  /** The clock reset tokens expire by; tests move it. */
  now?: () => Date;
}

/**
 * The password-reset service: the shared accounts at /auth (refresh tokens, login throttling)
 * and forgot/reset at /auth/password. Listening is server.ts's job.
 */
export function createPasswordResetApp({ config, db, redis, mailer, now = () => new Date() }: PasswordResetDeps) {
  const RESET_URL = checkResetUrl(config);
  const refreshTokens = createRefreshTokens({ ttlSeconds: config.REFRESH_TTL_SECONDS });
  const accounts = createAccounts(config, { refreshTokens, loginLimits: { ...config, redis: commandsOf(redis) } });
  const resets = createPasswordResets({ config: { ...config, RESET_URL }, mailer, refreshTokens, now });
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    routes: [
      ['/auth', accounts.router],
      ['/auth/password', resetRoutes(resets, forgotThrottle({ ...config, redis: commandsOf(redis) }))],
    ],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis), smtp: mailer.ready },
  });
}
