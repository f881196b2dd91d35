import { describePipelineContract, useTestDatabase, useTestRedis } from '@hub/testkit';
import { testApp } from './support.ts';

useTestDatabase();
const redis = useTestRedis();

// /auth/login takes JSON without a token, so malformed and oversized bodies reach the body parser.
describePipelineContract(() => testApp(redis.redis), {
  jsonRoute: { method: 'post', path: '/auth/login' },
  wrongMethod: { method: 'put', path: '/auth/refresh', allow: 'POST' },
  ready: ['mongo', 'redis'],
});
