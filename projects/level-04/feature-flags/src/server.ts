// The only file with side effects: read the config, connect, load the flags, listen, and close in order on shutdown.
import { connectMongo, createRedis, loadConfig, startServer } from '@hub/core';
import { buildApp, startLive } from './app.ts';
import { serviceConfig } from './config.ts';

const config = loadConfig(serviceConfig);
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const redis = createRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
const live = await startLive({ redis, channel: config.FLAGS_CHANNEL });
// On a stop signal, end the SSE streams first: they never finish on their own, and the server
// waits for open requests (up to SHUTDOWN_TIMEOUT_MS) before it closes.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void live.stop());
await startServer({
  app: buildApp({ config, db, redis, live }),
  config,
  onClose: [() => live.stop(), () => redis.quit(), () => db.close()],
});
