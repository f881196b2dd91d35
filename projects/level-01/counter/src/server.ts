import { connectMongo, loadConfig, startServer } from '@hub/core';
import { createCounterApp } from './app.ts';

const config = loadConfig();
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
await startServer({ app: createCounterApp({ config, db }), config, onClose: [() => db.close()] });
