import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import { useChat } from './support.ts';

useTestDatabase();
const chat = useChat();

// What every service answers the same way: request id, Server-Timing, 400/404/405/413 as problem+json, /health, /docs.
describePipelineContract(() => chat.app, {
  jsonRoute: { method: 'post', path: '/rooms' },
  wrongMethod: { method: 'delete', path: '/rooms', allow: 'POST, GET, HEAD' },
  ready: ['mongo', 'redis'],
});
