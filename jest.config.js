// `pnpm test` runs every package's suite in one Jest run, so MongoDB and Redis start once.
import { globSync } from 'node:fs';
import { MAX_WORKERS, TEST_TIMEOUT_MS, WORKER_IDLE_MEMORY_LIMIT } from './shared/testkit/jest-preset.js';

// Read by the packages' preset, which Jest loads after this file: they leave the global options to us.
process.env.HUB_JEST_ROOT = '1';

export default {
  // Global options: the packages' own are ignored when they run as projects of this one.
  testTimeout: TEST_TIMEOUT_MS,
  maxWorkers: MAX_WORKERS,
  workerIdleMemoryLimit: WORKER_IDLE_MEMORY_LIMIT,
  projects: globSync(['shared/*/jest.config.js', 'projects/*/*/jest.config.js']).sort(),
};
