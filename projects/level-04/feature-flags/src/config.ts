import { accountConfig, loginLimitConfig, redisConfig, type Config } from '@hub/core';
import { z } from 'zod';

/**
 * The shared accounts' keys (JWT, bcrypt) with login throttling, REDIS_URL made required
 * (changes travel through Redis), and the channel every instance publishes flag changes on and listens to.
 */
export const serviceConfig = {
  ...accountConfig,
  ...redisConfig,
  ...loginLimitConfig,
  FLAGS_CHANNEL: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .default('feature-flags:changes')
    .describe('the Redis pub/sub channel flag changes are announced on; every instance of one deployment must share it'),
};

export type ServiceConfig = Config<typeof serviceConfig>;
