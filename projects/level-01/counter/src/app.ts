import { createApp, mongoReady, packageInfo } from '@hub/core';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { ServiceConfig } from './config.ts';
import { countersRoutes } from './counters/counters.routes.ts';

/** Everything the app is built from. server.ts passes the real ones; tests pass their own. */
export interface AppDeps {
  config: ServiceConfig;
  db: Connection;
}

/** The counter service: the shared pipeline plus /counters. Listening is server.ts's job. */
export function buildApp(deps: AppDeps): Express {
  const { config, db } = deps;
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    routes: [['/counters', countersRoutes()]],
    readiness: { mongo: mongoReady(db) },
  });
}
