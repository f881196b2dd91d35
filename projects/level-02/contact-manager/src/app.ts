import { createAccounts, createApp, mongoReady, packageInfo, type AccountConfig, type BaseConfig } from '@hub/core';
import type { Connection } from 'mongoose';
import { contactRoutes } from './contacts/contacts.routes.ts';

/** The contact manager: the shared pipeline, the shared accounts at /auth, and /contacts. */
export function createContactApp({ config, db }: { config: BaseConfig & AccountConfig; db: Connection }) {
  const accounts = createAccounts(config);
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    tokens: accounts.tokens,
    permissions: { user: ['contacts:read', 'contacts:write'], admin: ['*'] },
    routes: [
      ['/auth', accounts.router],
      ['/contacts', contactRoutes],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
