import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientErrors } from '@hub/core';
import type { Express } from 'express';
import type newman from 'newman';
import type { NewmanRunSummary } from 'newman';

type Newman = typeof newman;

/**
 * newman, on first use only: it costs over a second to load, and every test file that imports
 * @hub/testkit would pay for it, collection or not. The kit's test environment
 * (setup/environment.js) holds one copy per worker; outside it, it is imported here.
 */
async function loadNewman(): Promise<Newman> {
  const shared = (globalThis as { [key: symbol]: Newman | undefined })[Symbol.for('backend-hub.newman')];
  return shared ?? (await import('newman')).default;
}

/** Starts `app` on a free loopback port, answering parser-level errors as startServer() does; `close()` stops it. */
export async function listen(app: Express): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = answerClientErrors(app.listen(0, '127.0.0.1'));
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        server.closeAllConnections();
      }),
  };
}

export interface CollectionResult {
  requests: number;
  assertions: number;
}

/**
 * Runs a Postman collection with newman against the in-process app ({{baseUrl}} points at
 * it). Rejects, listing each one, when any request or `pm.test` assertion fails, and when
 * the collection asserts nothing at all.
 */
export async function runPostmanCollection(
  app: Express,
  collectionFile: string,
  variables: Record<string, string> = {},
): Promise<CollectionResult> {
  const { run } = await loadNewman();
  const running = await listen(app);
  try {
    const summary = await new Promise<NewmanRunSummary>((done, fail) => {
      run(
        {
          collection: collectionFile,
          envVar: Object.entries({ ...variables, baseUrl: running.url }).map(([key, value]) => ({ key, value })),
          reporters: [],
          timeoutRequest: 10_000,
        },
        (error, result) => (error ? fail(error) : done(result)),
      );
    });
    const { failures, stats } = summary.run;
    if (failures.length > 0) {
      const lines = failures.map(({ source, error }) => `- ${source?.name ?? 'collection'}: ${error.test ?? error.name}: ${error.message}`);
      throw new Error(`Postman collection ${collectionFile} failed:\n${lines.join('\n')}`);
    }
    if (!stats.assertions.total) throw new Error(`Postman collection ${collectionFile} has no pm.test assertions.`);
    return { requests: stats.requests.total ?? 0, assertions: stats.assertions.total };
  } finally {
    await running.close();
  }
}
