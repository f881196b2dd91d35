import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection, testConfig, useTestDatabase } from '@hub/testkit';
import mongoose from 'mongoose';
import { createHealthCheckApp } from '../src/app.ts';

useTestDatabase();

describe('Postman collection', () => {
  test('every request in postman/health-check.postman_collection.json passes its assertions', async () => {
    const app = createHealthCheckApp({ config: testConfig(), db: mongoose.connection });

    const result = await runPostmanCollection(app, new URL('../postman/health-check.postman_collection.json', import.meta.url).pathname);

    expect(result.requests).toBe(9);
    expect(result.assertions).toBe(13);
  });
});
