import { describePipelineContract, testConfig, useTestDatabase } from '@hub/testkit';
import mongoose from 'mongoose';
import { createCounterApp } from '../src/app.ts';

useTestDatabase();
const app = createCounterApp({ config: testConfig(), db: mongoose.connection });

describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/counters/contract/increment' },
  wrongMethod: { method: 'delete', path: '/counters/contract', allow: 'GET, HEAD' },
});
