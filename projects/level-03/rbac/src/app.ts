import { commandsOf, createAccess, createAccounts, createApp, mongoReady, packageInfo, redisReady, type Redis } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';
import { permissions } from './permissions.ts';
import { postsRoutes } from './posts/posts.routes.ts';
import { usersRoutes } from './users/users.routes.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  redis: Redis;
}

/**
 * The rbac service: the shared accounts at /auth (logins throttled in Redis), posts with
 * ownership and moderation at /posts, role management at /users. Listening is server.ts's job.
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, redis } = deps;
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name, limits: { ...config, redis: commandsOf(redis) } });
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...info,
    config,
    routes: [
      ['/auth', accounts.router],
      ['/posts', postsRoutes({ access })],
      ['/users', usersRoutes({ access })],
    ],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
  });
}
