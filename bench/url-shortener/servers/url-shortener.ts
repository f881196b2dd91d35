// level-04/url-shortener as it runs in production (the shared pipeline with its JSON request
// log), on the MongoDB and Redis run.ts started. One link is stored before it listens; run.ts
// loads GET /<code>, so after the first request every redirect is a Redis hit, and each click
// goes to the in-memory buffer that is written to MongoDB in batches.
import { randomBytes } from 'node:crypto';
import { connectMongo, createRedis, loadConfig, startServer } from '@hub/core';
import mongoose from 'mongoose';
import { buildApp } from '../../../projects/level-04/url-shortener/src/app.ts';
import { createClickRecorder } from '../../../projects/level-04/url-shortener/src/clicks/click-recorder.ts';
import { serviceConfig } from '../../../projects/level-04/url-shortener/src/config.ts';
import { Link } from '../../../projects/level-04/url-shortener/src/links/link.model.ts';
import { reportPort } from '../../pipeline/servers/report-port.ts';

// run.ts loads GET /bench-link.
const CODE = 'bench-link';
const config = loadConfig(serviceConfig, {
  env: { ...process.env, NODE_ENV: 'production', PORT: '0', JWT_SECRET: randomBytes(32).toString('base64') },
  envFile: false,
});
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const redis = createRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
await Link.deleteMany({ code: CODE });
await Link.create({ owner: new mongoose.Types.ObjectId(), code: CODE, url: 'https://example.com/benchmarked' });
const clicks = createClickRecorder({ flushEveryMs: config.CLICK_FLUSH_MS, batchSize: config.CLICK_BATCH_SIZE });
const { server } = await startServer({ app: buildApp({ config, db, redis, clicks }), config });
reportPort(server);
