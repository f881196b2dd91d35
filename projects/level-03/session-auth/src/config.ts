import { accountConfig, ConfigError, loginLimitConfig, redisConfig, secret, type Config } from '@hub/core';
import { z } from 'zod';

/** Every key this service reads, each with its default; `loadConfig(serviceConfig)` checks them at boot. */
export const serviceConfig = {
  BCRYPT_COST: accountConfig.BCRYPT_COST,
  ...redisConfig,
  ...loginLimitConfig,
  SESSION_SECRET: secret(
    z
      .string()
      .min(32, 'must be at least 32 characters')
      .describe('signs the session cookie; in production 32 random bytes as base64 or hex (openssl rand -base64 32), never committed'),
  ),
  SESSION_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400)
    .default(1800)
    .describe('a session unused this long is over (default 30 minutes)'),
  SESSION_ABSOLUTE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(28_800)
    .describe('a session this old is over, however busy (default 8 hours)'),
};
export type ServiceConfig = Config<typeof serviceConfig>;

/** The two timeouts, in seconds; an idle limit longer than the absolute one would never apply. */
export function sessionTimeouts({ SESSION_IDLE_SECONDS: idle, SESSION_ABSOLUTE_SECONDS: absolute }: ServiceConfig) {
  if (idle > absolute) throw new ConfigError(`SESSION_IDLE_SECONDS (${idle}) is longer than SESSION_ABSOLUTE_SECONDS (${absolute}).`);
  return { idleSeconds: idle, absoluteSeconds: absolute };
}
