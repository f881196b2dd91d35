// The Jest configuration every package uses: `export default jestConfig(import.meta.dirname)`.
// Jest runs in native ESM mode (NODE_OPTIONS=--experimental-vm-modules, set by each package's
// test script) and @swc/jest strips types, so ESM-only dependencies import like any other.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const setup = (file) => resolve(import.meta.dirname, 'setup', file);

/** The engines a run starts once for all its files, as named in `"hub": { "needs": [...] }`. */
const ENGINES = ['mongo', 'redis'];

/**
 * Per-test time limit. Jest reads testTimeout only from the top-level config: the root
 * jest.config.js (every package in one run) must set it too, or its tests get Jest's 5 s.
 */
export const TEST_TIMEOUT_MS = 30_000;

/**
 * Jest's default is one worker less than the cores: on two cores that is one, and the tests
 * then run in Jest's own process, one file after the other. Most files wait on a database,
 * a child process or a socket part of the time, so at least two workers.
 */
export const MAX_WORKERS = Math.max(2, availableParallelism() - 1);

/**
 * A worker whose heap is past this after a file is replaced by a fresh one. Every file gets a
 * new module registry (MongoDB driver, Express, the service), and native ESM keeps much of
 * each one alive (~25-40 MB a file): a worker that ran 60 files carries gigabytes, and its
 * garbage collection slows every later file down.
 */
export const WORKER_IDLE_MEMORY_LIMIT = '512MB';

/**
 * The engines a package's tests need: a service says so ("hub": { "needs": ["mongo", ...] }),
 * a shared package gets both.
 * @param {{ hub?: { needs?: string[] } }} pkg its package.json
 */
export const enginesNeeded = (pkg) => ENGINES.filter((engine) => pkg.hub?.needs?.includes(engine) ?? true);

/** @param {string} rootDir the package folder @returns {import('jest').Config} */
export function jestConfig(rootDir) {
  const pkg = JSON.parse(readFileSync(resolve(rootDir, 'package.json'), 'utf8'));
  const { name } = pkg;
  const needs = enginesNeeded(pkg);
  return {
    displayName: name,
    rootDir,
    testEnvironment: setup('environment.js'),
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    // A fixture is a folder a test runs something on (a service-shaped package, a Jest run): never the package's own tests.
    testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/fixtures/'],
    extensionsToTreatAsEsm: ['.ts'],
    transform: {
      '^.+\\.ts$': [
        require.resolve('@swc/jest'),
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2023', experimental: { keepImportAttributes: true } },
          module: { type: 'es6' },
          sourceMaps: 'inline',
        },
      ],
    },
    // One file per set of needs: Jest runs each once, so a run starts just the engines its
    // packages need, each once (see setup/global-setup.js).
    ...(needs.length > 0 && { globalSetup: setup(`engines/${needs.join('+')}.js`) }),
    globalTeardown: setup('global-teardown.js'),
    setupFiles: [setup('block-network.cjs')],
    testTimeout: TEST_TIMEOUT_MS,
    // Global options: these apply when a package runs alone. Under the root jest.config.js
    // (`pnpm test`), which sets them itself, Jest would warn about them once per package.
    ...(process.env.HUB_JEST_ROOT ? {} : { maxWorkers: MAX_WORKERS, workerIdleMemoryLimit: WORKER_IDLE_MEMORY_LIMIT }),
  };
}
