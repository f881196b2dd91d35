import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import { newApp } from './factories.ts';

useTestDatabase();
const app = newApp();

describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/contacts' },
  wrongMethod: { method: 'put', path: '/contacts', allow: 'POST, GET, HEAD' },
});
