import { beforeAll } from '@jest/globals';
import { describePipelineContract, useTestDatabase, useTestRedis } from '@hub/testkit';
import type { Express } from 'express';
import { testApp } from './support.ts';

useTestDatabase();
const redis = useTestRedis();
let app: Express;
beforeAll(() => {
  app = testApp(redis);
});

// What every service answers the same way: request id, Server-Timing, 400/404/405/413 as problem+json, /health, /docs.
describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/links' },
  wrongMethod: { method: 'delete', path: '/links', allow: 'POST, GET, HEAD' },
  // The redirect's success is a 302 with Location, which the document describes; it has no 2xx.
  neverSucceeds: ['GET /{code}'],
  ready: ['mongo', 'redis'],
});
