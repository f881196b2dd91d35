import { connectMongo, createRedis, loadConfig, startServer } from '@hub/core';
import { createJwtAuthApp, jwtAuthConfig } from './app.ts';

const config = loadConfig(jwtAuthConfig);
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const redis = createRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
await startServer({ app: createJwtAuthApp({ config, db, redis }), config, onClose: [() => db.close(), () => redis.quit()] });
