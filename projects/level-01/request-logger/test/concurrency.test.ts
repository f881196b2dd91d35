import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { listen } from '@hub/testkit';
import { testLogger } from './support.ts';

const CONCURRENT = 100;
const { app, buffer } = testLogger();
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  server = await listen(app);
});
afterAll(() => server.close());

describe('concurrent requests', () => {
  test(`${CONCURRENT} concurrent requests give exactly ${CONCURRENT} entries, one per request id`, async () => {
    const send = (index: number) =>
      fetch(`${server.url}/slow?ms=${index % 20}`).then(async (response) => ({
        status: response.status,
        requestId: response.headers.get('x-request-id'),
        body: await response.json(),
      }));

    const answers = await Promise.all(Array.from({ length: CONCURRENT }, (_, index) => send(index)));
    const entries = buffer.entries();

    expect(answers.every(({ status }) => status === 200)).toBe(true);
    expect(entries).toHaveLength(CONCURRENT);
    expect(new Set(entries.map(({ requestId }) => requestId)).size).toBe(CONCURRENT);
    expect(new Set(entries.map(({ requestId }) => requestId))).toEqual(new Set(answers.map(({ requestId }) => requestId)));
  });
});
