export { signUp, type TestAccount } from './accounts.ts';
export { TEST_ENV, testConfig } from './config.ts';
export { useTestDatabase, useTestRedis } from './database.ts';
export { describePipelineContract, type ContractOptions } from './contract.ts';
export { listen, runPostmanCollection, type CollectionResult } from './postman.ts';
export { testTokens, type TestTokenOptions } from './tokens.ts';
