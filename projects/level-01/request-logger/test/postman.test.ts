import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection, testConfig } from '@hub/testkit';
import { createRequestLoggerApp } from '../src/app.ts';
import { requestLoggerConfig } from '../src/config.ts';

const READ_KEY = 'postman-read-key-0123456789';
const collection = new URL('../postman/request-logger.postman_collection.json', import.meta.url).pathname;

describe('Postman collection', () => {
  test('every request in postman/request-logger.postman_collection.json passes its assertions', async () => {
    const { app } = createRequestLoggerApp({ config: testConfig(requestLoggerConfig, { LOGS_READ_KEY: READ_KEY }) });

    const result = await runPostmanCollection(app, collection, { logsKey: READ_KEY });

    expect(result.requests).toBeGreaterThanOrEqual(13);
    expect(result.assertions).toBeGreaterThanOrEqual(16);
  });

  test('it also passes against a service without LOGS_READ_KEY, the way pnpm dev runs it', async () => {
    const { app } = createRequestLoggerApp({ config: testConfig(requestLoggerConfig) });

    const result = await runPostmanCollection(app, collection);

    expect(result.requests).toBeGreaterThanOrEqual(13);
  });
});
