// level-01/health-check's app as pipeline.ts builds it, on the shared core as it was before the
// request inspector (run.ts extracts that core from git into .hub/bench-baseline and names it in
// BENCH_BASELINE_CORE). Measured in the same run as pipeline.ts: the inspector's cost in production.
import { pathToFileURL } from 'node:url';
import type * as CoreModule from '@hub/core';
import mongoose from 'mongoose';
import { reportPort } from './report-port.ts';

type Core = typeof CoreModule;
const where = process.env.BENCH_BASELINE_CORE;
if (!where) throw new Error('pipeline-before.ts: BENCH_BASELINE_CORE names the baseline core (run.ts sets it)');
const core = (await import(pathToFileURL(where).href)) as Core;

const config = core.loadConfig({}, { env: { ...process.env, NODE_ENV: 'production', PORT: '0' }, envFile: false });
// The same app as health-check's buildApp(): its name and version, no routes of its own, a readiness check.
const app = core.createApp({
  ...core.packageInfo(new URL('../../../projects/level-01/health-check/src/app.ts', import.meta.url).href),
  config,
  routes: [],
  readiness: { mongo: core.mongoReady(mongoose.createConnection()) },
});
const { server } = await core.startServer({ app, config });
reportPort(server);
