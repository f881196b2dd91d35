import { createAccounts, createApp, mongoReady, packageInfo, type accountConfig, type Config } from '@hub/core';
import type { Connection } from 'mongoose';
import { taskRoutes } from './tasks/tasks.routes.ts';

/** The todo service: the shared pipeline, the shared accounts at /auth, and /tasks. Listening is server.ts's job. */
export function createTodoApp({ config, db }: { config: Config<typeof accountConfig>; db: Connection }) {
  const accounts = createAccounts(config);
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    tokens: accounts.tokens,
    permissions: { user: ['tasks:read', 'tasks:write'], admin: ['*'] },
    routes: [
      ['/auth', accounts.router],
      ['/tasks', taskRoutes],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
