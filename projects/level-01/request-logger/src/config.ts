import { secret, type Config } from '@hub/core';
import { z } from 'zod';

/** The keys this service adds to the shared config (read once at boot, like the rest). */
export const serviceConfig = {
  LOGS_CAPACITY: z.coerce
    .number()
    .int()
    .min(10)
    .max(10_000)
    .default(500)
    .describe('how many entries GET /logs keeps; the oldest is dropped first'),
  LOGS_READ_KEY: secret(
    z
      .string()
      .min(16, 'must be at least 16 characters')
      .describe('when set, GET /logs requires it in X-Logs-Key; set it in production, to 32 random bytes (openssl rand -base64 32)'),
  ).optional(),
};

export type ServiceConfig = Config<typeof serviceConfig>;
