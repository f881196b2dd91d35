import { createAccounts, createApp, mongoReady, packageInfo, type accountConfig, type Config } from '@hub/core';
import type { Connection } from 'mongoose';
import { expenseRoutes } from './expenses/expenses.routes.ts';
import { expensePermissions } from './expenses/expenses.service.ts';

export type ExpenseConfig = Config<typeof accountConfig>;

/** The expense tracker: the shared pipeline, the shared accounts at /auth, and /expenses. Listening is server.ts's job. */
export function createExpenseApp({ config, db }: { config: ExpenseConfig; db: Connection }) {
  const accounts = createAccounts(config);
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    tokens: accounts.tokens,
    permissions: expensePermissions,
    routes: [
      ['/auth', accounts.router],
      ['/expenses', expenseRoutes],
    ],
    readiness: { mongo: mongoReady(db) },
  });
}
