import { loadConfig, logger, startServer } from '@hub/core';
import { createRequestLoggerApp } from './app.ts';
import { requestLoggerConfig } from './config.ts';

const config = loadConfig(requestLoggerConfig);
const { app } = createRequestLoggerApp({ config });
await startServer({ app, config });
if (config.NODE_ENV === 'production' && config.LOGS_READ_KEY === undefined) {
  logger.warn('LOGS_READ_KEY is not set: anyone who can reach this service can read GET /logs');
}
