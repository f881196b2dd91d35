import { runPostmanCollection } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import { testApp } from './support.ts';

const service = testApp();

describe('Postman collection', () => {
  test('every request in postman/email-notification.postman_collection.json passes its assertions', async () => {
    const result = await runPostmanCollection(
      service.app,
      new URL('../postman/email-notification.postman_collection.json', import.meta.url).pathname,
    );

    // Counted, so a request or a pm.test that silently stops running fails the suite.
    expect(result.requests).toBe(14);
    expect(result.assertions).toBe(15);
  });
});
