import { createApp, mongoReady, packageInfo, type BaseConfig } from '@hub/core';
import type { Connection } from 'mongoose';

/**
 * The smallest real service: the shared pipeline with nothing added but a readiness check.
 * `/health` says the process is alive and never touches MongoDB; `/ready` says it can serve
 * traffic now, which it cannot while MongoDB does not answer. Listening is server.ts's job.
 */
export function createHealthCheckApp({ config, db, events }: { config: BaseConfig; db: Connection; events?: boolean }) {
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    // The hub's pipeline events: on in development by default; bench/pipeline forces them on.
    ...(events === undefined ? {} : { events }),
    routes: [],
    readiness: { mongo: mongoReady(db) },
  });
}
