import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection } from '@hub/testkit';
import { testApp } from './support.ts';

const service = testApp();

describe('Postman collection', () => {
  test('every request in postman/background-jobs.postman_collection.json passes its assertions', async () => {
    const result = await runPostmanCollection(
      service.app,
      new URL('../postman/background-jobs.postman_collection.json', import.meta.url).pathname,
    );

    // Counted, so a request or a pm.test that silently stops running fails the suite.
    expect(result.requests).toBe(10);
    expect(result.assertions).toBe(10);
  });
});
