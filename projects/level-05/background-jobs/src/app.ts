import { createAccess, createAccounts, createApp, mongoReady, packageInfo } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';
import { itemsRoutes } from './items/items.routes.ts';
import { permissions } from './permissions.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  // Add the service's other clients here (redis: Redis, mailer: Mailer) and, when time
  // matters to a rule, a clock (now: () => Date), so tests can move it instead of waiting.
}

/**
 * The service: the shared pipeline (createApp), the shared accounts at /auth, and /items.
 * It never listens: server.ts does that, and tests call it through supertest.
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db } = deps;
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name });
  // authenticate() and authorize() bound to their dependencies: the token service and the table.
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...info,
    config,
    routes: [
      ['/auth', accounts.router],
      ['/items', itemsRoutes({ access })],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
