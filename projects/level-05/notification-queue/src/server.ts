// The only file with side effects: read the config, connect, listen, and close in order on shutdown.
// The web process only adds jobs; `pnpm worker` (src/worker.ts) runs them.
import { connectMongo, createRedis, loadConfig, startServer } from '@hub/core';
import { createQueue } from '@hub/core/queue';
import { buildApp } from './app.ts';
import { serviceConfig } from './config.ts';
import { enqueueOn, QUEUE_NAME } from './jobs.ts';
import { startLiveInbox } from './notifications/live-inbox.ts';
import { jobOptions } from './processor.ts';

const config = loadConfig(serviceConfig);
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const redis = createRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
const queue = createQueue(
  QUEUE_NAME,
  { url: config.REDIS_URL, prefix: config.QUEUE_PREFIX, timeoutMs: config.REDIS_TIMEOUT_MS },
  jobOptions(config),
);
const live = startLiveInbox(redis);
await live.ready;
await startServer({
  app: buildApp({ config, db, redis, enqueue: enqueueOn(queue), live }),
  config,
  // The streams first, so open SSE connections do not hold the shutdown.
  onClose: [() => live.close(), () => queue.close(), () => db.close(), () => redis.quit()],
});
