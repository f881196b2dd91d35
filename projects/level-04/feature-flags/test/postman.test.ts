import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection, signUp, useTestDatabase } from '@hub/testkit';
import { promote } from '../src/promote.ts';
import { useInstances } from './support.ts';

useTestDatabase();
const instances = useInstances();

describe('Postman collection', () => {
  test('every request in postman/feature-flags.postman_collection.json passes its assertions', async () => {
    const { app } = instances.first;
    // The owner is made the way an operator makes one: sign up, then the promote script.
    const owner = await signUp(app);
    await promote([owner.email, 'owner']);

    const result = await runPostmanCollection(app, new URL('../postman/feature-flags.postman_collection.json', import.meta.url).pathname, {
      ownerEmail: owner.email,
      ownerPassword: owner.password,
    });

    // Counted, so a request or a pm.test that silently stops running fails the suite.
    expect(result.requests).toBe(14);
    expect(result.assertions).toBe(14);
  });
});
