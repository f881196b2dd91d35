import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection } from '@hub/testkit';
import { testLogger } from './support.ts';

const READ_KEY = 'postman-read-key-0123456789';
const collection = new URL('../postman/request-logger.postman_collection.json', import.meta.url).pathname;

describe('Postman collection', () => {
  test('every request in postman/request-logger.postman_collection.json passes its assertions', async () => {
    const { app } = testLogger({ LOGS_READ_KEY: READ_KEY });

    const result = await runPostmanCollection(app, collection, { logsKey: READ_KEY });

    expect(result.requests).toBeGreaterThanOrEqual(13);
    expect(result.assertions).toBeGreaterThanOrEqual(16);
  });

  test('it also passes against a service without LOGS_READ_KEY, the way pnpm dev runs it', async () => {
    const { app } = testLogger();

    const result = await runPostmanCollection(app, collection);

    expect(result.requests).toBeGreaterThanOrEqual(13);
  });
});
