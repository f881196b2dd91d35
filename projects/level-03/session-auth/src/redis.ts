import { inspectNodeRedis, logger, type SendCommand } from '@hub/core';
import { createClient } from 'redis';

// While the connection is down, commands fail at once (a 503) instead of queueing behind it.
const newClient = (url: string, timeoutMs: number) =>
  createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: timeoutMs } });

/**
 * This service's one Redis client. It is node-redis, not the ioredis the other services use:
 * connect-redis (the session store) supports only node-redis.
 */
export type RedisClient = ReturnType<typeof newClient>;

/**
 * Connects, and logs connection errors instead of letting them crash the process.
 * Every command, and every MULTI's exec, fails after `timeoutMs` (REDIS_TIMEOUT_MS) without a
 * reply: node-redis's own command timeout stops counting once a command is on the wire, so a
 * Redis that stops answering (its process paused, its host overloaded) would hang each request.
 * A command that timed out may still run when Redis answers again; the request has already
 * been told 503.
 */
export async function connectRedis(url: string, timeoutMs = 2_000): Promise<RedisClient> {
  const client = newClient(url, timeoutMs);
  client.on('error', (error: Error) => logger.warn('Redis error', { error: error.message }));
  await client.connect();
  // In development the hub's request inspector records each command (the client itself otherwise).
  return inspectNodeRedis(bounded(client, timeoutMs));
}

function bounded<T extends object>(target: T, timeoutMs: number): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(object, args);
        if (result instanceof Promise) return within(timeoutMs, result);
        // multi() and each command queued on it return the transaction: bound its exec() too.
        if (result === object) return bounded(object, timeoutMs);
        if (result !== null && typeof result === 'object' && 'exec' in result) return bounded(result, timeoutMs);
        return result;
      };
    },
  });
}

function within<T>(timeoutMs: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The client as the SendCommand the shared rate limits take (they prefix their own keys: pass keyPrefix). */
export const commandsOfClient =
  (client: RedisClient): SendCommand =>
  (command, ...args) =>
    client.sendCommand([command, ...args]) as ReturnType<SendCommand>;
