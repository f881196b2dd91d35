import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();
const app = testApp();

describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/tasks' },
  wrongMethod: { method: 'put', path: '/tasks/665f1c2e9b1e8a3d4c5b6a79', allow: 'GET, PATCH, DELETE, HEAD' },
  ready: ['mongo'],
});
