import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();
const app = testApp();

describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/expenses' },
  wrongMethod: { method: 'put', path: '/expenses', allow: 'GET, POST, HEAD' },
  ready: ['mongo'],
});
