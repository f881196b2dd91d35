// The only file with side effects: read the config, connect, listen, and close in order on shutdown.
import { connectMongo, createRedis, loadConfig, startServer } from '@hub/core';
import { buildApp } from './app.ts';
import { createClickRecorder } from './clicks/click-recorder.ts';
import { serviceConfig } from './config.ts';

const config = loadConfig(serviceConfig);
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const redis = createRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
const clicks = createClickRecorder({ flushEveryMs: config.CLICK_FLUSH_MS, batchSize: config.CLICK_BATCH_SIZE });
// Clicks still buffered are written before the database closes.
await startServer({
  app: buildApp({ config, db, redis, clicks }),
  config,
  onClose: [() => clicks.stop(), () => db.close(), () => redis.quit()],
});
