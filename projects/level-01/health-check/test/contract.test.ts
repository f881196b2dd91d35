import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();
const app = testApp();

// This service has no route that takes a body, but every body is parsed before routing:
// malformed JSON is a 400 and an oversized body a 413 even on POST /health.
describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/health' },
  wrongMethod: { method: 'delete', path: '/health', allow: 'GET, HEAD' },
  ready: ['mongo'],
});
