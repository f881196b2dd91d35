import { createAccess, createAccounts, createApp, mongoReady, packageInfo, type AccountConfig, type BaseConfig } from '@hub/core';
import type { Connection } from 'mongoose';
import { permissions } from './permissions.ts';
import { contactRoutes } from './contacts/contacts.routes.ts';

/** The contact manager: the shared pipeline, the shared accounts at /auth, and /contacts. */
export function createContactApp({ config, db }: { config: BaseConfig & AccountConfig; db: Connection }) {
  const accounts = createAccounts(config);
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    routes: [
      ['/auth', accounts.router],
      ['/contacts', contactRoutes({ access })],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
