import {
  accountConfig,
  commandsOf,
  createAccess,
  createAccounts,
  createApp,
  loginLimitConfig,
  mongoReady,
  packageInfo,
  redisConfig,
  redisReady,
  type Config,
  type Redis,
} from '@hub/core';
import type { Connection } from 'mongoose';
import { rolePermissions } from './permissions.ts';
import { postRoutes } from './posts/posts.routes.ts';
import { userRoutes } from './users/users.routes.ts';

/** Accounts with login throttling: every key this service reads, each with its default. */
export const rbacConfig = { ...accountConfig, ...redisConfig, ...loginLimitConfig };
export type RbacConfig = Config<typeof rbacConfig>;

/**
 * The rbac service: the shared accounts at /auth (logins throttled in Redis), posts with
 * ownership and moderation at /posts, role management at /users. Listening is server.ts's job.
 */
export function createRbacApp({ config, db, redis }: { config: RbacConfig; db: Connection; redis: Redis }) {
  const accounts = createAccounts(config, { loginLimits: { ...config, redis: commandsOf(redis) } });
  const access = createAccess({ tokens: accounts.tokens, permissions: rolePermissions });
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    routes: [
      ['/auth', accounts.router],
      ['/posts', postRoutes({ access })],
      ['/users', userRoutes({ access })],
    ],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
  });
}
