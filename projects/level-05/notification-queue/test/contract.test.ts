import { describePipelineContract } from '@hub/testkit';
import { testApp } from './support.ts';

const t = testApp();

// What every service answers the same way: request id, Server-Timing, 400/404/405/413 as problem+json, /health, /docs.
describePipelineContract(() => t.app, {
  jsonRoute: { method: 'post', path: '/events' },
  wrongMethod: { method: 'delete', path: '/events', allow: 'POST' },
  ready: ['mongo', 'redis'],
});
