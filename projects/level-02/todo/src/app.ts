import { createAccess, createAccounts, createApp, mongoReady, packageInfo, type accountConfig, type Config } from '@hub/core';
import type { Connection } from 'mongoose';
import { permissions } from './permissions.ts';
import { taskRoutes } from './tasks/tasks.routes.ts';

/** The todo service: the shared pipeline, the shared accounts at /auth, and /tasks. Listening is server.ts's job. */
export function createTodoApp({ config, db }: { config: Config<typeof accountConfig>; db: Connection }) {
  const accounts = createAccounts(config);
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    routes: [
      ['/auth', accounts.router],
      ['/tasks', taskRoutes({ access })],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
