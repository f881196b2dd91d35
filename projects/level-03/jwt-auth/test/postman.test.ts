import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection, useTestDatabase, useTestRedis } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();
const redis = useTestRedis();

describe('Postman collection', () => {
  test('every request in postman/jwt-auth.postman_collection.json passes its assertions', async () => {
    const result = await runPostmanCollection(
      testApp(redis.redis),
      new URL('../postman/jwt-auth.postman_collection.json', import.meta.url).pathname,
    );

    expect(result.requests).toBe(11);
    expect(result.assertions).toBe(11);
  });
});
