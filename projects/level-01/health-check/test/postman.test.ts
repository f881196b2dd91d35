import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection, useTestDatabase } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();

describe('Postman collection', () => {
  test('every request in postman/health-check.postman_collection.json passes its assertions', async () => {
    const app = testApp();

    const result = await runPostmanCollection(app, new URL('../postman/health-check.postman_collection.json', import.meta.url).pathname);

    expect(result.requests).toBe(9);
    expect(result.assertions).toBe(13);
  });
});
