// The worker process (`pnpm worker`): its own process, apart from the web one. It takes jobs off
// the notifications queue until SIGTERM, then finishes the ones it holds and exits.
import { connectMongo, createMailer, createRedis, loadConfig } from '@hub/core';
import { checkNoEviction, createQueue, createWorker, runWorkers } from '@hub/core/queue';
import { serviceConfig } from './config.ts';
import { enqueueOn, QUEUE_NAME } from './jobs.ts';
import { pushOn } from './notifications/live-inbox.ts';
import { jobOptions, processJobs } from './processor.ts';

const config = loadConfig(serviceConfig);
const connection = { url: config.REDIS_URL, prefix: config.QUEUE_PREFIX, timeoutMs: config.REDIS_TIMEOUT_MS };
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const redis = createRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
await checkNoEviction(redis);
const mailer = createMailer(config);
// The worker adds jobs too: a fan-out queues one delivery per channel.
const queue = createQueue(QUEUE_NAME, connection, jobOptions(config));
const worker = createWorker(
  QUEUE_NAME,
  processJobs({
    enqueue: enqueueOn(queue),
    mailer,
    push: pushOn(redis),
    now: () => new Date(),
    leaseMs: config.JOB_LOCK_MS,
    digestWindowMs: config.DIGEST_WINDOW_SECONDS * 1000,
  }),
  { ...connection, concurrency: config.WORKER_CONCURRENCY, lockDuration: config.JOB_LOCK_MS },
);
runWorkers([worker], {
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  onClose: [() => queue.close(), () => mailer.close(), () => db.close(), () => redis.quit()],
});
