import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();
const app = testApp();

describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/counters/contract/increment' },
  wrongMethod: { method: 'delete', path: '/counters/contract', allow: 'GET, HEAD' },
  ready: ['mongo'],
});
