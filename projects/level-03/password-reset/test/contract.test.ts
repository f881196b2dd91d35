import { describePipelineContract } from '@hub/testkit';
import { testApp } from './support.ts';

const service = testApp();

// /auth/password/forgot takes JSON without a token, so malformed and oversized bodies reach the body parser.
describePipelineContract(() => service.app, {
  jsonRoute: { method: 'post', path: '/auth/password/forgot' },
  wrongMethod: { method: 'put', path: '/auth/password/reset', allow: 'GET, POST, HEAD' },
  ready: ['mongo', 'redis', 'smtp'],
});
