import { loadConfig } from './config.ts';
import { connectMongo } from './db.ts';
import { configureLogger } from './logger.ts';

/**
 * An operator's command on a service's database (`pnpm promote <email> <role>`): reads MONGO_URL
 * the way the server does (the environment, then .env) and no other key, so it never needs the
 * signing secret; connects once, without retrying; prints what `work` answers for the command
 * line's arguments, or its error with exit code 1; and disconnects either way.
 */
export async function runMongoScript(work: (args: readonly string[]) => Promise<string>): Promise<void> {
  const config = loadConfig();
  configureLogger({ level: config.LOG_LEVEL, nodeEnv: config.NODE_ENV });
  const db = await connectMongo(config.MONGO_URL, { attempts: 1, timeoutMs: config.MONGO_TIMEOUT_MS });
  try {
    console.log(await work(process.argv.slice(2)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}
