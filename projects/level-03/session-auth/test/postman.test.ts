import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection, useTestDatabase } from '@hub/testkit';
import { testApp, useSessionRedis } from './support.ts';

useTestDatabase();
const redis = useSessionRedis();

describe('Postman collection', () => {
  test('every request in postman/session-auth.postman_collection.json passes its assertions, with newman carrying the cookie', async () => {
    const result = await runPostmanCollection(
      testApp(redis),
      new URL('../postman/session-auth.postman_collection.json', import.meta.url).pathname,
    );

    expect(result.requests).toBe(10);
    expect(result.assertions).toBe(10);
  });
});
