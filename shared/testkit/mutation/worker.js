// Loaded (`node --import`) into every StrykerJS test-runner process: starts the engines the
// package needs once for the life of the process, and stops them when it ends.
//
// The Stryker jest runner calls Jest once per mutant in the same process, and each call runs
// the preset's globalSetup and globalTeardown, which would start and stop MongoDB (seconds for
// mongo-java-server) hundreds of times. With MONGO_URL and REDIS_URL set here, that setup takes
// them for servers of the user's own: it uses them as they are and leaves them running.
import { constants } from 'node:os';
import { startMongo, startRedis } from '@hub/engines';

const needs = (process.env.HUB_MUTATE_NEEDS ?? 'mongo,redis').split(',').filter(Boolean);
const stops = [];

if (needs.includes('mongo') && !process.env.MONGO_URL) {
  const mongo = await startMongo();
  stops.push(() => mongo.stop());
  process.env.MONGO_URL = mongo.url;
}
if (needs.includes('redis') && !process.env.REDIS_URL) {
  try {
    const redis = await startRedis();
    stops.push(() => redis.stop());
    process.env.REDIS_URL = redis.url;
  } catch (error) {
    // As in the test kit's global setup: only the tests that need Redis fail, with this reason.
    process.env.HUB_REDIS_UNAVAILABLE = error instanceof Error ? error.message : String(error);
  }
}

// Stryker ends a runner with a signal (after a timed-out mutant, or at the end of the run).
// @hub/engines kills its children on 'exit', which a signal skips: stop them, then exit.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.once(signal, () => {
    Promise.allSettled(stops.map((stop) => stop())).finally(() => process.exit(128 + (constants.signals[signal] ?? 0)));
  });
}
