import {
  commandsOf,
  createAccounts,
  createApp,
  createRefreshTokens,
  mongoReady,
  packageInfo,
  quota,
  redisReady,
  type Mailer,
  type Redis,
} from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';
import { checkResetUrl } from './reset/reset.mail.ts';
import { forgotThrottle, resetRoutes } from './reset/reset.routes.ts';
import { createPasswordResets } from './reset/reset.service.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  redis: Redis;
  mailer: Mailer;
  /** The clock reset and refresh tokens expire by; tests move it. */
  now?: () => Date;
}

/**
 * The password-reset service: the shared accounts at /auth (refresh tokens, login throttling)
 * and forgot/reset at /auth/password. Listening is server.ts's job.
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, redis, mailer, now = () => new Date() } = deps;
  const RESET_URL = checkResetUrl(config);
  const refreshTokens = createRefreshTokens({
    ttlSeconds: config.REFRESH_TTL_SECONDS,
    familyMaxSeconds: config.REFRESH_FAMILY_MAX_SECONDS,
    now,
  });
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name, refreshTokens, limits: { ...config, redis: commandsOf(redis) } });
  const mailQuota = quota({
    name: 'forgot-mails',
    limit: config.FORGOT_MAX_MAILS_PER_ACCOUNT,
    windowSeconds: config.FORGOT_WINDOW_SECONDS,
    redis: commandsOf(redis),
  });
  const resets = createPasswordResets({ config: { ...config, RESET_URL }, mailer, mailQuota, refreshTokens, now });
  return createApp({
    ...info,
    config,
    routes: [
      ['/auth', accounts.router],
      ['/auth/password', resetRoutes({ resets, throttle: forgotThrottle({ ...config, redis: commandsOf(redis) }) })],
    ],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis), smtp: mailer.ready },
  });
}
