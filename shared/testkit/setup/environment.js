// Jest's Node environment, plus newman loaded once per worker process instead of once per test
// file. Jest gives every file a fresh module registry, so `import('newman')` from a test
// re-evaluates newman's ~1,300 modules (about 1.4 s) and boots its script sandbox anew for
// each Postman file. newman keeps no state between runs, so one copy, loaded with Node's own
// require outside the registry, serves every file a worker runs; src/postman.ts reads it from
// the file's global. The network block of block-network.cjs patches node:net itself, which
// this copy shares, so newman still reaches loopback only.
import { createRequire } from 'node:module';
import { TestEnvironment } from 'jest-environment-node';

const require = createRequire(import.meta.url);
export const NEWMAN = Symbol.for('backend-hub.newman');

export default class HubTestEnvironment extends TestEnvironment {
  /** @param {ConstructorParameters<typeof TestEnvironment>} args */
  constructor(...args) {
    super(...args);
    Object.defineProperty(this.global, NEWMAN, { get: loadNewman });
  }
}

/**
 * newman 6 copies every property of `fs` when it loads, fs.F_OK among them, and Node 24 warns
 * about reading that one ("DEP0176 fs.F_OK is deprecated") in the middle of every test run. The
 * warning is newman's to fix, not something a learner can act on: it is silenced while newman
 * loads, and only then.
 */
function loadNewman() {
  const warned = process.noDeprecation;
  process.noDeprecation = true;
  try {
    return require('newman');
  } finally {
    process.noDeprecation = warned;
  }
}
