import { accountConfig, loginLimitConfig, redisConfig, refreshTokenConfig, type Config } from '@hub/core';

/** Accounts, login throttling and refresh tokens: every key this service reads, each with its default. */
export const serviceConfig = { ...accountConfig, ...redisConfig, ...loginLimitConfig, ...refreshTokenConfig };

export type ServiceConfig = Config<typeof serviceConfig>;
