import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection, signUp, useTestDatabase, useTestRedis } from '@hub/testkit';
import { promote } from '../src/promote.ts';
import { testApp } from './support.ts';

useTestDatabase();
const redis = useTestRedis();

describe('Postman collection', () => {
  test('every request in postman/rbac.postman_collection.json passes its assertions', async () => {
    const app = testApp(redis.redis);
    // The first admin is made the way an operator makes one: sign up, then the promote script.
    const admin = await signUp(app);
    await promote([admin.email, 'admin']);

    const result = await runPostmanCollection(app, new URL('../postman/rbac.postman_collection.json', import.meta.url).pathname, {
      adminEmail: admin.email,
      adminPassword: admin.password,
    });

    expect(result.requests).toBe(15);
    expect(result.assertions).toBe(15);
  });
});
