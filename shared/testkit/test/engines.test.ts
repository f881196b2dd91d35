import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, test } from '@jest/globals';

const runner = new URL('./fixtures/engines/run-jest.js', import.meta.url).pathname;

interface Run {
  success: boolean;
  passed: number;
  failed: number;
  failures: string[];
  after: { MONGO_URL: string | null };
}

/** Runs the fixture package (it needs MongoDB) with Jest's runCLI three times in one fresh process. */
async function threeRuns(userMongoUrl: string): Promise<Run[]> {
  // The fixture starts engines of its own: none of this run's may leak into it.
  const { MONGO_URL: _mongo, REDIS_URL: _redis, HUB_REDIS_UNAVAILABLE: _why, ...env } = process.env;
  const child = spawn(process.execPath, ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', runner, userMongoUrl], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the fixture's runner exited with ${code}:\n${stderr}`);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Run[];
}

describe('global setup and teardown, run after run in one process (as `--watch` runs them)', () => {
  test("each run starts its own MongoDB and teardown unsets MONGO_URL; a MONGO_URL of the user's is used and left as it was", async () => {
    const userMongoUrl = process.env.MONGO_URL as string;

    const runs = await threeRuns(userMongoUrl);

    const passed = { success: true, passed: 1, failed: 0, failures: [] };
    expect(runs).toEqual([
      { ...passed, after: { MONGO_URL: null } },
      { ...passed, after: { MONGO_URL: null } },
      { ...passed, after: { MONGO_URL: userMongoUrl } },
    ]);
  }, 60_000);
});
