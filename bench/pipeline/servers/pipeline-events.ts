// The pipeline server with the hub's pipeline events forced on (they are on by default only in
// development): every request also builds its event and enters the ring buffer; no page is
// connected, so there is no subscriber. Compared with pipeline.ts, it is the emitter's cost.
import { loadConfig, startServer } from '@hub/core';
import mongoose from 'mongoose';
import { buildApp } from '../../../projects/level-01/health-check/src/app.ts';
import { reportPort } from './report-port.ts';

const config = loadConfig({}, { env: { ...process.env, NODE_ENV: 'production', PORT: '0' }, envFile: false });
const app = buildApp({ config, db: mongoose.createConnection(), events: true });
const { server } = await startServer({ app, config });
reportPort(server);
