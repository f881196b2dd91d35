import {
  commandsOf,
  createAccess,
  createAccounts,
  createApp,
  mongoReady,
  packageInfo,
  redisReady,
  type Mailer,
  type Redis,
} from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';
import { deliveriesRoutes, sendLimit } from './deliveries/deliveries.routes.ts';
import { createDeliveries } from './deliveries/deliveries.service.ts';
import { permissions } from './permissions.ts';
import { suppressionsRoutes } from './suppressions/suppressions.routes.ts';
import { templatesRoutes } from './templates/templates.routes.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  /** The signup/login limits and the send limit count here. */
  redis: Redis;
  /** The SMTP side: createMailer(config), or one pointed at a test server. */
  mailer: Mailer;
}

/**
 * The email-notification service: the shared accounts at /auth (throttled), the templates and
 * their previews at /templates, sending and the delivery log at /deliveries, and the
 * suppression list at /suppressions. It never listens: server.ts does that.
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, redis, mailer } = deps;
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name, limits: { ...config, redis: commandsOf(redis) } });
  const access = createAccess({ tokens: accounts.tokens, permissions });
  const limit = sendLimit({ redis: commandsOf(redis), limit: config.SEND_MAX_PER_ACCOUNT, windowSeconds: config.SEND_WINDOW_SECONDS });
  return createApp({
    ...info,
    config,
    routes: [
      ['/auth', accounts.router],
      ['/templates', templatesRoutes({ access })],
      ['/deliveries', deliveriesRoutes({ access, deliveries: createDeliveries({ mailer }), limit })],
      ['/suppressions', suppressionsRoutes({ access })],
    ],
    readiness: { mongo: mongoReady(db), redis: redisReady(redis), smtp: mailer.ready },
  });
}
