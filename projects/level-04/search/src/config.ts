import { accountConfig, type Config } from '@hub/core';
import { z } from 'zod';

/**
 * The keys this service adds to the shared base config (NODE_ENV, PORT, MONGO_URL…): the shared
 * accounts' JWT and bcrypt keys, and the size of the catalogue seeded on a first start.
 */
export const serviceConfig = {
  ...accountConfig,
  SEED_ITEMS: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(10_000)
    .describe('items generated into an empty catalogue when the service starts in development; 0 turns it off'),
};

export type ServiceConfig = Config<typeof serviceConfig>;
