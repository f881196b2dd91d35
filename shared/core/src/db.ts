import { setTimeout as sleep } from 'node:timers/promises';
import type * as ioredis from 'ioredis';
import type { Redis, RedisOptions } from 'ioredis';
export type { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { DEFAULT_MONGO_TIMEOUT_MS, DEFAULT_REDIS_TIMEOUT_MS } from './config.ts';
import { currentRequest } from './context.ts';
import { inspectIoredis, inspectMongo, isInspecting } from './inspector.ts';
import { lazy } from './lazy.ts';
import { logger } from './logger.ts';
import { maskUrlCredentials } from './secrets.ts';

const loadIoredis = lazy<typeof ioredis>('ioredis');

// Filters on fields a schema does not declare are dropped, not passed to MongoDB.
mongoose.set('strictQuery', true);

export interface MongoConnectOptions {
  /** Connection attempts at start-up before giving up (the database may still be starting). */
  attempts?: number;
  delayMs?: number;
  dbName?: string;
  connection?: mongoose.Connection;
  /**
   * MONGO_TIMEOUT_MS: how long any command may wait for MongoDB — to find a server, to
   * connect, for an answer on the socket, or buffered while disconnected. Without it a
   * database that stops answering holds each request for ~40 s and then answers 500; with
   * it the request fails fast and the error handler answers 503 with Retry-After. The driver
   * retries a read or write once, so a request waits at most about three times this.
   */
  timeoutMs?: number;
}

/**
 * Connects mongoose, retrying while the database is still starting. Every command's duration
 * is added to the `db` stage of the request that issued it (Server-Timing, request log).
 */
export async function connectMongo(
  url: string,
  { attempts = 5, delayMs = 500, dbName, connection = mongoose.connection, timeoutMs = DEFAULT_MONGO_TIMEOUT_MS }: MongoConnectOptions = {},
): Promise<mongoose.Connection> {
  const timeouts = {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
    bufferTimeoutMS: timeoutMs,
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      await connection.openUri(url, { monitorCommands: true, ...timeouts, ...(dbName ? { dbName } : {}) });
      break;
    } catch (error) {
      if (attempt >= attempts) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `MongoDB at ${maskUrlCredentials(url)} did not answer after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`,
          {
            cause: error,
          },
        );
      }
      logger.warn(`MongoDB not reachable (attempt ${attempt}/${attempts}), retrying`, { error: (error as Error).message });
      await sleep(delayMs * attempt);
    }
  }
  // Listen only once every model's indexes exist: a unique index is what keeps an upsert race
  // from creating a duplicate, so the first request must not arrive before it is built.
  await Promise.all(Object.values(connection.models).map((model) => model.init()));
  const client = connection.getClient();
  const addToRequest = ({ duration }: { duration: number }) => currentRequest()?.timings.add('db', duration);
  client.on('commandSucceeded', addToRequest);
  client.on('commandFailed', addToRequest);
  // Development only: each command, in the record of the request that issued it (inspector.ts).
  if (isInspecting()) inspectMongo(client);
  return connection;
}

/** Readiness check: the connection is open and the server answers a ping. */
export function mongoReady(connection: mongoose.Connection = mongoose.connection) {
  return async () => {
    if (connection.readyState !== mongoose.ConnectionStates.connected || !connection.db) throw new Error('not connected');
    await connection.db.admin().ping();
  };
}

/**
 * One ioredis client per purpose; errors are logged instead of crashing the process.
 * `timeoutMs` (REDIS_TIMEOUT_MS) bounds every command, so a Redis that stops answering fails
 * the request (rate limits answer 503) instead of hanging it.
 */
export function createRedis(
  url: string,
  { timeoutMs = DEFAULT_REDIS_TIMEOUT_MS, ...options }: RedisOptions & { timeoutMs?: number | null } = {},
): Redis {
  const redis = new (loadIoredis().Redis)(url, {
    maxRetriesPerRequest: 3,
    // null: no bound (the test kit's own client, where a slow answer is a loaded machine, not an outage).
    ...(timeoutMs === null ? {} : { commandTimeout: timeoutMs, connectTimeout: timeoutMs }),
    ...options,
  });
  redis.on('error', (error: Error) => logger.warn('Redis error', { error: error.message }));
  if (isInspecting()) inspectIoredis(redis);
  return redis;
}

/** Readiness check: Redis answers PING, through any client that has ping() (ioredis, node-redis). */
export function redisReady(redis: { ping(): Promise<unknown> }) {
  return async () => {
    await redis.ping();
  };
}
