import { createApp, mongoReady, packageInfo, type BaseConfig } from '@hub/core';
import type { Connection } from 'mongoose';
import { counterRoutes } from './counters/counters.routes.ts';

/** The counter service: the shared pipeline plus /counters. Listening is server.ts's job. */
export function createCounterApp({ config, db }: { config: BaseConfig; db: Connection }) {
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    routes: [['/counters', counterRoutes]],
    readiness: { mongo: mongoReady(db) },
  });
}
