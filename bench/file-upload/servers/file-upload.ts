// level-04/file-upload as it runs in production, storing on disk in a temporary directory, in a
// process of its own so that its RSS is the service's alone. It samples its RSS every few
// milliseconds and tells the parent (run.ts) the baseline and the peak since the last reset.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connectMongo, loadConfig, startServer } from '@hub/core';
import { buildApp } from '../../../projects/level-04/file-upload/src/app.ts';
import { serviceConfig } from '../../../projects/level-04/file-upload/src/config.ts';

const env = {
  ...process.env,
  NODE_ENV: 'production',
  PORT: '0',
  LOG_LEVEL: 'warn',
  JWT_SECRET: randomBytes(32).toString('base64'),
  BCRYPT_COST: '10',
};
const config = loadConfig(serviceConfig, { env, envFile: false });
const db = await connectMongo(config.MONGO_URL);
const { server } = await startServer({ app: buildApp({ config, db }), config, onClose: [() => db.close()] });

let baseline = process.memoryUsage.rss();
let peak = baseline;
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 2).unref();

// BENCH_COLLECT=1: a young-generation collection every 10 ms, so RSS shows what the upload keeps
// alive, not the dead socket Buffers V8 lets pile up (tens of MB) before it sweeps them.
const gc = globalThis.gc as ((options: { type: 'minor' }) => void) | undefined;
if (process.env.BENCH_COLLECT === '1') {
  if (!gc) throw new Error('BENCH_COLLECT=1 needs node --expose-gc');
  setInterval(() => gc({ type: 'minor' }), 10).unref();
}

process.on('message', (message) => {
  if (message === 'reset') {
    // What the process holds once the garbage from earlier requests is gone.
    globalThis.gc?.();
    baseline = process.memoryUsage.rss();
    peak = baseline;
    process.send?.({ baseline });
  }
  if (message === 'peak') process.send?.({ baseline, peak: Math.max(peak, process.memoryUsage.rss()) });
});
process.send?.({ port: (server.address() as AddressInfo).port });
