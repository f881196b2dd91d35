import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import { useInstances } from './support.ts';

useTestDatabase();
const instances = useInstances();

// What every service answers the same way: request id, Server-Timing, 400/404/405/413 as problem+json, /health, /docs.
describePipelineContract(() => instances.first.app, {
  jsonRoute: { method: 'post', path: '/flags' },
  wrongMethod: { method: 'delete', path: '/flags', allow: 'POST, GET, HEAD' },
  ready: ['mongo', 'redis'],
});
