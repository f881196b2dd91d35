// The one StrykerJS configuration of the hub: `pnpm mutate <package>` (bin/hub-mutate.js)
// builds it for the package and runs Stryker from the package's folder.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Per-test time limit under Stryker, instead of the preset's 30 s: a mutant that makes a
 * handler never answer fails its test after this long (killed), rather than 30 s each. The
 * slowest test of a service (its Postman collection, ~5 s on two busy cores) must fit in it.
 */
export const MUTATION_TEST_TIMEOUT_MS = 10_000;

/**
 * Stryker runners at once. Each runs Jest in band next to its own MongoDB (and Redis), so two
 * on two cores keep both busy while one waits on its database; more would only take turns.
 */
export const MUTATION_CONCURRENCY = Math.max(2, availableParallelism() - 1);

/**
 * @param {{ root: string, name: string, inPlace: boolean, mutate?: string[] }} target
 *   the repository root, the package's name, whether its files are mutated where they are (see bin/hub-mutate.js) and, optionally,
 *   which of its files to mutate (default: all of src/ but server.ts)
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function mutationConfig({ root, name, inPlace, mutate }) {
  const out = resolve(root, '.hub/mutation', name);
  const here = (file) => pathToFileURL(resolve(import.meta.dirname, file)).href;
  return {
    // src/ is what the package does; server.ts only connects and listens (no test imports it).
    mutate: mutate?.length ? mutate : ['src/**/*.ts', '!src/server.ts'],
    testRunner: 'jest',
    // The runner by its resolved location: under pnpm, Stryker's own plugin search
    // (next to @stryker-mutator/core in node_modules/.pnpm) does not see it.
    plugins: [import.meta.resolve('@stryker-mutator/jest-runner'), here('ignore-doc-wording.js')],
    ignorers: ['hub-doc-wording'],
    jest: {
      projectType: 'custom',
      configFile: 'jest.config.js',
      config: { testTimeout: MUTATION_TEST_TIMEOUT_MS },
    },
    // Native ESM as bin/hub-test.js runs Jest, and the engines once per runner (worker.js).
    testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', `--import=${here('worker.js')}`],
    coverageAnalysis: 'perTest',
    concurrency: MUTATION_CONCURRENCY,
    // Stryker's own limit on a mutant's run (its normal time × 1.5 + this) is above the per-test
    // limit, so a hanging test fails in Jest and the runner, with its engines, lives on.
    timeoutMS: MUTATION_TEST_TIMEOUT_MS + 5_000,
    inPlace,
    tempDirName: resolve(out, 'tmp'),
    cleanTempDir: true,
    reporters: ['clear-text', 'progress', 'html', 'json'],
    clearTextReporter: { reportTests: false },
    htmlReporter: { fileName: resolve(out, 'index.html') },
    jsonReporter: { fileName: resolve(out, 'mutation.json') },
    thresholds: { high: 80, low: 60, break: null },
    // Stryker's own log file and the hub's runtime folder stay out of the sandbox copy.
    ignorePatterns: ['.hub', 'coverage'],
  };
}
