import { createAccess, createAccounts, createApp, mongoReady, packageInfo } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';
import { itemsRoutes } from './items/items.routes.ts';
import { permissions } from './permissions.ts';
import { searchRoutes } from './search/search.routes.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
}

/**
 * The service: the shared pipeline (createApp), the shared accounts at /auth, the catalogue's
 * items at /items and the search at /search. It never listens: server.ts does that.
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db } = deps;
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name });
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...info,
    config,
    routes: [
      ['/auth', accounts.router],
      ['/items', itemsRoutes({ access })],
      ['/search', searchRoutes()],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
