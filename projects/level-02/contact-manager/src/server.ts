import { accountConfig, connectMongo, loadConfig, startServer } from '@hub/core';
import { createContactApp } from './app.ts';

const config = loadConfig(accountConfig);
const db = await connectMongo(config.MONGO_URL);
await startServer({ app: createContactApp({ config, db }), config, onClose: [() => db.close()] });
