import { connectMongo, loadConfig, startServer } from '@hub/core';
import { buildApp } from './app.ts';
import { serviceConfig } from './config.ts';

const config = loadConfig(serviceConfig);
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
await startServer({ app: buildApp({ config, db }), config, onClose: [() => db.close()] });
