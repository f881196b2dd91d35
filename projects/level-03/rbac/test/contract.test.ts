import { describePipelineContract, useTestDatabase, useTestRedis } from '@hub/testkit';
import type { Express } from 'express';
import { testApp } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
let app: Express | undefined;
const theApp = () => (app ??= testApp(redis.redis));

// /auth/signup takes JSON without a token, so malformed and oversized bodies reach the body parser.
describePipelineContract(theApp, {
  jsonRoute: { method: 'post', path: '/auth/signup' },
  wrongMethod: { method: 'put', path: '/posts', allow: 'GET, POST, HEAD' },
  ready: ['mongo', 'redis'],
});
