import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import { expenseApp } from './support.ts';

useTestDatabase();
const app = expenseApp();

describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/expenses' },
  wrongMethod: { method: 'put', path: '/expenses', allow: 'GET, POST, HEAD' },
});
