import { accountConfig, type Config } from '@hub/core';
import { storageConfig } from '@hub/core/storage';
import { z } from 'zod';

/**
 * The keys this service adds to the shared base config: the shared accounts' JWT and bcrypt
 * keys, the storage adapter's keys (ImageKit when IMAGEKIT_PRIVATE_KEY is set, else UPLOAD_DIR),
 * and the largest upload. `loadConfig(serviceConfig)` in server.ts reads them once at boot.
 */
export const serviceConfig = {
  ...accountConfig,
  ...storageConfig,
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024 ** 3)
    .default(10 * 1024 * 1024)
    .describe('the largest file accepted, in bytes; a larger one is refused with 413 while it streams'),
};

export type ServiceConfig = Config<typeof serviceConfig>;
