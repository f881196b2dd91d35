import { connectMongo, loadConfig, startServer } from '@hub/core';
import { buildApp } from './app.ts';
import { serviceConfig } from './config.ts';
import { connectRedis } from './redis.ts';

const config = loadConfig(serviceConfig);
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const redis = await connectRedis(config.REDIS_URL, config.REDIS_TIMEOUT_MS);
await startServer({ app: buildApp({ config, db, redis }), config, onClose: [() => db.close(), () => redis.close()] });
