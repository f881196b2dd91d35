// The Jest configuration every package uses: `export default jestConfig(import.meta.dirname)`.
// Jest runs in native ESM mode (NODE_OPTIONS=--experimental-vm-modules, set by each package's
// test script) and @swc/jest strips types, so ESM-only dependencies import like any other.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/** @param {string} rootDir the package folder @returns {import('jest').Config} */
export function jestConfig(rootDir) {
  const { name, hub } = JSON.parse(readFileSync(resolve(rootDir, 'package.json'), 'utf8'));
  // A service says what it needs ("hub": { "needs": ["mongo", ...] }); a shared package gets both.
  const needs = ENGINES.filter((engine) => hub?.needs?.includes(engine) ?? true);
  return {
    displayName: name,
    rootDir,
    testEnvironment: setup('environment.js'),
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    extensionsToTreatAsEsm: ['.ts'],
    transform: {
      '^.+\\.ts$': [
        require.resolve('@swc/jest'),
        { jsc: { parser: { syntax: 'typescript' }, target: 'es2023', experimental: { keepImportAttributes: true } }, module: { type: 'es6' }, sourceMaps: 'inline' },
      ],
    },
    // One file per set of needs: Jest runs each once, so a run starts just the engines its
    // packages need, each once (see setup/global-setup.js).
    ...(needs.length > 0 && { globalSetup: setup(`engines/${needs.join('+')}.js`) }),
    globalTeardown: setup('global-teardown.js'),
    setupFiles: [setup('block-network.cjs')],
    testTimeout: TEST_TIMEOUT_MS,
  };
}
