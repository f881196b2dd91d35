import { describePipelineContract } from '@hub/testkit';
import mongoose from 'mongoose';
import { testApp } from './support.ts';

const app = testApp({ db: mongoose.createConnection() });

// This service has no route that takes a body, but every body is parsed before routing:
// malformed JSON is a 400 and an oversized body a 413 even on POST /health.
describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/health' },
  wrongMethod: { method: 'delete', path: '/health', allow: 'GET, HEAD' },
});
