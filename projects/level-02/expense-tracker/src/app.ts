import { createAccess, createAccounts, createApp, mongoReady, packageInfo, type accountConfig, type Config } from '@hub/core';
import type { Connection } from 'mongoose';
import { permissions } from './permissions.ts';
import { expenseRoutes } from './expenses/expenses.routes.ts';

export type ExpenseConfig = Config<typeof accountConfig>;

/** The expense tracker: the shared pipeline, the shared accounts at /auth, and /expenses. Listening is server.ts's job. */
export function createExpenseApp({ config, db }: { config: ExpenseConfig; db: Connection }) {
  const accounts = createAccounts(config);
  const access = createAccess({ tokens: accounts.tokens, permissions });
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    routes: [
      ['/auth', accounts.router],
      ['/expenses', expenseRoutes({ access })],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
