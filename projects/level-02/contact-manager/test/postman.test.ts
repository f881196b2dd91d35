import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection, useTestDatabase } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();

describe('Postman collection', () => {
  test('every request in postman/contact-manager.postman_collection.json passes its assertions', async () => {
    const result = await runPostmanCollection(
      testApp(),
      new URL('../postman/contact-manager.postman_collection.json', import.meta.url).pathname,
    );

    expect(result.requests).toBe(11);
    expect(result.assertions).toBe(14);
  });
});
