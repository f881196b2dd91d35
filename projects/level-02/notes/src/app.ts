import { createAccess, createAccounts, createApp, mongoReady, packageInfo, type accountConfig, type Config } from '@hub/core';
import type { Connection } from 'mongoose';
import { permissions } from './permissions.ts';
import { noteRoutes } from './notes/notes.routes.ts';

export type NotesConfig = Config<typeof accountConfig>;

/** The notes service: the shared pipeline, the shared accounts at /auth, and /notes. Listening is server.ts's job. */
export function createNotesApp({ config, db }: { config: NotesConfig; db: Connection }) {
  const accounts = createAccounts(config);
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    routes: [
      ['/auth', accounts.router],
      ['/notes', noteRoutes({ access })],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
