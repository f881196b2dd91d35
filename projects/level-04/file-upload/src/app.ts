import { createAccess, createAccounts, createApp, mongoReady, packageInfo } from '@hub/core';
import { createStorage, type Storage } from '@hub/core/storage';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';
import { filesRoutes } from './files/files.routes.ts';
import { permissions } from './permissions.ts';
import { sharesRoutes } from './shares/shares.routes.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  /** Where the bytes go; default: ImageKit when its keys are set, else UPLOAD_DIR. */
  storage?: Storage;
  /** The clock share expiry is checked against; tests move it instead of waiting. */
  now?: () => Date;
}

/** The service: the shared pipeline, the shared accounts at /auth, /files and /shares. It never listens. */
export function buildApp(deps: AppDeps): Express {
  const { config, db, storage = createStorage(config), now = () => new Date() } = deps;
  const info = packageInfo(import.meta.url);
  const accounts = createAccounts(config, { service: info.name });
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...info,
    config,
    routes: [
      ['/auth', accounts.router],
      ['/files', filesRoutes({ access, storage, maxBytes: config.UPLOAD_MAX_BYTES })],
      ['/shares', sharesRoutes({ access, storage, now, bcryptCost: config.BCRYPT_COST })],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
