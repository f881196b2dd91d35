import { createAccounts, createApp, mongoReady, packageInfo } from '@hub/core';
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
  const accounts = createAccounts(config);
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    tokens: accounts.tokens,
    permissions,
    routes: [
      ['/auth', accounts.router],
      ['/items', itemsRoutes(deps)],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
