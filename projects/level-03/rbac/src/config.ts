import { accountConfig, loginLimitConfig, redisConfig, type Config } from '@hub/core';

/** Accounts with login throttling: every key this service reads, each with its default. */
export const serviceConfig = { ...accountConfig, ...redisConfig, ...loginLimitConfig };

export type ServiceConfig = Config<typeof serviceConfig>;
