import { logger, type SendCommand } from '@hub/core';
import { createClient } from 'redis';

// While the connection is down, commands fail at once (a 503) instead of queueing behind it.
const newClient = (url: string) => createClient({ url, disableOfflineQueue: true });

/**
 * This service's one Redis client. It is node-redis, not the ioredis the other services use:
 * connect-redis (the session store) supports only node-redis.
 */
export type RedisClient = ReturnType<typeof newClient>;

/** Connects, and logs connection errors instead of letting them crash the process. */
export async function connectRedis(url: string): Promise<RedisClient> {
  const client = newClient(url);
  client.on('error', (error: Error) => logger.warn('Redis error', { error: error.message }));
  await client.connect();
  return client;
}

/** The client as the SendCommand the shared rate limits take (they prefix their own keys: pass keyPrefix). */
export const commandsOfClient =
  (client: RedisClient): SendCommand =>
  (command, ...args) =>
    client.sendCommand([command, ...args]) as ReturnType<SendCommand>;
