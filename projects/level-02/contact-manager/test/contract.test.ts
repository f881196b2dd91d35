import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();
const app = testApp();

describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/contacts' },
  wrongMethod: { method: 'put', path: '/contacts', allow: 'POST, GET, HEAD' },
  ready: ['mongo'],
});
