// level-01/health-check as it runs in production: every shared stage (request id, helmet, CORS,
// body parsing, request context, the JSON request log, timings) in front of /health.
import { loadConfig, startServer } from '@hub/core';
import mongoose from 'mongoose';
import { buildApp } from '../../../projects/level-01/health-check/src/app.ts';
import { reportPort } from './report-port.ts';

const config = loadConfig({}, { env: { ...process.env, NODE_ENV: 'production', PORT: '0' }, envFile: false });
// /health never touches the database, so a connection that is never opened is enough.
const { server } = await startServer({ app: buildApp({ config, db: mongoose.createConnection() }), config });
reportPort(server);
