import { describePipelineContract } from '@hub/testkit';
import { testLogger } from './support.ts';

const { app } = testLogger();

describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/echo' },
  wrongMethod: { method: 'delete', path: '/echo', allow: 'POST' },
  neverSucceeds: ['GET /fail'],
  ready: [],
});
