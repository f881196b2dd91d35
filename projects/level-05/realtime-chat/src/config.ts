import { accountConfig, redisConfig, type Config } from '@hub/core';
import { z } from 'zod';

const positiveInt = (fallback: number, max: number, what: string) =>
  z.coerce.number().int().min(1).max(max).default(fallback).describe(what);

/**
 * The shared accounts' keys (JWT, bcrypt), REDIS_URL (the socket.io adapter and presence live
 * there), and the chat's own limits.
 */
export const serviceConfig = {
  ...accountConfig,
  ...redisConfig,
  CHAT_CHANNEL: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .default('realtime-chat')
    .describe('the prefix of the Redis channels the socket.io adapter and presence use; every instance of one deployment shares it'),
  CHAT_RATE_POINTS: positiveInt(20, 10_000, 'socket events one connection may send per window'),
  CHAT_RATE_WINDOW_MS: positiveInt(10_000, 3_600_000, 'the window of the per-socket limit, in milliseconds'),
  CHAT_RATE_MAX_STRIKES: positiveInt(10, 1_000, 'refused events after which a socket is disconnected'),
  CHAT_PRESENCE_GRACE_MS: positiveInt(5_000, 600_000, 'how long a user with no open tab stays online (a reload is not a departure)'),
};

export type ServiceConfig = Config<typeof serviceConfig>;
