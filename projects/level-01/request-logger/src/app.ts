import { createApp, packageInfo } from '@hub/core';
import type { Express } from 'express';
import type { ServiceConfig } from './config.ts';
import { demoRoutes } from './demo/demo.routes.ts';
import { logsRoutes } from './logs/logs.routes.ts';
import type { LogEntry } from './logs/logs.schemas.ts';
import { recordRequests } from './logs/record-requests.ts';
import type { RingBuffer } from './logs/ring-buffer.ts';

/**
 * Everything the app is built from. server.ts passes the real ones; tests pass their own. The
 * buffer comes in from outside (sized by LOGS_CAPACITY), so a test can look inside it.
 */
export interface AppDeps {
  config: ServiceConfig;
  buffer: RingBuffer<LogEntry>;
}

/**
 * The request-logger service: the shared pipeline, this service's recorder as its own
 * middleware, the demo routes and /logs. Listening is server.ts's job.
 */
export function buildApp(deps: AppDeps): Express {
  const { config, buffer } = deps;
  return createApp({
    ...packageInfo(import.meta.url),
    config,
    middleware: recordRequests(buffer),
    routes: [
      ['', demoRoutes()],
      ['/logs', logsRoutes({ buffer, readKey: config.LOGS_READ_KEY })],
    ],
  });
}
