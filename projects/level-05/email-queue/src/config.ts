import { accountConfig, loginLimitConfig, mailConfig, redisConfig, type Config } from '@hub/core';
import { queueConfig } from '@hub/core/queue';
import { z } from 'zod';

/**
 * Every key this service reads beyond the shared base: the accounts (JWT, bcrypt) and their
 * signup/login limits in Redis, the SMTP server and sender, the queue, and the sending rules:
 * the rate the worker sends at, how often it tries, how it backs off, and how long an
 * Idempotency-Key is remembered.
 */
export const serviceConfig = {
  ...accountConfig,
  ...redisConfig,
  ...loginLimitConfig,
  ...mailConfig,
  ...queueConfig,
  SEND_RATE_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(10)
    .describe('mails all workers together hand to the SMTP server per second (BullMQ limiter, counted in Redis)'),
  SEND_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(6)
    .describe('tries per mail on a temporary failure (4xx, timeout) before it is dead-lettered'),
  SEND_BACKOFF_MS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3_600_000)
    .default(2_000)
    .describe('the first retry waits this long, each next one twice as long (exponential backoff)'),
  IDEMPOTENCY_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(86_400)
    .describe('how long the answer to an Idempotency-Key is replayed; after that the key is new again'),
};

export type ServiceConfig = Config<typeof serviceConfig>;
