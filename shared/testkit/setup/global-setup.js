// Starts MongoDB and Redis once per test run (not per file, not per package), and only those
// that the run's packages need, and hands their URLs to every worker through the environment.
// Each test file then uses its own database and key prefix.
//
// Jest runs each distinct globalSetup file once per run, with a project that names it, and
// only for projects that have test files in the run. So the preset points each package at the
// file for its set of needs (engines/mongo.js, engines/mongo+redis.js, ...), each of which
// calls startEngines(): a run of counter's tests starts MongoDB alone, a run of the whole hub
// starts both. global-teardown.js stops what was started and puts the environment back, so the
// next run of a `--watch` session starts its own engines again.
import { startMongo, startRedis } from '@hub/engines';

/** One record per process: Jest may load this module more than once (setup and teardown). */
const state = /** @type {{ stops: Array<() => Promise<void>>, started: Set<string>, env: Map<string, string | undefined> }} */ (
  globalThis[Symbol.for('backend-hub.engines')] ??= { stops: [], started: new Set(), env: new Map() }
);

/** Sets an environment variable for this run, remembering the value it had before. */
function setEnv(name, value) {
  if (!state.env.has(name)) state.env.set(name, process.env[name]);
  process.env[name] = value;
}

/** @param {ReadonlyArray<'mongo' | 'redis'>} needs */
export async function startEngines(needs) {
  const missing = needs.filter((engine) => !state.started.has(engine));
  if (missing.length === 0) return;
  const started = Date.now();
  const chosen = [];
  for (const engine of missing) {
    if (engine === 'mongo') {
      const mongo = await startMongo({
        onSkip: (name, reason) => console.log(`\n[testkit] MongoDB: skipped ${name}: ${reason.split('\n')[0]}`),
      });
      state.started.add(engine);
      state.stops.push(() => mongo.stop());
      // A MONGO_URL of the user's own is used as it is, and left as it was.
      if (process.env.MONGO_URL !== mongo.url) setEnv('MONGO_URL', mongo.url);
      chosen.push(mongo.description);
    } else {
      state.started.add(engine);
      try {
        const redis = await startRedis();
        state.stops.push(() => redis.stop());
        if (process.env.REDIS_URL !== redis.url) setEnv('REDIS_URL', redis.url);
        chosen.push(redis.description);
      } catch (error) {
        // Only the tests that need Redis fail, each with this explanation.
        setEnv('HUB_REDIS_UNAVAILABLE', error instanceof Error ? error.message : String(error));
        chosen.push('no Redis');
      }
    }
  }
  console.log(`[testkit] using ${chosen.join(' + ')} (ready in ${Date.now() - started} ms)`);
}

/** Stops the engines startEngines() started and restores the variables it set. */
export async function stopEngines() {
  const stops = state.stops.splice(0);
  state.started.clear();
  try {
    for (const stop of stops) await stop();
  } finally {
    for (const [name, before] of state.env) {
      if (before === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = before;
    }
    state.env.clear();
  }
}
