// The only file with side effects: read the config, connect, listen, and close in order on shutdown.
import { connectMongo, createRedis, loadConfig, startServer } from '@hub/core';
import { checkNoEviction } from '@hub/core/queue';
import { buildApp } from './app.ts';
import { serviceConfig } from './config.ts';
import { jobsQueue } from './jobs/jobs.worker.ts';

const config = loadConfig(serviceConfig);
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const redis = createRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
// A Redis that evicts keys under memory pressure would lose queued jobs: refuse to start on one.
await checkNoEviction(redis);
const queue = jobsQueue(config);
await startServer({
  app: buildApp({ config, db, redis, queue }),
  config,
  onClose: [() => queue.close(), () => db.close(), () => redis.quit()],
});
