// The only file with side effects: read the config, connect, seed an empty catalogue in development, listen.
import { connectMongo, loadConfig, logger, startServer } from '@hub/core';
import { buildApp } from './app.ts';
import { serviceConfig } from './config.ts';
import { seedOnStart } from './items/items.service.ts';

const config = loadConfig(serviceConfig);
const db = await connectMongo(config.MONGO_URL);
const seeded = await seedOnStart(config);
if (seeded > 0) logger.info(`seeded the empty catalogue with ${seeded} generated items`);
await startServer({ app: buildApp({ config, db }), config, onClose: [() => db.close()] });
