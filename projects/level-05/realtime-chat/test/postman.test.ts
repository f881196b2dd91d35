import { describe, expect, test } from '@jest/globals';
import { runPostmanCollection, useTestDatabase } from '@hub/testkit';
import { useChat } from './support.ts';

useTestDatabase();
const chat = useChat();

describe('Postman collection', () => {
  test('every request in postman/realtime-chat.postman_collection.json passes its assertions', async () => {
    const result = await runPostmanCollection(
      chat.app,
      new URL('../postman/realtime-chat.postman_collection.json', import.meta.url).pathname,
    );

    // Counted, so a request or a pm.test that silently stops running fails the suite.
    expect(result.requests).toBe(10);
    expect(result.assertions).toBe(11);
  });
});
