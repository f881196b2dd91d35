import { createHash } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit as expressRateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { AppError, DEPENDENCY_RETRY_AFTER_SECONDS } from './errors.ts';
import { inspectLimit } from './inspector.ts';
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
 * The email in the body from this client IP, as one key (hashed): a limit on it holds back one
 * source guessing at one account, and leaves the account's owner elsewhere alone.
 */
export const byEmailAndIp = (req: Request): string => hashedKey(`${byIp(req)} ${String((req.body as { email: string }).email)}`);

/** The parts of a limit that say where its counters live. */
type StoreOptions = Pick<LimitOptions, 'name' | 'redis' | 'keyPrefix'>;

const storeFor = ({ name, redis, keyPrefix = '' }: StoreOptions) =>
  new RedisStore({ sendCommand: redis, prefix: `${keyPrefix}limit:${name}:` });

// Through our logger (redacted, silent in tests), not straight to the console.
const limitLogger = (name: string) => ({
  error: (error: unknown, message?: string) => logger.error(message ?? 'rate limit error', { limit: name, error }),
  warn: (error: unknown, message?: string) => logger.warn(message ?? 'rate limit warning', { limit: name, error }),
});

/** Runs an express-rate-limit middleware as a promise; unreachable counters become a 503 (fail closed). */
const counted = (limiter: RequestHandler, req: Request, res: Response) =>
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
  });

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
  keyPrefix,
  by = byIp,
  failuresOnly = false,
  detail,
}: LimitOptions): RequestHandler {
  const limiter = expressRateLimit({
    windowMs: windowSeconds * 1000,
    limit,
    keyGenerator: by,
    skipSuccessfulRequests: failuresOnly,
    store: storeFor({ name, redis, keyPrefix }),
    // RateLimit-Policy / RateLimit (IETF draft 8) on every answer; Retry-After on the 429.
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: name,
    handler: (_req, _res, next) => next(new AppError(429, 'too-many-requests', detail)),
    logger: limitLogger(name),
  });
  return stage('limit', async (req, res) => {
    try {
      await counted(limiter, req, res);
    } finally {
      inspectLimit(name, (req as Request & { rateLimit?: RateLimitInfo }).rateLimit);
    }
  });
}

export interface SlowDownOptions extends Omit<LimitOptions, 'limit' | 'detail'> {
  /** Requests per window that go through at once; each one after them waits first. */
  after: number;
  /** How long the nth request over `after` waits (n = 1, 2, …), in milliseconds. */
  delayMs: (over: number) => number;
  /** How it waits: a timer by default. Tests pass one that records the wait and returns at once. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A progressive delay instead of a refusal: the same fixed-window counter as rateLimit(), but
 * nothing is ever refused. Past `after` requests in the window, each one first waits
 * `delayMs(over)`, so a guesser is slowed down while the real user still gets in. The wait is
 * the `delay` stage in Server-Timing. (express-slow-down does the same, but sleeps on its own
 * timer, which a test can only skip with fake timers; this is its core, on the limiter we
 * already use.)
 */
export function slowDown({
  name,
  after,
  delayMs,
  sleep = wait,
  windowSeconds,
  redis,
  keyPrefix,
  by = byIp,
  failuresOnly = false,
}: SlowDownOptions): RequestHandler {
  const limiter = expressRateLimit({
    windowMs: windowSeconds * 1000,
    limit: Number.MAX_SAFE_INTEGER, // never refuses: the count only sets the delay
    keyGenerator: by,
    skipSuccessfulRequests: failuresOnly,
    store: storeFor({ name, redis, keyPrefix }),
    standardHeaders: false,
    legacyHeaders: false,
    requestPropertyName: 'slowDown',
    logger: limitLogger(name),
  });
  return stage('delay', async (req, res) => {
    await counted(limiter, req, res);
    const { used, resetTime } = (req as Request & { slowDown: RateLimitInfo }).slowDown;
    inspectLimit(name, { limit: after, used, resetTime });
    if (used > after) await sleep(delayMs(used - after));
  });
}

/**
 * A quota for work that should quietly not happen once it is used up, where a refusal would
 * tell the caller something (a reset mail: the answer is the same 202 either way). `take(key)`
 * counts one use in the window and says whether it was still within `limit`.
 */
export function quota({ limit, windowSeconds, ...where }: StoreOptions & Pick<LimitOptions, 'limit' | 'windowSeconds'>): {
  take(key: string): Promise<boolean>;
} {
  const store = storeFor(where);
  // What express-rate-limit does with its store: init loads the counting script. If that fails, take() fails too (closed).
  store
    .init({ windowMs: windowSeconds * 1000 } as Parameters<RedisStore['init']>[0])
    .catch((error: unknown) => limitLogger(where.name).error(error, 'rate limit store initialisation failed'));
  return {
    async take(key) {
      const { totalHits, resetTime } = await store.increment(key);
      inspectLimit(where.name, { limit, used: totalHits, resetTime });
      return totalHits <= limit;
    },
  };
}
