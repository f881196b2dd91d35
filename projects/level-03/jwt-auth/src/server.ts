import { connectMongo, createRedis, loadConfig, startServer } from '@hub/core';
import { createJwtAuthApp, jwtAuthConfig } from './app.ts';

const config = loadConfig(jwtAuthConfig);
const db = await connectMongo(config.MONGO_URL);
const redis = createRedis(config.REDIS_URL);
await startServer({ app: createJwtAuthApp({ config, db, redis }), config, onClose: [() => db.close(), () => redis.quit()] });
