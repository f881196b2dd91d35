import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();
const app = testApp();

// /auth/login takes JSON without a token, so malformed and oversized bodies reach the body parser.
describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/auth/login' },
  wrongMethod: { method: 'put', path: '/notes', allow: 'POST, GET, HEAD' },
  ready: ['mongo'],
});
