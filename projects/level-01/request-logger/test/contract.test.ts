import { describePipelineContract, testConfig } from '@hub/testkit';
import { createRequestLoggerApp } from '../src/app.ts';
import { requestLoggerConfig } from '../src/config.ts';

const { app } = createRequestLoggerApp({ config: testConfig(requestLoggerConfig) });

describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/echo' },
  wrongMethod: { method: 'delete', path: '/echo', allow: 'POST' },
});
