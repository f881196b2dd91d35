import { connectMongo, createRedis, loadConfig, startServer } from '@hub/core';
import { createRbacApp, rbacConfig } from './app.ts';

const config = loadConfig(rbacConfig);
const db = await connectMongo(config.MONGO_URL);
const redis = createRedis(config.REDIS_URL);
await startServer({ app: createRbacApp({ config, db, redis }), config, onClose: [() => db.close(), () => redis.quit()] });
