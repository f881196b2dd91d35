import { createApp, mongoReady, packageInfo, type BaseConfig } from '@hub/core';
import type { Connection } from 'mongoose';

/**
 * The smallest real service: the shared pipeline with nothing added but a readiness check.
 * `/health` says the process is alive and never touches MongoDB; `/ready` says it can serve
 * traffic now, which it cannot while MongoDB does not answer. Listening is server.ts's job.
 */
export function createHealthCheckApp({ config, db }: { config: BaseConfig; db: Connection }) {
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    routes: [],
    readiness: { mongo: mongoReady(db) },
  });
}
