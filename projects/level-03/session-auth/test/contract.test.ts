import { beforeAll } from '@jest/globals';
import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import type { Express } from 'express';
import { testApp, useSessionRedis } from './support.ts';

useTestDatabase();
const redis = useSessionRedis();
let app: Express;
beforeAll(() => {
  app = testApp(redis);
});

// Malformed and oversized bodies are refused by the body parser, before sessions and CSRF.
describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/auth/login' },
  wrongMethod: { method: 'put', path: '/auth/me', allow: 'GET, HEAD' },
  ready: ['mongo', 'redis'],
});
