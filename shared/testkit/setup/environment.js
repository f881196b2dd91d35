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
    Object.defineProperty(this.global, NEWMAN, { get: () => require('newman') });
  }
}
