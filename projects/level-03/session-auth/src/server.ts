import { connectMongo, loadConfig, startServer } from '@hub/core';
import { createSessionAuthApp } from './app.ts';
import { sessionAuthConfig } from './config.ts';
import { connectRedis } from './redis.ts';

const config = loadConfig(sessionAuthConfig);
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const redis = await connectRedis(config.REDIS_URL, config.REDIS_TIMEOUT_MS);
await startServer({ app: createSessionAuthApp({ config, db, redis }), config, onClose: [() => db.close(), () => redis.close()] });
