export { useTestDatabase, useTestRedis } from './database.ts';
export { listen, runPostmanCollection, type CollectionResult } from './postman.ts';
export { testTokens, type TestTokenOptions } from './tokens.ts';
