import { loadConfig, logger, startServer } from '@hub/core';
import { buildApp } from './app.ts';
import { serviceConfig } from './config.ts';
import type { LogEntry } from './logs/logs.schemas.ts';
import { RingBuffer } from './logs/ring-buffer.ts';

const config = loadConfig(serviceConfig);
const buffer = new RingBuffer<LogEntry>(config.LOGS_CAPACITY);
await startServer({ app: buildApp({ config, buffer }), config });
if (config.NODE_ENV === 'production' && config.LOGS_READ_KEY === undefined) {
  logger.warn('LOGS_READ_KEY is not set: anyone who can reach this service can read GET /logs');
}
