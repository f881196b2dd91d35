import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS dependency loaded on first use. Core's index is imported by every service and by
 * every test file, and each test file evaluates its imports anew: a client only some services
 * need (Redis, SMTP, JWT) is loaded by the ones that call it, not by all of them.
 */
export function lazy<Module>(specifier: string): () => Module {
  let loaded: Module | undefined;
  return () => (loaded ??= require(specifier) as Module);
}
