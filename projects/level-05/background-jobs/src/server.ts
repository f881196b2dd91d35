// The only file with side effects: read the config, connect, listen, and close in order on shutdown.
import { connectMongo, loadConfig, startServer } from '@hub/core';
import { buildApp } from './app.ts';
import { serviceConfig } from './config.ts';

const config = loadConfig(serviceConfig);
const db = await connectMongo(config.MONGO_URL);
await startServer({ app: buildApp({ config, db }), config, onClose: [() => db.close()] });
