import { createAccounts, createApp, mongoReady, packageInfo, type accountConfig, type Config } from '@hub/core';
import type { Connection } from 'mongoose';
import { noteRoutes } from './notes/notes.routes.ts';
import { notePermissions } from './notes/notes.service.ts';

export type NotesConfig = Config<typeof accountConfig>;

/** The notes service: the shared pipeline, the shared accounts at /auth, and /notes. Listening is server.ts's job. */
export function createNotesApp({ config, db }: { config: NotesConfig; db: Connection }) {
  const accounts = createAccounts(config);
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    tokens: accounts.tokens,
    permissions: notePermissions,
    routes: [
      ['/auth', accounts.router],
      ['/notes', noteRoutes],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
