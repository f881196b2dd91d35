import { accountConfig, type Config } from '@hub/core';

/**
 * The keys this service adds to the shared base config (NODE_ENV, PORT, MONGO_URL…): here the
 * shared accounts' JWT and bcrypt keys. Add the service's own keys below, each a zod schema
 * with a default or a `.describe()`, and a commented line for each in .env.example.
 * `loadConfig(serviceConfig)` in server.ts reads them once at boot and refuses to start on a bad one.
 */
export const serviceConfig = {
  ...accountConfig,
};

export type ServiceConfig = Config<typeof serviceConfig>;
