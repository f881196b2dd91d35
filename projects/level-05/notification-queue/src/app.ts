import { commandsOf, createAccess, createAccounts, createApp, mongoReady, packageInfo, redisReady, type Redis } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';
import { eventsRoutes } from './events/events.routes.ts';
import type { Enqueue } from './jobs.ts';
import type { LiveInbox } from './notifications/live-inbox.ts';
import { notificationsRoutes } from './notifications/notifications.routes.ts';
import { permissions } from './permissions.ts';
import { preferencesRoutes } from './preferences/preferences.routes.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  /** Login throttling and the readiness check. */
  redis: Redis;
  /** Adds jobs to the notifications queue (enqueueOn(queue)); the worker process takes them. */
  enqueue: Enqueue;
  /** This instance's subscription to the in-app pushes, for the SSE streams. */
  live: LiveInbox;
  now?: () => Date;
}

/**
 * The notification-queue web process: the shared accounts at /auth, the producers' /events, each
 * user's /notifications inbox and /preferences. Delivery happens in the worker (src/worker.ts).
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, redis, enqueue, live, now = () => new Date() } = deps;
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name, limits: { ...config, redis: commandsOf(redis) } });
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...info,
    config,
    routes: [
      ['/auth', accounts.router],
      ['/events', eventsRoutes({ access, enqueue, now })],
      ['/notifications', notificationsRoutes({ access, live })],
      ['/preferences', preferencesRoutes({ access })],
    ],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
  });
}
