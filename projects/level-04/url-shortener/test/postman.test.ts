import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection, useTestDatabase, useTestRedis } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();
const redis = useTestRedis();

describe('Postman collection', () => {
  test('every request in postman/url-shortener.postman_collection.json passes its assertions', async () => {
    const result = await runPostmanCollection(
      testApp(redis),
      new URL('../postman/url-shortener.postman_collection.json', import.meta.url).pathname,
    );

    // Counted, so a request or a pm.test that silently stops running fails the suite.
    expect(result.requests).toBe(12);
    expect(result.assertions).toBe(13);
  });
});
