import { commandsOf, createAccess, createAccounts, createApp, mongoReady, packageInfo, redisReady, type Redis } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import { auditRoutes } from './audit/audit.routes.ts';
import type { ServiceConfig } from './config.ts';
import { flagsRoutes } from './flags/flags.routes.ts';
import { loadAllDefinitions, loadDefinition } from './flags/flags.service.ts';
import { startLiveFlags, type LiveFlags } from './flags/live-flags.ts';
import { ofrepRoutes } from './ofrep/ofrep.routes.ts';
import { permissions } from './permissions.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  /** Login throttling and the change announcements. */
  redis: Redis;
  /** This instance's snapshot of the flags (startLive() builds it). */
  live: LiveFlags;
}

/** The snapshot an app evaluates from: subscribed to the change channel, then loaded from MongoDB. */
export const startLive = ({ redis, channel }: { redis: Redis; channel: string }): Promise<LiveFlags> =>
  startLiveFlags({ redis, channel, loadAll: loadAllDefinitions, loadOne: loadDefinition });

/**
 * The feature-flags service: the shared accounts at /auth (logins throttled in Redis), the admin
 * routes at /flags, the audit trail at /audit, OFREP evaluation and change events at /ofrep/v1.
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, redis, live } = deps;
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name, limits: { ...config, redis: commandsOf(redis) } });
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...info,
    config,
    routes: [
      ['/auth', accounts.router],
      ['/flags', flagsRoutes({ access, live })],
      ['/audit', auditRoutes({ access })],
      ['/ofrep/v1', ofrepRoutes({ live })],
    ],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
  });
}
