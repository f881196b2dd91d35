// The worker process (`pnpm --filter level-05/background-jobs worker`): read the config, connect, take jobs; stop gracefully on SIGTERM.
import { connectMongo, createRedis, loadConfig } from '@hub/core';
import { checkNoEviction, runWorkers } from '@hub/core/queue';
import { serviceConfig } from './config.ts';
import { jobsWorker } from './jobs/jobs.worker.ts';

const config = loadConfig(serviceConfig);
const redis = createRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
await checkNoEviction(redis);
await redis.quit();
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const worker = jobsWorker(config);
runWorkers([worker], { shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS, onClose: [() => db.close()] });
