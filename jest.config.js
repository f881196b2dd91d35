// `pnpm test` runs every package's suite in one Jest run, so MongoDB and Redis start once.
import { globSync } from 'node:fs';
import { TEST_TIMEOUT_MS } from './shared/testkit/jest-preset.js';

export default {
  // A global option: the packages' own testTimeout is ignored when they run as projects of this one.
  testTimeout: TEST_TIMEOUT_MS,
  projects: globSync(['shared/*/jest.config.js', 'projects/*/*/jest.config.js']).sort(),
};
