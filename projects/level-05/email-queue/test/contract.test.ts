import { describePipelineContract } from '@hub/testkit';
import { testApp } from './support.ts';

const service = testApp();

// What every service answers the same way: request id, Server-Timing, 400/404/405/413 as problem+json, /health, /docs.
describePipelineContract(() => service.app, {
  jsonRoute: { method: 'post', path: '/emails' },
  wrongMethod: { method: 'delete', path: '/emails', allow: 'POST' },
  ready: ['mongo', 'redis'],
});
