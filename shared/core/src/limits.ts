import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit as expressRateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { AppError, DEPENDENCY_RETRY_AFTER_SECONDS } from './errors.ts';
import { logger } from './logger.ts';
import { stage } from './timing.ts';

/** Sends one raw command to Redis: how the limit counters reach whichever client a service holds. */
export type SendCommand = (command: string, ...args: string[]) => Promise<RedisReply>;

/** An ioredis client as a SendCommand (its keyPrefix applies, so tests can isolate their keys). */
export const commandsOf =
  (redis: Redis): SendCommand =>
  (command, ...args) =>
    redis.call(command, ...args) as Promise<RedisReply>;

export interface LimitOptions {
  /** Names the counter in Redis (`limit:<name>:<key>`) and in the 429's problem type. */
  name: string;
  /** Requests allowed per window; the next one answers 429. */
  limit: number;
  windowSeconds: number;
  /** Where the counters live: shared by every instance of the service. */
  redis: SendCommand;
  /** Put before every counter key, for a client that does not prefix keys itself (node-redis). */
  keyPrefix?: string;
  /** What is counted per: the client's IP by default (IPv6 grouped by /56). */
  by?: (req: Request) => string;
  /** Count only requests that fail (status ≥ 400): a login throttle, where successes are free. */
  failuresOnly?: boolean;
  /** The problem's detail: what was limited, in words a caller understands. */
  detail: string;
}

/** The client's IP as a limit key; IPv6 addresses are grouped by /56, or one host could rotate through millions. */
export const byIp = (req: Request): string => ipKeyGenerator(req.ip ?? 'unknown');

/**
 * A key for a value a caller chose (an email): hashed, so Redis holds no personal data and
 * no key is longer than 64 characters.
 */
export const hashedKey = (value: string): string => createHash('sha256').update(value).digest('hex');

/** The normalised email in the body as a limit key (hashed): use it after validate(). */
export const byEmail = (req: Request): string => hashedKey(String((req.body as { email: string }).email));

/**
 * A fixed-window rate limit (express-rate-limit, counters in Redis so every instance shares
 * them) as a pipeline stage: over the limit → 429 problem+json with Retry-After, and the
 * Server-Timing header names `limit` as the stage that refused. Put it after validate() when
 * `by` reads the body, so the key is the parsed, normalised value.
 */
export function rateLimit({
  name,
  limit,
  windowSeconds,
  redis,
  keyPrefix = '',
  by = byIp,
  failuresOnly = false,
  detail,
}: LimitOptions): RequestHandler {
  const limiter = expressRateLimit({
    windowMs: windowSeconds * 1000,
    limit,
    keyGenerator: by,
    skipSuccessfulRequests: failuresOnly,
    store: new RedisStore({ sendCommand: redis, prefix: `${keyPrefix}limit:${name}:` }),
    // RateLimit-Policy / RateLimit (IETF draft 8) on every answer; Retry-After on the 429.
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: name,
    handler: (_req, _res, next) => next(new AppError(429, 'too-many-requests', detail)),
    // Through our logger (redacted, silent in tests), not straight to the console.
    logger: {
      error: (error, message) => logger.error(message ?? 'rate limit error', { limit: name, error }),
      warn: (error, message) => logger.warn(message ?? 'rate limit warning', { limit: name, error }),
    },
  });
  return stage(
    'limit',
    (req, res) =>
      new Promise<void>((resolve, reject) => {
        void limiter(req, res, (error?: unknown) => {
          if (!error) resolve();
          // The counters are unreachable: refuse (fail closed) rather than let guesses through uncounted.
          else
            reject(
              error instanceof AppError
                ? error
                : new AppError(503, 'limit-unavailable', 'Try again shortly: the request limits cannot be checked right now.', {
                    headers: { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
                    cause: error,
                  }),
            );
        });
      }),
  );
}
