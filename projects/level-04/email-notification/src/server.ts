// The only file with side effects: read the config, connect, listen, and close in order on shutdown.
import { connectMongo, createMailer, createRedis, loadConfig, startServer } from '@hub/core';
import { buildApp } from './app.ts';
import { serviceConfig } from './config.ts';

const config = loadConfig(serviceConfig);
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const redis = createRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
const mailer = createMailer(config);
await startServer({
  app: buildApp({ config, db, redis, mailer }),
  config,
  // Mail first: a send in flight records its outcome in MongoDB once the SMTP server answers.
  onClose: [() => mailer.close(), () => db.close(), () => redis.quit()],
});
