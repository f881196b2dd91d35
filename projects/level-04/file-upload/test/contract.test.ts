import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();
const app = testApp();

// What every service answers the same way: request id, Server-Timing, 400/404/405/413 as problem+json, /health, /docs.
describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/shares' },
  wrongMethod: { method: 'put', path: '/files', allow: 'POST, GET, HEAD' },
  ready: ['mongo'],
});
