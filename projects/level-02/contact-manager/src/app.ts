import { createAccess, createAccounts, createApp, mongoReady, packageInfo } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';
import { contactsRoutes } from './contacts/contacts.routes.ts';
import { permissions } from './permissions.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
}

/** The contact manager: the shared pipeline, the shared accounts at /auth, and /contacts. */
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
      ['/contacts', contactsRoutes({ access })],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
