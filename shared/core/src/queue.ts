/*
 * Work that outlives a request: BullMQ queues and workers made one way for every service.
 *
 * - A queue (the producer, in the web process) and a worker (its own process) each get their own
 *   Redis connections. The producer's commands are bounded like any other Redis call
 *   (REDIS_TIMEOUT_MS), so an enqueue fails fast with a 503 when Redis is gone. A worker's are
 *   not: it blocks on Redis by design, and BullMQ requires `maxRetriesPerRequest: null` there.
 * - BullMQ keeps jobs in Redis. A Redis that evicts keys under memory pressure silently loses
 *   jobs, so `checkNoEviction()` refuses to start unless `maxmemory-policy` is `noeviction`.
 * - `runWorkers()` is a worker process's lifecycle: on SIGTERM or SIGINT each worker stops taking
 *   jobs and finishes the ones it holds, then the process exits 0; a job still running at
 *   SHUTDOWN_TIMEOUT_MS is abandoned (its lock expires and another worker runs it again) and the
 *   process exits 1. A worker killed outright (SIGKILL) is the same case: BullMQ's stalled-job
 *   check gives the job to another worker once its lock expires, so handlers must be idempotent.
 *
 * The Redis key prefix is BullMQ's own (`prefix`), never ioredis' keyPrefix, which BullMQ refuses.
 *
 * In development the request inspector follows the jobs (inspector.ts): a job added while a
 * request runs is an item of that request, and each attempt a worker makes is recorded like a
 * request (its commands, logs, mails and outcome) and kept beside the job for a day, for the
 * job's page on the hub. Outside development none of it is installed.
 */
import { hostname } from 'node:os';
import { Queue, Worker, type Job, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq';
import { z } from 'zod';
import { requestContext } from './context.ts';
import { createRedis, type Redis } from './db.ts';
import { Inspection, inspectJobAdded, isInspecting, plain, registerJobPages, type JobAttempt, type JobPage } from './inspector.ts';
import { logger } from './logger.ts';
import { exitOnSignals } from './signals.ts';
import { Timings } from './timing.ts';

/** Keys a service with a queue adds to its config. */
export const queueConfig = {
  QUEUE_PREFIX: z
    .string()
    .regex(/^[\w-]+$/, 'letters, digits, _ and - only')
    .default('bull')
    .describe("the first part of every Redis key BullMQ writes for this service's queues"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4).describe('jobs one worker process runs at the same time'),
  JOB_LOCK_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(30_000)
    .describe(
      "how long a job stays a worker's without a heartbeat, and how often workers look for abandoned jobs: a crashed worker's job is taken over within about twice this",
    ),
};

/** BullMQ's queue names: no `:` (it separates the parts of its keys), nothing odd in a key. */
const QUEUE_NAME = /^[A-Za-z0-9][\w-]{0,63}$/;

export interface QueueConnection {
  /** REDIS_URL. */
  url: string;
  /** QUEUE_PREFIX: tests give each file its own. */
  prefix?: string;
  /** REDIS_TIMEOUT_MS, for the producer's commands. */
  timeoutMs?: number;
}

function checkName(name: string): void {
  if (!QUEUE_NAME.test(name)) {
    throw new Error(`Queue name ${JSON.stringify(name)}: use letters, digits, _ and - (no ":"), starting with a letter or digit.`);
  }
}

/**
 * The producer side: a BullMQ queue on its own bounded connection. `defaultJobOptions` apply to
 * every job added (attempts, backoff, retention); `close()` closes the queue and its connection.
 */
export function createQueue<Data = unknown, Result = unknown>(
  name: string,
  { url, prefix = 'bull', timeoutMs }: QueueConnection,
  defaultJobOptions: JobsOptions = {},
): Queue<Data, Result> {
  checkName(name);
  const connection = createRedis(url, timeoutMs === undefined ? {} : { timeoutMs });
  const queue = new Queue<Data, Result>(name, { connection, prefix, defaultJobOptions });
  queue.on('error', (error: Error) => logger.warn(`queue ${name}: ${error.message}`));
  const unregister = isInspecting() ? inspectQueue(queue, connection, prefix) : undefined;
  const close = queue.close.bind(queue);
  queue.close = async () => {
    unregister?.();
    await close();
    await closeRedis(connection);
  };
  return queue;
}

export interface WorkerSettings extends QueueConnection {
  /** WORKER_CONCURRENCY. */
  concurrency?: number;
  /** JOB_LOCK_MS. */
  lockDuration?: number;
  /** Anything else BullMQ's Worker takes (limiter, stalledInterval, autorun…). */
  options?: Omit<WorkerOptions, 'connection' | 'prefix' | 'concurrency' | 'lockDuration'>;
}

/**
 * The consumer side: a BullMQ worker on an unbounded connection (BullMQ blocks on it), logging
 * each failed attempt once. It starts taking jobs at once unless `options.autorun` is false.
 */
export function createWorker<Data = unknown, Result = unknown>(
  name: string,
  processor: Processor<Data, Result>,
  { url, prefix = 'bull', concurrency = 1, lockDuration = 30_000, options = {} }: WorkerSettings,
): Worker<Data, Result> {
  checkName(name);
  const connection = createRedis(url, { maxRetriesPerRequest: null, timeoutMs: null });
  const attempts = isInspecting() ? createRedis(url, { timeoutMs: null }) : undefined;
  const run = attempts ? inspectAttempts(name, prefix, processor, attempts) : processor;
  // A crashed worker's job is taken over within about two lock durations: its lock expires, and
  // the stalled-job check (BullMQ's default: every 30 s, whatever the lock) runs as often as that.
  const worker = new Worker<Data, Result>(name, run, {
    stalledInterval: lockDuration,
    ...options,
    connection,
    prefix,
    concurrency,
    lockDuration,
  });
  worker.on('failed', (job, error) => {
    const attempt = job ? `${job.attemptsMade} of ${job.opts.attempts ?? 1}` : 'unknown attempt';
    logger.warn(`job ${name}/${job?.id ?? '?'} failed (${attempt}): ${error.message}`);
  });
  worker.on('error', (error: Error) => logger.warn(`worker ${name}: ${error.message}`));
  const close = worker.close.bind(worker);
  worker.close = async (force?: boolean) => {
    await close(force);
    await closeRedis(connection);
    if (attempts) await closeRedis(attempts);
  };
  return worker;
}

// --- The request inspector's view of jobs (development only) -------------------------------------

const ATTEMPTS_KEPT = 20;
const ATTEMPTS_TTL_SECONDS = 24 * 60 * 60;
const attemptsKey = (prefix: string, queue: string, id: string) => `${prefix}:${queue}:${id}:inspector`;

/** A job added while a request runs is an item of the request; the queue answers job pages. */
function inspectQueue(queue: Queue, connection: Redis, prefix: string): () => void {
  const add = queue.add.bind(queue);
  queue.add = (name, data, opts) => {
    const added = add(name, data, opts);
    inspectJobAdded(queue.name, name, { ...queue.defaultJobOptions, ...opts }, added);
    return added;
  };
  const addBulk = queue.addBulk.bind(queue);
  queue.addBulk = (jobs) => {
    const added = addBulk(jobs);
    jobs.forEach(({ name, opts }, index) =>
      inspectJobAdded(
        queue.name,
        name,
        { ...queue.defaultJobOptions, ...opts },
        added.then((all) => all[index] ?? {}),
      ),
    );
    return added;
  };
  return registerJobPages(queue.name, async (id): Promise<JobPage | undefined> => {
    const job = await queue.getJob(id);
    if (!job) return undefined;
    const [state, runs] = await Promise.all([job.getState(), connection.lrange(attemptsKey(prefix, queue.name, id), 0, -1)]);
    return {
      queue: queue.name,
      id,
      name: job.name,
      state,
      data: plain(job.data),
      progress: plain(job.progress),
      attemptsMade: job.attemptsMade,
      attempts: job.opts.attempts ?? 1,
      ...(job.failedReason ? { failedReason: job.failedReason } : {}),
      ...(job.returnvalue !== undefined && job.returnvalue !== null ? { result: plain(job.returnvalue) } : {}),
      createdAt: new Date(job.timestamp).toISOString(),
      ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
      runs: runs.map((run) => JSON.parse(run) as JobAttempt),
    };
  });
}

/** Runs each attempt in a context of its own, like a request's, and keeps its record beside the job. */
function inspectAttempts<Data, Result>(
  queue: string,
  prefix: string,
  processor: Processor<Data, Result>,
  redis: Redis,
): Processor<Data, Result> {
  const worker = `${hostname()} pid ${process.pid}`;
  return async function inspectedAttempt(job: Job<Data, Result>, token?: string, signal?: AbortSignal) {
    const timings = new Timings();
    timings.running = 'job';
    const inspection = new Inspection(timings);
    const at = new Date().toISOString();
    let error: unknown;
    try {
      return await requestContext.run({ requestId: `job-${job.id ?? '?'}`, timings, inspection }, () => processor(job, token, signal));
    } catch (thrown) {
      error = thrown;
      throw thrown;
    } finally {
      timings.finish();
      await inspection.settled();
      const attempt: JobAttempt = {
        // attemptsStarted counts this run already (BullMQ counts a run taken over after a crash too).
        attempt: Math.max(job.attemptsStarted, job.attemptsMade + 1),
        at,
        durationMs: Math.round((timings.totalMs ?? 0) * 100) / 100,
        outcome: error === undefined ? 'completed' : 'failed',
        ...(error === undefined ? {} : { error: error instanceof Error ? error.message : String(error) }),
        worker,
        record: inspection.record(),
      };
      const key = attemptsKey(prefix, queue, String(job.id));
      await redis
        .multi()
        .rpush(key, JSON.stringify(attempt))
        .ltrim(key, -ATTEMPTS_KEPT, -1)
        .expire(key, ATTEMPTS_TTL_SECONDS)
        .exec()
        .catch((failure: unknown) =>
          logger.warn(`inspector: could not keep the attempt of job ${queue}/${String(job.id)}`, { error: failure }),
        );
    }
  };
}

/**
 * BullMQ's limiter for `perSecond` jobs a second, spread evenly: its windows are fixed, so
 * `{ max: 10, duration: 1000 }` lets 10 jobs go at the end of one second and 10 more at the start
 * of the next (20 within a few milliseconds). One job per 100 ms keeps any second near 10, and
 * 100 jobs take ~9.9 s. A window holds one job per 100 a second (so it lasts at least 10 ms),
 * its length rounded up: never over the rate, at most about a tenth under it. The count is in
 * Redis, so it holds across all the queue's workers.
 */
export function evenRate(perSecond: number): { max: number; duration: number } {
  if (!Number.isFinite(perSecond) || perSecond <= 0)
    throw new Error(`evenRate(${perSecond}): a rate is a positive number of jobs a second`);
  const max = Math.ceil(perSecond / 100);
  return { max, duration: Math.ceil((1_000 * max) / perSecond) };
}

/**
 * Closes a connection once: a second close (a worker closed by its test, then by the file's
 * teardown) must not call disconnect() on an ended stream, where ioredis arms a 2 s timer that
 * nothing clears and that keeps the process alive.
 */
async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  await redis.quit().catch(() => redis.disconnect());
}

/**
 * Refuses a Redis that may evict keys: BullMQ's jobs are keys, and an evicted job is lost without
 * a trace. A Redis that does not let us read its config (some managed services) is let through
 * with a warning: check its policy in the provider's settings.
 */
export async function checkNoEviction(redis: Pick<Redis, 'config'>): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown as string[];
    policy = reply[1];
  } catch (error) {
    logger.warn(`Could not read Redis' maxmemory-policy (${(error as Error).message}): make sure it is noeviction, or jobs can be lost.`);
    return;
  }
  if (policy !== 'noeviction') {
    throw new Error(
      `Redis' maxmemory-policy is ${policy ?? 'unknown'}: under memory pressure it would delete queued jobs. ` +
        'Set it to noeviction (redis-server --maxmemory-policy noeviction, or CONFIG SET maxmemory-policy noeviction).',
    );
  }
}

export interface RunningWorkers {
  /** Stop taking jobs, let the running ones finish (up to the deadline), then close dependencies. */
  stop(): Promise<void>;
  /** True once a stop had to abandon a job at the deadline. */
  readonly cutOff: boolean;
}

/**
 * A worker process's lifecycle (see the file's header). `onClose` runs after the workers are
 * closed (MongoDB, mailers), in order. `handleSignals: false` for tests that run workers in-process.
 */
export function runWorkers(
  workers: Array<Pick<Worker, 'close' | 'disconnect' | 'name'>>,
  {
    shutdownTimeoutMs,
    onClose = [],
    handleSignals = true,
  }: { shutdownTimeoutMs: number; onClose?: Array<() => Promise<unknown>>; handleSignals?: boolean },
): RunningWorkers {
  let stopping: Promise<void> | undefined;
  let cutOff = false;
  const stop = () =>
    (stopping ??= (async () => {
      const finished = Promise.all(workers.map((worker) => worker.close()));
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'deadline'>((done) => (timer = setTimeout(() => done('deadline'), shutdownTimeoutMs)));
      if ((await Promise.race([finished, deadline])) === 'deadline') {
        cutOff = true;
        logger.error(
          `Jobs still running after ${shutdownTimeoutMs} ms: abandoning them (another worker takes them over once their lock expires)`,
        );
        // The running jobs keep close() waiting: cut the connections instead, so no lock is renewed.
        await Promise.all(workers.map((worker) => worker.disconnect().catch(() => undefined)));
      }
      clearTimeout(timer);
      for (const close of onClose) await close();
    })());
  if (handleSignals) exitOnSignals(stop, { what: 'running jobs', exitCode: () => (cutOff ? 1 : 0) });
  logger.info(`working on ${workers.map((worker) => worker.name).join(', ')}`);
  return {
    stop,
    get cutOff() {
      return cutOff;
    },
  };
}
