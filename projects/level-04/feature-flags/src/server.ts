// The only file with side effects: read the config, connect, load the flags, listen, and close in order on shutdown.
import { connectMongo, createRedis, loadConfig, startServer } from '@hub/core';
import { buildApp, startLive } from './app.ts';
import { serviceConfig } from './config.ts';

const config = loadConfig(serviceConfig);
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const redis = createRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
const live = await startLive({ redis, channel: config.FLAGS_CHANNEL });
await startServer({
  app: buildApp({ config, db, redis, live }),
  config,
  onClose: [() => live.stop(), () => redis.quit(), () => db.close()],
});
