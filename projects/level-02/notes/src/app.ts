import { createAccess, createAccounts, createApp, mongoReady, packageInfo } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';
import { notesRoutes } from './notes/notes.routes.ts';
import { permissions } from './permissions.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
}

/** The notes service: the shared pipeline, the shared accounts at /auth, and /notes. Listening is server.ts's job. */
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
      ['/notes', notesRoutes({ access })],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
