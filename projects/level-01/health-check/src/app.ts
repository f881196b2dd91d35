import { createApp, mongoReady, packageInfo } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
  /** The hub's pipeline events: on in development by default; bench/pipeline forces them on. */
  events?: boolean;
}

/**
 * The smallest real service: the shared pipeline with nothing added but a readiness check.
 * `/health` says the process is alive and never touches MongoDB; `/ready` says it can serve
 * traffic now, which it cannot while MongoDB does not answer. Listening is server.ts's job.
 */
export function buildApp(deps: AppDeps): Express {
  const { config, db, events } = deps;
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    ...(events === undefined ? {} : { events }),
    routes: [],
    readiness: { mongo: mongoReady(db) },
  });
}
