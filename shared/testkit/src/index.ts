export { signUp, type TestAccount } from './accounts.ts';
export { BAD_PAGE_QUERIES, expectFieldProblem, withoutRequestId } from './problems.ts';
export { TEST_ENV, testConfig } from './config.ts';
export { useTestDatabase, useTestRedis } from './database.ts';
export { describePipelineContract, MALFORMED_ENCODINGS, type ContractOptions } from './contract.ts';
export { useTestSmtp } from './mail.ts';
export { listen, runPostmanCollection, type CollectionResult } from './postman.ts';
export { testTokens, type TestTokenOptions } from './tokens.ts';
export { pausableProxy, type PausableProxy } from './pausable.ts';
