import { accountConfig, loginLimitConfig, mailConfig, redisConfig, type Config } from '@hub/core';
import { z } from 'zod';

/**
 * Every key this service reads beyond the shared base: the accounts (JWT, bcrypt) and their
 * signup/login limits in Redis, the SMTP server and sender, and the send limit per account.
 */
export const serviceConfig = {
  ...accountConfig,
  ...redisConfig,
  ...loginLimitConfig,
  ...mailConfig,
  SEND_MAX_PER_ACCOUNT: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(100)
    .describe('POST /deliveries per account per window; past it, 429 with Retry-After and nothing is sent'),
  SEND_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600).describe('the window SEND_MAX_PER_ACCOUNT counts in'),
};

export type ServiceConfig = Config<typeof serviceConfig>;
