import { runPostmanCollection } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import { testApp } from './support.ts';

const service = testApp();

describe('Postman collection', () => {
  test('every request in postman/password-reset.postman_collection.json passes its assertions', async () => {
    const result = await runPostmanCollection(
      service.app,
      new URL('../postman/password-reset.postman_collection.json', import.meta.url).pathname,
    );

    expect(result.requests).toBe(11);
    expect(result.assertions).toBe(12);
  });
});
