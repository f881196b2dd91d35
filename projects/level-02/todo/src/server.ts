import { accountConfig, connectMongo, loadConfig, startServer } from '@hub/core';
import { createTodoApp } from './app.ts';

const config = loadConfig(accountConfig);
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
await startServer({ app: createTodoApp({ config, db }), config, onClose: [() => db.close()] });
