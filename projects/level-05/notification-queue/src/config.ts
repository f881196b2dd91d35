import { accountConfig, loginLimitConfig, mailConfig, redisConfig, type Config } from '@hub/core';
import { queueConfig } from '@hub/core/queue';
import { z } from 'zod';

/**
 * Every key this service reads beyond the shared base: the accounts (JWT, bcrypt) and their
 * login limits in Redis, the SMTP server, the queue (BullMQ prefix, worker concurrency, lock),
 * and the service's own: how many times a channel is tried and how long a digest collects.
 */
export const serviceConfig = {
  ...accountConfig,
  ...redisConfig,
  ...loginLimitConfig,
  ...mailConfig,
  ...queueConfig,
  DELIVERY_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(5)
    .describe('tries per channel delivery (exponential backoff between them) before it is recorded as failed'),
  DELIVERY_BACKOFF_MS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3_600_000)
    .default(2000)
    .describe('the wait before the second try of a delivery; it doubles before each try after that'),
  DIGEST_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(300)
    .describe('events with the same digest key for one recipient within this window become one notification'),
};

export type ServiceConfig = Config<typeof serviceConfig>;
