import { commandsOf, createAccess, createAccounts, createApp, mongoReady, packageInfo, redisReady, type Redis } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';
import { adminSessionRoutes, dashboard } from './dashboard/dashboard.routes.ts';
import { jobsRoutes } from './jobs/jobs.routes.ts';
import type { JobsQueue } from './jobs/jobs.worker.ts';
import { permissions } from './permissions.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  /** The signup/login limits live here. */
  redis: Redis;
  /** The producer side of the jobs queue (jobsQueue(config)); the worker process consumes it. */
  queue: JobsQueue;
}

/**
 * The background-jobs service: the shared accounts at /auth, the jobs at /jobs (202: a worker
 * process runs them), and for admins the queue dashboard at /admin/queues with its session at
 * /admin/session. It never listens: server.ts does that.
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, redis, queue } = deps;
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name, limits: { ...config, redis: commandsOf(redis) } });
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...info,
    config,
    middleware: [dashboard({ access, tokens: accounts.tokens, queue })],
    routes: [
      ['/auth', accounts.router],
      ['/jobs', jobsRoutes({ access, queue, pollMs: config.EVENTS_POLL_MS })],
      ['/admin', adminSessionRoutes({ access, maxAgeSeconds: config.ADMIN_SESSION_SECONDS, secure: config.NODE_ENV === 'production' })],
    ],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis) },
  });
}
