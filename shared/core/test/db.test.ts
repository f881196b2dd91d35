import { createServer } from 'node:net';
import { afterEach, describe, expect, test } from '@jest/globals';
import mongoose from 'mongoose';
import { connectMongo } from '../src/index.ts';
import { captureLogs } from './support.ts';

/** A loopback port nothing listens on: bound once by us, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A real mongoose connection whose server selection gives up after 150 ms instead of the
 * 5 s connectMongo hard-codes, so a refused port fails fast; `calls` counts the attempts.
 */
function quickFailingConnection() {
  const connection = mongoose.createConnection();
  const openUri = connection.openUri.bind(connection);
  const calls: number[] = [];
  connection.openUri = ((url: string, options: mongoose.ConnectOptions) => {
    calls.push(Date.now());
    return openUri(url, { ...options, serverSelectionTimeoutMS: 150 });
  }) as typeof connection.openUri;
  return { connection, calls };
}

describe('connectMongo()', () => {
  let logs: ReturnType<typeof captureLogs> | undefined;
  afterEach(() => logs?.restore());

  test('on a closed port, retries with a growing delay, then gives up after N attempts with the connection error', async () => {
    logs = captureLogs('production', 'warn');
    const port = await closedPort();
    const { connection, calls } = quickFailingConnection();

    const attempt = connectMongo(`mongodb://127.0.0.1:${port}/nothing`, { attempts: 3, delayMs: 50, connection });

    await expect(attempt).rejects.toThrow(new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
    expect(calls).toHaveLength(3);
    const [first = 0, second = 0, third = 0] = calls;
    // Waits delayMs × attempt between attempts: 50 ms, then 100 ms (plus each attempt's 150 ms selection).
    expect(second - first).toBeGreaterThanOrEqual(150 + 50 - 10);
    expect(third - second).toBeGreaterThanOrEqual(150 + 100 - 10);
    await logs.waitFor(2);
    expect(logs.json().map(({ message }) => message)).toEqual([
      'MongoDB not reachable (attempt 1/3), retrying',
      'MongoDB not reachable (attempt 2/3), retrying',
    ]);
    await connection.close();
  });

  test('the retry warnings never print the connection URL (it can hold credentials)', async () => {
    logs = captureLogs('production', 'warn');
    const port = await closedPort();
    const { connection } = quickFailingConnection();

    await expect(connectMongo(`mongodb://app:pa55word@127.0.0.1:${port}/x`, { attempts: 2, delayMs: 1, connection })).rejects.toThrow();
    await logs.waitFor(1);

    expect(logs.lines.join('\n')).not.toContain('pa55word');
    await connection.close();
  });

  test('connects on the first attempt when MongoDB is up, to the database asked for, with strictQuery on', async () => {
    const connection = mongoose.createConnection();
    const dbName = `connect_${Date.now()}`;

    await connectMongo(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName, attempts: 1, connection });

    expect(connection.readyState).toBe(mongoose.ConnectionStates.connected);
    expect(connection.db?.databaseName).toBe(dbName);
    // strictQuery: a filter on a field the schema does not declare is dropped, not sent.
    const Thing = connection.model('Thing', new mongoose.Schema({ name: String }));
    await Thing.create({ name: 'only-one' });
    expect(await Thing.countDocuments({ notInSchema: 'anything' })).toBe(1);
    await connection.dropDatabase();
    await connection.close();
  });
});
