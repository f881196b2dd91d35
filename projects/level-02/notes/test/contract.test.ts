import { describePipelineContract, useTestDatabase } from '@hub/testkit';
import { notesApp } from './support.ts';

useTestDatabase();
const app = notesApp();

// /auth/login takes JSON without a token, so malformed and oversized bodies reach the body parser.
describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/auth/login' },
  wrongMethod: { method: 'put', path: '/notes', allow: 'POST, GET, HEAD' },
});
