import type { Config } from '@hub/core';

/**
 * The keys this service adds to the shared base config (NODE_ENV, PORT, MONGO_URL…): none.
 * `loadConfig(serviceConfig)` in server.ts reads them once at boot and refuses to start on a bad one.
 */
export const serviceConfig = {};

export type ServiceConfig = Config<typeof serviceConfig>;
