// The worker process (`pnpm --filter level-05/email-queue worker`): read the config, connect, take jobs; stop gracefully on SIGTERM.
import { connectMongo, createMailer, createRedis, loadConfig } from '@hub/core';
import { checkNoEviction, runWorkers } from '@hub/core/queue';
import { serviceConfig } from './config.ts';
import { emailWorker } from './emails/emails.worker.ts';

const config = loadConfig(serviceConfig);
const redis = createRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
await checkNoEviction(redis);
await redis.quit();
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const mailer = createMailer(config);
const worker = emailWorker(config, { mailer });
runWorkers([worker], { shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS, onClose: [() => mailer.close(), () => db.close()] });
