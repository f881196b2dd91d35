import { createApp, packageInfo } from '@hub/core';
import type { RequestLoggerConfig } from './config.ts';
import { demoRoutes } from './demo/demo.routes.ts';
import { logsRoutes } from './logs/logs.routes.ts';
import type { LogEntry } from './logs/logs.schemas.ts';
import { recordRequests } from './logs/record-requests.ts';
import { RingBuffer } from './logs/ring-buffer.ts';

/**
 * The request-logger service: the shared pipeline, this service's recorder as its own
 * middleware, the demo routes and /logs. Returns the buffer too, so tests can look inside.
 */
export function createRequestLoggerApp({
  config,
  buffer = new RingBuffer<LogEntry>(config.LOGS_CAPACITY),
}: {
  config: RequestLoggerConfig;
  buffer?: RingBuffer<LogEntry>;
}) {
  const app = createApp({
    ...packageInfo(import.meta.url),
    config,
    middleware: recordRequests(buffer),
    routes: [
      ['', demoRoutes],
      ['/logs', logsRoutes({ buffer, readKey: config.LOGS_READ_KEY })],
    ],
  });
  return { app, buffer };
}
