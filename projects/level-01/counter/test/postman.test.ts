import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection, useTestDatabase } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();

describe('Postman collection', () => {
  test('every request in postman/counter.postman_collection.json passes its assertions', async () => {
    const app = testApp();

    const result = await runPostmanCollection(app, new URL('../postman/counter.postman_collection.json', import.meta.url).pathname);

    expect(result.requests).toBeGreaterThanOrEqual(10);
    expect(result.assertions).toBeGreaterThanOrEqual(13);
  });
});
