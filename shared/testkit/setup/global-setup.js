// Starts MongoDB and Redis once per test run (not per file, not per package) and hands their
// URLs to every worker through the environment. Each test file then uses its own database.
import { startMongo, startRedis } from '@hub/engines';

export default async function startEngines() {
  if (globalThis.hubEngines) return;
  const started = Date.now();
  const mongo = await startMongo({
    onSkip: (engine, reason) => console.log(`\n[testkit] MongoDB: skipped ${engine}: ${reason.split('\n')[0]}`),
  });
  process.env.MONGO_URL = mongo.url;
  const engines = [mongo];
  try {
    const redis = await startRedis();
    process.env.REDIS_URL = redis.url;
    engines.push(redis);
  } catch (error) {
    // Only the tests that need Redis fail, each with this explanation.
    process.env.HUB_REDIS_UNAVAILABLE = error instanceof Error ? error.message : String(error);
  }
  globalThis.hubEngines = engines;
  const chosen = engines.map((engine) => engine.description).join(' + ');
  console.log(`[testkit] using ${chosen} (ready in ${Date.now() - started} ms)`);
}
