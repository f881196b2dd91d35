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

/**
 * The client as the SendCommand the shared rate limits take, with `prefix` put in front of
 * every key. Raw commands skip node-redis's own key prefixing, so this does it: the limit
 * store sends EVALSHA (keys come after the key count), SCRIPT LOAD (no key) and
 * single-key commands (DECR, DEL).
 */
export function commandsOfClient(client: RedisClient, prefix: string): SendCommand {
  return (command, ...args) => client.sendCommand([command, ...withPrefixedKeys(prefix, command, args)]) as ReturnType<SendCommand>;
}

function withPrefixedKeys(prefix: string, command: string, args: string[]): string[] {
  const name = command.toUpperCase();
  if (name === 'SCRIPT') return args;
  if (name === 'EVAL' || name === 'EVALSHA') {
    const keyCount = Number(args[1]);
    return args.map((arg, index) => (index >= 2 && index < 2 + keyCount ? prefix + arg : arg));
  }
  return args.map((arg, index) => (index === 0 ? prefix + arg : arg));
}
