import { accountConfig, loginLimitConfig, redisConfig, type Config } from '@hub/core';
import { z } from 'zod';

/**
 * Every key this service reads besides the shared base: the accounts (JWT, bcrypt) and their
 * signup and login limits (counters in Redis), Redis itself (the redirect cache), and its own
 * keys below. `loadConfig(serviceConfig)` in server.ts reads them once at boot.
 */
export const serviceConfig = {
  ...accountConfig,
  ...redisConfig,
  ...loginLimitConfig,
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://localhost:3403')
    .transform((url) => url.replace(/\/+$/, ''))
    .describe(
      'where short links live (http://localhost:3403, https://sho.rt): the start of every shortUrl, and a host targets may not point to',
    ),
  CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300).describe('how long a link stays in the redirect cache'),
  CACHE_MISS_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(300)
    .default(10)
    .describe('how long "no such code" stays in the redirect cache'),
  CLICK_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(1000).describe('how often buffered clicks are written to MongoDB'),
  CLICK_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(500)
    .describe('clicks written in one insert; a full batch is written at once'),
};

export type ServiceConfig = Config<typeof serviceConfig>;
